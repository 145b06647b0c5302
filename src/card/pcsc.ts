// CardReaders over PC/SC (pcsc-lite's pcscd on Linux, WinSCard on Windows, CryptoTokenKit's PC/SC
// on macOS), through the npm package `smartcard` (N-API, so one build serves every Node version).
// It is an optional dependency: it builds only where the PC/SC headers are (Debian:
// libpcsclite-dev), so this is the one module that imports it, lazily, and says so when it is
// missing. Cards are held with SCARD_SHARE_EXCLUSIVE for a whole session, and reset when
// released, so a verified PIN never outlives the session that verified it.
import { createRequire } from 'node:module';
import { CardError } from './errors.js';
import type { CardReaders, CardTransport, ReaderEvent, ReaderInfo } from './transport.js';

// The slice of the binding this module uses (declared here so the project type-checks where the
// optional package could not be built).
interface NativeReader {
  readonly name: string;
  readonly state: number;
  readonly atr: Buffer | null;
  connect(shareMode: number, protocol: number): Promise<NativeCard>;
}
interface NativeCard {
  readonly atr: Buffer | null;
  transmit(command: Buffer, options?: { maxRecvLength?: number }): Promise<Buffer>;
  disconnect(disposition?: number): void;
}
interface NativeContext {
  listReaders(): NativeReader[];
  waitForChange(readers: NativeReader[], timeout: number): Promise<unknown[] | null>;
  cancel(): void;
  close(): void;
}
interface NativeMonitor {
  start(callback: (event: { type: string; reader: string; atr: Buffer | null }) => void): void;
  stop(): void;
}
interface Binding {
  Context: new () => NativeContext;
  ReaderMonitor: new () => NativeMonitor;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_RESET_CARD: number;
  SCARD_STATE_PRESENT: number;
}

let binding: Binding | undefined;
function loadBinding(): Binding {
  if (binding) return binding;
  try {
    binding = createRequire(import.meta.url)('smartcard') as Binding;
    return binding;
  } catch (err) {
    throw new CardError(
      'pcsc_unavailable',
      `the PC/SC binding (npm package "smartcard") is not installed or not built: install the PC/SC headers (Debian: apt-get install libpcsclite-dev pcscd) and run npm install (${(err as Error).message.split('\n')[0]})`,
    );
  }
}

/** Receive buffer: a short answer is at most 256 + 2 bytes, an extended one 65536 + 2. */
const MAX_RECV = 65538;

/** A PC/SC error message from the binding, as a typed error. */
function pcscError(err: unknown, doing: string): CardError {
  const m = (err as Error).message ?? String(err);
  if (/Sharing violation/i.test(m)) return new CardError('reader_busy', `${doing}: another program holds the card (${m})`);
  if (/No smart card present|Card is unpowered/i.test(m)) return new CardError('no_card', `${doing}: no card in the reader (${m})`);
  if (/Card was removed/i.test(m)) return new CardError('card_removed', `${doing}: the card was removed (${m})`);
  if (/Unknown reader|Reader unavailable|No readers available/i.test(m)) return new CardError('no_reader', `${doing}: reader not available (${m})`);
  if (/service not running|service stopped|No service/i.test(m)) return new CardError('pcsc_unavailable', `${doing}: pcscd is not running (${m})`);
  return new CardError('transport', `${doing}: ${m}`);
}

/** pcscd notices a removal on its next poll of the reader (vpcd: within a second): look for a
 *  short while before calling an empty answer anything but a removal. */
async function settledGone(gone: () => boolean): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (gone()) return true;
  }
  return false;
}

export function openPcsc(): CardReaders {
  const b = loadBinding();
  let ctx: NativeContext;
  try {
    ctx = new b.Context();
  } catch (err) {
    throw pcscError(err, 'PC/SC');
  }
  const monitors = new Set<NativeMonitor>();
  const present = (r: NativeReader): boolean => (r.state & b.SCARD_STATE_PRESENT) !== 0;
  const readers = (): NativeReader[] => {
    try {
      return ctx.listReaders();
    } catch (err) {
      const e = pcscError(err, 'list readers');
      if (e.code === 'no_reader') return [];
      throw e;
    }
  };
  const find = (name: string): NativeReader => {
    const r = readers().find((x) => x.name === name);
    if (!r) throw new CardError('no_reader', `no reader named "${name}"`);
    return r;
  };

  return {
    async list(): Promise<ReaderInfo[]> {
      return readers().map((r) => ({ name: r.name, cardPresent: present(r), ...(present(r) && r.atr ? { atr: new Uint8Array(r.atr) } : {}) }));
    },

    async connect(name: string): Promise<CardTransport> {
      const reader = find(name);
      if (!present(reader)) throw new CardError('no_card', `no card in "${name}"`);
      let card: NativeCard;
      try {
        card = await reader.connect(b.SCARD_SHARE_EXCLUSIVE, b.SCARD_PROTOCOL_T0 | b.SCARD_PROTOCOL_T1);
      } catch (err) {
        throw pcscError(err, `connect to "${name}"`);
      }
      const atr = new Uint8Array(card.atr ?? reader.atr ?? []);
      let open = true;
      return {
        reader: name,
        atr,
        async transmit(command: Uint8Array): Promise<Uint8Array> {
          if (!open) throw new CardError('transport', `the session with "${name}" is closed`);
          // A failed exchange, or an answer with no status word, with no card in the reader
          // afterwards is a removal, whatever the driver called it (vpcd, for one, answers
          // a pulled card with zero bytes).
          const gone = (): boolean => {
            const now = readers().find((x) => x.name === name);
            return !now || !present(now) || (now.atr !== null && !Buffer.from(now.atr).equals(Buffer.from(atr)));
          };
          let answer: Uint8Array;
          try {
            answer = new Uint8Array(await card.transmit(Buffer.from(command), { maxRecvLength: MAX_RECV }));
          } catch (err) {
            const e = pcscError(err, `transmit to "${name}"`);
            if (e.code !== 'card_removed' && gone()) throw new CardError('card_removed', `the card left "${name}" during the operation`);
            throw e;
          }
          if (answer.length < 2) {
            if (gone() || (await settledGone(gone))) throw new CardError('card_removed', `the card left "${name}" during the operation`);
            throw new CardError('bad_response', `"${name}" answered ${answer.length} bytes`);
          }
          return answer;
        },
        async close(): Promise<void> {
          if (!open) return;
          open = false;
          try {
            card.disconnect(b.SCARD_RESET_CARD);
          } catch {
            // Already gone (removed): nothing to reset.
          }
        },
      };
    },

    async waitForCard(name: string, timeoutMs: number): Promise<boolean> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = readers().find((x) => x.name === name);
        if (r && present(r)) return true;
        const left = until - Date.now();
        if (left <= 0) return false;
        // Wait for a change of any reader (or the reader list), at most 250 ms at a time so a
        // reader attached meanwhile is seen too.
        const list = readers();
        if (list.length === 0) await new Promise((res) => setTimeout(res, Math.min(left, 250)));
        else await ctx.waitForChange(list, Math.min(left, 250)).catch(() => null);
      }
    },

    watch(listener: (event: ReaderEvent) => void): () => void {
      const monitor = new b.ReaderMonitor();
      monitors.add(monitor);
      monitor.start((e) => {
        if (e.type === 'card-inserted') listener({ type: 'card-inserted', reader: e.reader, ...(e.atr ? { atr: new Uint8Array(e.atr) } : {}) });
        else if (e.type === 'card-removed' || e.type === 'reader-attached' || e.type === 'reader-detached') listener({ type: e.type, reader: e.reader });
      });
      return () => {
        if (monitors.delete(monitor)) monitor.stop();
      };
    },

    close(): void {
      for (const m of monitors) m.stop();
      monitors.clear();
      try {
        ctx.close();
      } catch {
        // closing twice is harmless
      }
    },
  };
}
