// The HTTP status of each verdict: verdicts are answers (200), except those that say the input
// itself is unusable. Kept outside src/http so that the job runner (src/jobs) can ask "is this an
// input error?" without importing the HTTP layer; src/contract/codes.ts builds the one code table
// (status, metric label, documentation) from this part.
import type { VerdictCode } from '../core/verdict.js';

/** Verdicts answered with a 4xx instead of 200: the input itself is unusable. */
const INPUT_VERDICTS: Readonly<Partial<Record<VerdictCode, number>>> = Object.freeze({
  malformed_certificate: 400,
  malformed_signature: 400,
  digest_mismatch: 400,
});

/** The HTTP status of a response carrying this verdict. */
export function verdictStatus(code: VerdictCode): number {
  return INPUT_VERDICTS[code] ?? 200;
}

/** True when the verdict says the input is unusable (its status is not 200). */
export function isInputVerdict(code: VerdictCode): boolean {
  return verdictStatus(code) !== 200;
}
