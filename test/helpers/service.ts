// A running service for HTTP tests: its own simulated J-LIS with CRLs, two tenants, captured
// logs and a clock the test can move.
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseCertificate } from '../../src/core/certificate.js';
import { validateConfig, type Config } from '../../src/config/config.js';
import { startService, type Service } from '../../src/app/service.js';
import { cardSign } from '../../src/dev/sim/card.js';
import { initPki, issueEndEntity, openPki, type Holder, type PkiDir, type RootCA } from '../../src/dev/sim/jlis.js';
import { publishCrls } from '../../src/dev/sim/jlis-crl.js';
import { serveOcsp, type OcspServer } from '../../src/dev/sim/ocsp-responder.js';
import { person, rng } from '../../src/dev/sim/people.js';
import { keyIdentifier, spkiOf } from '../../src/dev/sim/issue.js';

export const T0 = Date.parse('2026-11-24T12:00:00Z');
export const KEY_A = 'tenant-a-key-0123456789';
export const KEY_B = 'tenant-b-key-9876543210';
export const WEBHOOK_SECRET_A = 'whsec-tenant-a-test';
/** Holders a1…a6 revoked with reason codes 1…6, a7 with unspecified (0). */
export const REVOKED: Record<string, number> = { a1: 1, a2: 2, a3: 3, a4: 4, a5: 5, a6: 6, a7: 0 };
/** With `ecdsa`: P-384 holders a-ec0…a-ec5 and s-ec0…s-ec2; a-ec1 revoked (keyCompromise), s-ec1
 *  revoked (affiliationChanged). */
export const REVOKED_ECDSA: Record<string, number> = { 'a-ec1': 1, 's-ec1': 3 };

export interface TestService {
  svc: Service;
  config: Config;
  url: string;
  pki: PkiDir;
  dir: string;
  logs: string[];
  clock: { now: number };
  /** The simulated J-LIS OCSP responder (opts.ocsp), on the test's clock; ocsp.url points at it. */
  ocsp: OcspServer | null;
  holder(id: string): Holder;
  post(
    path: string,
    body: unknown,
    opts?: { key?: string | null; contentType?: string; raw?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  challenge(key?: string): Promise<{ challengeId: string; challenge: Buffer }>;
  authBody(h: Holder, ch: { challengeId: string; challenge: Buffer }, tamper?: boolean): Record<string, string>;
  rootCA(label: string): RootCA;
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A simulated J-LIS in a new folder: roots in `trust/`, the day's CRLs in `crl/`, 60
 *  authentication and 10 signing holders; REVOKED are revoked. `ecdsa`: P-384 holders as well. */
export function makeTestPki(t0 = T0, opts: { ecdsa?: boolean } = {}): { dir: string; pki: PkiDir; holder(id: string): Holder } {
  const dir = mkdtempSync(join(tmpdir(), 'svc-'));
  const ec = opts.ecdsa ? { ecdsaAuthUsers: 6, ecdsaSigningUsers: 3 } : {};
  initPki({ dir, now: t0, authUsers: 60, signingUsers: 10, testUsers: 2, poolSize: 2, seed: 5, ...ec });
  publishCrls({ dir, now: t0, revokedShare: 0, revoke: opts.ecdsa ? { ...REVOKED, ...REVOKED_ECDSA } : REVOKED });
  const pki = openPki(dir);
  const all = [...pki.holders('authentication'), ...pki.holders('signing'), ...pki.holders('test')];
  return { dir, pki, holder: (id) => all.find((h) => h.id === id)! };
}

/** The body of an authentication: the holder's certificate and card signature over a challenge. */
export function authBodyFor(pki: PkiDir, h: Holder, ch: { challengeId: string; challenge: Buffer }, tamper = false): Record<string, string> {
  const sig = cardSign(pki.keys[h.key], ch.challenge);
  if (tamper) sig[10] ^= 1;
  return { certificate: Buffer.from(h.cert).toString('base64'), challengeId: ch.challengeId, signature: Buffer.from(sig).toString('base64') };
}

export async function startTestService(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  opts: { t0?: number; ecdsa?: boolean; acceptEcdsa?: boolean; ocsp?: boolean } = {},
): Promise<TestService> {
  const t0 = opts.t0 ?? T0;
  const { dir, pki, holder } = makeTestPki(t0, { ecdsa: opts.ecdsa });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const clock = { now: t0 + 60_000 };
  const ocsp = opts.ocsp ? await serveOcsp({ dir, port: 0, clock: () => clock.now }) : null;
  const config = validateConfig({
    port: 0,
    logLevel: 'debug',
    // Every answer of every test is checked against the documented contract (/openapi.json).
    http: { logProbes: false, checkResponses: true },
    trust: { roots: [join(dir, 'trust')], allowTestHierarchy: false, acceptEcdsa: opts.acceptEcdsa ?? opts.ecdsa ?? false },
    crl: { sources: [join(dir, 'crl')], cacheDir: join(dir, 'cache'), refreshIntervalSec: 3600, graceSec: 3600, retries: 1, backoffMs: 0 },
    pool: { threads: 2, batchSize: 16, batchDelayUs: 200, maxPending: 5000, concurrentTasksPerWorker: 2, pathCacheSize: 1000 },
    database: { url: null, dir: ':memory:', poolSize: 8, timeoutMs: 3000 },
    tenants: [
      { id: 'a', apiKeySha256: sha(KEY_A), basicInfo: true, webhookSecret: WEBHOOK_SECRET_A, linkedCards: true },
      { id: 'b', apiKeySha256: sha(KEY_B), basicInfo: false },
    ],
    ...(ocsp && { ocsp: { url: ocsp.url } }),
    ...overrides,
  });
  const svc = await startService(config, { logDestination: sink, clock: () => clock.now });
  const url = svc.url;
  const post: TestService['post'] = async (path, body, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
    const key = opts.key === undefined ? KEY_A : opts.key;
    if (key) headers['x-api-key'] = key;
    const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: opts.raw ?? JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* non-JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    svc,
    config,
    url,
    pki,
    dir,
    logs,
    clock,
    ocsp,
    holder,
    post,
    async challenge(key = KEY_A) {
      const r = await post('/v1/challenges', {}, { key });
      return { challengeId: r.body.challengeId, challenge: Buffer.from(r.body.challenge, 'base64') };
    },
    authBody: (h, ch, tamper = false) => authBodyFor(pki, h, ch, tamper),
    rootCA(label) {
      const cert = parseCertificate(pki.rootCert(label));
      return {
        purpose: label.startsWith('sign') ? 'signing' : 'authentication',
        generation: 3,
        label,
        cert: pki.rootCert(label),
        key: pki.rootKey(label),
        keyId: cert.extensions.subjectKeyId!,
        name: cert.subject.der,
        notBefore: cert.notBefore,
        notAfter: cert.notAfter,
      };
    },
  };
}

/** An end-entity certificate made for a test (expired, not yet valid …) under a PKI's root. */
export function extraCertificate(t: TestService, o: { notBefore: number; notAfter: number; serial: bigint; key?: number }): { cert: Uint8Array; key: number } {
  const key = o.key ?? 0;
  const spki = spkiOf(createPublicKey(t.pki.keys[key]));
  const poolKey = { privateKey: t.pki.keys[key], spki, keyId: keyIdentifier(spki) };
  const cert = issueEndEntity({
    purpose: 'authentication',
    root: t.rootCA('auth-gen3'),
    key: poolKey,
    serial: o.serial,
    person: person(rng(1), T0),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
  });
  return { cert, key };
}
