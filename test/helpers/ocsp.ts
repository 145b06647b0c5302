// OCSP material for tests: delegated responder certificates under the test PKI's roots, and
// responses to order (good, revoked, stale, forged, another nonce, another signer).
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseCertificate, type Certificate } from '../../src/core/certificate.js';
import { certIdFor, type CertId } from '../../src/core/ocsp-certid.js';
import { issueCertificate, responderName, responderSpec, spkiOf } from '../../src/dev/sim/issue.js';
import { generateRsaKey, type RootCA } from '../../src/dev/sim/jlis.js';
import { writeOcspResponse, type ResponseSpec, type SingleSpec } from '../../src/dev/sim/ocsp-writer.js';
import { DAY, NOW } from './pki.js';

export interface Responder {
  readonly der: Uint8Array;
  readonly cert: Certificate;
  readonly key: ReturnType<typeof generateRsaKey>['privateKey'];
}

/** A delegated responder issued by `root` (options make broken ones). */
export function makeResponder(root: RootCA, o: { noCheck?: boolean; ocspSigning?: boolean; notAfter?: number; ec?: boolean } = {}): Responder {
  // The next-generation card's ECDSA P-384, or RSA-2048 as J-LIS signs today.
  const { privateKey, publicKey } = o.ec ? generateKeyPairSync('ec', { namedCurve: 'P-384' }) : generateRsaKey();
  const der = issueCertificate(
    responderSpec({
      serial: BigInt(`0x${randomBytes(6).toString('hex')}`) | 1n,
      issuer: root.name,
      issuerKeyId: root.keyId,
      subject: responderName(root.purpose, root.label),
      notBefore: NOW - 30 * DAY,
      notAfter: o.notAfter ?? NOW + 300 * DAY,
      spki: spkiOf(publicKey),
      noCheck: o.noCheck,
      ocspSigning: o.ocspSigning,
    }),
    root.key,
  );
  return { der, cert: parseCertificate(der), key: privateKey };
}

export interface Answer {
  readonly serial: Uint8Array;
  readonly status?: SingleSpec['status'];
  readonly revokedAt?: number;
  readonly reason?: number | null;
  readonly thisUpdate?: number;
  readonly nextUpdate?: number | null;
  readonly hash?: CertId['hash'];
}

/** A response about certificates of `issuer`, signed by the responder (default) or the CA. */
export function respond(
  issuer: RootCA,
  answers: readonly Answer[],
  o: Partial<Omit<ResponseSpec, 'responses'>> & { by?: Responder | 'ca'; byKey?: boolean } = {},
): Uint8Array {
  const ca = parseCertificate(issuer.cert);
  const by = o.by ?? 'ca';
  const signerCert = by === 'ca' ? ca : by.cert;
  const responderId: ResponseSpec['responderId'] = o.byKey
    ? { kind: 'key', keyHash: new Uint8Array(createHash('sha1').update(signerCert.spki.publicKey).digest()) }
    : { kind: 'name', name: signerCert.subject.der };
  return writeOcspResponse({
    responderId,
    producedAt: NOW,
    nonce: null,
    signerKey: by === 'ca' ? issuer.key : by.key,
    certs: by === 'ca' ? [] : [by.der],
    ...o,
    responses: answers.map((a) => ({
      id: certIdFor(ca, a.serial, a.hash ?? 'sha1'),
      status: a.status ?? 'good',
      revokedAt: a.revokedAt,
      reason: a.reason,
      thisUpdate: a.thisUpdate ?? NOW - 60_000,
      nextUpdate: a.nextUpdate === undefined ? NOW + 3_600_000 : a.nextUpdate,
    })),
  });
}
