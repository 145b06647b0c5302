// Whether an OCSP response can be believed, and what it says about each certificate asked about
// (RFC 6960 §3.2, §4.2.2.2): signed by the issuing CA or by a responder it delegated to
// (id-kp-OCSPSigning, issued by that CA, id-pkix-ocsp-nocheck or a known-good status), a
// signature that verifies, the nonce sent, and times within the allowed clock skew. Time comes in
// as a parameter.
import { createHash } from 'node:crypto';
import { AlgorithmError, resolveSignatureAlgorithm } from './algorithms.js';
import { signatureAlgorithmsMatch, type Certificate } from './certificate.js';
import { bytesEqual } from './der.js';
import { KeyUsage } from './extensions.js';
import { formatName, namesMatch } from './name.js';
import { OCSP_OID, certIdMatches } from './ocsp-certid.js';
import { OcspError } from './ocsp-failure.js';
import { nonceValue } from './ocsp-request.js';
import type { BasicResponse, ResponderId, SingleResponse } from './ocsp-response.js';
import { KeyError, certificateKey, verifyData } from './signature.js';
import { floorToSecond } from './time.js';
import type { OcspSource, RevocationReason, RevocationStatus } from './verdict.js';

export interface OcspCheckOptions {
  /** Validation time, epoch ms. */
  readonly time: number;
  /** Clock skew allowed against the responder's clock (ocsp.skewSec). */
  readonly skewMs: number;
  /** A response without nextUpdate counts as stale once its thisUpdate is older than this. */
  readonly maxAgeMs: number;
  /** The nonce sent (its raw bytes), or null when none was. */
  readonly nonce: Uint8Array | null;
  /** The responder's URL, recorded in the answer's source. */
  readonly url: string;
  /** The status of a delegated responder's certificate that lacks id-pkix-ocsp-nocheck (the CRL
   *  index); without it such a responder is refused. */
  readonly responderStatus?: (responder: Certificate, issuer: Certificate) => RevocationStatus['status'];
  /** Accept responses signed with SHA-1 (off: a nonce chosen by the requester is a chosen prefix). */
  readonly allowSha1?: boolean;
}

/** What the response says about one certificate. */
export interface OcspAnswer {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt: number | null;
  readonly reason: RevocationReason | null;
  readonly source: OcspSource;
}

/**
 * Checks the signer, signature, nonce and producedAt of `resp` (an OcspError if any fails), then
 * answers for each serial of `issuer`: an OcspAnswer, or an OcspError (missing, stale or from the
 * future) for that certificate alone.
 */
export function checkOcspResponse(
  resp: BasicResponse,
  issuer: Certificate,
  serials: readonly Uint8Array[],
  opts: OcspCheckOptions,
): (OcspAnswer | OcspError)[] {
  const signer = findSigner(resp, issuer, opts);
  checkSignature(resp, signer, opts);
  if (opts.nonce) {
    if (!resp.nonce) throw new OcspError('nonce_mismatch', 'the response carries no nonce');
    if (!bytesEqual(resp.nonce, nonceValue(opts.nonce))) throw new OcspError('nonce_mismatch', 'the response carries another nonce');
  }
  if (resp.producedAt > opts.time + opts.skewMs) throw new OcspError('not_yet_valid', `producedAt ${iso(resp.producedAt)} is in the future`);
  const responder = formatName(signer.subject);
  return serials.map((serial) => {
    const single = resp.responses.find((s) => certIdMatches(s.id, issuer, serial));
    if (!single) return new OcspError('missing_status', 'no SingleResponse for this certificate');
    const late = freshness(single, opts);
    if (late) return late;
    return {
      status: single.status,
      revokedAt: single.revokedAt,
      reason: single.status === 'revoked' ? (single.reason ?? 'unspecified') : null,
      source: { kind: 'ocsp', responder, url: opts.url, producedAt: resp.producedAt, thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate },
    };
  });
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** §4.2.2.1: thisUpdate not ahead of now, nextUpdate not behind it (each within the skew). */
function freshness(s: SingleResponse, opts: OcspCheckOptions): OcspError | null {
  const { time, skewMs } = opts;
  if (s.nextUpdate !== null && s.nextUpdate < s.thisUpdate) return new OcspError('malformed_response', 'nextUpdate before thisUpdate');
  if (s.thisUpdate > time + skewMs) return new OcspError('not_yet_valid', `thisUpdate ${iso(s.thisUpdate)} is in the future`);
  if (s.nextUpdate !== null && s.nextUpdate < time - skewMs) return new OcspError('stale', `nextUpdate ${iso(s.nextUpdate)} has passed`);
  if (s.nextUpdate === null && s.thisUpdate < time - skewMs - opts.maxAgeMs) {
    return new OcspError('stale', `thisUpdate ${iso(s.thisUpdate)} is older than ${opts.maxAgeMs / 1000} s and there is no nextUpdate`);
  }
  return null;
}

function idNames(id: ResponderId, cert: Certificate): boolean {
  if (id.kind === 'name') return bytesEqual(id.name.der, cert.subject.der) || namesMatch(id.name, cert.subject);
  return bytesEqual(id.keyHash, createHash('sha1').update(cert.spki.publicKey).digest());
}

/** The certificate whose key must have signed: the CA itself, or a delegated responder. */
function findSigner(resp: BasicResponse, issuer: Certificate, opts: OcspCheckOptions): Certificate {
  if (idNames(resp.responderId, issuer)) return issuer;
  const named = resp.certs.filter((c) => idNames(resp.responderId, c));
  if (named.length === 0) throw new OcspError('unauthorized_responder', 'the responder is not the issuing CA and no certificate in the response names it');
  let why = '';
  for (const c of named) {
    why = delegationProblem(c, issuer, opts);
    if (!why) return c;
  }
  throw new OcspError('unauthorized_responder', why);
}

/** Why `c` may not answer for `issuer`'s certificates, or '' when it may (§4.2.2.2). */
function delegationProblem(c: Certificate, issuer: Certificate, opts: OcspCheckOptions): string {
  if (!namesMatch(c.issuer, issuer.subject)) return `the responder certificate was issued by ${formatName(c.issuer)}, not by the issuing CA`;
  const aki = c.extensions.authorityKeyId?.keyId;
  const ski = issuer.extensions.subjectKeyId;
  if (aki && ski && !bytesEqual(aki, ski)) return 'the responder certificate was issued under another key of the CA';
  if (!c.extensions.extKeyUsage?.includes(OCSP_OID.ocspSigning)) return 'the responder certificate lacks id-kp-OCSPSigning';
  if (c.extensions.keyUsage !== null && !(c.extensions.keyUsage & KeyUsage.digitalSignature))
    return 'the responder certificate does not allow digitalSignature';
  if (c.extensions.unknownCritical.length) return `the responder certificate has unknown critical extensions ${c.extensions.unknownCritical.join(', ')}`;
  const t = floorToSecond(opts.time);
  if (t < c.notBefore || t > c.notAfter) return 'the responder certificate is outside its validity';
  if (!signedBy(c, issuer)) return "the responder certificate's signature does not verify under the CA's key";
  if (!c.extensions.list.some((e) => e.oid === OCSP_OID.noCheck)) {
    const st = opts.responderStatus?.(c, issuer) ?? 'unknown';
    if (st !== 'good') return `the responder certificate has no id-pkix-ocsp-nocheck and its own status is ${st}`;
  }
  return '';
}

function signedBy(c: Certificate, issuer: Certificate): boolean {
  if (!signatureAlgorithmsMatch(c)) return false;
  try {
    return verifyData(resolveSignatureAlgorithm(c.signatureAlgorithm), certificateKey(issuer), c.tbs, c.signature);
  } catch (err) {
    if (err instanceof AlgorithmError || err instanceof KeyError) return false;
    throw err;
  }
}

function checkSignature(resp: BasicResponse, signer: Certificate, opts: OcspCheckOptions): void {
  let scheme;
  try {
    scheme = resolveSignatureAlgorithm(resp.signatureAlgorithm);
  } catch (err) {
    if (err instanceof AlgorithmError) throw new OcspError('weak_signature', err.message);
    throw err;
  }
  if ('hash' in scheme && scheme.hash === 'sha1' && !opts.allowSha1) throw new OcspError('weak_signature', 'the response is signed with SHA-1');
  let key;
  try {
    key = certificateKey(signer);
  } catch (err) {
    if (err instanceof KeyError) throw new OcspError('unauthorized_responder', `the signer's key: ${err.message}`);
    throw err;
  }
  if (!verifyData(scheme, key, resp.tbs, resp.signature)) throw new OcspError('bad_signature', `signature by ${formatName(signer.subject)} does not verify`);
}
