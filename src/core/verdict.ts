// Verdicts: one enum of codes for every outcome, each with a status and a rank. When every
// candidate path fails, the failure with the highest rank is reported: it is the one that got
// furthest or says most (after rustls/webpki's Error::rank).
import type { OcspFailure } from './ocsp-failure.js';

export type VerdictStatus = 'valid' | 'invalid' | 'indeterminate';

/** code → [status, rank, one-line meaning]. Rank only orders failures; higher is more useful. */
export const VERDICT_CODES = {
  ok: ['valid', 0, 'certificate path, revocation status and signature all check out'],

  // input
  malformed_certificate: ['invalid', 70, 'a certificate is not valid DER X.509'],
  malformed_signature: ['invalid', 70, 'the signature value is not well formed for its algorithm'],
  unsupported_algorithm: ['invalid', 60, 'a signature or key algorithm this verifier does not accept'],
  algorithm_mismatch: ['invalid', 65, 'the signature algorithm inside and outside the TBS differ'],
  weak_key: ['invalid', 60, 'a key below the accepted size or with a bad exponent'],

  // path
  unknown_issuer: ['invalid', 10, 'no path from the certificate to a trust anchor'],
  cert_signature_invalid: ['invalid', 30, "a certificate's signature does not verify under its issuer's key"],
  chain_too_long: ['invalid', 40, 'the path exceeds the allowed number of intermediates'],
  budget_exceeded: ['invalid', 35, 'path building gave up: too many signature checks, candidates or comparisons'],
  expired: ['invalid', 80, 'a certificate in the path has expired at the validation time'],
  not_yet_valid: ['invalid', 80, 'a certificate in the path is not yet valid at the validation time'],
  not_ca: ['invalid', 75, 'an issuer is not a CA (basicConstraints)'],
  path_length_exceeded: ['invalid', 75, "a CA's pathLenConstraint is exceeded"],
  key_usage_not_allowed: ['invalid', 75, 'keyUsage does not permit this use'],
  eku_not_allowed: ['invalid', 75, 'extKeyUsage does not permit this use'],
  name_constraint_violation: ['invalid', 75, 'a name is outside the constraints set by a CA'],
  policy_not_acceptable: ['invalid', 75, 'no acceptable certificate policy along the path'],
  unknown_critical_extension: ['invalid', 75, 'a certificate carries a critical extension this verifier does not process'],
  profile_violation: ['invalid', 72, 'a certificate breaks an RFC 5280 profile rule'],

  // JPKI
  test_hierarchy: ['invalid', 85, 'a JPKI test-hierarchy certificate (O=JPKI-TEST) in production'],
  wrong_certificate_type: ['invalid', 85, 'a signing certificate used for authentication or the reverse'],
  jpki_profile_violation: ['invalid', 78, 'the certificate does not follow the JPKI profile'],

  // revocation
  revoked: ['invalid', 90, 'a certificate in the path is revoked'],
  crl_stale: ['indeterminate', 50, 'the CRL covering the certificate is past nextUpdate (plus grace)'],
  revocation_unavailable: ['indeterminate', 45, 'no revocation data covers the certificate (no CRL, or the OCSP responder answered unknown)'],
  ocsp_unavailable: ['indeterminate', 46, 'OCSP had to decide and gave no usable answer (revocation.failure names why)'],

  // the challenge (電子利用者証明)
  challenge_unknown: ['invalid', 95, 'no such challenge (never issued, or forgotten long after expiry)'],
  challenge_expired: ['invalid', 95, 'the challenge expired before it was used'],
  challenge_replayed: ['invalid', 95, 'the challenge was already used'],

  // the signed object
  signature_invalid: ['invalid', 95, 'the signature over the challenge or document does not verify'],
  digest_mismatch: ['invalid', 95, 'the digest given does not fit the digest algorithm'],
} as const satisfies Record<string, readonly [VerdictStatus, number, string]>;

export type VerdictCode = keyof typeof VERDICT_CODES;

/** The CRL that decided: its issuer, number and dates. */
export interface CrlSource {
  readonly kind: 'crl';
  readonly issuer: string; // readable issuer name of the CRL
  readonly crlNumber: string | null; // hex
  readonly thisUpdate: number; // epoch ms
  readonly nextUpdate: number | null;
}

/** The OCSP response that decided: who signed it, where it came from, and its dates. */
export interface OcspSource {
  readonly kind: 'ocsp';
  /** Readable name of the signer: the issuing CA, or the responder it delegated to. */
  readonly responder: string;
  readonly url: string;
  readonly producedAt: number; // epoch ms
  readonly thisUpdate: number;
  readonly nextUpdate: number | null;
}

/** The revocation data a verdict rests on. */
export type RevocationSource = CrlSource | OcspSource;

export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

export interface RevocationStatus {
  /** pending: this source does not decide; OCSP must (core/revocation-plan.ts). Never in an
   *  answered verdict: the shell settles it first. */
  readonly status: 'good' | 'revoked' | 'stale' | 'unknown' | 'pending';
  readonly reason?: RevocationReason;
  readonly revokedAt?: number;
  readonly source?: RevocationSource;
  /** With pending: what the CRL index said, when it was asked (it stands under soft-fail if OCSP
   *  gives no answer). */
  readonly crl?: 'good' | 'stale' | 'unknown';
}

/** How revocation was handled for a verdict: whether it ran, and the data it used. */
export interface RevocationReport {
  readonly checked: boolean;
  readonly status?: RevocationStatus['status'];
  readonly reason?: RevocationReason;
  readonly revokedAt?: number;
  readonly source?: RevocationSource;
  /** With pending only (internal: settled before any answer): what the CRL index said. */
  readonly crl?: RevocationStatus['crl'];
  /** Why OCSP, when it had to decide, gave no status (the verdict is ocsp_unavailable, or passes
   *  under soft-fail). */
  readonly failure?: OcspFailure;
}

export interface Verdict {
  readonly status: VerdictStatus;
  readonly code: VerdictCode;
  /** Position in the path of the certificate concerned: 0 = end entity. -1 when not tied to one. */
  readonly depth: number;
  readonly detail: string;
  readonly revocation: RevocationReport;
}

export const NOT_CHECKED: RevocationReport = Object.freeze({ checked: false });

export function verdict(code: VerdictCode, depth: number, detail: string, revocation: RevocationReport = NOT_CHECKED): Verdict {
  return { status: VERDICT_CODES[code][0], code, depth, detail, revocation };
}

export function rank(code: VerdictCode): number {
  return VERDICT_CODES[code][1];
}

/** The more useful of two failures (the first on ties, so the earliest-found is kept). */
export function better(a: Verdict | null, b: Verdict): Verdict {
  if (!a) return b;
  return rank(b.code) > rank(a.code) ? b : a;
}

/** What stale or missing CRL data means: hard-fail → indeterminate, soft-fail → pass. */
export type RevocationPolicy = 'hard-fail' | 'soft-fail';
