// OCSP CertID (RFC 6960 §4.1.1): how a request and a response name one certificate — hashes of
// its issuer's name and key, and its serial. Also the OCSP object identifiers and the responder
// URLs a certificate names (authorityInfoAccess, RFC 5280 §4.2.2.1).
import { createHash } from 'node:crypto';
import { HASH_OID, type HashName } from './algorithms.js';
import type { Certificate } from './certificate.js';
import { DerError, DerReader, bytesEqual, toHex } from './der.js';
import * as d from './der-writer.js';
import { EXT } from './extensions.js';
import { readGeneralName } from './general-name.js';

export const OCSP_OID = {
  /** id-ad-ocsp: the access method of an OCSP responder in authorityInfoAccess. */
  accessMethod: '1.3.6.1.5.5.7.48.1',
  basic: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
  /** id-pkix-ocsp-nocheck: a delegated responder's own certificate is not checked for revocation. */
  noCheck: '1.3.6.1.5.5.7.48.1.5',
  /** id-kp-OCSPSigning: the extended key usage of a delegated responder. */
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** The hashes a CertID may use here: SHA-1 (what most responders index by) and the SHA-2s. */
export const CERT_ID_HASHES: readonly HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];

const HASH_BY_OID = new Map<string, HashName>(CERT_ID_HASHES.map((h) => [HASH_OID[h], h]));

export interface CertId {
  readonly hash: HashName;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  /** INTEGER contents of the serial (two's complement, minimal). */
  readonly serial: Uint8Array;
}

const digest = (hash: HashName, data: Uint8Array): Uint8Array => new Uint8Array(createHash(hash).update(data).digest());

/** The CertID of the certificate with `serial` issued by `issuer`. */
export function certIdFor(issuer: Certificate, serial: Uint8Array, hash: HashName = 'sha1'): CertId {
  return { hash, issuerNameHash: digest(hash, issuer.subject.der), issuerKeyHash: digest(hash, issuer.spki.publicKey), serial };
}

/** Whether `id` names a certificate of `issuer` with `serial`, whatever hash the CertID uses. */
export function certIdMatches(id: CertId, issuer: Certificate, serial: Uint8Array): boolean {
  if (!bytesEqual(id.serial, serial)) return false;
  const want = certIdFor(issuer, serial, id.hash);
  return bytesEqual(id.issuerNameHash, want.issuerNameHash) && bytesEqual(id.issuerKeyHash, want.issuerKeyHash);
}

/** A stable text key for a CertID: the cache key of a response. */
export function certIdKey(id: CertId): string {
  return `${id.hash}:${toHex(id.issuerNameHash)}:${toHex(id.issuerKeyHash)}:${toHex(id.serial)}`;
}

// The AlgorithmIdentifier of a CertID carries NULL parameters (as OpenSSL and RFC 6960's
// examples write it); absent parameters are accepted on reading.
export function encodeCertId(id: CertId): Uint8Array {
  return d.seq(d.seq(d.oid(HASH_OID[id.hash]), d.nullValue()), d.octets(id.issuerNameHash), d.octets(id.issuerKeyHash), d.integer(id.serial));
}

/** Reads a CertID; an unknown hash algorithm or a hash of the wrong length is a DerError. */
export function readCertId(r: DerReader): CertId {
  const s = r.sequence('CertID');
  const alg = s.sequence('hashAlgorithm');
  const oid = alg.oid('hashAlgorithm');
  if (alg.hasMore()) alg.null('hashAlgorithm parameters');
  alg.done();
  const hash = HASH_BY_OID.get(oid);
  if (!hash) throw new DerError('bad_value', `CertID hash algorithm ${oid} is not supported`, s.pos);
  const issuerNameHash = s.octetString('issuerNameHash');
  const issuerKeyHash = s.octetString('issuerKeyHash');
  const serial = s.integerBytes('serialNumber');
  s.done();
  const len = createHash(hash).digest().length;
  if (issuerNameHash.length !== len || issuerKeyHash.length !== len) throw new DerError('bad_value', `CertID ${hash} hashes must be ${len} bytes`, s.pos);
  return { hash, issuerNameHash, issuerKeyHash, serial };
}

/** The OCSP responder URLs (http only, as RFC 6960 Appendix A defines the transport) in a
 *  certificate's authorityInfoAccess, in order. A malformed extension yields none. */
export function ocspUrls(cert: Certificate): string[] {
  const ext = cert.extensions.list.find((e) => e.oid === EXT.authorityInfoAccess);
  if (!ext) return [];
  const out: string[] = [];
  try {
    const top = new DerReader(ext.value);
    const r = top.sequence('authorityInfoAccess');
    top.done();
    while (r.hasMore()) {
      const ad = r.sequence('AccessDescription');
      const method = ad.oid('accessMethod');
      const location = readGeneralName(ad);
      ad.done();
      if (method === OCSP_OID.accessMethod && location.kind === 'uri' && /^https?:\/\//i.test(location.value)) out.push(location.value);
    }
  } catch (err) {
    if (err instanceof DerError) return [];
    throw err;
  }
  return out;
}

/** The authorityInfoAccess extension naming one OCSP responder (for issuing certificates). */
export function ocspAccessExtension(url: string): Uint8Array {
  return d.extension(EXT.authorityInfoAccess, false, d.seq(d.seq(d.oid(OCSP_OID.accessMethod), d.implicit(6, new TextEncoder().encode(url)))));
}
