// Card simulator: signs as the My Number Card does. The client hashes and wraps the digest in a
// DigestInfo; the card applies PKCS#1 v1.5 type-1 padding and its RSA private key.
import { constants, createHash, privateEncrypt, type KeyObject } from 'node:crypto';
import type { HashName } from '../../core/algorithms.js';
import { digestInfo } from '../../core/signature.js';

/** Signs a digest the client computed (what the card's COMPUTE DIGITAL SIGNATURE receives). */
export function cardSignDigest(key: KeyObject, hash: HashName, digest: Uint8Array): Uint8Array {
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest)));
}

/** Signs a challenge or a document: hash, wrap, pad, sign. */
export function cardSign(key: KeyObject, data: Uint8Array, hash: HashName = 'sha256'): Uint8Array {
  return cardSignDigest(key, hash, createHash(hash).update(data).digest());
}
