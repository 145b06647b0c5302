// The ECDSA P-384 generation (the next-generation card) over real HTTP, through the piscina pool
// (workers/verify.ts, packed tasks) and the CRL feed: accepted when trust.acceptEcdsa is on,
// refused with a typed verdict when it is off; RSA cards unaffected either way. The simulated
// card's signatures are also checked with @noble/curves, so the service is not judged only by the
// implementation it shares code with.
import { createHash, randomBytes } from 'node:crypto';
import { p384 } from '@noble/curves/nist.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/core/certificate.js';
import { cardSign, cardSignDigest } from '../../src/dev/sim/card.js';
import { KEY_B, REVOKED_ECDSA, T0, startTestService, type TestService } from '../helpers/service.js';

let t: TestService;
let off: TestService;

beforeAll(async () => {
  [t, off] = await Promise.all([startTestService({}, { ecdsa: true }), startTestService({}, { ecdsa: true, acceptEcdsa: false })]);
});
afterAll(async () => {
  await Promise.all([t?.svc.close(), off?.svc.close()]);
});

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const doc = Buffer.from('転居届 (next-generation card) 2026-11-24');

/** The holder's public point, as noble takes it. */
function pointOf(svc: TestService, id: string): Uint8Array {
  const spki = parseCertificate(svc.holder(id).cert).spki;
  return spki.publicKey;
}

async function auth(svc: TestService, id: string, sign = (c: Buffer) => cardSign(svc.pki.keys[svc.holder(id).key], c), extra: Record<string, unknown> = {}) {
  const ch = await svc.challenge();
  const signature = sign(ch.challenge);
  return svc.post('/v1/verify/auth', { certificate: b64(svc.holder(id).cert), challengeId: ch.challengeId, signature: b64(signature), ...extra });
}

describe('trust.acceptEcdsa on', () => {
  it('POST /v1/verify/auth: a P-384 card verifies, path to the gen-4 root, CRL checked', async () => {
    const r = await auth(t, 'a-ec0');
    expect(r.status).toBe(200);
    expect(r.body.verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { status: 'good', source: { crlNumber: '01' } } });
    expect(r.body.certificate).toMatchObject({ kind: 'authentication', serial: t.holder('a-ec0').serial });
    const gen4 = parseCertificate(t.pki.rootCert('auth-gen4'));
    expect(r.body.certificate.issuerGeneration).toBe(new Date(gen4.notBefore).getUTCFullYear());
    // 10-year certificate, not 5.
    const years = (Date.parse(r.body.certificate.notAfter) - Date.parse(r.body.certificate.notBefore)) / (365.25 * 86_400_000);
    expect(years).toBeGreaterThan(9);
  });

  it('the card signature the service accepted also verifies with @noble/curves; a changed one fails in both', async () => {
    const h = t.holder('a-ec2');
    const ch = await t.challenge();
    const sig = cardSign(t.pki.keys[h.key], ch.challenge);
    expect(p384.verify(sig, ch.challenge, pointOf(t, 'a-ec2'), { lowS: false, format: 'der' })).toBe(true);
    const ok = await t.post('/v1/verify/auth', { certificate: b64(h.cert), challengeId: ch.challengeId, signature: b64(sig) });
    expect(ok.body.verdict.code).toBe('ok');
    const bad = Uint8Array.from(sig);
    bad[bad.length - 2] ^= 4;
    expect(p384.verify(bad, ch.challenge, pointOf(t, 'a-ec2'), { lowS: false, format: 'der' })).toBe(false);
    const r = await auth(t, 'a-ec2', () => bad);
    expect(r.body.verdict).toMatchObject({ status: 'invalid', code: 'signature_invalid' });
  });

  it('a signature noble made with the card key verifies in the service', async () => {
    const h = t.holder('a-ec3');
    const jwk = t.pki.keys[h.key].export({ format: 'jwk' });
    const sk = Buffer.from(jwk.d!, 'base64url');
    const r = await auth(t, 'a-ec3', (c) => p384.sign(c, sk, { lowS: false, format: 'der' }));
    expect(r.body.verdict.code).toBe('ok');
  });

  it('a revoked P-384 holder is refused with the reason from the gen-4 CRL', async () => {
    const r = await auth(t, 'a-ec1');
    expect(r.body.verdict).toMatchObject({
      status: 'invalid',
      code: 'revoked',
      depth: 0,
      revocation: { status: 'revoked', reason: 'keyCompromise', source: { crlNumber: '01', thisUpdate: new Date(Math.floor(T0 / 1000) * 1000).toISOString() } },
    });
    expect(REVOKED_ECDSA['a-ec1']).toBe(1);
  });

  it('a value that is not a DER ECDSA-Sig-Value is a typed 400 malformed_signature', async () => {
    const r = await auth(t, 'a-ec4', () => randomBytes(96));
    expect(r).toMatchObject({ status: 400, body: { code: 'malformed_signature' } });
  });

  it('SHA-384 only: naming another hash is unsupported_algorithm', async () => {
    const key = t.pki.keys[t.holder('a-ec4').key];
    const r = await auth(t, 'a-ec4', (c) => cardSign(key, c, 'sha256'), { digestAlgorithm: 'sha256' });
    expect(r.body.verdict).toMatchObject({ status: 'invalid', code: 'unsupported_algorithm' });
    const named = await auth(t, 'a-ec4', (c) => cardSign(key, c), { digestAlgorithm: 'sha384' });
    expect(named.body.verdict.code).toBe('ok');
  });

  it('POST /v1/verify/signature over the document and over its SHA-384 digest, 基本4情報 to the entitled tenant', async () => {
    const s = t.holder('s-ec0');
    const key = t.pki.keys[s.key];
    const overData = await t.post('/v1/verify/signature', { certificate: b64(s.cert), data: b64(doc), signature: b64(cardSign(key, doc)) });
    expect(overData.body.verdict.code).toBe('ok');
    expect(overData.body.basicInfo).toMatchObject({ name: expect.any(String), address: expect.any(String) });
    const digest = createHash('sha384').update(doc).digest();
    const sig = cardSignDigest(key, 'sha384', digest);
    expect(p384.verify(sig, digest, pointOf(t, 's-ec0'), { prehash: false, lowS: false, format: 'der' })).toBe(true);
    const overDigest = await t.post('/v1/verify/signature', { certificate: b64(s.cert), digest: b64(digest), signature: b64(sig) }, { key: KEY_B });
    expect(overDigest.body.verdict.code).toBe('ok');
    expect(overDigest.body.basicInfo).toBeUndefined();
    const wrong = Uint8Array.from(digest);
    wrong[47] ^= 1;
    expect((await t.post('/v1/verify/signature', { certificate: b64(s.cert), digest: b64(wrong), signature: b64(sig) })).body.verdict.code).toBe(
      'signature_invalid',
    );
    expect(await t.post('/v1/verify/signature', { certificate: b64(s.cert), digest: b64(digest.subarray(0, 32)), signature: b64(sig) })).toMatchObject({
      status: 400,
      body: { code: 'digest_mismatch' },
    });
  });

  it('a P-384 signing certificate revoked after a move (affiliationChanged) is refused', async () => {
    const s = t.holder('s-ec1');
    const r = await t.post('/v1/verify/signature', { certificate: b64(s.cert), data: b64(doc), signature: b64(cardSign(t.pki.keys[s.key], doc)) });
    expect(r.body.verdict).toMatchObject({ code: 'revoked', revocation: { reason: 'affiliationChanged' } });
  });

  it('POST /v1/verify/batch mixes RSA and P-384 cards, each answered in order', async () => {
    const items = [];
    for (const id of ['a20', 'a-ec0', 'a-ec1', 'a21', 'a-ec5']) {
      const h = t.holder(id);
      const ch = await t.challenge();
      items.push({ type: 'auth', certificate: b64(h.cert), challengeId: ch.challengeId, signature: b64(cardSign(t.pki.keys[h.key], ch.challenge)) });
    }
    const s = t.holder('s-ec2');
    items.push({ type: 'signature', certificate: b64(s.cert), data: b64(doc), signature: b64(cardSign(t.pki.keys[s.key], doc)) });
    const r = await t.post('/v1/verify/batch', { items });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { verdict: { code: string } }) => x.verdict.code)).toEqual(['ok', 'ok', 'revoked', 'ok', 'ok', 'ok']);
  });

  it('repeat holders hit the workers’ path cache and still verify', async () => {
    const hits = async (): Promise<number> =>
      Number(/jpki_path_cache_lookups_total\{result="hit"\} (\d+)/.exec(await (await fetch(`${t.url}/metrics`)).text())?.[1] ?? 0);
    const before = await hits();
    for (let i = 0; i < 6; i++) expect((await auth(t, 'a-ec5')).body.verdict.code).toBe('ok');
    expect(await hits()).toBeGreaterThan(before);
  });
});

describe('trust.acceptEcdsa off (the default)', () => {
  it('a P-384 card is refused with a typed verdict; RSA cards still verify', async () => {
    const r = await auth(off, 'a-ec0');
    expect(r.status).toBe(200);
    expect(r.body.verdict).toMatchObject({ status: 'invalid', code: 'unsupported_algorithm', depth: 0, detail: expect.stringMatching(/ECDSA/) });
    const s = off.holder('s-ec0');
    const sig = await off.post('/v1/verify/signature', { certificate: b64(s.cert), data: b64(doc), signature: b64(cardSign(off.pki.keys[s.key], doc)) });
    expect(sig.body.verdict.code).toBe('unsupported_algorithm');
    expect(sig.body.basicInfo ?? null).toBeNull();
    expect((await auth(off, 'a10')).body.verdict.code).toBe('ok');
  });
});
