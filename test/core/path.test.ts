import { describe, expect, it } from 'vitest';
import { parseCertificate, type Certificate } from '../../src/core/certificate.js';
import * as w from '../../src/core/der-writer.js';
import { EXT } from '../../src/core/extensions.js';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { validatePath, type RevocationChecker } from '../../src/core/path.js';
import { rank, VERDICT_CODES, type RevocationStatus } from '../../src/core/verdict.js';
import { endEntitySpec, issueCertificate } from '../../src/dev/sim/issue.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';

const pki = makeTestPki();
const opts = { time: NOW, anchors: pki.anchors };

describe('path building across J-LIS root generations', () => {
  it('finds the generation that issued the certificate by key', () => {
    for (const label of ['auth-gen2', 'auth-gen3']) {
      const { cert } = pki.issue({ purpose: 'authentication', root: label, notBefore: NOW - 100 * DAY });
      const res = validatePath(cert, opts);
      expect(res.verdict.code).toBe('ok');
      expect(res.path?.[1].der).toEqual(pki.root(label).cert);
    }
  });

  it('backtracks over same-DN roots when the certificate has no key identifier', () => {
    const root = pki.root('auth-gen2');
    const key = pki.keys[0];
    const spec = endEntitySpec({
      purpose: 'authentication',
      serial: 77n,
      issuer: root.name,
      issuerKeyId: root.keyId,
      subjectCN: 'X',
      notBefore: NOW - DAY,
      notAfter: NOW + DAY,
      spki: key.spki,
      spkiKeyId: key.keyId,
      partition: '01100',
    });
    // Drop the AKI: every generation is a candidate and only signatures tell them apart.
    const noAki = { ...spec, extensions: spec.extensions.filter((_, i) => i !== 3) };
    const cert = parseCertificate(issueCertificate(noAki, root.key));
    expect(cert.extensions.authorityKeyId).toBeNull();
    expect(pki.anchors.issuersOf(cert).length).toBe(3);
    const res = validatePath(cert, opts);
    // The path is found (profile rule then rejects the missing AKI — both facts matter).
    expect(res.verdict.code).toBe('profile_violation');
    expect(res.verdict.detail).toMatch(/authorityKeyIdentifier/);
  });

  it('reports unknown_issuer when no anchor carries the name', () => {
    const { cert } = pki.issue({ purpose: 'authentication' });
    const onlySigning = new CertificatePool(pki.roots.filter((r) => r.purpose === 'signing').map((r) => parseCertificate(r.cert)));
    expect(validatePath(cert, { time: NOW, anchors: onlySigning }).verdict.code).toBe('unknown_issuer');
  });

  it('reports cert_signature_invalid when the right name has the wrong key', () => {
    const { cert } = pki.issue({ purpose: 'authentication', root: 'auth-gen3' });
    const others = new CertificatePool(pki.roots.filter((r) => r.label === 'auth-gen2').map((r) => parseCertificate(r.cert)));
    // The AKI does not match gen2's SKI, so gen2 is not even a candidate.
    expect(validatePath(cert, { time: NOW, anchors: others }).verdict.code).toBe('unknown_issuer');
    const tampered = Uint8Array.from(cert.der);
    tampered[tampered.length - 5] ^= 0x40;
    expect(validatePath(parseCertificate(tampered), opts).verdict.code).toBe('cert_signature_invalid');
  });

  it('checks validity at the given time, to the second', () => {
    const { cert } = pki.issue({ purpose: 'authentication', notBefore: NOW - 10 * DAY, notAfter: NOW + 10 * DAY });
    expect(validatePath(cert, { ...opts, time: cert.notAfter }).verdict.code).toBe('ok');
    expect(validatePath(cert, { ...opts, time: cert.notAfter + 999 }).verdict.code).toBe('ok'); // floored
    expect(validatePath(cert, { ...opts, time: cert.notAfter + 1000 }).verdict).toMatchObject({ code: 'expired', depth: 0 });
    expect(validatePath(cert, { ...opts, time: cert.notBefore - 1 }).verdict).toMatchObject({ code: 'not_yet_valid', depth: 0 });
  });

  it('rejects a path through an expired root generation', () => {
    const g1 = pki.root('auth-gen1');
    const { cert } = pki.issue({ purpose: 'authentication', root: 'auth-gen1', notBefore: g1.notBefore + DAY, notAfter: g1.notAfter });
    expect(validatePath(cert, opts).verdict).toMatchObject({ code: 'expired' });
    expect(validatePath(cert, { ...opts, time: g1.notBefore + 2 * DAY }).verdict.code).toBe('ok');
  });

  it('enforces the signature budget', () => {
    const { cert } = pki.issue({ purpose: 'authentication' });
    expect(validatePath(cert, { ...opts, budget: { signatures: 0 } }).verdict.code).toBe('budget_exceeded');
  });

  it('requires an explicit policy when asked, and reports which', () => {
    const { cert } = pki.issue({ purpose: 'authentication' });
    expect(validatePath(cert, { ...opts, initialPolicies: ['1.2.3'], requireExplicitPolicy: true }).verdict.code).toBe('policy_not_acceptable');
  });

  it('rejects an unknown critical extension on the end entity', () => {
    const root = pki.root('auth-gen3');
    const key = pki.keys[0];
    const spec = endEntitySpec({
      purpose: 'authentication',
      serial: 78n,
      issuer: root.name,
      issuerKeyId: root.keyId,
      subjectCN: 'X',
      notBefore: NOW - DAY,
      notAfter: NOW + DAY,
      spki: key.spki,
      spkiKeyId: key.keyId,
      partition: '01100',
    });
    const der = issueCertificate({ ...spec, extensions: [...spec.extensions, w.extension('1.3.6.1.4.1.99999.1', true, w.nullValue())] }, root.key);
    expect(validatePath(parseCertificate(der), opts).verdict).toMatchObject({ code: 'unknown_critical_extension', depth: 0 });
  });
});

describe('revocation as a pluggable step', () => {
  const { cert } = pki.issue({ purpose: 'authentication' });
  const source = { kind: 'crl' as const, issuer: 'auth-gen3', crlNumber: '2a', thisUpdate: NOW - DAY, nextUpdate: NOW + DAY };
  const checker = (st: RevocationStatus): RevocationChecker & { seen: Certificate[] } => {
    const seen: Certificate[] = [];
    return { seen, check: (c) => (seen.push(c), st) };
  };

  it('a revoked certificate is invalid and the verdict names reason, date and CRL', () => {
    const rc = checker({ status: 'revoked', reason: 'keyCompromise', revokedAt: NOW - 5 * DAY, source });
    const v = validatePath(cert, { ...opts, revocation: rc }).verdict;
    expect(v).toMatchObject({ status: 'invalid', code: 'revoked', depth: 0 });
    expect(v.revocation).toMatchObject({ checked: true, status: 'revoked', reason: 'keyCompromise', source });
    expect(rc.seen).toEqual([cert]);
  });

  it('a good status is reported with its source', () => {
    const v = validatePath(cert, { ...opts, revocation: checker({ status: 'good', source }) }).verdict;
    expect(v).toMatchObject({ code: 'ok', revocation: { checked: true, status: 'good', source } });
  });

  it('stale data fails closed by default and passes when soft-fail is chosen', () => {
    const rc = checker({ status: 'stale', source });
    expect(validatePath(cert, { ...opts, revocation: rc }).verdict).toMatchObject({ status: 'indeterminate', code: 'crl_stale' });
    expect(validatePath(cert, { ...opts, revocation: rc, revocationPolicy: 'soft-fail' }).verdict).toMatchObject({
      status: 'valid',
      revocation: { status: 'stale' },
    });
    expect(validatePath(cert, { ...opts, revocation: checker({ status: 'unknown' }) }).verdict.code).toBe('revocation_unavailable');
  });

  it('without a checker the verdict says revocation was not checked', () => {
    expect(validatePath(cert, opts).verdict.revocation).toEqual({ checked: false });
  });
});

describe('verdict codes', () => {
  it('rank revocation and signature failures above path-finding failures', () => {
    expect(rank('revoked')).toBeGreaterThan(rank('unknown_issuer'));
    expect(rank('expired')).toBeGreaterThan(rank('cert_signature_invalid'));
    for (const [code, [status, r, doc]] of Object.entries(VERDICT_CODES)) {
      expect(['valid', 'invalid', 'indeterminate']).toContain(status);
      expect(r).toBeGreaterThanOrEqual(0);
      expect(doc.length, code).toBeGreaterThan(10);
    }
  });
  it('EXT table has no duplicate OIDs', () => {
    const oids = Object.values(EXT);
    expect(new Set(oids).size).toBe(oids.length);
  });
});
