// ECDSA over the NIST prime curves (FIPS 186-5 §6.4.2, SEC 1 §4.1.4): the curves this verifier
// accepts, strict parsing of the signature value, and verification over a digest the caller
// computed. node:crypto verifies ECDSA only over data it hashes itself, but the card signs a
// digest the client computed and a streamed CRL leaves only its digest: those two checks run
// here, in BigInt arithmetic. Everything involved is public (key, digest, signature), so the
// arithmetic need not be constant-time. Checks over whole data go through node:crypto.
import { DerError, DerReader } from './der.js';

export interface Curve {
  readonly name: 'P-256' | 'P-384' | 'P-521';
  readonly oid: string;
  /** Field prime, order of the base point, curve coefficient b (a = −3 on all three). */
  readonly p: bigint;
  readonly n: bigint;
  readonly b: bigint;
  readonly gx: bigint;
  readonly gy: bigint;
  /** Octets of a field element and of a scalar (r and s in IEEE P1363 form). */
  readonly size: number;
  readonly nBits: number;
}

function curve(name: Curve['name'], oid: string, p: string, n: string, b: string, gx: string, gy: string, bits: number): Curve {
  return { name, oid, p: BigInt(p), n: BigInt(n), b: BigInt(b), gx: BigInt(gx), gy: BigInt(gy), size: Math.ceil(bits / 8), nBits: bits };
}

// Domain parameters from FIPS 186-5 / SP 800-186 §3.2.1 (checked in test/core/ecdsa.test.ts
// against OpenSSL's explicit parameters and @noble/curves).
export const CURVES: readonly Curve[] = [
  curve(
    'P-256',
    '1.2.840.10045.3.1.7',
    '0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff',
    '0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
    '0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b',
    '0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296',
    '0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
    256,
  ),
  curve(
    'P-384',
    '1.3.132.0.34',
    '0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff',
    '0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
    '0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef',
    '0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7',
    '0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f',
    384,
  ),
  curve(
    'P-521',
    '1.3.132.0.35',
    `0x01${'ff'.repeat(65)}`, // 2^521 − 1
    '0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    '0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00',
    '0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66',
    '0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650',
    521,
  ),
];

export function curveByOid(oid: string): Curve | null {
  return CURVES.find((c) => c.oid === oid) ?? null;
}

export function curveByName(name: string): Curve | null {
  return CURVES.find((c) => c.name === name) ?? null;
}

// ---- signature values ----

export interface EcdsaSignature {
  readonly r: bigint;
  readonly s: bigint;
}

/** Why a signature value is not an ECDSA signature for the curve; null if it is one. */
export type SignatureShape = { readonly sig: EcdsaSignature; readonly error: null } | { readonly sig: null; readonly error: string };

const toBigInt = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`));

function inRange(c: Curve, r: bigint, s: bigint): SignatureShape {
  if (r < 1n || r >= c.n) return { sig: null, error: 'r is outside [1, n−1]' };
  if (s < 1n || s >= c.n) return { sig: null, error: 's is outside [1, n−1]' };
  return { sig: { r, s }, error: null };
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5480 §2.2.3), DER only: minimal
 *  lengths and integers, positive, nothing after; r and s in [1, n−1]. */
export function parseDerSignature(c: Curve, der: Uint8Array): SignatureShape {
  try {
    const top = new DerReader(der);
    const seq = top.sequence('ECDSA-Sig-Value');
    top.done();
    const r = seq.integerBytes('r');
    const s = seq.integerBytes('s');
    seq.done();
    if (r[0] & 0x80 || s[0] & 0x80) return { sig: null, error: 'negative r or s' };
    return inRange(c, toBigInt(r), toBigInt(s));
  } catch (err) {
    if (err instanceof DerError) return { sig: null, error: `ECDSA-Sig-Value: ${err.message}` };
    throw err;
  }
}

/** r‖s, each exactly `size` octets (IEEE P1363, as WebAuthn and JOSE carry it). */
export function parseP1363Signature(c: Curve, raw: Uint8Array): SignatureShape {
  if (raw.length !== 2 * c.size) return { sig: null, error: `P1363 signature of ${raw.length} octets, not ${2 * c.size}` };
  return inRange(c, toBigInt(raw.subarray(0, c.size)), toBigInt(raw.subarray(c.size)));
}

/** The P1363 form of a parsed signature (what node:crypto is handed, so one parser decides). */
export function toP1363(c: Curve, sig: EcdsaSignature): Buffer {
  return Buffer.from(sig.r.toString(16).padStart(2 * c.size, '0') + sig.s.toString(16).padStart(2 * c.size, '0'), 'hex');
}

// ---- arithmetic: Jacobian coordinates (x = X/Z², y = Y/Z³), Z = 0 the point at infinity ----

type Point = readonly [x: bigint, y: bigint, z: bigint];
const INFINITY: Point = [1n, 1n, 0n];

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

class Arithmetic {
  private readonly p: bigint;
  /** i·G for i in 0…15, the base point's window table (built once per curve). */
  readonly gTable: readonly Point[];

  constructor(readonly c: Curve) {
    this.p = c.p;
    this.gTable = this.table([c.gx, c.gy, 1n]);
  }

  private sub(a: bigint, b: bigint): bigint {
    const d = a - b;
    return d < 0n ? d + this.p : d;
  }

  /** dbl-2001-b (a = −3). */
  double(P: Point): Point {
    const p = this.p;
    const [x, y, z] = P;
    if (z === 0n || y === 0n) return INFINITY;
    const delta = (z * z) % p;
    const gamma = (y * y) % p;
    const beta = (x * gamma) % p;
    const alpha = (3n * this.sub(x, delta) * ((x + delta) % p)) % p;
    const x3 = this.sub((alpha * alpha) % p, (8n * beta) % p);
    const z3 = this.sub(this.sub(((y + z) * (y + z)) % p, gamma), delta);
    const y3 = this.sub((alpha * this.sub((4n * beta) % p, x3)) % p, (8n * ((gamma * gamma) % p)) % p);
    return [x3, y3, z3];
  }

  /** add-1998-cmo-2, with the cases it leaves out (an operand at infinity, P = Q, P = −Q). */
  add(P: Point, Q: Point): Point {
    const p = this.p;
    if (P[2] === 0n) return Q;
    if (Q[2] === 0n) return P;
    const [x1, y1, z1] = P;
    const [x2, y2, z2] = Q;
    const z1z1 = (z1 * z1) % p;
    const z2z2 = (z2 * z2) % p;
    const u1 = (x1 * z2z2) % p;
    const u2 = (x2 * z1z1) % p;
    const s1 = (((y1 * z2) % p) * z2z2) % p;
    const s2 = (((y2 * z1) % p) * z1z1) % p;
    const h = this.sub(u2, u1);
    const r = this.sub(s2, s1);
    if (h === 0n) return r === 0n ? this.double(P) : INFINITY;
    const hh = (h * h) % p;
    const hhh = (h * hh) % p;
    const v = (u1 * hh) % p;
    const x3 = this.sub(this.sub((r * r) % p, hhh), (2n * v) % p);
    const y3 = this.sub((r * this.sub(v, x3)) % p, (s1 * hhh) % p);
    const z3 = (((z1 * z2) % p) * h) % p;
    return [x3, y3, z3];
  }

  table(P: Point): Point[] {
    const t: Point[] = [INFINITY, P];
    for (let i = 2; i < 16; i++) t.push(this.add(t[i - 1], P));
    return t;
  }

  /** u1·G + u2·Q with 4-bit windows over both scalars at once (Shamir's trick). */
  twoMul(u1: bigint, u2: bigint, qTable: readonly Point[]): Point {
    let R = INFINITY;
    for (let w = Math.ceil(this.c.nBits / 4) - 1; w >= 0; w--) {
      R = this.double(this.double(this.double(this.double(R))));
      const shift = BigInt(4 * w);
      const a = Number((u1 >> shift) & 15n);
      const b = Number((u2 >> shift) & 15n);
      if (a) R = this.add(R, this.gTable[a]);
      if (b) R = this.add(R, qTable[b]);
    }
    return R;
  }

  /** y² = x³ − 3x + b */
  onCurve(x: bigint, y: bigint): boolean {
    const p = this.p;
    if (x >= p || y >= p) return false;
    return (y * y) % p === this.rhs(x);
  }

  rhs(x: bigint): bigint {
    const p = this.p;
    return this.sub((((x * x) % p) * x + this.c.b) % p, (3n * x) % p);
  }
}

const arithmetic = new Map<string, Arithmetic>();
function arithmeticOf(c: Curve): Arithmetic {
  let a = arithmetic.get(c.name);
  if (!a) arithmetic.set(c.name, (a = new Arithmetic(c)));
  return a;
}

/** A public key ready for verification over a digest: its point's window table. */
export interface EcPublicPoint {
  readonly curve: Curve;
  readonly table: readonly Point[];
}

/** Decodes an uncompressed (04‖X‖Y) or compressed (02/03‖X) point (SEC 1 §2.3.4); null if it is
 *  not a point of the curve. */
export function decodePoint(c: Curve, bytes: Uint8Array): EcPublicPoint | null {
  const a = arithmeticOf(c);
  const size = c.size;
  let x: bigint;
  let y: bigint;
  if (bytes[0] === 0x04 && bytes.length === 1 + 2 * size) {
    x = toBigInt(bytes.subarray(1, 1 + size));
    y = toBigInt(bytes.subarray(1 + size));
    if (!a.onCurve(x, y)) return null;
  } else if ((bytes[0] === 0x02 || bytes[0] === 0x03) && bytes.length === 1 + size) {
    x = toBigInt(bytes.subarray(1));
    if (x >= c.p) return null;
    const rhs = a.rhs(x);
    y = modPow(rhs, (c.p + 1n) / 4n, c.p); // p ≡ 3 (mod 4) on all three curves
    if ((y * y) % c.p !== rhs) return null;
    if (Number(y & 1n) !== (bytes[0] & 1)) y = c.p - y;
  } else {
    return null;
  }
  return { curve: c, table: a.table([x, y, 1n]) };
}

/** a⁻¹ mod m, for a prime m (Fermat). */
export function modInverse(a: bigint, m: bigint): bigint {
  return modPow(a, m - 2n, m);
}

/** The digest as an integer: its leftmost nBits bits (FIPS 186-5 §6.4.2 step 2). */
export function digestInteger(c: Curve, digest: Uint8Array): bigint {
  const e = toBigInt(digest);
  const excess = digest.length * 8 - c.nBits;
  return excess > 0 ? e >> BigInt(excess) : e;
}

/** ECDSA verification of `sig` over a digest the caller computed (FIPS 186-5 §6.4.2). */
export function verifyEcdsaDigest(key: EcPublicPoint, digest: Uint8Array, sig: EcdsaSignature): boolean {
  const c = key.curve;
  const { r, s } = sig;
  if (r < 1n || r >= c.n || s < 1n || s >= c.n) return false;
  const w = modInverse(s, c.n);
  const e = digestInteger(c, digest);
  const u1 = (e * w) % c.n;
  const u2 = (r * w) % c.n;
  const [X, , Z] = arithmeticOf(c).twoMul(u1, u2, key.table);
  if (Z === 0n) return false;
  // x(R) mod n = r  ⇔  x(R) ∈ {r, r + n} (x < p < 2n); x(R) = X / Z², so compare without inverting.
  const zz = (Z * Z) % c.p;
  if ((r * zz) % c.p === X) return true;
  return r + c.n < c.p && ((r + c.n) * zz) % c.p === X;
}
