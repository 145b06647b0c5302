// Verdicts: one enum of codes for every outcome, each with a status and a rank. When every
// candidate path fails, the failure with the highest rank is reported: it is the one that got
// furthest or says most (after rustls/webpki's Error::rank).

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
  revocation_unavailable: ['indeterminate', 45, 'no CRL covers the certificate'],

  // the challenge (電子利用者証明)
  challenge_unknown: ['invalid', 95, 'no such challenge (never issued, or forgotten long after expiry)'],
  challenge_expired: ['invalid', 95, 'the challenge expired before it was used'],
  challenge_replayed: ['invalid', 95, 'the challenge was already used'],

  // the signed object
  signature_invalid: ['invalid', 95, 'the signature over the challenge or document does not verify'],
  digest_mismatch: ['invalid', 95, 'the digest given does not fit the digest algorithm'],
} as const satisfies Record<string, readonly [VerdictStatus, number, string]>;

export type VerdictCode = keyof typeof VERDICT_CODES;

export interface RevocationSource {
  readonly issuer: string; // readable issuer name of the CRL
  readonly crlNumber: string | null; // hex
  readonly thisUpdate: number; // epoch ms
  readonly nextUpdate: number | null;
}

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
  readonly status: 'good' | 'revoked' | 'stale' | 'unknown';
  readonly reason?: RevocationReason;
  readonly revokedAt?: number;
  readonly source?: RevocationSource;
}

/** How revocation was handled for a verdict: whether it ran, and the data it used. */
export interface RevocationReport {
  readonly checked: boolean;
  readonly status?: RevocationStatus['status'];
  readonly reason?: RevocationReason;
  readonly revokedAt?: number;
  readonly source?: RevocationSource;
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
