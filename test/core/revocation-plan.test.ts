// Which source decides (crl, ocsp, crl+ocsp), how a verification waits for OCSP, and how the
// answer settles it — pure, with a fixed time.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, parseCertificate } from '../../src/core/certificate.js';
import type { RevocationChecker } from '../../src/core/path.js';
import { CRL_PLAN, REVOCATION_MODES, decodePlan, encodePlan, settleOcsp, type OcspPending, type RevocationPlan } from '../../src/core/revocation-plan.js';
import type { CrlSource, OcspSource, RevocationStatus } from '../../src/core/verdict.js';
import { verifyAuthentication, verifyDocumentSignature, type VerifyContext } from '../../src/core/verify.js';
import { cardSign } from '../../src/dev/sim/card.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';

const pki = makeTestPki();
const crl: CrlSource = { kind: 'crl', issuer: 'auth-gen3', crlNumber: '07', thisUpdate: NOW - DAY, nextUpdate: NOW + DAY };
const ocsp: OcspSource = {
  kind: 'ocsp',
  responder: 'CN=OCSP Responder auth-gen3',
  url: 'http://ocsp.test/',
  producedAt: NOW,
  thisUpdate: NOW,
  nextUpdate: NOW + 3_600_000,
};
const index = (st: RevocationStatus): RevocationChecker & { asked: number } => {
  const c = { asked: 0, check: () => (c.asked++, st) };
  return c;
};
const plan = (mode: RevocationPlan['mode'], o: Partial<RevocationPlan> = {}): RevocationPlan => ({ mode, policy: 'hard-fail', escalate: false, ...o });

describe('plans', () => {
  it('every plan survives its byte, and no other byte decodes', () => {
    for (const mode of REVOCATION_MODES)
      for (const policy of ['hard-fail', 'soft-fail'] as const)
        for (const escalate of [false, true]) expect(decodePlan(encodePlan({ mode, policy, escalate }))).toEqual({ mode, policy, escalate });
    expect(decodePlan(3)).toBeNull();
    expect(decodePlan(16)).toBeNull();
    expect(encodePlan(CRL_PLAN)).toBe(0);
  });
});

describe('which source decides (authentication)', () => {
  const { der, key } = pki.issue({ purpose: 'authentication', ocspUrl: 'http://ocsp.test/' });
  const challenge = randomBytes(32);
  const signature = cardSign(key.privateKey, challenge);
  const run = (p: RevocationPlan, st: RevocationStatus, extra: Partial<VerifyContext> = {}) => {
    const idx = index(st);
    const r = verifyAuthentication(
      { certificate: der, challenge, signature, time: NOW },
      { anchors: pki.anchors, revocation: idx, revocationPlan: p, ...extra },
    );
    return { r, asked: idx.asked };
  };

  it('crl: the CRL decides, as before plans', () => {
    expect(run(plan('crl'), { status: 'good', source: crl }).r).toMatchObject({ verdict: { code: 'ok', revocation: { status: 'good', source: crl } } });
    expect(run(plan('crl'), { status: 'revoked', reason: 'keyCompromise', source: crl }).r.verdict.code).toBe('revoked');
    expect(run(plan('crl'), { status: 'stale', source: crl }).r.verdict.code).toBe('crl_stale');
    expect(run(plan('crl', { policy: 'soft-fail' }), { status: 'stale', source: crl }).r.verdict.code).toBe('ok');
    expect(run(plan('crl'), { status: 'good', source: crl }).r.pending).toBeUndefined();
  });

  it('ocsp: the CRL is not asked; the result waits for OCSP and is indeterminate until then', () => {
    const { r, asked } = run(plan('ocsp'), { status: 'revoked', source: crl });
    expect(asked).toBe(0);
    expect(r.verdict).toMatchObject({ status: 'indeterminate', code: 'ocsp_unavailable' });
    const issuer = parseCertificate(pki.root('auth-gen3').cert);
    expect(r.pending).toMatchObject({ target: { issuer: fingerprint(issuer), urls: ['http://ocsp.test/'], time: NOW }, policy: 'hard-fail', crl: null });
    expect(r.pending!.target.serial).toBe(parseCertificate(der).serialHex);
  });

  it('crl+ocsp: a CRL revocation is final; a current good CRL decides; stale or missing data goes to OCSP', () => {
    const revoked = run(plan('crl+ocsp'), { status: 'revoked', reason: 'keyCompromise', source: crl });
    expect(revoked.r).toMatchObject({ verdict: { code: 'revoked', revocation: { source: crl } } });
    expect(revoked.r.pending).toBeUndefined();
    expect(run(plan('crl+ocsp'), { status: 'good', source: crl }).r).toMatchObject({ verdict: { code: 'ok', revocation: { source: crl } } });
    expect(run(plan('crl+ocsp'), { status: 'stale', source: crl }).r.pending).toMatchObject({ crl: { status: 'stale', source: crl } });
    expect(run(plan('crl+ocsp'), { status: 'unknown' }).r.pending).toMatchObject({ crl: { status: 'unknown' } });
    // Escalated (a payment above the amount): OCSP even when the CRL is current.
    expect(run(plan('crl+ocsp', { escalate: true }), { status: 'good', source: crl }).r.pending).toMatchObject({ crl: { status: 'good', source: crl } });
  });

  it('a failed verification never waits for OCSP, and says revocation was not checked', () => {
    const idx = index({ status: 'good' });
    const r = verifyAuthentication(
      { certificate: der, challenge: randomBytes(32), signature, time: NOW },
      { anchors: pki.anchors, revocation: idx, revocationPlan: plan('ocsp') },
    );
    expect(r.verdict).toMatchObject({ code: 'signature_invalid', revocation: { checked: false } });
    expect(r.pending).toBeUndefined();
  });

  it('the path cache keeps one result per plan: a crl result never answers an ocsp verification', () => {
    const store = new Map();
    const pathCache = { get: (k: string) => store.get(k), set: (k: string, v: unknown) => void store.set(k, v) };
    expect(run(plan('crl'), { status: 'good', source: crl }, { pathCache }).r.verdict.code).toBe('ok');
    expect(run(plan('ocsp'), { status: 'good', source: crl }, { pathCache }).r.pending).toBeDefined();
    expect(run(plan('crl'), { status: 'good', source: crl }, { pathCache }).r.pending).toBeUndefined();
    expect(store.size).toBe(2);
  });
});

describe('電子署名 under crl+ocsp: always OCSP, and the 基本4情報 only with a valid verdict', () => {
  const { der, key } = pki.issue({ purpose: 'signing' });
  const data = new TextEncoder().encode('契約書');
  const r = verifyDocumentSignature(
    { certificate: der, data, signature: cardSign(key.privateKey, data), time: NOW },
    { anchors: pki.anchors, revocation: index({ status: 'good', source: crl }), revocationPlan: plan('crl+ocsp') },
  );
  it('waits for OCSP although the CRL is current, holding the 基本4情報 back', () => {
    expect(r.verdict.code).toBe('ocsp_unavailable');
    expect(r.basicInfo).toBeNull();
    expect(r.pending?.basicInfo?.name).toBeTruthy();
  });

  it('a good answer releases them; a revoked one does not', () => {
    const good = settleOcsp(r.pending!, { kind: 'answer', answer: { status: 'good', revokedAt: null, reason: null, source: ocsp } });
    expect(good.verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { checked: true, status: 'good', source: ocsp } });
    expect(good.basicInfo?.name).toBe(r.pending!.basicInfo!.name);
    const revoked = settleOcsp(r.pending!, { kind: 'answer', answer: { status: 'revoked', revokedAt: NOW - 60_000, reason: 'keyCompromise', source: ocsp } });
    expect(revoked.verdict).toMatchObject({
      status: 'invalid',
      code: 'revoked',
      depth: 0,
      revocation: { reason: 'keyCompromise', revokedAt: NOW - 60_000, source: ocsp },
    });
    expect(revoked.basicInfo).toBeNull();
  });
});

describe('settling', () => {
  const pending = (policy: RevocationPlan['policy'], said: OcspPending['crl']): OcspPending => ({
    target: { issuer: 'x', serial: '01', urls: [], time: NOW },
    policy,
    crl: said,
    basicInfo: null,
  });
  const timeout = { kind: 'failure', code: 'timeout', detail: 'no answer within 2000 ms' } as const;
  const unknown = { kind: 'answer', answer: { status: 'unknown', revokedAt: null, reason: null, source: ocsp } } as const;

  it('hard-fail: no answer is ocsp_unavailable naming why; unknown is revocation_unavailable', () => {
    expect(settleOcsp(pending('hard-fail', null), timeout).verdict).toMatchObject({
      status: 'indeterminate',
      code: 'ocsp_unavailable',
      revocation: { checked: true, status: 'unknown', failure: 'timeout' },
    });
    expect(settleOcsp(pending('hard-fail', { status: 'good', source: crl }), timeout).verdict.code).toBe('ocsp_unavailable');
    expect(settleOcsp(pending('hard-fail', null), unknown).verdict).toMatchObject({
      code: 'revocation_unavailable',
      revocation: { status: 'unknown', source: ocsp },
    });
  });

  it('soft-fail: no answer passes on what the CRL said, and says why', () => {
    expect(settleOcsp(pending('soft-fail', { status: 'stale', source: crl }), timeout).verdict).toMatchObject({
      status: 'valid',
      revocation: { status: 'stale', source: crl, failure: 'timeout' },
    });
    expect(settleOcsp(pending('soft-fail', null), timeout).verdict).toMatchObject({ status: 'valid', revocation: { status: 'unknown', failure: 'timeout' } });
    expect(settleOcsp(pending('soft-fail', null), unknown).verdict).toMatchObject({ status: 'valid', revocation: { status: 'unknown', source: ocsp } });
  });
});
