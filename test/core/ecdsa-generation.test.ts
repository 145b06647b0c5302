// The ECDSA P-384 generation (the next-generation card) through the core: the profile, the gate
// (VerifyContext.acceptEcdsa), the card's signature over a challenge, a document and a digest,
// certificate and CRL signatures, revocation, the path cache.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OID } from '../../src/core/algorithms.js';
import { parseCertificate } from '../../src/core/certificate.js';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { loadCrl } from '../../src/core/crl-load.js';
import * as w from '../../src/core/der-writer.js';
import { checkProfile, keyGeneration } from '../../src/core/jpki.js';
import { assembleSet } from '../../src/core/revocation-assembly.js';
import { IndexRevocationChecker } from '../../src/core/revocation-lookup.js';
import { verifyAuthentication, verifyDocumentSignature, type CachedPath, type VerifyContext } from '../../src/core/verify.js';
import { cardSign, cardSignDigest } from '../../src/dev/sim/card.js';
import { writeCrl } from '../../src/dev/sim/crl-writer.js';
import { endEntitySpec, issueCertificate, keyIdentifier, rootName, rootSpec, spkiOf } from '../../src/dev/sim/issue.js';
import { issueEndEntity, type PoolKey, type RootCA } from '../../src/dev/sim/jlis.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';

const pki = makeTestPki();
const ctx: VerifyContext = { anchors: pki.allAnchors, acceptEcdsa: true };
const YEAR = 365.25 * DAY;
const challenge = randomBytes(32);

function poolKey(curve: string): PoolKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const spki = spkiOf(publicKey);
  return { privateKey, spki, keyId: keyIdentifier(spki) };
}

describe('the simulated fourth generation', () => {
  it('has P-384 roots signing with ecdsa-with-SHA384 under the J-LIS DNs, valid 20 years', () => {
    for (const r of pki.ecRoots) {
      const c = parseCertificate(r.cert);
      expect(c.spki.algorithm.oid).toBe(OID.ecPublicKey);
      expect(c.signatureAlgorithm.oid).toBe(OID.ecdsaSha384);
      expect(c.signatureAlgorithm.params).toBeNull();
      expect(Buffer.from(c.subject.der).equals(Buffer.from(rootName(r.purpose)))).toBe(true);
      expect((c.notAfter - c.notBefore) / YEAR).toBeCloseTo(20, 1);
    }
  });

  it('issues 10-year holder certificates (until the 10th birthday after issue)', () => {
    const { cert } = pki.issue({ purpose: 'authentication', root: 'auth-gen4' });
    expect(keyGeneration(cert)).toBe('ecdsa-p384');
    const years = (cert.notAfter - cert.notBefore) / YEAR;
    expect(years).toBeGreaterThan(9);
    expect(years).toBeLessThanOrEqual(10);
    const rsa = pki.issue({ purpose: 'authentication' }).cert;
    expect(keyGeneration(rsa)).toBe('rsa-2048');
    expect((rsa.notAfter - rsa.notBefore) / YEAR).toBeLessThanOrEqual(5);
  });
});

describe('電子利用者証明 with a P-384 card', () => {
  const { der, key } = pki.issue({ purpose: 'authentication', root: 'auth-gen4' });
  const signature = cardSign(key.privateKey, challenge); // SHA-384, DER

  it('verifies under the gen-4 root, chosen among the generations sharing its DN', () => {
    const r = verifyAuthentication({ certificate: der, challenge, signature, time: NOW }, ctx);
    expect(r.verdict).toMatchObject({ status: 'valid', code: 'ok' });
    expect(r.certificate).toMatchObject({ kind: 'authentication', issuerGeneration: new Date(pki.root('auth-gen4').notBefore).getUTCFullYear() });
    expect(verifyAuthentication({ certificate: der, challenge, signature, digestAlgorithm: 'sha384', time: NOW }, ctx).verdict.code).toBe('ok');
  });

  it('is refused unless the verifier accepts the ECDSA generation; RSA cards are unaffected', () => {
    const off = verifyAuthentication({ certificate: der, challenge, signature, time: NOW }, { anchors: pki.allAnchors });
    expect(off.verdict).toMatchObject({ status: 'invalid', code: 'unsupported_algorithm', depth: 0 });
    expect(off.verdict.detail).toMatch(/ECDSA/);
    const rsa = pki.issue({ purpose: 'authentication' });
    const ok = verifyAuthentication(
      { certificate: rsa.der, challenge, signature: cardSign(rsa.key.privateKey, challenge), time: NOW },
      { anchors: pki.allAnchors },
    );
    expect(ok.verdict.code).toBe('ok');
  });

  it('accepts SHA-384 only', () => {
    for (const hash of ['sha256', 'sha512'] as const) {
      const r = verifyAuthentication(
        { certificate: der, challenge, signature: cardSign(key.privateKey, challenge, hash), digestAlgorithm: hash, time: NOW },
        ctx,
      );
      expect(r.verdict, hash).toMatchObject({ code: 'unsupported_algorithm' });
    }
  });

  it('refuses another challenge or a changed signature as signature_invalid', () => {
    expect(verifyAuthentication({ certificate: der, challenge: randomBytes(32), signature, time: NOW }, ctx).verdict.code).toBe('signature_invalid');
    const bad = Uint8Array.from(signature);
    bad[bad.length - 1] ^= 1; // the last octet of s: still DER
    expect(verifyAuthentication({ certificate: der, challenge, signature: bad, time: NOW }, ctx).verdict.code).toBe('signature_invalid');
  });

  it('refuses a value that is not a DER ECDSA-Sig-Value as malformed_signature', () => {
    const rsaSized = randomBytes(256);
    const trailing = Uint8Array.from([...signature, 0]);
    for (const sig of [rsaSized, trailing, signature.subarray(0, signature.length - 1), new Uint8Array(0)]) {
      expect(verifyAuthentication({ certificate: der, challenge, signature: sig, time: NOW }, ctx).verdict).toMatchObject({
        code: 'malformed_signature',
        depth: 0,
      });
    }
  });

  it('reuses the cached path and key for a repeat holder', () => {
    const lru = new Map<string, CachedPath>();
    const cached: VerifyContext = { ...ctx, pathCache: { get: (fp) => lru.get(fp), set: (fp, v) => void lru.set(fp, v) } };
    expect(verifyAuthentication({ certificate: der, challenge, signature, time: NOW }, cached).verdict.code).toBe('ok');
    const entry = [...lru.values()][0];
    expect(entry.key?.asymmetricKeyType).toBe('ec');
    expect(verifyAuthentication({ certificate: der, challenge, signature, time: NOW }, cached).verdict.code).toBe('ok');
    expect([...lru.values()][0]).toBe(entry);
    expect(verifyAuthentication({ certificate: der, challenge: randomBytes(8), signature, time: NOW }, cached).verdict.code).toBe('signature_invalid');
  });
});

describe('電子署名 with a P-384 card', () => {
  const { der, key } = pki.issue({ purpose: 'signing', root: 'sign-gen4' });
  const doc = Buffer.from('契約書: next-generation card');
  const digest = createHash('sha384').update(doc).digest();

  it('verifies over the document (OpenSSL) and over its digest (the card signs the digest)', () => {
    const overData = verifyDocumentSignature({ certificate: der, data: doc, signature: cardSign(key.privateKey, doc), time: NOW }, ctx);
    expect(overData.verdict.code).toBe('ok');
    expect(overData.basicInfo?.name).toBeTruthy();
    const sig = cardSignDigest(key.privateKey, 'sha384', digest);
    const overDigest = verifyDocumentSignature({ certificate: der, digest, signature: sig, time: NOW }, ctx);
    expect(overDigest.verdict.code).toBe('ok');
    expect(verifyDocumentSignature({ certificate: der, data: doc, signature: sig, time: NOW }, ctx).verdict.code).toBe('ok');
  });

  it('refuses a wrong digest, a short digest, a digest under another hash', () => {
    const sig = cardSignDigest(key.privateKey, 'sha384', digest);
    const other = Uint8Array.from(digest);
    other[0] ^= 1;
    expect(verifyDocumentSignature({ certificate: der, digest: other, signature: sig, time: NOW }, ctx).verdict.code).toBe('signature_invalid');
    expect(verifyDocumentSignature({ certificate: der, digest: digest.subarray(0, 32), signature: sig, time: NOW }, ctx).verdict.code).toBe('digest_mismatch');
    const d256 = createHash('sha256').update(doc).digest();
    expect(
      verifyDocumentSignature(
        { certificate: der, digest: d256, digestAlgorithm: 'sha256', signature: cardSignDigest(key.privateKey, 'sha256', d256), time: NOW },
        ctx,
      ).verdict.code,
    ).toBe('unsupported_algorithm');
    expect(verifyDocumentSignature({ certificate: der, digest, signature: randomBytes(96), time: NOW }, ctx).verdict.code).toBe('malformed_signature');
  });
});

describe('the profile of the ECDSA generation', () => {
  const verdictOf = (der: Uint8Array, key: PoolKey, anchors = pki.allAnchors) =>
    verifyAuthentication({ certificate: der, challenge, signature: cardSign(key.privateKey, challenge), time: NOW }, { anchors, acceptEcdsa: true }).verdict;

  it('a P-256 card key is weak_key, a P-521 one unsupported_algorithm', () => {
    const p256 = poolKey('prime256v1');
    expect(verdictOf(pki.issue({ purpose: 'authentication', root: 'auth-gen4', holderKey: p256 }).der, p256)).toMatchObject({ code: 'weak_key' });
    const p521 = poolKey('secp521r1');
    expect(verdictOf(pki.issue({ purpose: 'authentication', root: 'auth-gen4', holderKey: p521 }).der, p521)).toMatchObject({ code: 'unsupported_algorithm' });
  });

  it('a P-384 key signed with ecdsa-with-SHA256, or by an RSA root, is unsupported_algorithm', () => {
    const root = pki.root('auth-gen4');
    const key = pki.ecKeys[0];
    const spec = endEntitySpec({
      purpose: 'authentication',
      serial: 0x4242n,
      issuer: root.name,
      issuerKeyId: root.keyId,
      subjectCN: 'SHA256',
      notBefore: NOW - DAY,
      notAfter: NOW + YEAR,
      spki: key.spki,
      spkiKeyId: key.keyId,
      partition: '13101',
    });
    const sha256 = issueCertificate({ ...spec, signatureAlgorithm: w.seq(w.oid(OID.ecdsaSha256)), hash: 'sha256' }, root.key);
    expect(checkProfile(parseCertificate(sha256), 'authentication')).toMatchObject({
      code: 'unsupported_algorithm',
      detail: expect.stringMatching(/ecdsa-with-SHA384/),
    });
    expect(verdictOf(sha256, key).code).toBe('unsupported_algorithm');
    const underRsa = pki.issue({ purpose: 'authentication', root: 'auth-gen3', holderKey: key });
    expect(verdictOf(underRsa.der, key).code).toBe('unsupported_algorithm');
  });

  it('an RSA card key under the ECDSA root breaks the RSA profile (sha256WithRSAEncryption)', () => {
    const rsaKey = pki.keys[0];
    const cert = pki.issue({ purpose: 'authentication', root: 'auth-gen4', holderKey: rsaKey });
    expect(verdictOf(cert.der, rsaKey)).toMatchObject({ code: 'jpki_profile_violation', detail: expect.stringMatching(/sha256WithRSAEncryption/) });
  });

  it('a P-384 certificate under a trusted P-256 root is weak_key at the root', () => {
    const k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const spki = spkiOf(k.publicKey);
    const nb = Math.floor((NOW - YEAR) / 1000) * 1000;
    const na = Math.floor((NOW + 10 * YEAR) / 1000) * 1000;
    const cert = issueCertificate(rootSpec('authentication', spki, 77n, nb, na), k.privateKey);
    const weakRoot: RootCA = {
      purpose: 'authentication',
      generation: 4,
      label: 'auth-p256',
      cert,
      key: k.privateKey,
      keyId: keyIdentifier(spki),
      name: rootName('authentication'),
      notBefore: nb,
      notAfter: na,
    };
    const holder = pki.ecKeys[1];
    const der = issueEndEntity({ purpose: 'authentication', root: weakRoot, key: holder, serial: 78n, person: pki.person(), notBefore: NOW - DAY });
    expect(verdictOf(der, holder, new CertificatePool([parseCertificate(cert)]))).toMatchObject({ code: 'weak_key', depth: 1 });
  });

  it('a certificate whose ECDSA signature value is not DER is malformed_signature', () => {
    const { cert, key } = pki.issue({ purpose: 'authentication', root: 'auth-gen4' });
    const sig = cert.signature;
    // Re-encode the signature's r with a superfluous leading zero: the same numbers, not DER.
    const rLen = sig[3];
    const r = sig.subarray(4, 4 + rLen);
    const rest = sig.subarray(4 + rLen);
    const bad = w.seq(w.tlv(0x02, Uint8Array.from([0, ...r])), rest);
    const der = w.seq(cert.tbs, cert.signatureAlgorithm.der, w.bitString(bad));
    expect(verdictOf(der, key)).toMatchObject({ code: 'malformed_signature', depth: 0 });
  });
});

describe('ECDSA CRLs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ecdsa-crl-'));
  const root = pki.root('auth-gen4');
  const anchors = pki.allAnchors.certificates();
  const revoked = pki.issue({ purpose: 'authentication', root: 'auth-gen4', serial: 0x5a5a01n });
  const good = pki.issue({ purpose: 'authentication', root: 'auth-gen4', serial: 0x5a5a02n });
  let n = 0;
  const crl = (spec: Partial<Parameters<typeof writeCrl>[1]> = {}): Uint8Array => {
    const path = join(tmp, `c${n++}.crl`);
    writeCrl(path, {
      issuerName: root.name,
      issuerKeyId: root.keyId,
      issuerKey: root.key,
      thisUpdate: NOW - DAY,
      nextUpdate: NOW + DAY,
      crlNumber: 7n,
      entries: [{ serial: Uint8Array.from([0x5a, 0x5a, 0x01]), revokedAt: NOW - 2 * DAY, reason: 1 }],
      bulk: { count: 5000, serialLength: 8, serial: (i, out) => out.set([0x7e, 0, 0, 0, 0, 0, i >> 8, i & 255]) },
      ...spec,
    });
    return new Uint8Array(readFileSync(path));
  };

  it('are signed with ecdsa-with-SHA384, checked from the streamed digest (the TBS is not kept), and revoke', () => {
    const der = crl();
    const loaded = loadCrl('ec', [der.subarray(0, 1000), der.subarray(1000)], anchors);
    if (!loaded.ok) throw new Error(`${loaded.rejection}: ${loaded.detail}`);
    expect(loaded.crl.info.signatureAlgorithm.oid).toBe(OID.ecdsaSha384);
    expect(loaded.crl.info.tbs).toBeNull();
    expect(loaded.crl.info.tbsDigest?.hash).toBe('sha384');
    expect(Buffer.from(loaded.crl.signer.der).equals(Buffer.from(root.cert))).toBe(true);
    const { set } = assembleSet([loaded.crl], 1, NOW);
    const checked: VerifyContext = { ...ctx, revocation: new IndexRevocationChecker(() => set) };
    const auth = (h: typeof good) =>
      verifyAuthentication({ certificate: h.der, challenge, signature: cardSign(h.key.privateKey, challenge), time: NOW }, checked);
    expect(auth(revoked).verdict).toMatchObject({ code: 'revoked', revocation: { checked: true, reason: 'keyCompromise' } });
    expect(auth(good).verdict).toMatchObject({ code: 'ok', revocation: { checked: true, status: 'good' } });
  });

  it('with a bad signature are refused; with a malformed one too, as malformed_crl', () => {
    expect(loadCrl('bad', [crl({ badSignature: true })], anchors)).toMatchObject({ ok: false, rejection: 'crl_signature_invalid' });
    const der = crl();
    // The signature is the last 102 octets (SEQUENCE of two 48-octet INTEGERs): make r's tag wrong.
    const bad = Uint8Array.from(der);
    expect(bad[bad.length - 102]).toBe(0x30);
    bad[bad.length - 100] = 0x04;
    expect(loadCrl('malformed', [bad], anchors)).toMatchObject({ ok: false, rejection: 'malformed_crl' });
  });

  it('from an RSA root are not accepted in the name of the ECDSA one (selection by key)', () => {
    const rsaRoot = pki.root('auth-gen3');
    const der = crl({ issuerKey: rsaRoot.key }); // names gen-4's key id, signed by gen 3
    expect(loadCrl('swap', [der], anchors)).toMatchObject({ ok: false, rejection: 'crl_signature_invalid' });
  });
});
