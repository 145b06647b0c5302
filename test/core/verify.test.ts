import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/core/certificate.js';
import { basicFourInfo, checkProfile, JPKI, ProfileError } from '../../src/core/jpki.js';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { verifyAuthentication, verifyDocumentSignature, type CachedPath, type VerifyContext } from '../../src/core/verify.js';
import { cardSign, cardSignDigest } from '../../src/dev/sim/card.js';
import { issueEndEntity } from '../../src/dev/sim/jlis.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';

const pki = makeTestPki();
const ctx: VerifyContext = { anchors: pki.anchors };

describe('電子利用者証明 (authentication)', () => {
  const { der, key } = pki.issue({ purpose: 'authentication' });
  const challenge = randomBytes(32);
  const signature = cardSign(key.privateKey, challenge);

  it('accepts the card signature over the challenge and reports certificate facts', () => {
    const r = verifyAuthentication({ certificate: der, challenge, signature, time: NOW }, ctx);
    expect(r.verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { checked: false } });
    expect(r.certificate).toMatchObject({ kind: 'authentication', issuerGeneration: new Date(pki.root('auth-gen3').notBefore).getUTCFullYear() });
    expect(r.certificate?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a signature over another challenge, a flipped bit, a short signature', () => {
    expect(verifyAuthentication({ certificate: der, challenge: randomBytes(32), signature, time: NOW }, ctx).verdict.code).toBe('signature_invalid');
    const flipped = Uint8Array.from(signature);
    flipped[100] ^= 1;
    expect(verifyAuthentication({ certificate: der, challenge, signature: flipped, time: NOW }, ctx).verdict.code).toBe('signature_invalid');
    expect(verifyAuthentication({ certificate: der, challenge, signature: signature.subarray(1), time: NOW }, ctx).verdict.code).toBe('signature_invalid');
    expect(verifyAuthentication({ certificate: der, challenge, signature: new Uint8Array(0), time: NOW }, ctx).verdict.code).toBe('signature_invalid');
  });

  it('honours the digest algorithm the client used', () => {
    const sig384 = cardSign(key.privateKey, challenge, 'sha384');
    expect(verifyAuthentication({ certificate: der, challenge, signature: sig384, digestAlgorithm: 'sha384', time: NOW }, ctx).verdict.code).toBe('ok');
    expect(verifyAuthentication({ certificate: der, challenge, signature: sig384, time: NOW }, ctx).verdict.code).toBe('signature_invalid');
  });

  it('refuses a signing certificate used to log in', () => {
    const s = pki.issue({ purpose: 'signing' });
    const r = verifyAuthentication({ certificate: s.der, challenge, signature: cardSign(s.key.privateKey, challenge), time: NOW }, ctx);
    expect(r.verdict).toMatchObject({ code: 'wrong_certificate_type', depth: 0 });
  });

  it('refuses test-hierarchy certificates unless allowed', () => {
    const der2 = issueEndEntity({
      purpose: 'authentication',
      root: pki.testRoot,
      key: pki.keys[1],
      serial: 9n,
      person: pki.person(),
      notBefore: NOW - DAY,
      policy: JPKI.testPolicy,
    });
    const sig = cardSign(pki.keys[1].privateKey, challenge);
    expect(verifyAuthentication({ certificate: der2, challenge, signature: sig, time: NOW }, ctx).verdict.code).toBe('test_hierarchy');
    const testCtx: VerifyContext = { anchors: new CertificatePool([parseCertificate(pki.testRoot.cert)]), allowTestHierarchy: true };
    expect(verifyAuthentication({ certificate: der2, challenge, signature: sig, time: NOW }, testCtx).verdict.code).toBe('ok');
  });

  it('turns malformed DER into a typed verdict', () => {
    for (const bad of [new Uint8Array(0), randomBytes(50), der.subarray(0, 300)]) {
      expect(verifyAuthentication({ certificate: bad, challenge, signature, time: NOW }, ctx).verdict).toMatchObject({
        status: 'invalid',
        code: 'malformed_certificate',
      });
    }
  });

  it('expired and not-yet-valid certificates', () => {
    const old = pki.issue({ purpose: 'authentication', notBefore: NOW - 400 * DAY, notAfter: NOW - DAY });
    expect(verifyAuthentication({ certificate: old.der, challenge, signature: cardSign(old.key.privateKey, challenge), time: NOW }, ctx).verdict.code).toBe(
      'expired',
    );
    const future = pki.issue({ purpose: 'authentication', notBefore: NOW + DAY, notAfter: NOW + 400 * DAY });
    expect(
      verifyAuthentication({ certificate: future.der, challenge, signature: cardSign(future.key.privateKey, challenge), time: NOW }, ctx).verdict.code,
    ).toBe('not_yet_valid');
  });

  it('uses a path cache and never caches failures', () => {
    const store = new Map<string, CachedPath>();
    const cache = { get: (k: string) => store.get(k), set: (k: string, v: CachedPath) => void store.set(k, v) };
    const c2: VerifyContext = { ...ctx, pathCache: cache };
    expect(verifyAuthentication({ certificate: der, challenge, signature, time: NOW }, c2).verdict.code).toBe('ok');
    expect(store.size).toBe(1);
    expect([...store.values()][0].key?.asymmetricKeyType).toBe('rsa'); // the end-entity key rides along
    // A second verification uses the cached path and key, and still checks the signature.
    expect(verifyAuthentication({ certificate: der, challenge, signature, time: NOW }, c2).verdict.code).toBe('ok');
    expect(verifyAuthentication({ certificate: der, challenge: randomBytes(32), signature, time: NOW }, c2).verdict.code).toBe('signature_invalid');
    // A cached path is not used past the certificate's validity.
    const cert = parseCertificate(der);
    expect(verifyAuthentication({ certificate: der, challenge, signature, time: cert.notAfter + 2000 }, c2).verdict.code).toBe('expired');
    const old = pki.issue({ purpose: 'authentication', notBefore: NOW - 400 * DAY, notAfter: NOW - DAY });
    verifyAuthentication({ certificate: old.der, challenge, signature: cardSign(old.key.privateKey, challenge), time: NOW }, c2);
    expect(store.size).toBe(1);
  });

  it('a cached path is not used past its CRL nextUpdate: staleness is judged again', () => {
    const store = new Map<string, CachedPath>();
    const source = { kind: 'crl' as const, issuer: 'x', crlNumber: '01', thisUpdate: NOW - DAY, nextUpdate: NOW + DAY };
    const checker = { check: () => ({ status: 'good' as const, source }) };
    const c3: VerifyContext = {
      anchors: pki.anchors,
      revocation: { check: (_cert, _issuer, time) => (time > NOW + 2 * DAY ? { status: 'stale', source } : checker.check()) },
      pathCache: { get: (k) => store.get(k), set: (k, v) => void store.set(k, v) },
    };
    expect(verifyAuthentication({ certificate: der, challenge, signature, time: NOW }, c3).verdict.code).toBe('ok');
    expect(store.size).toBe(1);
    expect(verifyAuthentication({ certificate: der, challenge, signature, time: NOW + 3 * DAY }, c3).verdict.code).toBe('crl_stale');
  });
});

describe('電子署名 (document signature)', () => {
  const holder = pki.person();
  const { der, key } = pki.issue({ purpose: 'signing', person: holder });
  const doc = Buffer.from('住所変更届');

  it('verifies over data and over a digest, and decodes the 基本4情報', () => {
    const sig = cardSign(key.privateKey, doc);
    const r = verifyDocumentSignature({ certificate: der, data: doc, signature: sig, time: NOW }, ctx);
    expect(r.verdict.code).toBe('ok');
    expect(r.basicInfo).toMatchObject({ name: holder.name, address: holder.address, birthDate: { iso: holder.birthIso } });
    const digest = createHash('sha256').update(doc).digest();
    expect(
      verifyDocumentSignature({ certificate: der, digest, signature: cardSignDigest(key.privateKey, 'sha256', digest), time: NOW }, ctx).verdict.code,
    ).toBe('ok');
  });

  it('rejects a digest of the wrong length and a signature over other data', () => {
    const sig = cardSign(key.privateKey, doc);
    expect(verifyDocumentSignature({ certificate: der, digest: new Uint8Array(20), signature: sig, time: NOW }, ctx).verdict.code).toBe('digest_mismatch');
    expect(verifyDocumentSignature({ certificate: der, data: Buffer.from('別の文書'), signature: sig, time: NOW }, ctx).verdict.code).toBe('signature_invalid');
    expect(verifyDocumentSignature({ certificate: der, data: doc, signature: sig, time: NOW }, ctx).basicInfo).not.toBeNull();
  });

  it('returns no 基本4情報 when the verification fails', () => {
    const r = verifyDocumentSignature({ certificate: der, data: Buffer.from('x'), signature: cardSign(key.privateKey, doc), time: NOW }, ctx);
    expect(r.basicInfo).toBeNull();
  });

  it('refuses an authentication certificate for a document signature', () => {
    const a = pki.issue({ purpose: 'authentication' });
    expect(verifyDocumentSignature({ certificate: a.der, data: doc, signature: cardSign(a.key.privateKey, doc), time: NOW }, ctx).verdict.code).toBe(
      'wrong_certificate_type',
    );
  });
});

describe('JPKI profile', () => {
  it('decodes substitute-character flags per character', () => {
    const p = { ...pki.person(), name: '髙橋　一郎', nameFlags: '10000' };
    const { cert } = pki.issue({ purpose: 'signing', person: p });
    const info = basicFourInfo(cert);
    expect(info.nameSubstitutes).toEqual([true, false, false, false, false]);
    expect(info.hasSubstitutes).toBe(true);
  });

  it('counts characters, not UTF-16 units, for flags (𠮷 is one character)', () => {
    const p = { ...pki.person(), name: '𠮷田　花子', nameFlags: '10000' };
    expect(basicFourInfo(pki.issue({ purpose: 'signing', person: p }).cert).nameSubstitutes?.length).toBe(5);
  });

  it.each([
    ['flags of the wrong length', { nameFlags: '1' }, /flags/],
    ['an unknown era digit', { birthDate: '719900101' }, /era/],
    ['a date outside its era', { birthDate: '519800101' }, /outside its era/],
    ['a non-date', { birthDate: '420010230' }, /calendar/],
    ['a bad gender code', { gender: '3' }, /gender/],
  ])('rejects %s', (_, change, msg) => {
    const p = { ...pki.person(), ...change } as ReturnType<typeof pki.person>;
    const { cert } = pki.issue({ purpose: 'signing', person: p });
    expect(() => basicFourInfo(cert)).toThrow(ProfileError);
    expect(() => basicFourInfo(cert)).toThrow(msg);
  });

  it('checks key size, policy and key usage', () => {
    expect(checkProfile(pki.issue({ purpose: 'signing' }).cert, 'signing')).toBeNull();
    expect(checkProfile(pki.issue({ purpose: 'authentication' }).cert, 'signing')).toMatchObject({
      code: 'jpki_profile_violation',
      detail: expect.stringMatching(/policy/),
    });
  });
});
