// OCSP responses (RFC 6960 §4.2.1): the outer status, then a BasicOCSPResponse read with the
// bounded DER reader. Parsing only checks structure; whether the answer can be believed (signer,
// signature, times, nonce) is ocsp-check.ts. Everything malformed is an OcspError, never a
// RangeError or a half-read answer.
import { readAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithms.js';
import { CertificateError, parseCertificate, type Certificate } from './certificate.js';
import { DerError, DerReader, Tag, ctx } from './der.js';
import { parseName, type Name } from './name.js';
import { readCertId, type CertId } from './ocsp-certid.js';
import { OcspError, type OcspFailure } from './ocsp-failure.js';
import { OCSP_OID } from './ocsp-certid.js';
import { readExtensions } from './ocsp-request.js';
import { REASONS } from './crl.js';
import { decodeTime } from './time.js';
import type { RevocationReason } from './verdict.js';

/** Bounds on what one response may hold: far above a real answer, far below a memory attack. */
export const MAX_SINGLE_RESPONSES = 1024;
export const MAX_RESPONSE_CERTS = 8;

/** OCSPResponseStatus values other than successful(0), as failure codes (4 is unassigned). */
const ERROR_STATUS: Readonly<Record<number, OcspFailure>> = {
  1: 'malformed_request',
  2: 'internal_error',
  3: 'try_later',
  5: 'sig_required',
  6: 'unauthorized',
};

export type ResponderId = { readonly kind: 'name'; readonly name: Name } | { readonly kind: 'key'; readonly keyHash: Uint8Array };

export interface SingleResponse {
  readonly id: CertId;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt: number | null;
  readonly reason: RevocationReason | null;
  readonly thisUpdate: number;
  readonly nextUpdate: number | null;
}

export interface BasicResponse {
  /** ResponseData as signed. */
  readonly tbs: Uint8Array;
  readonly responderId: ResponderId;
  readonly producedAt: number;
  readonly responses: readonly SingleResponse[];
  /** The nonce extension's extnValue contents, or null. */
  readonly nonce: Uint8Array | null;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly certs: readonly Certificate[];
}

/** RFC 6960 uses GeneralizedTime only. */
function generalizedTime(r: DerReader, what: string): number {
  const e = r.expect(Tag.GeneralizedTime, what);
  return decodeTime(r.buf, e);
}

/** Parses an OCSPResponse. A responder error status is an OcspError with that status's code. */
export function parseOcspResponse(der: Uint8Array): BasicResponse {
  try {
    return parse(der);
  } catch (err) {
    if (err instanceof DerError) throw new OcspError('malformed_response', err.message);
    if (err instanceof CertificateError) throw new OcspError('malformed_response', `certificate in the response: ${err.message}`);
    throw err;
  }
}

function parse(der: Uint8Array): BasicResponse {
  const top = new DerReader(der);
  const outer = top.sequence('OCSPResponse');
  top.done();
  const se = outer.expect(Tag.ENUMERATED, 'responseStatus');
  const sv = outer.value(se);
  if (sv.length !== 1) throw new DerError('bad_value', 'responseStatus', se.start);
  const status = sv[0];
  if (status !== 0) {
    const code = ERROR_STATUS[status];
    if (!code) throw new DerError('bad_value', `unknown responseStatus ${status}`, se.start);
    // An error status carries no responseBytes (§4.2.1); anything after it is still malformed.
    outer.done();
    throw new OcspError(code, `the responder answered ${code}`);
  }
  const be = outer.expect(ctx(0, true), 'responseBytes');
  outer.done();
  const bw = outer.enter(be);
  const rb = bw.sequence('ResponseBytes');
  bw.done();
  const type = rb.oid('responseType');
  const inner = rb.octetString('response');
  rb.done();
  if (type !== OCSP_OID.basic) throw new OcspError('unsupported_response', `response type ${type}`);
  return parseBasic(inner);
}

function parseBasic(der: Uint8Array): BasicResponse {
  const top = new DerReader(der);
  const basic = top.sequence('BasicOCSPResponse');
  top.done();
  const tbsEl = basic.expect(Tag.SEQUENCE, 'tbsResponseData');
  const signatureAlgorithm = readAlgorithmIdentifier(basic, 'signatureAlgorithm');
  const sig = basic.bitString('signature');
  if (sig.unused !== 0) throw new DerError('bad_value', 'signature has unused bits', tbsEl.end);
  const certs: Certificate[] = [];
  const ce = basic.optional(ctx(0, true));
  if (ce) {
    const cw = basic.enter(ce);
    const list = cw.sequence('certs');
    cw.done();
    while (list.hasMore()) {
      if (certs.length === MAX_RESPONSE_CERTS) throw new DerError('bad_value', `more than ${MAX_RESPONSE_CERTS} certificates`, list.pos);
      certs.push(parseCertificate(list.raw(list.expect(Tag.SEQUENCE, 'Certificate')).slice()));
    }
  }
  basic.done();

  const t = basic.enter(tbsEl);
  const ve = t.optional(ctx(0, true));
  if (ve) {
    const vr = t.enter(ve);
    if (vr.smallInt('version') !== 0) throw new DerError('bad_value', 'ResponseData version must be v1', ve.start);
    vr.done();
  }
  const responderId = readResponderId(t);
  const producedAt = generalizedTime(t, 'producedAt');
  const list = t.sequence('responses');
  const responses: SingleResponse[] = [];
  while (list.hasMore()) {
    if (responses.length === MAX_SINGLE_RESPONSES) throw new DerError('bad_value', `more than ${MAX_SINGLE_RESPONSES} responses`, list.pos);
    responses.push(readSingle(list));
  }
  let nonce: Uint8Array | null = null;
  const ee = t.optional(ctx(1, true));
  if (ee) nonce = readExtensions(t.enter(ee)).nonce;
  t.done();
  return { tbs: basic.raw(tbsEl), responderId, producedAt, responses, nonce, signatureAlgorithm, signature: sig.bytes, certs };
}

function readResponderId(t: DerReader): ResponderId {
  const e = t.next();
  const r = t.enter(e);
  let id: ResponderId;
  if (e.tag === ctx(1, true)) id = { kind: 'name', name: parseName(r, r.expect(Tag.SEQUENCE, 'responderID byName')) };
  else if (e.tag === ctx(2, true)) {
    const keyHash = r.octetString('responderID byKey');
    if (keyHash.length !== 20) throw new DerError('bad_value', 'responderID byKey must be a SHA-1 hash', e.start);
    id = { kind: 'key', keyHash };
  } else throw new DerError('wrong_tag', 'responderID', e.start);
  r.done();
  return id;
}

function readSingle(list: DerReader): SingleResponse {
  const s = list.sequence('SingleResponse');
  const id = readCertId(s);
  const se = s.next();
  let status: SingleResponse['status'];
  let revokedAt: number | null = null;
  let reason: RevocationReason | null = null;
  if (se.tag === ctx(0, false) || se.tag === ctx(2, false)) {
    if (se.end !== se.valueStart) throw new DerError('bad_value', 'certStatus NULL with contents', se.start);
    status = se.tag === ctx(0, false) ? 'good' : 'unknown';
  } else if (se.tag === ctx(1, true)) {
    status = 'revoked';
    const ri = s.enter(se);
    revokedAt = generalizedTime(ri, 'revocationTime');
    const re = ri.optional(ctx(0, true));
    if (re) {
      const rr = ri.enter(re);
      const v = rr.value(rr.expect(Tag.ENUMERATED, 'revocationReason'));
      rr.done();
      const name = v.length === 1 ? REASONS[v[0]] : null;
      if (!name) throw new DerError('bad_value', 'unknown revocationReason', re.start);
      reason = name;
    }
    ri.done();
  } else throw new DerError('wrong_tag', 'certStatus', se.start);
  const thisUpdate = generalizedTime(s, 'thisUpdate');
  let nextUpdate: number | null = null;
  const ne = s.optional(ctx(0, true));
  if (ne) {
    const nr = s.enter(ne);
    nextUpdate = generalizedTime(nr, 'nextUpdate');
    nr.done();
  }
  const xe = s.optional(ctx(1, true));
  if (xe) readExtensions(s.enter(xe)); // none understood; an unknown critical one is refused
  s.done();
  return { id, status, revokedAt, reason, thisUpdate, nextUpdate };
}
