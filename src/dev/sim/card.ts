// Card simulator: signs as the My Number Card does. RSA cards (to date): the client hashes and
// wraps the digest in a DigestInfo; the card applies PKCS#1 v1.5 type-1 padding and its RSA
// private key. ECDSA P-384 cards (the next generation): the card signs the SHA-384 digest the
// client computed and returns a DER ECDSA-Sig-Value (assumed, as PIV cards and X.509 carry it:
// no public profile of the new card says which encoding it returns).
import { constants, createECDH, createHash, privateEncrypt, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { HashName } from '../../core/algorithms.js';
import * as d from '../../core/der-writer.js';
import { curveByName, digestInteger, modInverse, type Curve } from '../../core/ecdsa.js';
import { digestInfo } from '../../core/signature.js';

const OPENSSL_CURVE: Record<Curve['name'], string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };

/** Signs a digest the client computed (what the card's COMPUTE DIGITAL SIGNATURE receives). */
export function cardSignDigest(key: KeyObject, hash: HashName, digest: Uint8Array): Uint8Array {
  if (key.asymmetricKeyType === 'ec') return ecdsaSignDigest(key, digest);
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest)));
}

/** Signs a challenge or a document: hash, (RSA: wrap, pad,) sign. ECDSA keys sign with SHA-384
 *  unless told otherwise. */
export function cardSign(key: KeyObject, data: Uint8Array, hash?: HashName): Uint8Array {
  if (key.asymmetricKeyType === 'ec') return new Uint8Array(sign(hash ?? 'sha384', data, key)); // DER by default
  const h = hash ?? 'sha256';
  return cardSignDigest(key, h, createHash(h).update(data).digest());
}

/**
 * ECDSA over a digest (FIPS 186-5 §6.4.1). node:crypto signs only data it hashes itself, so the
 * nonce point k·G comes from OpenSSL's ECDH (a secret scalar times the base point) and the rest is
 * arithmetic mod n. A simulator's signer: the BigInt steps are not constant-time.
 * `derLength`: retry with fresh nonces until the DER value has this length (the CRL writer sizes
 * its headers before it signs).
 */
export function ecdsaSignDigest(key: KeyObject, digest: Uint8Array, derLength?: number): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const curve = curveByName(jwk.crv ?? '');
  if (!curve || !jwk.d) throw new Error(`not a private key on P-256, P-384 or P-521 (${jwk.crv})`);
  const priv = BigInt(`0x${Buffer.from(jwk.d, 'base64url').toString('hex')}`);
  const e = digestInteger(curve, digest);
  const ecdh = createECDH(OPENSSL_CURVE[curve.name]);
  for (let tries = 0; tries < 10_000; tries++) {
    const k = (BigInt(`0x${randomBytes(curve.size + 16).toString('hex')}`) % (curve.n - 1n)) + 1n;
    ecdh.setPrivateKey(Buffer.from(k.toString(16).padStart(2 * curve.size, '0'), 'hex'));
    const R = ecdh.getPublicKey(); // 04 ‖ x ‖ y
    const r = BigInt(`0x${R.subarray(1, 1 + curve.size).toString('hex')}`) % curve.n;
    if (r === 0n) continue;
    const s = (modInverse(k, curve.n) * ((e + r * priv) % curve.n)) % curve.n;
    if (s === 0n) continue;
    const der = d.seq(d.integer(r), d.integer(s));
    if (derLength === undefined || der.length === derLength) return der;
  }
  throw new Error(`no ECDSA signature of ${derLength} octets in 10,000 tries`);
}
