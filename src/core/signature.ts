// Signature checks through node:crypto (OpenSSL). Keys: CA keys are imported once and cached on
// the certificate object; end-entity RSA keys are imported as PKCS#1, which costs ~3 µs against
// ~104 µs for SPKI (performance-facts.md). ECDSA signature values are parsed here (ecdsa.ts), so a
// malformed one is told apart from one that does not verify; checks over a digest the caller
// computed run in ecdsa.ts, since node:crypto hashes ECDSA input itself.
import { TypedError } from './typed-error.js';
import { constants, createPublicKey, publicDecrypt, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { HASH_LENGTH, OID, type HashName, type SignatureScheme } from './algorithms.js';
import type { Certificate, SubjectPublicKeyInfo } from './certificate.js';
import { DerError, DerReader, Tag } from './der.js';
import {
  curveByName,
  curveByOid,
  decodePoint,
  parseDerSignature,
  parseP1363Signature,
  toP1363,
  verifyEcdsaDigest,
  type Curve,
  type EcPublicPoint,
} from './ecdsa.js';

export class KeyError extends TypedError<'unsupported_key' | 'malformed_key' | 'weak_key'> {
  override readonly name = 'KeyError';
}

export interface RsaKeyFacts {
  readonly modulusBits: number;
  readonly exponent: number; // public exponents above 2^53 are reported as Infinity
}

/** Reads modulus size and exponent from a PKCS#1 RSAPublicKey without importing it. */
export function rsaKeyFacts(pkcs1: Uint8Array): RsaKeyFacts {
  try {
    const r = new DerReader(pkcs1);
    const s = r.sequence('RSAPublicKey');
    const n = s.integerBytes('modulus');
    const e = s.integerBytes('publicExponent');
    s.done();
    r.done();
    if (n[0] & 0x80 || e[0] & 0x80) throw new KeyError('malformed_key', 'negative RSA modulus or exponent');
    const nb = n[0] === 0 ? n.subarray(1) : n;
    const modulusBits = nb.length === 0 ? 0 : (nb.length - 1) * 8 + (32 - Math.clz32(nb[0]));
    let exponent = 0;
    for (const b of e) exponent = exponent * 256 + b;
    if (e.length > 7) exponent = Infinity;
    return { modulusBits, exponent };
  } catch (err) {
    if (err instanceof DerError) throw new KeyError('malformed_key', `RSAPublicKey: ${err.message}`);
    throw err;
  }
}

const view = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Smallest RSA modulus accepted anywhere (JPKI itself requires exactly 2048). */
export const MIN_RSA_BITS = 2048;

/** Imports a public key. RSA goes through PKCS#1 (fast path); everything else through SPKI. */
export function importPublicKey(spki: SubjectPublicKeyInfo): KeyObject {
  const alg = spki.algorithm.oid;
  try {
    if (alg === OID.rsaEncryption) {
      const { modulusBits, exponent } = rsaKeyFacts(spki.publicKey);
      if (modulusBits < MIN_RSA_BITS) throw new KeyError('weak_key', `RSA modulus of ${modulusBits} bits`);
      if (exponent < 3 || exponent % 2 === 0) throw new KeyError('malformed_key', `RSA exponent ${exponent}`);
      const key = createPublicKey({ key: view(spki.publicKey), format: 'der', type: 'pkcs1' });
      modulusBytes.set(key, Math.ceil(modulusBits / 8));
      return key;
    }
    if (alg === OID.ecPublicKey) {
      const curve = namedCurve(spki);
      const key = createPublicKey({ key: view(spki.der), format: 'der', type: 'spki' }); // OpenSSL checks the point is on the curve
      ecKeys.set(key, { curve, point: spki.publicKey.slice(), table: null });
      return key;
    }
    if (alg === OID.ed25519 || alg === OID.dsa || alg === OID.rsaPss) {
      return createPublicKey({ key: view(spki.der), format: 'der', type: 'spki' });
    }
  } catch (err) {
    if (err instanceof KeyError) throw err;
    throw new KeyError('malformed_key', `public key (${alg}) rejected: ${(err as Error).message}`);
  }
  throw new KeyError('unsupported_key', `public key algorithm ${alg}`);
}

/** The curve an EC key names: P-256, P-384 or P-521 by OID (RFC 5480 §2.1.1.1: named curves only,
 *  no explicit parameters). Which of them a profile accepts is the profile's rule (jpki.ts). */
function namedCurve(spki: SubjectPublicKeyInfo): Curve {
  const oid = ecCurveOf(spki);
  if (oid === null) throw new KeyError('unsupported_key', 'EC key without a named curve');
  const curve = curveByOid(oid);
  if (!curve) throw new KeyError('unsupported_key', `EC curve ${oid}`);
  return curve;
}

/** What an imported EC key needs for checks over a digest: its curve, its point, and the point's
 *  window table (made on first use, then kept as long as the key). */
interface EcKeyFacts {
  readonly curve: Curve;
  readonly point: Uint8Array;
  table: EcPublicPoint | null;
}
const ecKeys = new WeakMap<KeyObject, EcKeyFacts>();

const NODE_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** Facts of an EC key: noted at import, or read once from a KeyObject made elsewhere. */
function ecKeyFacts(key: KeyObject): EcKeyFacts | null {
  let f = ecKeys.get(key);
  if (f) return f;
  if (key.asymmetricKeyType !== 'ec') return null;
  const curve = curveByName(NODE_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? '');
  if (!curve) return null;
  const jwk = key.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  ecKeys.set(key, (f = { curve, point, table: null }));
  return f;
}

/** The curve of an EC key (null for other keys). */
export function ecCurveOfKey(key: KeyObject): Curve | null {
  return ecKeyFacts(key)?.curve ?? null;
}

const caKeys = new WeakMap<Certificate, KeyObject>();

/** The KeyObject of a certificate's key, imported once per certificate object (CA keys live as
 *  long as the trust store or the intermediate pool that holds them). */
export function certificateKey(cert: Certificate): KeyObject {
  let k = caKeys.get(cert);
  if (!k) {
    k = importPublicKey(cert.spki);
    caKeys.set(cert, k);
  }
  return k;
}

/** Which key types each scheme may be checked with: a scheme never runs over a foreign key. */
export function schemeFitsKey(scheme: SignatureScheme, key: KeyObject): boolean {
  const t = key.asymmetricKeyType;
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return t === 'rsa';
    case 'rsa-pss':
      return t === 'rsa' || t === 'rsa-pss';
    case 'ecdsa':
      return t === 'ec';
    case 'ed25519':
      return t === 'ed25519';
    case 'dsa':
      return t === 'dsa';
  }
}

/** valid; invalid (does not verify, or the key does not fit the scheme); malformed (the value
 *  cannot be a signature of the scheme: today, an ECDSA value that is not DER or out of range). */
export type SignatureCheck = 'valid' | 'invalid' | 'malformed';

/**
 * Checks `sig` over `data`; never throws for bad input.
 * `ecdsaEncoding`: 'der' (X.509, CMS) or 'p1363' (r‖s, as WebAuthn/JOSE carry it).
 */
export function checkData(scheme: SignatureScheme, key: KeyObject, data: Uint8Array, sig: Uint8Array, ecdsaEncoding: 'der' | 'p1363' = 'der'): SignatureCheck {
  if (!schemeFitsKey(scheme, key)) return 'invalid';
  if (scheme.kind === 'ecdsa') {
    const facts = ecKeyFacts(key);
    if (!facts) return 'invalid';
    const shape = ecdsaEncoding === 'der' ? parseDerSignature(facts.curve, sig) : parseP1363Signature(facts.curve, sig);
    if (!shape.sig) return 'malformed';
    try {
      return verify(scheme.hash, data, { key, dsaEncoding: 'ieee-p1363' }, toP1363(facts.curve, shape.sig)) ? 'valid' : 'invalid';
    } catch {
      return 'invalid';
    }
  }
  return verifyOther(scheme, key, data, sig) ? 'valid' : 'invalid';
}

/** Verifies `sig` over `data`: true only for 'valid' (see checkData). */
export function verifyData(scheme: SignatureScheme, key: KeyObject, data: Uint8Array, sig: Uint8Array, ecdsaEncoding: 'der' | 'p1363' = 'der'): boolean {
  return checkData(scheme, key, data, sig, ecdsaEncoding) === 'valid';
}

/**
 * Checks `sig` over a digest the caller computed (the card signs one; a streamed CRL leaves one):
 * RSASSA-PKCS1-v1_5 and ECDSA (DER signature values). Never throws for bad input.
 */
export function checkDigest(scheme: SignatureScheme, key: KeyObject, digest: Uint8Array, sig: Uint8Array): SignatureCheck {
  if (!schemeFitsKey(scheme, key)) return 'invalid';
  if (scheme.kind === 'rsa-pkcs1') return verifyRsaPkcs1Digest(key, scheme.hash, digest, sig) ? 'valid' : 'invalid';
  if (scheme.kind !== 'ecdsa') return 'invalid';
  const facts = ecKeyFacts(key);
  if (!facts) return 'invalid';
  const shape = parseDerSignature(facts.curve, sig);
  if (!shape.sig) return 'malformed';
  if (digest.length !== HASH_LENGTH[scheme.hash]) return 'invalid';
  facts.table ??= decodePoint(facts.curve, facts.point);
  return facts.table !== null && verifyEcdsaDigest(facts.table, digest, shape.sig) ? 'valid' : 'invalid';
}

/** The schemes node:crypto checks as they are (ECDSA goes through checkData's parsing first). */
function verifyOther(scheme: Exclude<SignatureScheme, { kind: 'ecdsa' }>, key: KeyObject, data: Uint8Array, sig: Uint8Array): boolean {
  try {
    switch (scheme.kind) {
      case 'rsa-pkcs1':
        if (sig.length !== rsaModulusBytes(key)) return false;
        return verify(scheme.hash, data, key, sig);
      case 'rsa-pss':
        if (sig.length !== rsaModulusBytes(key)) return false;
        return verify(scheme.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }, sig);
      case 'ed25519':
        return verify(null, data, key, sig);
      case 'dsa':
        return verify(scheme.hash, data, key, sig);
    }
  } catch {
    return false; // OpenSSL refuses some malformed signatures by throwing
  }
}

// KeyObject.asymmetricKeyDetails is a slow getter; sizes of keys we imported are noted here.
const modulusBytes = new WeakMap<KeyObject, number>();

function rsaModulusBytes(key: KeyObject): number {
  let n = modulusBytes.get(key);
  if (n === undefined) {
    n = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
    modulusBytes.set(key, n);
  }
  return n;
}

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1), NULL parameters included. */
const DIGEST_INFO_PREFIX: Record<HashName, Buffer> = {
  sha1: Buffer.from('3021300906052b0e03021a05000414', 'hex'),
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

export function digestInfo(hash: HashName, digest: Uint8Array): Buffer {
  return Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
}

/**
 * RSASSA-PKCS1-v1_5 over a digest the caller computed (the card signs a DigestInfo the client
 * built). The recovered block must equal the DER DigestInfo exactly: no BER variants, no missing
 * NULL, no trailing garbage.
 */
export function verifyRsaPkcs1Digest(key: KeyObject, hash: HashName, digest: Uint8Array, sig: Uint8Array): boolean {
  if (key.asymmetricKeyType !== 'rsa') return false;
  if (digest.length !== DIGEST_INFO_PREFIX[hash][DIGEST_INFO_PREFIX[hash].length - 1]) return false;
  if (sig.length !== rsaModulusBytes(key)) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, view(sig));
  } catch {
    return false;
  }
  const expected = digestInfo(hash, digest);
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}

/** ECDSA public keys name their curve; report it for profile checks. */
export function ecCurveOf(spki: SubjectPublicKeyInfo): string | null {
  if (spki.algorithm.oid !== OID.ecPublicKey || !spki.algorithm.params) return null;
  try {
    const r = new DerReader(spki.algorithm.params);
    if (r.peekTag() !== Tag.OID) return null;
    return r.oid('namedCurve');
  } catch {
    return null;
  }
}
