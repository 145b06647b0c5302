// Decoding of request fields: strict base64, and certificates as base64 DER or PEM. Failures are
// typed 400s (malformed_base64).
import { pemBlocks } from '../core/certificate.js';
import { ApiError } from './codes.js';

/** Strict base64 (standard alphabet, padding optional, no whitespace): anything else is
 *  malformed_base64. A char-code scan: the regex it replaces was a visible share of a request. */
export function decodeBase64(value: string, field: string): Uint8Array {
  const n = value.length;
  let end = n;
  if (end > 0 && value.charCodeAt(end - 1) === 61) end--;
  if (end > 0 && value.charCodeAt(end - 1) === 61) end--;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    // A–Z a–z 0–9 + /
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)) {
      throw new ApiError('malformed_base64', `${field} is not valid base64`);
    }
  }
  if (end % 4 === 1 || (end !== n && n % 4 !== 0)) throw new ApiError('malformed_base64', `${field} is not valid base64`);
  return new Uint8Array(Buffer.from(value, 'base64'));
}

/** A `limit` query parameter: 1 to 1000, default 100 (the schemas allow digits only). */
export function pageLimit(raw: string | undefined): number {
  const limit = Number(raw ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiError('bad_request', 'limit must be 1 to 1000');
  return limit;
}

/** A certificate as base64 DER or as PEM. */
export function decodeCertificate(value: string, field: string): Uint8Array {
  if (value.includes('-----BEGIN CERTIFICATE-----')) {
    const der = pemBlocks(value, 'CERTIFICATE')[0];
    if (!der) throw new ApiError('malformed_base64', `${field} PEM has no certificate`);
    return der;
  }
  return decodeBase64(value, field);
}

