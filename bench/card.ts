// The terminal side through the real PC/SC stack: how long reading a My Number Card and signing
// with it take through pcscd, with the virtual card (src/dev/vcard) in vpcd's reader. Needs
// pcscd with vsmartcard-vpcd (test/services.sh starts them). Run: npm run build && node
// dist/bench/card.js. The virtual card answers in microseconds; what is measured is the APDU
// round trips through pcscd and vpcd's TCP link, and the RSA signature.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPcsc } from '../src/card/pcsc.js';
import { authenticate, openJpkiCard, readCard } from '../src/card/terminal.js';
import { startVirtualCard } from '../src/dev/vcard/host.js';
import { initPki } from '../src/dev/sim/jlis.js';
import { acquireVpcd, waitForReader, READER0 } from '../test/helpers/vpcd.js';
import { machine, writeResult } from './harness.js';

const ROUNDS = Number(process.env.CARD_ROUNDS ?? 10);

async function timed(rounds: number, fn: () => Promise<unknown>): Promise<{ medianMs: number; minMs: number; maxMs: number }> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)], minMs: ms[0], maxMs: ms[ms.length - 1] };
}

export async function benchCard(): Promise<void> {
  const release = await acquireVpcd();
  const dir = mkdtempSync(join(tmpdir(), 'bench-card-'));
  initPki({ dir, now: Date.now(), authUsers: 2, signingUsers: 2, testUsers: 0, poolSize: 1 });
  const vc = await startVirtualCard({ kind: 'jpki', slot: 0, pkiDir: dir, card: { holder: 'a1', signingHolder: 's1' } });
  const readers = openPcsc();
  try {
    await waitForReader(readers, READER0, true);
    const session = async <T>(extendedLength: boolean, fn: (c: Awaited<ReturnType<typeof openJpkiCard>>) => Promise<T>): Promise<T> => {
      const card = await openJpkiCard({ readers, reader: READER0, extendedLength });
      try {
        return await fn(card);
      } finally {
        await card.close();
      }
    };
    const apdus = async (fn: () => Promise<unknown>): Promise<number> => {
      const before = (await vc.state()).received.length;
      await fn();
      return (await vc.state()).received.length - before;
    };
    const cases: Record<string, () => Promise<unknown>> = {
      'one SELECT AP (connect, select, reset on close)': () => session(false, async () => undefined),
      'read: token, auth certificate + CA, counters (short APDUs)': () => session(false, (c) => readCard(c)),
      'read: the same (extended length)': () => session(true, (c) => readCard(c)),
      'read with signing password: all four certificates (short)': () => session(false, (c) => readCard(c, 'ABC123')),
      'authenticate: auth certificate, PIN, signature (short)': () => session(false, (c) => authenticate(c, Buffer.from('challenge'), '1234')),
      'authenticate (extended length)': () => session(true, (c) => authenticate(c, Buffer.from('challenge'), '1234')),
    };
    const rows: Record<string, unknown>[] = [];
    for (const [name, fn] of Object.entries(cases)) {
      const n = await apdus(fn);
      const t = await timed(ROUNDS, fn);
      rows.push({ name, apdus: n, ...t, msPerApdu: t.medianMs / n });
      console.log(
        `${name.padEnd(62)} ${t.medianMs.toFixed(0).padStart(6)} ms  (${n} APDUs, ${(t.medianMs / n).toFixed(1)} ms each; min ${t.minMs.toFixed(0)}, max ${t.maxMs.toFixed(0)})`,
      );
    }
    // The same certificate read by OpenSC's JPKI driver through the same stack.
    const opensc = await timed(Math.min(ROUNDS, 5), async () =>
      execFileSync('pkcs15-tool', ['--reader', READER0, '--read-certificate', '01'], { stdio: 'pipe' }),
    );
    console.log(`${'OpenSC pkcs15-tool --read-certificate 01 (process included)'.padEnd(62)} ${opensc.medianMs.toFixed(0).padStart(6)} ms`);
    rows.push({ name: 'OpenSC pkcs15-tool --read-certificate 01', ...opensc });
    writeResult('card', { machine: machine(), rounds: ROUNDS, rows });
  } finally {
    readers.close();
    await vc.close();
    release();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await benchCard();
