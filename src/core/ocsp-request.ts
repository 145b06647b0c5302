// OCSP requests (RFC 6960 §4.1): encoded by the client, several CertIDs and a nonce in one
// request; parsed by the simulated responder. Requests are never signed here (J-LIS does not ask
// for it; a signed request read by the responder has its signature ignored, as RFC 6960 allows).
import { DerError, DerReader, Tag, ctx } from './der.js';
import * as d from './der-writer.js';
import { OCSP_OID, encodeCertId, readCertId, type CertId } from './ocsp-certid.js';
import { TypedError } from './typed-error.js';

/** Most CertIDs one request may carry: a responder refuses more (DoS bound), the client batches
 *  up to its configured size (ocsp.batchMax), well below. */
export const MAX_CERT_IDS = 256;

/** RFC 8954 §2.1: a nonce is 1 to 32 octets; 32 is what a client should send. */
export const NONCE_LENGTH = 32;

export class OcspRequestError extends TypedError<'malformed_request'> {
  override readonly name = 'OcspRequestError';
}

export interface OcspRequest {
  readonly ids: readonly CertId[];
  /** The nonce extension's extnValue contents (the DER OCTET STRING of the nonce), or null. */
  readonly nonce: Uint8Array | null;
}

/** The nonce extension's extnValue: the nonce as a DER OCTET STRING (RFC 8954 §2.1). */
export function nonceValue(nonce: Uint8Array): Uint8Array {
  return d.octets(nonce);
}

/** An OCSPRequest for `ids`, with a nonce extension when `nonce` is given. */
export function encodeOcspRequest(ids: readonly CertId[], nonce: Uint8Array | null): Uint8Array {
  if (ids.length === 0 || ids.length > MAX_CERT_IDS) throw new RangeError(`an OCSP request carries 1 to ${MAX_CERT_IDS} CertIDs, not ${ids.length}`);
  if (nonce && (nonce.length < 1 || nonce.length > NONCE_LENGTH)) throw new RangeError(`a nonce is 1 to ${NONCE_LENGTH} bytes`);
  const list = d.seq(...ids.map((id) => d.seq(encodeCertId(id))));
  const exts = nonce ? [d.explicit(2, d.seq(d.extension(OCSP_OID.nonce, false, nonceValue(nonce))))] : [];
  return d.seq(d.seq(list, ...exts));
}

/** Reads an OCSPRequest; anything malformed is an OcspRequestError (the responder answers
 *  malformedRequest). */
export function parseOcspRequest(der: Uint8Array): OcspRequest {
  try {
    const top = new DerReader(der);
    const req = top.sequence('OCSPRequest');
    top.done();
    const tbs = req.sequence('tbsRequest');
    const ve = tbs.optional(ctx(0, true));
    if (ve) {
      const vr = tbs.enter(ve);
      if (vr.smallInt('version') !== 0) throw new DerError('bad_value', 'version must be v1', ve.start);
      vr.done();
    }
    tbs.optional(ctx(1, true)); // requestorName: not used
    const list = tbs.sequence('requestList');
    const ids: CertId[] = [];
    while (list.hasMore()) {
      if (ids.length === MAX_CERT_IDS) throw new DerError('bad_value', `more than ${MAX_CERT_IDS} CertIDs`, list.pos);
      const one = list.sequence('Request');
      ids.push(readCertId(one));
      one.optional(ctx(0, true)); // singleRequestExtensions: none understood, none critical here
      one.done();
    }
    if (ids.length === 0) throw new DerError('bad_value', 'empty requestList', list.pos);
    let nonce: Uint8Array | null = null;
    const ee = tbs.optional(ctx(2, true));
    if (ee) nonce = readExtensions(tbs.enter(ee)).nonce;
    tbs.done();
    req.optional(ctx(0, true)); // optionalSignature: ignored
    req.done();
    return { ids, nonce };
  } catch (err) {
    if (err instanceof DerError) throw new OcspRequestError('malformed_request', err.message);
    throw err;
  }
}

/** Reads an OCSP Extensions field: the nonce, and refuses unknown critical extensions. */
export function readExtensions(outer: DerReader): { nonce: Uint8Array | null } {
  const r = outer.sequence('Extensions');
  outer.done();
  let nonce: Uint8Array | null = null;
  while (r.hasMore()) {
    const e = r.sequence('Extension');
    const oid = e.oid('extnID');
    const critical = e.peekTag() === Tag.BOOLEAN ? e.boolean('critical') : false;
    const value = e.octetString('extnValue');
    e.done();
    if (oid === OCSP_OID.nonce) {
      if (nonce) throw new DerError('bad_value', 'two nonce extensions', r.pos);
      nonce = value;
    } else if (critical) throw new DerError('bad_value', `unknown critical extension ${oid}`, r.pos);
  }
  return { nonce };
}
