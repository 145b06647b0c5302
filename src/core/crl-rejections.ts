// Why a CRL was refused: one code per reason, shared by the loader, the set assembly, the feed's
// outcomes and the refresh-failure metric (which pre-registers every code).
export const CRL_REJECTIONS = [
  'malformed_crl',
  'unsupported_crl',
  'crl_too_large',
  'unknown_crl_issuer',
  'crl_signature_invalid',
  'crl_issuer_not_allowed',
  'crl_rollback',
  'crl_not_yet_valid',
  'crl_unusable_entry_extension',
  'delta_without_base',
] as const;
export type CrlRejection = (typeof CRL_REJECTIONS)[number];
