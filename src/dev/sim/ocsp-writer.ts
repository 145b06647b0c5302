// OCSP responses written as DER (RFC 6960 §4.2.1), for the simulated J-LIS responder and for
// tests that need deliberately wrong ones (forged, stale, another nonce, another signer).
import { sign, type KeyObject } from 'node:crypto';
import { OID } from '../../core/algorithms.js';
import { Tag } from '../../core/der.js';
import * as d from '../../core/der-writer.js';
import { OCSP_OID, encodeCertId, type CertId } from '../../core/ocsp-certid.js';

/** OCSPResponseStatus values (RFC 6960 §4.2.1). */
export const RESPONSE_STATUS = { successful: 0, malformedRequest: 1, internalError: 2, tryLater: 3, sigRequired: 5, unauthorized: 6 } as const;

export interface SingleSpec {
  readonly id: CertId;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt?: number;
  /** CRLReason code, or null for none (the field is then omitted). */
  readonly reason?: number | null;
  readonly thisUpdate: number;
  readonly nextUpdate: number | null;
}

export interface ResponseSpec {
  /** byName: the signer's subject Name (DER); byKey: SHA-1 of its public key bits. */
  readonly responderId: { readonly kind: 'name'; readonly name: Uint8Array } | { readonly kind: 'key'; readonly keyHash: Uint8Array };
  readonly producedAt: number;
  readonly responses: readonly SingleSpec[];
  /** The request's nonce extnValue, echoed as it came (null: no nonce extension). */
  readonly nonce: Uint8Array | null;
  readonly signerKey: KeyObject;
  /** Digest of the signature (sha256 unless a test wants another). */
  readonly hash?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** Certificates to include (the delegated responder's own). */
  readonly certs?: readonly Uint8Array[];
  /** Flip a bit of the signature (a forged response). */
  readonly corruptSignature?: boolean;
}

const enc = new TextEncoder();

/** RFC 6960 writes every time as GeneralizedTime YYYYMMDDHHMMSSZ. */
export function generalizedTime(ms: number): Uint8Array {
  const t = new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return d.tlv(Tag.GeneralizedTime, enc.encode(t));
}

function signatureAlgorithm(key: KeyObject, hash: NonNullable<ResponseSpec['hash']>): Uint8Array {
  if (key.asymmetricKeyType === 'rsa') {
    const oid = { sha1: OID.sha1WithRSA, sha256: OID.sha256WithRSA, sha384: OID.sha384WithRSA, sha512: OID.sha512WithRSA }[hash];
    return d.seq(d.oid(oid), d.nullValue());
  }
  if (key.asymmetricKeyType === 'ec') {
    if (hash === 'sha1') throw new RangeError('ECDSA with SHA-1 is not written');
    return d.seq(d.oid({ sha256: OID.ecdsaSha256, sha384: OID.ecdsaSha384, sha512: OID.ecdsaSha512 }[hash]));
  }
  throw new RangeError(`cannot sign OCSP responses with a ${key.asymmetricKeyType} key`);
}

function single(s: SingleSpec): Uint8Array {
  let status: Uint8Array;
  if (s.status === 'good') status = d.implicit(0, new Uint8Array(0));
  else if (s.status === 'unknown') status = d.implicit(2, new Uint8Array(0));
  else {
    const reason = s.reason === null || s.reason === undefined ? [] : [d.explicit(0, d.enumerated(s.reason))];
    status = d.tlv(0xa1, generalizedTime(s.revokedAt ?? s.thisUpdate), ...reason);
  }
  const next = s.nextUpdate === null ? [] : [d.explicit(0, generalizedTime(s.nextUpdate))];
  return d.seq(encodeCertId(s.id), status, generalizedTime(s.thisUpdate), ...next);
}

/** The ResponseData (what is signed). */
export function responseData(spec: ResponseSpec): Uint8Array {
  const rid = spec.responderId.kind === 'name' ? d.explicit(1, spec.responderId.name) : d.explicit(2, d.octets(spec.responderId.keyHash));
  const exts = spec.nonce ? [d.explicit(1, d.seq(d.seq(d.oid(OCSP_OID.nonce), d.octets(spec.nonce))))] : [];
  return d.seq(rid, generalizedTime(spec.producedAt), d.seq(...spec.responses.map(single)), ...exts);
}

/** A successful OCSPResponse carrying a signed BasicOCSPResponse. */
export function writeOcspResponse(spec: ResponseSpec): Uint8Array {
  const tbs = responseData(spec);
  const hash = spec.hash ?? 'sha256';
  const sig = new Uint8Array(sign(hash, tbs, spec.signerKey));
  if (spec.corruptSignature) sig[sig.length - 1] ^= 1;
  const certs = spec.certs?.length ? [d.explicit(0, d.seq(...spec.certs))] : [];
  const basic = d.seq(tbs, signatureAlgorithm(spec.signerKey, hash), d.bitString(sig), ...certs);
  return d.seq(d.enumerated(RESPONSE_STATUS.successful), d.explicit(0, d.seq(d.oid(OCSP_OID.basic), d.octets(basic))));
}

/** An unsuccessful OCSPResponse: the status alone. */
export function errorResponse(status: Exclude<(typeof RESPONSE_STATUS)[keyof typeof RESPONSE_STATUS], 0>): Uint8Array {
  return d.seq(d.enumerated(status));
}
