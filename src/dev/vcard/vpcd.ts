// Puts a virtual card into a reader of pcscd through vsmartcard's vpcd driver (Debian package
// vsmartcard-vpcd). vpcd listens on TCP 35963 (reader "Virtual PCD 00 00") and 35964
// ("Virtual PCD 00 01"); the card connects and answers. Every message is a 2-byte big-endian
// length and a payload; a 1-byte payload is a control: 00 power off, 01 power on, 02 reset,
// 04 send the ATR. Anything longer is a command APDU, answered with a response APDU. Closing the
// connection is pulling the card out.
import { connect, type Socket } from 'node:net';

export const VPCD_PORT = 35963;

/** What answers in the reader: the JPKI applet, or any other card. */
export interface VirtualCardApplet {
  process(apdu: Uint8Array): Uint8Array;
  reset(): void;
}

export interface VirtualCardOptions {
  readonly applet: VirtualCardApplet;
  readonly atr: Uint8Array;
  /** vpcd slot: 0 → port 35963, 1 → 35964. */
  readonly slot?: number;
  readonly host?: string;
  readonly port?: number;
  /** Called before each command; returning 'remove' pulls the card out instead of answering. */
  readonly beforeCommand?: (apdu: Uint8Array) => 'remove' | undefined;
}

export interface VirtualCard {
  /** Resolves when the card is out of the reader (connection closed). */
  remove(): Promise<void>;
  /** True while the card sits in the reader. */
  readonly inserted: boolean;
  /** Resolves when the card left the reader, however that happened. */
  readonly removed: Promise<void>;
}

/** Inserts the card: connects to vpcd and answers until removed. Rejects when vpcd is not there. */
export function insertVirtualCard(o: VirtualCardOptions): Promise<VirtualCard> {
  const port = o.port ?? VPCD_PORT + (o.slot ?? 0);
  const host = o.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const sock: Socket = connect({ host, port });
    let inserted = false;
    let pending: Buffer = Buffer.alloc(0);
    let onClosed: () => void = () => {};
    const removed = new Promise<void>((r) => (onClosed = r));
    const send = (payload: Uint8Array): void => {
      const head = Buffer.alloc(2);
      head.writeUInt16BE(payload.length);
      sock.write(Buffer.concat([head, payload]));
    };
    const handle = (msg: Buffer): void => {
      if (msg.length === 1) {
        if (msg[0] === 0x04) send(o.atr);
        else if (msg[0] === 0x00 || msg[0] === 0x01 || msg[0] === 0x02) o.applet.reset();
        return;
      }
      if (o.beforeCommand?.(msg) === 'remove') {
        sock.destroy();
        return;
      }
      send(o.applet.process(msg));
    };
    sock.setNoDelay(true);
    sock.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2) {
        const n = pending.readUInt16BE(0);
        if (pending.length < 2 + n) break;
        const msg = pending.subarray(2, 2 + n);
        pending = pending.subarray(2 + n);
        handle(msg);
      }
    });
    sock.once('connect', () => {
      inserted = true;
      resolve(card);
    });
    sock.on('error', (err) => {
      if (!inserted) reject(new Error(`vpcd is not listening on ${host}:${port} (is pcscd running with vsmartcard-vpcd?): ${err.message}`));
    });
    sock.on('close', () => {
      inserted = false;
      onClosed();
    });
    const card: VirtualCard = {
      get inserted() {
        return inserted;
      },
      removed,
      async remove() {
        if (!sock.destroyed) sock.destroy();
        await removed;
      },
    };
  });
}
