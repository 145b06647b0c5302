// The one table of every code the API can answer with: HTTP status, metric label, meaning.
// Verdict codes come from the core's table, their HTTP status from src/verdict-status.ts (200
// unless the input is unusable); request errors are added here. A test checks that
// every code the service emits is in this table and documented in docs/api-codes.md.
import { VERDICT_CODES, type VerdictCode } from '../core/verdict.js';
import { verdictStatus } from '../verifier/verdict-status.js';

export interface CodeInfo {
  readonly status: number; // HTTP status of a response carrying this code
  readonly label: string; // bounded metric label
  readonly doc: string;
}

export const REQUEST_ERRORS = {
  bad_request: [400, 'a field is missing, of the wrong type or out of range (the message names it)'],
  malformed_base64: [400, 'a base64 field does not decode'],
  unauthorized: [401, 'no API key, or an unknown one'],
  forbidden: [403, 'the tenant may not use this function'],
  not_found: [404, 'no such route or job'],
  request_timeout: [408, 'the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed'],
  body_too_large: [413, 'the request body exceeds the configured limit'],
  unsupported_media_type: [415, 'the body is not application/json'],
  uri_too_long: [414, 'the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes)'],
  headers_too_large: [431, 'the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size)'],
  too_many_items: [413, 'a batch holds more items than allowed'],
  already_linked: [409, 'the certificate holder is linked to another customer of this tenant'],
  not_verified: [422, 'enrolment or registration needs a valid verification; the verdict is in the message'],
  bad_link_data: [400, 'J-LIS link data with a malformed record (the message names it)'],
  rate_limited: [429, 'the tenant rate limit is reached; retry after the Retry-After delay'],
  too_many_challenges: [
    429,
    'the tenant holds challenge.maxOutstandingPerTenant issued challenges not yet used or expired; use or let some expire (Retry-After)',
  ],
  too_many_jobs: [429, 'the tenant has jobs.maxPendingItemsPerTenant items waiting in running jobs; retry when they are done (Retry-After)'],
  overloaded: [503, 'too many verifications pending; retry after the Retry-After delay'],
  worker_failed: [503, 'the verification worker running this request failed; safe to retry'],
  queue_unavailable: [503, 'queue mode: the verification queue (Redis) is unreachable; retry after the delay'],
  queue_timeout: [503, 'queue mode: no worker answered within queue.timeoutMs; safe to retry with a new challenge'],
  job_failed: [503, 'queue mode: the verification job failed on every attempt and went to the dead-letter queue'],
  store_unavailable: [503, 'a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay'],
  shutting_down: [503, 'the service is draining for shutdown'],
  not_ready: [503, 'trust store or CRL data not ready (readiness only)'],
  internal: [500, 'an unexpected error; the log has the detail (never personal data)'],
} as const satisfies Record<string, readonly [number, string]>;

export type RequestErrorCode = keyof typeof REQUEST_ERRORS;
export type ApiCode = VerdictCode | RequestErrorCode;

export const CODES: Readonly<Record<ApiCode, CodeInfo>> = Object.freeze({
  ...(Object.fromEntries(
    Object.entries(VERDICT_CODES).map(([code, [, , doc]]) => [code, { status: verdictStatus(code as VerdictCode), label: code, doc }]),
  ) as Record<VerdictCode, CodeInfo>),
  ...(Object.fromEntries(Object.entries(REQUEST_ERRORS).map(([code, [status, doc]]) => [code, { status, label: code, doc }])) as Record<
    RequestErrorCode,
    CodeInfo
  >),
});

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiCode,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
  get status(): number {
    return CODES[this.code].status;
  }
}
