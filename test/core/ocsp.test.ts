import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/core/certificate.js';
import { certIdFor, certIdKey, certIdMatches, ocspUrls } from '../../src/core/ocsp-certid.js';
import { checkOcspResponse, type OcspAnswer, type OcspCheckOptions } from '../../src/core/ocsp-check.js';
import { OcspError, type OcspFailure } from '../../src/core/ocsp-failure.js';
import { OcspRequestError, encodeOcspRequest, nonceValue, parseOcspRequest } from '../../src/core/ocsp-request.js';
import { MAX_SINGLE_RESPONSES, parseOcspResponse } from '../../src/core/ocsp-response.js';
import * as d from '../../src/core/der-writer.js';
import { RESPONSE_STATUS, errorResponse } from '../../src/dev/sim/ocsp-writer.js';
import { makeResponder, respond } from '../helpers/ocsp.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';

const pki = makeTestPki();
const root = pki.root('auth-gen3');
const ca = parseCertificate(root.cert);
const responder = makeResponder(root);
const leaf = pki.issue({ purpose: 'authentication', ocspUrl: 'http://ocspauthnorm.jpki.go.jp' });
const other = pki.issue({ purpose: 'authentication' });
const nonce = randomBytes(32);
const opts: OcspCheckOptions = { time: NOW, skewMs: 300_000, maxAgeMs: 3_600_000, nonce: null, url: 'http://responder.test/' };

/** Parses and checks a response for `serials` of the gen-3 root. */
function check(der: Uint8Array, serials = [leaf.cert.serial], o: Partial<OcspCheckOptions> = {}): (OcspAnswer | OcspError)[] {
  return checkOcspResponse(parseOcspResponse(der), ca, serials, { ...opts, ...o });
}
function failure(fn: () => unknown): OcspFailure {
  try {
    fn();
  } catch (err) {
    if (err instanceof OcspError) return err.code;
    throw err;
  }
  throw new Error('no OcspError');
}

describe('CertID and requests', () => {
  it('names a certificate by issuer name and key hashes and serial, in SHA-1 or SHA-256', () => {
    for (const hash of ['sha1', 'sha256'] as const) {
      const id = certIdFor(ca, leaf.cert.serial, hash);
      expect(id.issuerNameHash.length).toBe(hash === 'sha1' ? 20 : 32);
      expect(certIdMatches(id, ca, leaf.cert.serial)).toBe(true);
      expect(certIdMatches(id, ca, other.cert.serial)).toBe(false);
      // Another generation shares the DN but not the key.
      expect(certIdMatches(id, parseCertificate(pki.root('auth-gen2').cert), leaf.cert.serial)).toBe(false);
    }
    expect(certIdKey(certIdFor(ca, leaf.cert.serial))).not.toBe(certIdKey(certIdFor(ca, leaf.cert.serial, 'sha256')));
  });

  it('encodes several CertIDs and a nonce, and reads them back', () => {
    const ids = [certIdFor(ca, leaf.cert.serial), certIdFor(ca, other.cert.serial, 'sha256')];
    const req = parseOcspRequest(encodeOcspRequest(ids, nonce));
    expect(req.ids.map(certIdKey)).toEqual(ids.map(certIdKey));
    expect(Buffer.from(req.nonce!).equals(Buffer.from(nonceValue(nonce)))).toBe(true);
    expect(parseOcspRequest(encodeOcspRequest(ids.slice(0, 1), null)).nonce).toBeNull();
  });

  it('refuses malformed requests with a typed error', () => {
    const good = encodeOcspRequest([certIdFor(ca, leaf.cert.serial)], nonce);
    for (let n = 0; n < good.length; n++) expect(() => parseOcspRequest(good.subarray(0, n))).toThrow(OcspRequestError);
    expect(() => parseOcspRequest(d.seq(d.seq(d.seq())))).toThrow(OcspRequestError); // empty requestList
  });

  it('reads OCSP responder URLs from authorityInfoAccess', () => {
    expect(ocspUrls(leaf.cert)).toEqual(['http://ocspauthnorm.jpki.go.jp']);
    expect(ocspUrls(other.cert)).toEqual([]);
  });
});

describe('responses: statuses', () => {
  it('good, revoked (reason and time) and unknown, signed by the CA itself', () => {
    const third = pki.issue({ purpose: 'authentication' });
    const der = respond(root, [
      { serial: leaf.cert.serial },
      { serial: other.cert.serial, status: 'revoked', revokedAt: NOW - DAY, reason: 1 },
      { serial: third.cert.serial, status: 'unknown' },
    ]);
    const [a, b, c] = check(der, [leaf.cert.serial, other.cert.serial, third.cert.serial]) as OcspAnswer[];
    expect(a).toMatchObject({ status: 'good', source: { kind: 'ocsp', url: opts.url, producedAt: NOW, thisUpdate: NOW - 60_000 } });
    expect(a.source.responder).toContain('JPKI for user authentication');
    expect(b).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revokedAt: NOW - DAY });
    expect(c).toMatchObject({ status: 'unknown' });
  });

  it('a revoked entry without a reason reads as unspecified', () => {
    const [a] = check(respond(root, [{ serial: leaf.cert.serial, status: 'revoked', revokedAt: NOW - DAY, reason: null }])) as OcspAnswer[];
    expect(a).toMatchObject({ status: 'revoked', reason: 'unspecified' });
  });

  it('a delegated responder (id-kp-OCSPSigning, nocheck), named by name or by key', () => {
    for (const byKey of [false, true]) {
      const [a] = check(respond(root, [{ serial: leaf.cert.serial }], { by: responder, byKey })) as OcspAnswer[];
      expect(a.status).toBe('good');
      expect(a.source.responder).toContain('OCSP Responder auth-gen3');
    }
  });

  it('a delegated responder with an ECDSA P-384 key (ecdsa-with-SHA384)', () => {
    const ec = makeResponder(root, { ec: true });
    const [a] = check(respond(root, [{ serial: leaf.cert.serial }], { by: ec, hash: 'sha384' })) as OcspAnswer[];
    expect(a.status).toBe('good');
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { by: ec, hash: 'sha384', corruptSignature: true })))).toBe('bad_signature');
  });

  it('a CertID in SHA-256 is matched too', () => {
    expect(check(respond(root, [{ serial: leaf.cert.serial, hash: 'sha256' }]))[0]).toMatchObject({ status: 'good' });
  });

  it('each responder error status is its own typed failure', () => {
    const codes: [number, OcspFailure][] = [
      [RESPONSE_STATUS.malformedRequest, 'malformed_request'],
      [RESPONSE_STATUS.internalError, 'internal_error'],
      [RESPONSE_STATUS.tryLater, 'try_later'],
      [RESPONSE_STATUS.sigRequired, 'sig_required'],
      [RESPONSE_STATUS.unauthorized, 'unauthorized'],
    ];
    for (const [status, code] of codes) expect(failure(() => parseOcspResponse(errorResponse(status as 1)))).toBe(code);
    expect(failure(() => parseOcspResponse(d.seq(d.enumerated(4))))).toBe('malformed_response');
  });
});

describe('responses: refused', () => {
  const good = respond(root, [{ serial: leaf.cert.serial }], { by: responder });

  it('truncated at any length, or with bytes after it', () => {
    for (let n = 0; n < good.length; n++)
      expect(
        failure(() => parseOcspResponse(good.subarray(0, n))),
        `${n} bytes`,
      ).toBe('malformed_response');
    expect(failure(() => parseOcspResponse(Uint8Array.from([...good, 0])))).toBe('malformed_response');
  });

  it('a response type other than basic', () => {
    const der = d.seq(d.enumerated(0), d.explicit(0, d.seq(d.oid('1.2.3.4'), d.octets(new Uint8Array(1)))));
    expect(failure(() => parseOcspResponse(der))).toBe('unsupported_response');
  });

  it('oversized: more single responses than the bound', () => {
    const many = Array.from({ length: MAX_SINGLE_RESPONSES + 1 }, (_, i) => ({ serial: d.integer(i + 1).subarray(2) }));
    expect(failure(() => parseOcspResponse(respond(root, many)))).toBe('malformed_response');
  });

  it('forged: a signature that does not verify', () => {
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { by: responder, corruptSignature: true })))).toBe('bad_signature');
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { corruptSignature: true })))).toBe('bad_signature');
    // Signed by another key while naming the CA.
    const forger = makeResponder(root);
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { signerKey: forger.key })))).toBe('bad_signature');
  });

  it('SHA-1 signatures are refused unless allowed', () => {
    const der = respond(root, [{ serial: leaf.cert.serial }], { by: responder, hash: 'sha1' });
    expect(failure(() => check(der))).toBe('weak_signature');
    expect(check(der, undefined, { allowSha1: true })[0]).toMatchObject({ status: 'good' });
  });

  it('wrong responder: delegated by another root, without OCSPSigning, expired, or not named', () => {
    const gen2 = makeResponder(pki.root('auth-gen2'));
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { by: gen2 })))).toBe('unauthorized_responder');
    const signingRoot = makeResponder(pki.root('sign-gen3'));
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { by: signingRoot })))).toBe('unauthorized_responder');
    const noEku = makeResponder(root, { ocspSigning: false });
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { by: noEku })))).toBe('unauthorized_responder');
    const expired = makeResponder(root, { notAfter: NOW - DAY });
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { by: expired })))).toBe('unauthorized_responder');
    // The responder ID names a certificate the response does not carry.
    const der = respond(root, [{ serial: leaf.cert.serial }], { by: responder, certs: [] });
    expect(failure(() => check(der))).toBe('unauthorized_responder');
  });

  it('a responder without id-pkix-ocsp-nocheck needs a known-good status of its own', () => {
    const plain = makeResponder(root, { noCheck: false });
    const der = respond(root, [{ serial: leaf.cert.serial }], { by: plain });
    expect(failure(() => check(der))).toBe('unauthorized_responder');
    expect(failure(() => check(der, undefined, { responderStatus: () => 'revoked' }))).toBe('unauthorized_responder');
    expect(check(der, undefined, { responderStatus: () => 'good' })[0]).toMatchObject({ status: 'good' });
  });

  it('nonce: missing or another one', () => {
    const none = respond(root, [{ serial: leaf.cert.serial }], { by: responder });
    expect(failure(() => check(none, undefined, { nonce }))).toBe('nonce_mismatch');
    const wrong = respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceValue(randomBytes(32)) });
    expect(failure(() => check(wrong, undefined, { nonce }))).toBe('nonce_mismatch');
    const right = respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceValue(nonce) });
    expect(check(right, undefined, { nonce })[0]).toMatchObject({ status: 'good' });
  });

  it('stale or from the future, within the skew allowed', () => {
    const at = (thisUpdate: number, nextUpdate: number | null) =>
      check(respond(root, [{ serial: leaf.cert.serial, thisUpdate, nextUpdate }], { by: responder, producedAt: Math.min(thisUpdate, NOW) }))[0];
    const code = (r: unknown) => (r instanceof OcspError ? r.code : (r as OcspAnswer).status);
    expect(code(at(NOW - 2 * DAY, NOW - DAY))).toBe('stale');
    expect(code(at(NOW - 2 * DAY, NOW - 200_000))).toBe('good'); // past nextUpdate, within 5 min skew
    expect(code(at(NOW + 600_000, NOW + DAY))).toBe('not_yet_valid');
    expect(code(at(NOW + 200_000, NOW + DAY))).toBe('good');
    expect(code(at(NOW - 7_200_000, null))).toBe('stale'); // no nextUpdate, older than maxAge
    expect(code(at(NOW - 60_000, null))).toBe('good');
    expect(failure(() => check(respond(root, [{ serial: leaf.cert.serial }], { by: responder, producedAt: NOW + DAY })))).toBe('not_yet_valid');
  });

  it('a response that does not answer for the certificate asked about', () => {
    const [a, b] = check(respond(root, [{ serial: other.cert.serial }], { by: responder }), [leaf.cert.serial, other.cert.serial]);
    expect(a).toBeInstanceOf(OcspError);
    expect((a as OcspError).code).toBe('missing_status');
    expect(b).toMatchObject({ status: 'good' });
  });
});
