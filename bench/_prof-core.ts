import { randomBytes } from 'node:crypto';
import { parseCertificate } from '../src/core/certificate.js';
import { CertificatePool } from '../src/core/cert-pool.js';
import { verifyAuthentication, type CachedPath } from '../src/core/verify.js';
import { cardSign } from '../src/dev/sim/card.js';
import { issueEndEntity, makeKeyPool, makeRoots } from '../src/dev/sim/jlis.js';
import { person, rng } from '../src/dev/sim/people.js';
const mode = process.argv[2] ?? 'fresh';
const now = Date.now();
const roots = makeRoots(now);
const root = roots.find((r) => r.label === 'auth-gen3')!;
const pool = makeKeyPool(8);
const r = rng(3);
const users = Number(process.env.USERS ?? 3000);
const certs: Uint8Array[] = [],
  ch: Uint8Array[] = [],
  sigs: Uint8Array[] = [];
for (let i = 0; i < users; i++) {
  const key = pool[i % pool.length];
  certs.push(issueEndEntity({ purpose: 'authentication', root, key, serial: BigInt(1_000_000 + i), person: person(r, now), notBefore: now - 86_400_000 }));
  const c = randomBytes(32);
  ch.push(c);
  sigs.push(cardSign(key.privateKey, c));
}
const anchors = new CertificatePool(roots.map((x) => parseCertificate(x.cert)));
const lru = new Map<string, CachedPath>();
const ctx =
  mode === 'cached' ? { anchors, pathCache: { get: (fp: string) => lru.get(fp), set: (fp: string, v: CachedPath) => void lru.set(fp, v) } } : { anchors };
for (let i = 0; i < users; i++) verifyAuthentication({ certificate: certs[i], challenge: ch[i], signature: sigs[i], time: now }, ctx);
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const sess = new Session();
sess.connect();
const post = (m: string, a?: object) => new Promise<any>((res, rej) => sess.post(m, a ?? {}, (e, r) => (e ? rej(e) : res(r))));
if (process.env.PROF) {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
}
const t0 = performance.now();
const c0 = process.cpuUsage();
const rounds = Number(process.argv[3] ?? 5);
for (let k = 0; k < rounds; k++)
  for (let i = 0; i < users; i++) {
    const v = verifyAuthentication({ certificate: certs[i], challenge: ch[i], signature: sigs[i], time: now }, ctx);
    if (v.verdict.status !== 'valid') throw new Error('x');
  }
const dt = performance.now() - t0;
if (process.env.PROF) {
  const { profile } = await post('Profiler.stop');
  writeFileSync(process.env.PROF, JSON.stringify(profile));
}
const cu = process.cpuUsage(c0);
console.log('cpu µs/op', ((cu.user + cu.system) / (rounds * users)).toFixed(1));
console.log(mode, Math.round((rounds * users) / (dt / 1000)), '/s', ((dt * 1000) / (rounds * users)).toFixed(1), 'µs');
