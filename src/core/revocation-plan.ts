// Which revocation source decides a verification (revocation.mode, per tenant and route), and how
// an OCSP answer settles a verdict that waited for it.
//   crl       the CRL index alone (stale or missing data: policy decides);
//   ocsp      OCSP alone;
//   crl+ocsp  the CRL index first; a revocation there is final. OCSP decides when the CRL data is
//             stale or missing, for 電子署名 always, and when the shell escalates (a payment above
//             revocation.ocspAboveAmount).
// Where OCSP must decide, the checker answers 'pending'; the verification completes everything
// else and returns an OcspPending, which the shell settles with the answer (settleOcsp). Until
// then the verdict is ocsp_unavailable: a shell that never asks fails closed.
import type { BasicFourInfo, Purpose } from './jpki.js';
import type { OcspAnswer } from './ocsp-check.js';
import { OCSP_FAILURES, type OcspFailure } from './ocsp-failure.js';
import type { RevocationChecker } from './path.js';
import { verdict, type CrlSource, type RevocationPolicy, type RevocationReport, type RevocationStatus, type Verdict } from './verdict.js';

export const REVOCATION_MODES = ['crl', 'ocsp', 'crl+ocsp'] as const;
export type RevocationMode = (typeof REVOCATION_MODES)[number];

/** What one verification asks of revocation. */
export interface RevocationPlan {
  readonly mode: RevocationMode;
  /** When the source that must decide gives no usable answer: indeterminate, or pass. */
  readonly policy: RevocationPolicy;
  /** crl+ocsp: ask OCSP even when the CRL is current (a payment above the configured amount). */
  readonly escalate: boolean;
}

/** Today's behaviour, and the plan of callers that name none. */
export const CRL_PLAN: RevocationPlan = Object.freeze({ mode: 'crl', policy: 'hard-fail', escalate: false });

/** A plan as one byte (packed tasks carry it): mode in bits 0–1, soft-fail bit 2, escalate bit 3. */
export function encodePlan(p: RevocationPlan): number {
  return REVOCATION_MODES.indexOf(p.mode) | (p.policy === 'soft-fail' ? 4 : 0) | (p.escalate ? 8 : 0);
}

/** The plan of a byte from encodePlan; null for a byte no plan encodes to. */
export function decodePlan(b: number): RevocationPlan | null {
  const mode = REVOCATION_MODES[b & 3];
  if (!mode || b > 15) return null;
  return { mode, policy: b & 4 ? 'soft-fail' : 'hard-fail', escalate: (b & 8) !== 0 };
}

/** Whether OCSP decides, given what the CRL index said. */
function ocspDecides(plan: RevocationPlan, purpose: Purpose, crl: RevocationStatus['status']): boolean {
  if (plan.mode === 'ocsp') return true;
  if (plan.mode === 'crl' || crl === 'revoked') return false;
  return crl !== 'good' || plan.escalate || purpose === 'signing';
}

/**
 * The revocation step of one verification under `plan`: `index` is the CRL index checker (absent
 * when no CRL data is configured). Under crl without an index, revocation is not checked, as
 * before plans existed.
 */
export function plannedChecker(index: RevocationChecker | undefined, plan: RevocationPlan, purpose: Purpose): RevocationChecker | undefined {
  if (plan.mode === 'crl') return index;
  return {
    // Under ocsp the answer (pending) never depends on CRL data; under crl+ocsp it is the index's.
    dataVersion: plan.mode === 'ocsp' ? 'ocsp' : index ? index.dataVersion : 'no-crl',
    check(cert, issuer, time): RevocationStatus {
      const crl: RevocationStatus = plan.mode === 'ocsp' ? { status: 'pending' } : (index?.check(cert, issuer, time) ?? { status: 'unknown' });
      if (!ocspDecides(plan, purpose, crl.status)) return crl;
      // The CRL's own answer rides along: under soft-fail it stands when OCSP gives none.
      const said = crl.status === 'good' || crl.status === 'stale' ? crl.status : 'unknown';
      return { status: 'pending', source: crl.source, crl: plan.mode === 'ocsp' ? undefined : said };
    },
  };
}

/** What the shell needs to ask OCSP about a certificate (no personal data beyond the serial,
 *  which never leaves the process except to the responder). */
export interface OcspTarget {
  /** SHA-256 fingerprint of the issuing CA's certificate (a trust anchor). */
  readonly issuer: string;
  /** The certificate's serial: hex of the INTEGER contents. */
  readonly serial: string;
  /** OCSP responder URLs from the certificate's authorityInfoAccess. */
  readonly urls: readonly string[];
  /** The verification time. */
  readonly time: number;
}

/** A verification that waits for OCSP: everything else checked out. */
export interface OcspPending {
  readonly target: OcspTarget;
  readonly policy: RevocationPolicy;
  /** What the CRL index said (crl+ocsp), or null when it was not asked. */
  readonly crl: { readonly status: 'good' | 'stale' | 'unknown'; readonly source?: CrlSource } | null;
  /** 電子署名: the 基本4情報, released only with a valid verdict. */
  readonly basicInfo: BasicFourInfo | null;
}

/** An OCSP lookup's result for one certificate: an answer, or why there is none. */
export type OcspOutcome =
  { readonly kind: 'answer'; readonly answer: OcspAnswer } | { readonly kind: 'failure'; readonly code: OcspFailure; readonly detail: string };

/** The verdict of a verification whose path, profile, revocation and signature all check out. */
export function validVerdict(revocation: RevocationReport): Verdict {
  const rev = !revocation.checked
    ? 'revocation not checked'
    : revocation.status === 'good'
      ? `not revoked (${revocation.source?.kind === 'ocsp' ? 'OCSP' : 'CRL'})`
      : `revocation data ${revocation.status}${revocation.failure ? `, OCSP ${revocation.failure}` : ''} (soft-fail)`;
  return verdict('ok', -1, `path to a J-LIS root valid, ${rev}, signature verified`, revocation);
}

/** The verdict before OCSP has answered: indeterminate, so an unsettled result never passes. */
export function awaitingOcsp(crlSource: CrlSource | undefined): Verdict {
  return verdict('ocsp_unavailable', 0, 'OCSP has not answered yet', { checked: true, status: 'pending', source: crlSource });
}

/** The final verdict of a pending verification, and the 基本4情報 it may release. */
export function settleOcsp(p: OcspPending, outcome: OcspOutcome): { verdict: Verdict; basicInfo: BasicFourInfo | null } {
  const soft = p.policy === 'soft-fail';
  const pass = (report: RevocationReport) => ({ verdict: validVerdict(report), basicInfo: p.basicInfo });
  const refuse = (v: Verdict) => ({ verdict: v, basicInfo: null });
  if (outcome.kind === 'answer') {
    const a = outcome.answer;
    if (a.status === 'good') return pass({ checked: true, status: 'good', source: a.source });
    if (a.status === 'revoked') {
      const reason = a.reason ?? 'unspecified';
      return refuse(
        verdict('revoked', 0, `revoked (${reason}) according to OCSP`, {
          checked: true,
          status: 'revoked',
          reason,
          revokedAt: a.revokedAt ?? undefined,
          source: a.source,
        }),
      );
    }
    const report: RevocationReport = { checked: true, status: 'unknown', source: a.source };
    return soft ? pass(report) : refuse(verdict('revocation_unavailable', 0, 'the OCSP responder does not know this certificate', report));
  }
  // No answer: the CRL's word (if it was asked) is what there is.
  const report: RevocationReport = { checked: true, status: p.crl?.status ?? 'unknown', source: p.crl?.source, failure: outcome.code };
  if (soft) return pass(report);
  return refuse(verdict('ocsp_unavailable', 0, `OCSP gave no usable answer: ${outcome.code} (${OCSP_FAILURES[outcome.code]}): ${outcome.detail}`, report));
}
