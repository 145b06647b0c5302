// Core benchmark (single thread): parse + JPKI profile + path validation + signature check of
// distinct simulated authentication certificates, beside crypto.verify alone and beside an
// X509Certificate-based verifier doing the same two RSA checks, in the same run. Then the ECDSA
// P-384 generation (the next-generation card) the same way, fresh and path-cached, beside
// OpenSSL's own P-384 verify rate.
import { X509Certificate, createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { parseCertificate } from '../src/core/certificate.js';
import { CertificatePool } from '../src/core/cert-pool.js';
import { verifyAuthentication, type CachedPath, type VerifyContext } from '../src/core/verify.js';
import { checkDigest, importPublicKey } from '../src/core/signature.js';
import { cardSign } from '../src/dev/sim/card.js';
import { issueEndEntity, makeEcKeyPool, makeEcdsaRoots, makeKeyPool, makeRoots } from '../src/dev/sim/jlis.js';
import { person, rng } from '../src/dev/sim/people.js';
import { VerifiedTable } from '../src/core/verified-table.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { machine, measure, printTable, writeResult, type Measurement } from './harness.js';
import { simulateCacheMix } from './cache-mix.js';
import { sweepYoungGeneration } from './gc-young.js';
import { opensslSpeed, opensslVerify } from './http-load.js';

/** `openssl speed ecdsap384` verifies per second. */
const opensslEcdsaP384Verify = (): number => opensslSpeed('ecdsap384', /ecdsa \(nistp384\)/);

/** The P-384 generation: distinct authentication certificates under auth-gen4, the card signing
 *  with SHA-384. P-384 verifies cost ~30× an RSA-2048 verify in OpenSSL 3.0, so fewer users. */
function benchP384(users: number, rounds: number, now: number): { rows: Measurement[]; openssl: number } {
  console.log(`core: issuing ${users} distinct P-384 authentication certificates …`);
  const roots = makeEcdsaRoots(now);
  const root = roots.find((r) => r.label === 'auth-gen4')!;
  const pool = makeEcKeyPool(8);
  const r = rng(4);
  const certs: Uint8Array[] = [];
  const challenges: Uint8Array[] = [];
  const sigs: Uint8Array[] = [];
  for (let i = 0; i < users; i++) {
    const key = pool[i % pool.length];
    certs.push(issueEndEntity({ purpose: 'authentication', root, key, serial: BigInt(2_000_000 + i), person: person(r, now), notBefore: now - 86_400_000 }));
    const ch = randomBytes(32);
    challenges.push(ch);
    sigs.push(cardSign(key.privateKey, ch));
  }
  const anchors = new CertificatePool([...makeRoots(now), ...roots].map((x) => parseCertificate(x.cert)));
  const ctx: VerifyContext = { anchors, acceptEcdsa: true };
  for (let i = 0; i < users; i++) {
    const v = verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, ctx).verdict;
    if (v.code !== 'ok') throw new Error(`setup: P-384 certificate ${i} did not verify: ${v.code}`);
  }
  const fresh = measure('P-384 jpki-verify: parse + path + 2 ECDSA verifies', users, rounds, (i) => {
    if (verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, ctx).verdict.status !== 'valid') {
      throw new Error('unexpected verdict');
    }
  });
  const lru = new Map<string, CachedPath>();
  const cachedCtx: VerifyContext = { ...ctx, pathCache: { get: (fp) => lru.get(fp), set: (fp, v) => void lru.set(fp, v) } };
  for (let i = 0; i < users; i++) verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, cachedCtx);
  const cached = measure('P-384 jpki-verify, path cached: 1 ECDSA verify', users, rounds, (i) => {
    if (verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, cachedCtx).verdict.status !== 'valid') {
      throw new Error('unexpected verdict');
    }
  });
  const rootPub = new X509Certificate(Buffer.from(root.cert)).publicKey;
  const parsed = certs.map((c) => parseCertificate(c));
  const floor = measure('P-384 crypto floor: CA verify + EE SPKI import + verify', users, rounds, (i) => {
    const c = parsed[i];
    if (!verify('sha384', c.tbs, rootPub, c.signature)) throw new Error('CA verify failed');
    const ee = createPublicKey({ key: Buffer.from(c.spki.der), format: 'der', type: 'spki' });
    if (!verify('sha384', challenges[i], ee, sigs[i])) throw new Error('EE verify failed');
  });
  const fixedKey = createPublicKey(pool[0].privateKey);
  const cryptoOnly = measure('P-384 crypto.verify alone (KeyObject made once)', users, rounds, (i) => {
    if (!verify('sha384', challenges[i], fixedKey, sigs[i]) && i % pool.length === 0) throw new Error('crypto.verify failed');
  });
  // The card's digest (電子署名 over a digest) and streamed ECDSA CRLs take core/ecdsa.ts (BigInt).
  const keys = parsed.map((c) => importPublicKey(c.spki));
  const digests = challenges.map((ch) => createHash('sha384').update(ch).digest());
  const overDigest = measure('P-384 over a digest (core/ecdsa.ts, key made once)', users, Math.max(1, Math.min(rounds, 2)), (i) => {
    if (checkDigest({ kind: 'ecdsa', hash: 'sha384' }, keys[i], digests[i], sigs[i]) !== 'valid') throw new Error('digest verify failed');
  });
  return { rows: [fresh, cached, floor, cryptoOnly, overDigest], openssl: opensslEcdsaP384Verify() };
}

export async function benchCore(opts: { users?: number; rounds?: number; p384Users?: number } = {}): Promise<Record<string, unknown>> {
  const users = opts.users ?? 5000;
  const rounds = opts.rounds ?? 5;
  const p384Users = opts.p384Users ?? Math.min(users, 500);
  const now = Date.now();
  console.log(`core: issuing ${users} distinct authentication certificates …`);
  const roots = makeRoots(now);
  const root = roots.find((r) => r.label === 'auth-gen3')!;
  const pool = makeKeyPool(8);
  const r = rng(3);
  const certs: Uint8Array[] = [];
  const challenges: Uint8Array[] = [];
  const sigs: Uint8Array[] = [];
  for (let i = 0; i < users; i++) {
    const key = pool[i % pool.length];
    certs.push(issueEndEntity({ purpose: 'authentication', root, key, serial: BigInt(1_000_000 + i), person: person(r, now), notBefore: now - 86_400_000 }));
    const ch = randomBytes(32);
    challenges.push(ch);
    sigs.push(cardSign(key.privateKey, ch));
  }
  const anchors = new CertificatePool(roots.map((x) => parseCertificate(x.cert)));
  const ctx = { anchors };

  // Sanity: every verification in the timed loop is a real success.
  for (let i = 0; i < users; i++) {
    const v = verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, ctx).verdict;
    if (v.code !== 'ok') throw new Error(`setup: certificate ${i} did not verify: ${v.code}`);
  }

  const ours = measure('jpki-verify: parse + path + 2 RSA verifies', users, rounds, (i) => {
    const v = verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, ctx);
    if (v.verdict.status !== 'valid') throw new Error('unexpected verdict');
  });

  const rootX = new X509Certificate(Buffer.from(root.cert));
  const rootPub = rootX.publicKey; // KeyObject made once
  const fixedKey = createPublicKey(pool[0].privateKey);
  const cryptoOnly = measure('crypto.verify alone (RSA-2048, KeyObject made once)', users, rounds, (i) => {
    if (!verify('sha256', challenges[i], fixedKey, sigs[i]) && i % pool.length === 0) throw new Error('crypto.verify failed');
  });

  // The least any verifier must do per fresh certificate: CA→cert verify with the CA key cached,
  // then import the end-entity key (PKCS#1, the fast form) and verify the challenge signature.
  const parsedCerts = certs.map((c) => parseCertificate(c));
  const floor = measure('crypto floor: CA verify + EE PKCS#1 import + verify', users, rounds, (i) => {
    const c = parsedCerts[i];
    if (!verify('sha256', c.tbs, rootPub, c.signature)) throw new Error('CA verify failed');
    const ee = createPublicKey({ key: Buffer.from(c.spki.publicKey), format: 'der', type: 'pkcs1' });
    if (!verify('sha256', challenges[i], ee, sigs[i])) throw new Error('EE verify failed');
  });

  const x509 = measure('X509Certificate: parse + cert.verify + crypto.verify', users, rounds, (i) => {
    const c = new X509Certificate(Buffer.from(certs[i].buffer, certs[i].byteOffset, certs[i].byteLength));
    if (!c.verify(rootPub)) throw new Error('X509Certificate.verify failed');
    if (!verify('sha256', challenges[i], c.publicKey, sigs[i])) throw new Error('signature failed');
  });

  // The same verifications with the path cache warm (repeat cardholders): one RSA verify remains.
  const lru = new Map<string, CachedPath>();
  const cachedCtx = { anchors, pathCache: { get: (fp: string) => lru.get(fp), set: (fp: string, v: CachedPath) => void lru.set(fp, v) } };
  for (let i = 0; i < users; i++) verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, cachedCtx);
  const cached = measure('jpki-verify, path cached (repeat holders): 1 RSA verify', users, rounds, (i) => {
    const v = verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, cachedCtx);
    if (v.verdict.status !== 'valid') throw new Error('unexpected verdict');
  });

  // A certificate another pool thread checked: this thread's path cache is cold, the shared
  // verified-certificate table vouches for the path (parse, table, revocation step, one RSA verify).
  const table = VerifiedTable.attach(VerifiedTable.allocate(users * 16, anchors.certificates()), anchors.certificates());
  for (let i = 0; i < users; i++)
    verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, { anchors, verified: table });
  table.hits = 0;
  const tableHit = measure('jpki-verify, verified-table hit (another thread checked it)', users, rounds, (i) => {
    const v = verifyAuthentication({ certificate: certs[i], challenge: challenges[i], signature: sigs[i], time: now }, { anchors, verified: table });
    if (v.verdict.status !== 'valid') throw new Error('unexpected verdict');
  });
  if (table.hits < users * rounds * 0.99) throw new Error(`verified table: ${table.hits} hits in ${users * rounds} lookups`);
  const memory = pathCacheMemory(certs, challenges, sigs, anchors, now);
  console.log(
    `path cache: ${memory.heapBytesPerEntry} B heap + ${memory.externalBytesPerEntry} B external per entry (RSS ${memory.rssBytesPerEntry} B, native key included); verified table: 40 B per entry, shared`,
  );
  console.log('core: simulating the caches over 10M cards (Zipf s=1, 2 threads) …');
  const mix = simulateCacheMix(anchors.certificates());
  console.log(
    `cache mix: path cache ${(mix.pathCacheHit * 100).toFixed(1)}%, verified table ${(mix.tableHit * 100).toFixed(1)}%, full check ${(mix.fullCheck * 100).toFixed(1)}%: ${mix.verifiesPerRequest.toFixed(3)} RSA verifies per request (${mix.verifiesPerRequestWithoutTable.toFixed(3)} without the table)`,
  );

  console.log('core: young-generation sizes of a pool thread …');
  const youngGeneration = await sweepYoungGeneration({ roots: roots.map((x) => x.cert), certs, challenges, sigs, now });

  const p384 = benchP384(p384Users, rounds, now);
  const rows = [ours, cached, tableHit, floor, cryptoOnly, x509, ...p384.rows];
  printTable(rows);
  // The limit: OpenSSL's own RSA-2048 verify rate on this machine, in the same run.
  const ssl1 = opensslVerify(1);
  const ssl2 = opensslVerify(2);
  console.log(`openssl speed rsa2048 verify: ${Math.round(ssl1).toLocaleString('en-US')}/s on 1 core, ${Math.round(ssl2).toLocaleString('en-US')}/s on 2`);
  const ratios = {
    oursVsCryptoFloor: ours.median / floor.median,
    oursVsCryptoCeiling: ours.median / (cryptoOnly.median / 2), // our work needs two verifies
    // One verify remains on a path-cache hit: against crypto.verify alone (target ≥ 0.85).
    cachedVsCryptoVerify: cached.median / cryptoOnly.median,
    tableHitVsCryptoVerify: tableHit.median / cryptoOnly.median,
    oursVsX509Certificate: ours.median / x509.median,
    // A fresh certificate needs 2 verifies, a cached path 1: fractions of what OpenSSL allows.
    oursVsOpenssl1Core: ours.median / (ssl1 / 2),
    cachedVsOpenssl1Core: cached.median / ssl1,
    // The next-generation card beside today's, same run, same thread.
    p384FreshVsRsaFresh: p384.rows[0].median / ours.median,
    p384CachedVsRsaCached: p384.rows[1].median / cached.median,
    p384VsCryptoFloor: p384.rows[0].median / p384.rows[2].median,
    p384VsOpenssl1Core: p384.rows[0].median / (p384.openssl / 2),
    p384CachedVsOpenssl1Core: p384.rows[1].median / p384.openssl,
  };
  console.log(`ratio ours / crypto floor for the same work:              ${ratios.oursVsCryptoFloor.toFixed(2)}`);
  console.log(`ratio ours / (crypto.verify ÷ 2, the two-verify ceiling): ${ratios.oursVsCryptoCeiling.toFixed(2)}`);
  console.log(`ratio ours / X509Certificate-based:                     ${ratios.oursVsX509Certificate.toFixed(2)}×`);
  console.log(
    `ratio ours / OpenSSL 1-core limit (2 verifies):          ${ratios.oursVsOpenssl1Core.toFixed(2)}; path cached / (1 verify): ${ratios.cachedVsOpenssl1Core.toFixed(2)}`,
  );
  console.log(`openssl speed ecdsap384 verify: ${Math.round(p384.openssl).toLocaleString('en-US')}/s on 1 core`);
  console.log(
    `P-384 / RSA-2048: fresh ${ratios.p384FreshVsRsaFresh.toFixed(3)}, path cached ${ratios.p384CachedVsRsaCached.toFixed(3)}; P-384 ours / crypto floor ${ratios.p384VsCryptoFloor.toFixed(2)}; / OpenSSL 1-core limit: fresh ${ratios.p384VsOpenssl1Core.toFixed(2)}, cached ${ratios.p384CachedVsOpenssl1Core.toFixed(2)}`,
  );
  const result = {
    benchmark: 'core',
    machine: machine(),
    users,
    rounds,
    measurements: rows,
    p384Users,
    openssl: { verify1: ssl1, verify2: ssl2, ecdsaP384Verify1: p384.openssl },
    ratios,
    memory,
    cacheMix: mix,
    youngGeneration,
    at: new Date().toISOString(),
  };
  console.log(`wrote ${writeResult('core', result)}`);
  return result;
}

/** Memory one path-cache entry holds (heap, external DER, and RSS with the native key), measured
 *  over `certs.length` entries after forced collections. */
function pathCacheMemory(
  certs: Uint8Array[],
  challenges: Uint8Array[],
  sigs: Uint8Array[],
  anchors: CertificatePool,
  now: number,
): { entries: number; heapBytesPerEntry: number; externalBytesPerEntry: number; rssBytesPerEntry: number } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // As a pool thread sees them: certificates are views into one packed task buffer.
  const batch = new Uint8Array(certs.reduce((n, c) => n + c.length, 0));
  let at = 0;
  const views = certs.map((c) => {
    batch.set(c, at);
    at += c.length;
    return batch.subarray(at - c.length, at);
  });
  const lru = new Map<string, CachedPath>();
  const ctx: VerifyContext = { anchors, pathCache: { get: (fp) => lru.get(fp), set: (fp, v) => void lru.set(fp, v) } };
  gc();
  gc();
  const m0 = process.memoryUsage();
  for (let i = 0; i < views.length; i++) verifyAuthentication({ certificate: views[i], challenge: challenges[i], signature: sigs[i], time: now }, ctx);
  gc();
  gc();
  const m1 = process.memoryUsage();
  const per = (a: number, b: number): number => Math.round((b - a) / lru.size);
  return {
    entries: lru.size,
    heapBytesPerEntry: per(m0.heapUsed, m1.heapUsed),
    externalBytesPerEntry: per(m0.external, m1.external),
    rssBytesPerEntry: per(m0.rss, m1.rss),
  };
}
