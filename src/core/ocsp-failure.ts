// Why an OCSP lookup gave no status: one closed set of codes, each with its meaning. The core
// produces the responder's and the response's codes; the shell (src/ocsp) the transport's. A
// verdict that OCSP could not decide names its code (RevocationReport.failure), metrics count by
// it, docs/operations.md explains each.
import { TypedError } from './typed-error.js';

export const OCSP_FAILURES = {
  // the responder answered with an error status (RFC 6960 §4.2.1)
  malformed_request: 'the responder says the request was malformed',
  internal_error: 'the responder reports an internal error',
  try_later: 'the responder is busy or cannot answer now',
  sig_required: 'the responder wants signed requests',
  unauthorized: 'the responder will not answer for this certificate or this client',
  // the response was refused
  malformed_response: 'the response is not a well-formed OCSPResponse (truncated, bad DER, wrong structure)',
  unsupported_response: 'the response is not of type id-pkix-ocsp-basic',
  bad_signature: "the response's signature does not verify (forged or corrupted)",
  weak_signature: 'the response is signed with an algorithm this client refuses (SHA-1, unknown)',
  unauthorized_responder: 'the signer is neither the issuing CA nor a valid responder it delegated to (id-kp-OCSPSigning)',
  not_yet_valid: 'thisUpdate or producedAt lies in the future beyond the allowed clock skew',
  stale: 'nextUpdate has passed (or, without nextUpdate, thisUpdate is older than the maximum age)',
  nonce_mismatch: 'the response does not carry the nonce of the request',
  missing_status: 'the response does not answer for the certificate asked about',
  // the exchange failed (the shell)
  timeout: 'no complete answer within the timeout',
  unreachable: 'the responder could not be reached (connection refused, reset, DNS)',
  http_error: 'the responder answered with an HTTP error or a content type other than application/ocsp-response',
  too_large: 'the response exceeds the size limit',
  circuit_open: "the responder's circuit breaker is open after repeated failures",
  no_responder: 'the certificate names no OCSP responder and none is configured',
} as const;

export type OcspFailure = keyof typeof OCSP_FAILURES;

export const OCSP_FAILURE_CODES = Object.keys(OCSP_FAILURES) as OcspFailure[];

/** A lookup that gave no status, with the code and what was compared. */
export class OcspError extends TypedError<OcspFailure> {
  override readonly name = 'OcspError';
}
