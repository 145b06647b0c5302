// OCSP cost (issue #19), in one run on this machine: verifications per second through the local
// verifier (piscina pool, CRL index, the OCSP client on the main thread) under revocation.mode
// `crl`, then under `crl+ocsp` with the same mix — 95% 電子利用者証明, 5% 電子署名, which
// crl+ocsp always sends to OCSP — against the simulated J-LIS responder in its own process, with
// the response cache off so every 電子署名 reaches the responder. Reported: both rates, their
// ratio, and what OCSP adds to a verification that asks it: the time its OCSP lookup took
// (batching and the exchange), p50 and p99, beside the end-to-end latencies of both phases.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { LocalVerifier } from '../src/app/local-verifier.js';
import { validateConfig } from '../src/config/config.js';
import type { RevocationPlan } from '../src/core/revocation-plan.js';
import { cardSign } from '../src/dev/sim/card.js';
import { initPki, openPki } from '../src/dev/sim/jlis.js';
import { publishCrls } from '../src/dev/sim/jlis-crl.js';
import { Metrics } from '../src/ops/metrics.js';
import type { VerifyItem } from '../src/verifier/messages.js';
import { machine, writeResult } from './harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));

interface Phase {
  readonly mode: RevocationPlan['mode'];
  readonly items: number;
  readonly seconds: number;
  readonly rps: number;
  readonly ocspLookups: number;
  /** Latency percentiles (ms), all items and the 電子署名 ones. */
  readonly all: { p50: number; p99: number };
  readonly signing: { p50: number; p99: number };
  readonly verdicts: Record<string, number>;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

async function startResponder(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(HERE, '..', 'src', 'cli', 'main.js'), 'pki', 'ocsp', 'serve', '--dir', dir, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    // GET / is a malformed request: answered (200, malformedRequest) once the responder listens.
    if ((await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.status === 200) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('OCSP responder did not start');
}

export async function benchOcsp(opts: { items?: number; concurrency?: number } = {}): Promise<Record<string, unknown>> {
  const n = opts.items ?? Number(process.env.BENCH_OCSP_ITEMS ?? 12_000);
  const concurrency = opts.concurrency ?? 256;
  const dir = mkdtempSync(join(tmpdir(), 'jpki-bench-ocsp-'));
  const now = Date.now();
  console.log('ocsp: making a simulated J-LIS (1,000 authentication and 600 signing holders) …');
  initPki({ dir, now, authUsers: 1000, signingUsers: 600, testUsers: 0, poolSize: 8 });
  publishCrls({ dir, now, revokedShare: 0 });
  const pki = openPki(dir);
  const auth = pki.holders('authentication');
  const signing = pki.holders('signing');
  const port = 18_790;
  const responder = await startResponder(dir, port);
  const metrics = new Metrics('embedded');
  const config = validateConfig({
    logLevel: 'silent',
    trust: { roots: [join(dir, 'trust')] },
    crl: { sources: [join(dir, 'crl')], cacheDir: join(dir, 'cache') },
    pool: { threads: 2, batchSize: 32, batchDelayUs: 200, maxPending: 100_000, concurrentTasksPerWorker: 2, pathCacheSize: 50_000 },
    // No response cache: every 電子署名 under crl+ocsp goes to the responder.
    ocsp: { url: `http://127.0.0.1:${port}/`, cacheEntries: 0, timeoutMs: 5000 },
  });
  const local = await LocalVerifier.start(config, metrics, pino({ level: 'silent' }), Date.now);
  try {
    // The same items for both phases: every 20th a 電子署名 (5%), the rest 電子利用者証明.
    console.log(`ocsp: signing ${n.toLocaleString()} challenges and documents …`);
    const made: { item: VerifyItem; signing: boolean }[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 20 === 19) {
        const h = signing[i % signing.length];
        const data = randomBytes(64);
        made.push({ item: { kind: 'signature', time: 0, cert: h.cert, data, signature: cardSign(pki.keys[h.key], data), hash: 'sha256' }, signing: true });
      } else {
        const h = auth[i % auth.length];
        const challenge = randomBytes(32);
        made.push({
          item: { kind: 'auth', time: 0, cert: h.cert, challenge, signature: cardSign(pki.keys[h.key], challenge), hash: 'sha256' },
          signing: false,
        });
      }
    }
    const lookups = async (): Promise<number> => ((await metrics.ocspLookups.get()).values ?? []).reduce((s, v) => s + v.value, 0);
    // What each verification waited for OCSP: timed around the client's lookup.
    const waits: number[] = [];
    const lookup = local.ocsp.lookup.bind(local.ocsp);
    local.ocsp.lookup = async (target) => {
      const s = performance.now();
      try {
        return await lookup(target);
      } finally {
        waits.push(performance.now() - s);
      }
    };

    const phase = async (mode: RevocationPlan['mode']): Promise<Phase> => {
      const plan: RevocationPlan = { mode, policy: 'hard-fail', escalate: false };
      const items = made.map((m) => ({ ...m, item: { ...m.item, time: Date.now(), revocation: plan } }));
      // Warm-up: paths cached, connections open.
      await Promise.all(items.slice(0, 500).map((x) => local.verify(x.item)));
      waits.length = 0;
      const before = await lookups();
      const lat: number[] = [];
      const sigLat: number[] = [];
      const verdicts: Record<string, number> = {};
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < items.length; i = next++) {
            const s = performance.now();
            const r = await local.verify(items[i].item);
            const ms = performance.now() - s;
            lat.push(ms);
            if (items[i].signing) sigLat.push(ms);
            verdicts[r.verdict.code] = (verdicts[r.verdict.code] ?? 0) + 1;
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const p: Phase = {
        mode,
        items: items.length,
        seconds: round(seconds),
        rps: Math.round(items.length / seconds),
        ocspLookups: (await lookups()) - before,
        all: { p50: round(pct(lat, 50)), p99: round(pct(lat, 99)) },
        signing: { p50: round(pct(sigLat, 50)), p99: round(pct(sigLat, 99)) },
        verdicts,
      };
      console.log(
        `ocsp: ${mode.padEnd(8)} ${p.rps.toLocaleString('en-US')} verifications/s; p50/p99 ${p.all.p50}/${p.all.p99} ms; 電子署名 p50/p99 ${p.signing.p50}/${p.signing.p99} ms; ${p.ocspLookups} OCSP lookups; verdicts ${JSON.stringify(verdicts)}`,
      );
      return p;
    };

    const crl = await phase('crl');
    const both = await phase('crl+ocsp');
    const result = {
      machine: machine(),
      note: 'One run on a machine shared with other work: the figures are indicative; compare the two phases of this run with each other only',
      items: n,
      concurrency,
      ocspShare: 0.05,
      phases: [crl, both],
      ratio: round(both.rps / crl.rps, 3),
      ocspWait: { lookups: waits.length, p50: round(pct(waits, 50)), p99: round(pct(waits, 99)), max: round(Math.max(...waits)) },
    };
    console.log(
      `ocsp: crl+ocsp (5% to the responder) runs at ${result.ratio} of crl; OCSP adds ${result.ocspWait.p50} ms (p50), ${result.ocspWait.p99} ms (p99) to each verification that asks it (${result.ocspWait.lookups} lookups timed)`,
    );
    writeResult('ocsp', result);
    return result;
  } finally {
    await local.close();
    responder.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
