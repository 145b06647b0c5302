// Decoding of request fields: strict base64, and certificates as base64 DER or PEM. Failures are
// typed 400s (malformed_base64).
import { pemBlocks } from '../core/certificate.js';
import { ApiError } from '../contract/codes.js';

/** Strict base64 (standard alphabet, padding optional, no whitespace): anything else is
 *  malformed_base64. Node's decoder is lenient (it skips stray characters and reads the URL-safe
 *  alphabet too), so the input must be exactly what re-encoding the bytes gives: both run in
 *  native code, ~15× faster than a char-code scan in JavaScript. The bytes are a view of a Buffer
 *  that may share its slab with other small Buffers; callers copy what they keep. */
export function decodeBase64(value: string, field: string): Uint8Array {
  const buf = Buffer.from(value, 'base64');
  const canonical = buf.toString('base64');
  const n = value.length;
  // Unpadded input: the canonical form with all of its 1–2 '=' removed. Non-zero bits left over
  // in the last character ("QR==") re-encode differently and are refused as well.
  const ok =
    n === canonical.length
      ? value === canonical
      : n % 4 !== 0 && value.charCodeAt(n - 1) !== 61 && canonical.length - n <= 2 && canonical.startsWith(value) && canonical.charCodeAt(n) === 61;
  if (!ok) throw new ApiError('malformed_base64', `${field} is not valid base64`);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
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
