// One pool-like thread of the young-generation sweep (bench/gc-young.ts): fresh authentication
// verifications for a while, with V8's GC pauses counted from inside the thread.
import { PerformanceObserver } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { parseCertificate } from '../src/core/certificate.js';
import { CertificatePool } from '../src/core/cert-pool.js';
import { verifyAuthentication } from '../src/core/verify.js';

const d = workerData as { roots: Uint8Array[]; certs: Uint8Array[]; challenges: Uint8Array[]; sigs: Uint8Array[]; now: number; rounds: number };
const anchors = new CertificatePool(d.roots.map((r) => parseCertificate(r)));
let gcMs = 0;
let scavenges = 0;
let markSweeps = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === 1) scavenges++;
    else markSweeps++;
  }
});
obs.observe({ entryTypes: ['gc'] });
const one = (i: number): void => {
  const v = verifyAuthentication({ certificate: d.certs[i], challenge: d.challenges[i], signature: d.sigs[i], time: d.now }, { anchors });
  if (v.verdict.status !== 'valid') throw new Error('unexpected verdict');
};
for (let i = 0; i < Math.min(500, d.certs.length); i++) one(i); // warm-up
await new Promise((r) => setTimeout(r, 10));
gcMs = scavenges = markSweeps = 0;
const t0 = performance.now();
for (let r = 0; r < d.rounds; r++) for (let i = 0; i < d.certs.length; i++) one(i);
const ms = performance.now() - t0;
await new Promise((r) => setTimeout(r, 10)); // the observer reports asynchronously
const n = d.rounds * d.certs.length;
parentPort!.postMessage({ opsPerSec: n / (ms / 1000), gcUsPerOp: (gcMs * 1000) / n, scavengesPer1000: (scavenges * 1000) / n, markSweeps });
