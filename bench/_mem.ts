import { randomBytes } from 'node:crypto';
import { parseCertificate } from '../src/core/certificate.js';
import { CertificatePool } from '../src/core/cert-pool.js';
import { verifyAuthentication, type CachedPath } from '../src/core/verify.js';
import { cardSign } from '../src/dev/sim/card.js';
import { issueEndEntity, makeKeyPool, makeRoots } from '../src/dev/sim/jlis.js';
import { person, rng } from '../src/dev/sim/people.js';
const now = Date.now();
const roots = makeRoots(now);
const root = roots.find((r) => r.label === 'auth-gen3')!;
const pool = makeKeyPool(8);
const r = rng(3);
const users = 5000;
const certs: Uint8Array[] = [],
  ch: Uint8Array[] = [],
  sigs: Uint8Array[] = [];
const packed = new Uint8Array(users * 2000);
for (let i = 0; i < users; i++) {
  const key = pool[i % pool.length];
  const der = issueEndEntity({ purpose: 'authentication', root, key, serial: BigInt(1_000_000 + i), person: person(r, now), notBefore: now - 86_400_000 });
  packed.set(der, i * 2000);
  certs.push(packed.subarray(i * 2000, i * 2000 + der.length)); // as a worker sees them: views into a batch
  const c = randomBytes(32);
  ch.push(c);
  sigs.push(cardSign(key.privateKey, c));
}
const anchors = new CertificatePool(roots.map((x) => parseCertificate(x.cert)));
const lru = new Map<string, CachedPath>();
const ctx = { anchors, pathCache: { get: (fp: string) => lru.get(fp), set: (fp: string, v: CachedPath) => void lru.set(fp, v) } };
const gc = (globalThis as any).gc as () => void;
gc();
gc();
const m0 = process.memoryUsage();
for (let i = 0; i < users; i++) verifyAuthentication({ certificate: certs[i], challenge: ch[i], signature: sigs[i], time: now }, ctx);
gc();
gc();
const m1 = process.memoryUsage();
console.log(
  'entries',
  lru.size,
  'heap/entry',
  Math.round((m1.heapUsed - m0.heapUsed) / lru.size),
  'external/entry',
  Math.round((m1.external - m0.external) / lru.size),
  'rss/entry',
  Math.round((m1.rss - m0.rss) / lru.size),
);
