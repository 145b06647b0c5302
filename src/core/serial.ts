// Certificate serial numbers (RFC 5280 §4.1.2.2), one policy wherever a serial is accepted: path
// validation (every certificate below the trust anchor), J-LIS link data, the serial a verdict
// reports. A serial MUST be a positive INTEGER and MUST NOT be longer than 20 octets; the RFC asks
// certificate users to handle non-conforming ones "gracefully", which here means a typed refusal
// (profile_violation), never a crash and never acceptance. "20 octets" is the DER INTEGER contents,
// sign octet included, so the largest serial is 2^159 - 1 (NIST PKITS 4.4.16–18 use exactly 20).
// docs/conformance.md § Serial numbers.

/** Longest serial, in DER INTEGER content octets. */
export const MAX_SERIAL_OCTETS = 20;

/** Why a serial (DER INTEGER contents, two's complement) does not conform, or null. */
export function serialProblem(contents: Uint8Array): string | null {
  if (contents.length === 0) return 'empty serial number';
  if (contents[0] & 0x80) return 'negative serial number';
  if (contents.length > MAX_SERIAL_OCTETS) return `serial number longer than ${MAX_SERIAL_OCTETS} octets`;
  if (contents.every((b) => b === 0)) return 'serial number zero';
  return null;
}

/** The same policy for a serial written as unsigned hex (J-LIS link data, operator input). */
export function serialHexProblem(hex: string): string | null {
  if (!/^[0-9a-fA-F]+$/.test(hex)) return 'serial number is not hex';
  const value = BigInt(`0x${hex}`);
  if (value === 0n) return 'serial number zero';
  // Positive values up to 2^159 - 1 fit 20 content octets with their sign bit clear.
  if (value >= 1n << BigInt(MAX_SERIAL_OCTETS * 8 - 1)) return `serial number longer than ${MAX_SERIAL_OCTETS} octets`;
  return null;
}

/** Unsigned hex of a positive serial, as CRLs and J-LIS link data name it (no DER sign octet). */
export function unsignedSerialHex(contentsHex: string): string {
  return contentsHex.length > 2 && contentsHex.startsWith('00') ? contentsHex.slice(2) : contentsHex;
}
