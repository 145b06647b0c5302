// core/crl-check.ts directly: RFC 5280 §6.3 over in-memory CRLs (scope, reasons, deltas, CRL
// issuers, usability), with certificates and CRLs built here.
import { describe, expect, it } from 'vitest';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { parseCertificate, type Certificate } from '../../src/core/certificate.js';
import { parseCrl } from '../../src/core/crl.js';
import { CrlSetChecker } from '../../src/core/crl-check.js';
import * as w from '../../src/core/der-writer.js';
import { certificateIssuerExt, crl, dn, ext, gn, leafCert, makeKey, rootCa, subCa, type CrlInput, type Der } from '../helpers/x509.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const [rk, ck, sk, lk] = Array.from({ length: 4 }, () => makeKey({ kind: 'ec', curve: 'P-256' }));
const root = rootCa(dn(['CN', 'CRL Root']), rk, NOW);
const ca = subCa(root, dn(['CN', 'CRL CA']), ck, NOW);
const rootCert = parseCertificate(root.der);
const caCert = parseCertificate(ca.der);
const anchors = new CertificatePool([rootCert]);

const leaf = (serial: bigint, extensions: Der[] = []): Certificate =>
  parseCertificate(leafCert(ca, dn(['CN', `leaf ${serial}`]), lk, NOW, { serial, extensions }));
const caCrl = (o: Partial<CrlInput> = {}) => parseCrl(crl({ issuer: ca.name, signer: ck, thisUpdate: NOW - DAY, ...o }));
const checker = (crls: ReturnType<typeof parseCrl>[], extra: Certificate[] = []) =>
  new CrlSetChecker(crls, { anchors, intermediates: new CertificatePool([caCert, ...extra]) });
/** The root's CRL: a CRL signer other than the CA is validated with revocation, so it needs one. */
const rootCrl = parseCrl(crl({ issuer: root.name, signer: rk, thisUpdate: NOW - DAY }));
const statusOf = (c: CrlSetChecker, cert: Certificate, issuer = caCert) => c.check(cert, issuer, NOW);
const revoke = (serial: bigint, reason?: number) => ({ serial, revokedAt: NOW - 2 * DAY, reason });

describe('CrlSetChecker', () => {
  it('good, revoked (with reason and date) and unknown when no CRL is in scope', () => {
    const c = checker([caCrl({ entries: [revoke(5n, 1)] })]);
    expect(statusOf(c, leaf(4n))).toMatchObject({ status: 'good', source: { issuer: 'CN=CRL CA' } });
    expect(statusOf(c, leaf(5n))).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revokedAt: NOW - 2 * DAY });
    expect(statusOf(checker([]), leaf(4n)).status).toBe('unknown');
    // A CRL of another issuer listing the same serial does not apply.
    expect(statusOf(checker([parseCrl(crl({ issuer: root.name, signer: rk, thisUpdate: NOW - DAY, entries: [revoke(5n)] }))]), leaf(5n)).status).toBe(
      'unknown',
    );
  });

  it('a CRL past nextUpdate or not yet issued, without cRLNumber, badly signed, by a key without cRLSign, or with an unknown critical entry extension is not used', () => {
    const unusable = [
      caCrl({ thisUpdate: NOW - 3 * DAY, nextUpdate: NOW - DAY }),
      caCrl({ thisUpdate: NOW + 60_000, nextUpdate: NOW + DAY }), // issued after the validation time
      caCrl({ number: null }),
      caCrl({ badSignature: true }),
      parseCrl(
        crl({
          issuer: ca.name,
          signer: ck,
          thisUpdate: NOW - DAY,
          entries: [{ ...revoke(9n), extensions: [ext.raw('1.3.6.1.4.1.55555.3', true, w.nullValue())] }],
        }),
      ),
    ];
    for (const c of unusable) expect(statusOf(checker([c]), leaf(4n)).status).toBe('unknown');
    const noCrlSign = subCa(root, dn(['CN', 'No cRLSign CA']), ck, NOW, {
      replace: [ext.basicConstraints(true), ext.keyUsage([5]), ext.ski(ck.keyId), ext.aki(rk.keyId)],
    });
    const nc = parseCertificate(noCrlSign.der);
    const crlOf = parseCrl(crl({ issuer: noCrlSign.name, signer: ck, thisUpdate: NOW - DAY }));
    const l = parseCertificate(leafCert(noCrlSign, dn(['CN', 'l']), lk, NOW));
    expect(new CrlSetChecker([crlOf], { anchors, intermediates: new CertificatePool([nc]) }).check(l, nc, NOW).status).toBe('unknown');
  });

  it('IDP scope: only user certificates, only CA certificates, only attribute certificates', () => {
    expect(statusOf(checker([caCrl({ idp: { onlyUser: true } })]), leaf(4n)).status).toBe('good');
    expect(statusOf(checker([caCrl({ idp: { onlyCA: true } })]), leaf(4n)).status).toBe('unknown');
    const rootCrl = (idp: CrlInput['idp']) => parseCrl(crl({ issuer: root.name, signer: rk, thisUpdate: NOW - DAY, idp }));
    expect(new CrlSetChecker([rootCrl({ onlyCA: true })], { anchors }).check(caCert, rootCert, NOW).status).toBe('good');
    expect(new CrlSetChecker([rootCrl({ onlyUser: true })], { anchors }).check(caCert, rootCert, NOW).status).toBe('unknown');
  });

  it('distribution point names must meet the IDP names', () => {
    const dp = ext.crlDistributionPoints([{ fullName: [gn.uri('http://crl.example/ca1.crl')] }]);
    const idpFor = (u: string) => caCrl({ idp: { fullName: [gn.uri(u)] } });
    expect(statusOf(checker([idpFor('http://crl.example/ca1.crl')]), leaf(4n, [dp])).status).toBe('good');
    expect(statusOf(checker([idpFor('http://crl.example/ca2.crl')]), leaf(4n, [dp])).status).toBe('unknown');
    // A certificate without a distribution point is covered only by a CRL naming none.
    expect(statusOf(checker([idpFor('http://crl.example/ca1.crl')]), leaf(4n)).status).toBe('unknown');
  });

  it('reasons: status is known only once every reason is covered', () => {
    const key = [1]; // keyCompromise
    const others = [2, 3, 4, 5, 6, 7, 8]; // ReasonFlags bit 7 is privilegeWithdrawn
    const partial = caCrl({ number: 1n, idp: { onlySomeReasons: key } });
    const rest = caCrl({ number: 2n, idp: { onlySomeReasons: others } });
    expect(statusOf(checker([partial]), leaf(4n)).status).toBe('unknown');
    expect(statusOf(checker([partial, rest]), leaf(4n)).status).toBe('good');
    // A distribution point for some reasons only leaves the other reasons uncovered: still unknown.
    const dp = ext.crlDistributionPoints([{ fullName: [gn.uri('http://crl.example/k.crl')], reasons: key }]);
    expect(statusOf(checker([caCrl({ idp: { fullName: [gn.uri('http://crl.example/k.crl')], onlySomeReasons: key } })]), leaf(4n, [dp])).status).toBe(
      'unknown',
    );
  });

  it('delta CRLs: a newer delta revokes, removeFromCRL un-revokes, a delta over another base is ignored', () => {
    const base = caCrl({ number: 10n, entries: [revoke(7n, 6)] });
    const delta = (o: Partial<CrlInput>) => caCrl({ number: 11n, deltaOf: 10n, ...o });
    expect(statusOf(checker([base, delta({ entries: [revoke(4n, 1)] })]), leaf(4n))).toMatchObject({ status: 'revoked', source: { crlNumber: '0b' } });
    expect(statusOf(checker([base, delta({ entries: [revoke(7n, 8)] })]), leaf(7n)).status).toBe('good');
    expect(statusOf(checker([base]), leaf(7n))).toMatchObject({ status: 'revoked', reason: 'certificateHold' });
    expect(statusOf(checker([base, caCrl({ number: 11n, deltaOf: 12n, entries: [revoke(4n, 1)] })]), leaf(4n)).status).toBe('good');
    expect(
      new CrlSetChecker([base, delta({ entries: [revoke(4n, 1)] })], { anchors, intermediates: new CertificatePool([caCert]), useDeltas: false }).check(
        leaf(4n),
        caCert,
        NOW,
      ).status,
    ).toBe('good');
  });

  it('a separate CRL signer needs a valid path of its own and cRLSign', () => {
    const signerName = dn(['CN', 'CRL CA']); // same name as the CA, another key
    const signer = subCa(root, signerName, sk, NOW, {
      serial: 9n,
      replace: [ext.basicConstraints(true), ext.keyUsage([6]), ext.ski(sk.keyId), ext.aki(rk.keyId)],
    });
    const signed = parseCrl(crl({ issuer: signerName, signer: sk, thisUpdate: NOW - DAY, entries: [revoke(5n)] }));
    expect(statusOf(checker([signed], [parseCertificate(signer.der)]), leaf(5n)).status).toBe('unknown'); // signer's own status unknown
    expect(statusOf(checker([signed, rootCrl], [parseCertificate(signer.der)]), leaf(5n)).status).toBe('revoked');
    // The same signer certificate, expired: its CRL is not trusted.
    const expired = parseCertificate(
      subCa(root, signerName, sk, NOW - 700 * DAY, {
        serial: 10n,
        replace: [ext.basicConstraints(true), ext.keyUsage([6]), ext.ski(sk.keyId), ext.aki(rk.keyId)],
      }).der,
    );
    expect(statusOf(checker([signed, rootCrl], [expired]), leaf(5n)).status).toBe('unknown');
  });

  it('indirect CRLs: entries carry their certificate issuer forward (§5.3.3)', () => {
    const indirectName = dn(['CN', 'Indirect issuer']);
    const issuer = subCa(root, indirectName, sk, NOW, {
      serial: 11n,
      replace: [ext.basicConstraints(true), ext.keyUsage([6]), ext.ski(sk.keyId), ext.aki(rk.keyId)],
    });
    const dp = ext.crlDistributionPoints([{ crlIssuer: [gn.dir(indirectName)] }]);
    const indirect = parseCrl(
      crl({
        issuer: indirectName,
        signer: sk,
        thisUpdate: NOW - DAY,
        idp: { indirect: true },
        // 6 is the CRL issuer's own; from 5 on the entries name the CA, 8 by carrying forward.
        entries: [revoke(6n), { ...revoke(5n), extensions: [certificateIssuerExt([gn.dir(ca.name)])] }, revoke(8n)],
      }),
    );
    const c = checker([indirect, rootCrl], [parseCertificate(issuer.der)]);
    expect(statusOf(c, leaf(5n, [dp])).status).toBe('revoked');
    expect(statusOf(c, leaf(8n, [dp])).status).toBe('revoked');
    expect(statusOf(c, leaf(6n, [dp])).status).toBe('good');
    // A CRL not marked indirect cannot speak for another issuer.
    const direct = parseCrl(crl({ issuer: indirectName, signer: sk, thisUpdate: NOW - DAY, entries: [revoke(5n)] }));
    expect(statusOf(checker([direct, rootCrl], [parseCertificate(issuer.der)]), leaf(5n, [dp])).status).toBe('unknown');
  });

  it('each checker names its data version', () => {
    const a = checker([caCrl()]);
    const b = checker([caCrl()]);
    expect(a.dataVersion).toBeTruthy();
    expect(a.dataVersion).not.toBe(b.dataVersion);
  });
});
