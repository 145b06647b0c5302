// The rules behind the conformance classes of issue #17, each shown on certificates and CRLs built
// here (docs/conformance.md): one serial policy, CRL extension criticality, trust anchors as
// inputs, relative distribution point names of indirect CRLs, and the limbo harness skipping an
// unparseable pool certificate.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrustStore } from '../../src/app/trust-store.js';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { parseCertificate, toPem } from '../../src/core/certificate.js';
import { CrlError, CRL_EXTENSION_CRITICALITY, CRL_ENTRY_EXTENSION_CRITICALITY, CRL_EXT, parseCrl } from '../../src/core/crl.js';
import { CrlSetChecker } from '../../src/core/crl-check.js';
import { loadCrl } from '../../src/core/crl-load.js';
import * as w from '../../src/core/der-writer.js';
import { EXT } from '../../src/core/extensions.js';
import { anchorProblem, validatePath } from '../../src/core/path.js';
import { partitionsOf } from '../../src/core/revocation-lookup.js';
import { serialHexProblem, serialProblem } from '../../src/core/serial.js';
import { runLimboCase, type LimboCase } from '../../src/dev/conformance/limbo.js';
import { parseLinkCsv } from '../../src/platform/link-data.js';
import { certificate, certificateIssuerExt, crl, dn, ext, gn, leafCert, makeKey, rootCa, subCa, type Ca } from '../helpers/x509.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const k = Array.from({ length: 4 }, () => makeKey({ kind: 'ec', curve: 'P-256' }));
const root = rootCa(dn(['CN', 'Rules Root']), k[0], NOW);
const anchors = new CertificatePool([parseCertificate(root.der)]);
const verdictOf = (leaf: Uint8Array, o: { anchors?: CertificatePool; intermediates?: Uint8Array[] } = {}) =>
  validatePath(parseCertificate(leaf), {
    time: NOW,
    anchors: o.anchors ?? anchors,
    intermediates: new CertificatePool((o.intermediates ?? []).map(parseCertificate)),
  }).verdict;

describe('serial numbers: one policy (RFC 5280 §4.1.2.2)', () => {
  it('serialProblem: positive and at most 20 content octets', () => {
    expect(serialProblem(Uint8Array.from([1]))).toBeNull();
    expect(serialProblem(Uint8Array.from([0x00, 0xff]))).toBeNull();
    expect(serialProblem(Uint8Array.from([0x7f, ...new Array(19).fill(1)]))).toBeNull(); // PKITS 4.4.16
    expect(serialProblem(Uint8Array.from([0]))).toMatch(/zero/);
    expect(serialProblem(Uint8Array.from([0xff]))).toMatch(/negative/);
    expect(serialProblem(Uint8Array.from([0x00, 0x80, ...new Array(19).fill(1)]))).toMatch(/longer than 20/);
  });

  it('the hex form follows the same bounds', () => {
    expect(serialHexProblem('ff')).toBeNull();
    expect(serialHexProblem('7f' + '01'.repeat(19))).toBeNull();
    expect(serialHexProblem('0')).toMatch(/zero/);
    expect(serialHexProblem('80' + '00'.repeat(19))).toMatch(/longer than 20/);
    expect(serialHexProblem('xyz')).toMatch(/hex/);
  });

  it('path validation refuses a zero, negative or 21-octet serial on the leaf and on an intermediate', () => {
    const bad = [w.integer(0).subarray(2), Uint8Array.from([0xff, 0x01]), Uint8Array.from([0x01, ...new Array(20).fill(7)])];
    for (const serial of bad) {
      expect(verdictOf(leafCert(root, dn(['CN', 'leaf']), k[1], NOW, { serial }))).toMatchObject({ code: 'profile_violation', depth: 0 });
    }
    expect(verdictOf(leafCert(root, dn(['CN', 'leaf']), k[1], NOW, { serial: Uint8Array.from([0x7f, ...new Array(19).fill(7)]) })).code).toBe('ok');
    const ica = subCa(root, dn(['CN', 'ICA zero']), k[2], NOW, { serial: 0n });
    expect(verdictOf(leafCert(ica, dn(['CN', 'leaf']), k[1], NOW), { intermediates: [ica.der] })).toMatchObject({ code: 'profile_violation', depth: 1 });
  });

  it('J-LIS link data is held to the same policy', () => {
    expect(parseLinkCsv('renewal,0a,0b')).toHaveLength(1);
    expect(() => parseLinkCsv('renewal,0,0b')).toThrow(/zero/);
    expect(() => parseLinkCsv(`renewal,0a,${'ff'.repeat(20)}`)).toThrow(/longer than 20/);
  });
});

describe('CRL extension criticality (RFC 5280 §5.2, §5.3)', () => {
  const signer = k[0];
  const base = { issuer: root.name, signer, thisUpdate: NOW - DAY };
  const wrongCrl: Record<string, Uint8Array> = {
    [EXT.authorityKeyIdentifier]: crl({ ...base, akiCritical: true }),
    [CRL_EXT.cRLNumber]: crl({ ...base, numberCritical: true }),
    [CRL_EXT.deltaCRLIndicator]: crl({ ...base, number: 5n, deltaOf: 4n, deltaCritical: false }),
    [CRL_EXT.issuingDistributionPoint]: crl({ ...base, idp: { onlyUser: true, critical: false } }),
    [EXT.freshestCRL]: crl({ ...base, extensions: [ext.raw(EXT.freshestCRL, true, w.seq(w.seq(w.explicit(0, w.tlv(0xa0, gn.uri('http://x/d.crl'))))))] }),
    [EXT.authorityInfoAccess]: crl({
      ...base,
      extensions: [ext.raw(EXT.authorityInfoAccess, true, w.seq(w.seq(w.oid('1.3.6.1.5.5.7.48.2'), gn.uri('http://x/ca'))))],
    }),
  };
  const entry = { serial: 9n, revokedAt: NOW - 2 * DAY };
  const wrongEntry: Record<string, Uint8Array> = {
    [CRL_EXT.reasonCode]: crl({ ...base, entries: [{ ...entry, reason: 1, reasonCritical: true }] }),
    [CRL_EXT.invalidityDate]: crl({
      ...base,
      entries: [{ ...entry, extensions: [ext.raw(CRL_EXT.invalidityDate, true, w.tlv(0x18, new TextEncoder().encode('20260101000000Z')))] }],
    }),
    [CRL_EXT.certificateIssuer]: crl({
      ...base,
      idp: { indirect: true },
      entries: [{ ...entry, extensions: [certificateIssuerExt([gn.dir(root.name)], false)] }],
    }),
    [CRL_EXT.holdInstructionCode]: crl({
      ...base,
      entries: [{ ...entry, extensions: [ext.raw(CRL_EXT.holdInstructionCode, true, w.oid('1.2.840.10040.2.2'))] }],
    }),
  };

  it('every extension the table fixes is refused with the other criticality, naming the rule', () => {
    expect(Object.keys(wrongCrl).sort()).toEqual(Object.keys(CRL_EXTENSION_CRITICALITY).sort());
    expect(Object.keys(wrongEntry).sort()).toEqual(Object.keys(CRL_ENTRY_EXTENSION_CRITICALITY).sort());
    for (const [oid, der] of Object.entries({ ...wrongCrl, ...wrongEntry })) {
      const rule = (CRL_EXTENSION_CRITICALITY[oid] ?? CRL_ENTRY_EXTENSION_CRITICALITY[oid]).rule;
      const err = (() => {
        try {
          parseCrl(der);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err, oid).toBeInstanceOf(CrlError);
      expect((err as CrlError).code).toBe('malformed_crl');
      expect((err as CrlError).message).toContain(rule);
    }
  });

  it('the same CRLs with the right criticality parse', () => {
    expect(parseCrl(crl({ ...base, number: 5n, deltaOf: 4n })).deltaCrlIndicator).toBe('04');
    expect(parseCrl(crl({ ...base, idp: { onlyUser: true } })).idp?.onlyUserCerts).toBe(true);
    expect(parseCrl(crl({ ...base, entries: [{ ...entry, reason: 1 }] })).entries[0].reason).toBe(1);
    // issuerAltName: SHOULD be non-critical (§5.2.2), either is accepted.
    expect(() => parseCrl(crl({ ...base, extensions: [ext.raw(EXT.issuerAltName, true, w.seq(gn.dns('ca.example')))] }))).not.toThrow();
  });

  it('the hot-path loader refuses a critical cRLNumber as malformed', () => {
    const res = loadCrl('t', [wrongCrl[CRL_EXT.cRLNumber]], [parseCertificate(root.der)]);
    expect(res).toMatchObject({ ok: false, rejection: 'malformed_crl' });
  });
});

describe('trust anchors are inputs (RFC 5280 §6.1.1(d), RFC 5937)', () => {
  const leafOf = (ca: Ca): Uint8Array => leafCert(ca, dn(['CN', 'leaf']), k[3], NOW);
  const anchorsOf = (ca: Ca): CertificatePool => new CertificatePool([parseCertificate(ca.der)]);

  it('an anchor that is not self-issued needs no authorityKeyIdentifier; its serial and issuer are not judged', () => {
    const above = rootCa(dn(['CN', 'Cross signer']), k[1], NOW);
    const cross = subCa(above, dn(['CN', 'Cross-signed root']), k[2], NOW, {
      serial: 0n,
      replace: [ext.basicConstraints(true), ext.keyUsage([5, 6]), ext.ski(k[2].keyId)],
    });
    expect(parseCertificate(cross.der).extensions.authorityKeyId).toBeNull();
    expect(verdictOf(leafOf(cross), { anchors: anchorsOf(cross) }).code).toBe('ok');
    expect(anchorProblem(parseCertificate(cross.der))).toBeNull();
  });

  it('an anchor must be a CA certificate with basicConstraints critical (§4.2.1.9)', () => {
    const nonCritical = rootCa(dn(['CN', 'Root BC non-critical']), k[1], NOW, {
      replace: [ext.basicConstraints(true, null, false), ext.keyUsage([5, 6]), ext.ski(k[1].keyId)],
    });
    expect(verdictOf(leafOf(nonCritical), { anchors: anchorsOf(nonCritical) })).toMatchObject({ code: 'profile_violation', depth: 1 });
    expect(anchorProblem(parseCertificate(nonCritical.der))?.detail).toMatch(/basicConstraints must be critical/);
    const noBc = rootCa(dn(['CN', 'Root no BC']), k[1], NOW, { replace: [ext.ski(k[1].keyId)] });
    expect(verdictOf(leafOf(noBc), { anchors: anchorsOf(noBc) }).code).toBe('not_ca');
    const noCertSign = rootCa(dn(['CN', 'Root KU']), k[1], NOW, { replace: [ext.basicConstraints(true), ext.keyUsage([6]), ext.ski(k[1].keyId)] });
    expect(verdictOf(leafOf(noCertSign), { anchors: anchorsOf(noCertSign) }).code).toBe('key_usage_not_allowed');
  });

  it('an intermediate is held to §6.1.4 (k) only: a non-critical basicConstraints passes (PKITS 4.6.4)', () => {
    const ica = subCa(root, dn(['CN', 'ICA BC non-critical']), k[2], NOW, {
      replace: [ext.basicConstraints(true, null, false), ext.keyUsage([5, 6]), ext.ski(k[2].keyId), ext.aki(root.key.keyId)],
    });
    expect(verdictOf(leafOf(ica), { intermediates: [ica.der] }).code).toBe('ok');
  });

  it('a CA certificate must have a non-empty subject (§4.1.2.6), anchor or not, SAN or not', () => {
    const emptyRoot = certificate({
      issuer: w.seq(),
      subject: w.seq(),
      notBefore: NOW - DAY,
      notAfter: NOW + DAY,
      key: k[1],
      signer: k[1],
      extensions: [ext.basicConstraints(true), ext.keyUsage([5, 6]), ext.ski(k[1].keyId), ext.san([gn.dns('ca.example')], true)],
    });
    expect(anchorProblem(parseCertificate(emptyRoot))?.detail).toBe('CA certificate with an empty subject');
    const caLeaf = leafCert(root, w.seq(), k[2], NOW, { extensions: [ext.basicConstraints(true), ext.ski(k[2].keyId), ext.san([gn.dns('x.example')], true)] });
    expect(verdictOf(caLeaf)).toMatchObject({ code: 'profile_violation', detail: 'CA certificate with an empty subject' });
    const eeLeaf = leafCert(root, w.seq(), k[2], NOW, { extensions: [ext.san([gn.dns('x.example')], true)] });
    expect(verdictOf(eeLeaf).code).toBe('ok');
  });

  it('what an anchor carries must still be well formed', () => {
    const cases: [string, Uint8Array[]][] = [
      ['critical AKI', [ext.basicConstraints(true), ext.keyUsage([5, 6]), ext.ski(k[1].keyId), ext.aki(k[1].keyId, true)]],
      ['critical SKI', [ext.basicConstraints(true), ext.keyUsage([5, 6]), ext.ski(k[1].keyId, true)]],
      ['no SKI', [ext.basicConstraints(true), ext.keyUsage([5, 6])]],
      ['unknown critical', [ext.basicConstraints(true), ext.keyUsage([5, 6]), ext.ski(k[1].keyId), ext.raw('1.3.6.1.4.1.55555.1', true, w.nullValue())]],
    ];
    for (const [what, exts] of cases) {
      const a = rootCa(dn(['CN', `Root ${what}`]), k[1], NOW, { replace: exts });
      expect(verdictOf(leafOf(a), { anchors: anchorsOf(a) }).status, what).toBe('invalid');
      expect(anchorProblem(parseCertificate(a.der)), what).not.toBeNull();
    }
  });

  it('a trusted certificate presented as the leaf is judged as an end entity (its serial too)', () => {
    const zero = parseCertificate(
      certificate({
        serial: 0n,
        issuer: dn(['CN', 'Self']),
        subject: dn(['CN', 'Self']),
        notBefore: NOW - DAY,
        notAfter: NOW + DAY,
        key: k[1],
        signer: k[1],
        extensions: [ext.basicConstraints(true), ext.ski(k[1].keyId)],
      }),
    );
    expect(validatePath(zero, { time: NOW, anchors: new CertificatePool([zero]) }).verdict).toMatchObject({
      code: 'profile_violation',
      detail: 'serial number zero',
    });
  });

  it('every certificate below the anchor names its issuer key, self-issued ones included', () => {
    const ica = subCa(root, root.name, k[2], NOW, { replace: [ext.basicConstraints(true), ext.keyUsage([5, 6]), ext.ski(k[2].keyId)] });
    expect(parseCertificate(ica.der).selfIssued).toBe(true);
    expect(verdictOf(leafOf({ ...ica }), { intermediates: [ica.der] }).status).toBe('invalid');
  });

  it('the trust store applies the same rules when it loads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchors-'));
    const bad = rootCa(dn(['CN', 'Root BC non-critical']), k[1], NOW, {
      replace: [ext.basicConstraints(true, null, false), ext.keyUsage([5, 6]), ext.ski(k[1].keyId)],
    });
    writeFileSync(join(dir, 'bad.pem'), toPem(bad.der, 'CERTIFICATE'));
    writeFileSync(join(dir, 'good.pem'), toPem(root.der, 'CERTIFICATE'));
    expect(loadTrustStore([join(dir, 'good.pem')]).size).toBe(1);
    expect(() => loadTrustStore([dir])).toThrow(/bad\.pem: not usable as a trust anchor: trust anchor basicConstraints must be critical/);
  });
});

describe('indirect CRLs: nameRelativeToCRLIssuer against the cRLIssuer (RFC 5280 §4.2.1.13)', () => {
  // The root issues the CA and a separate CRL issuer; the CA's certificates point, by a relative
  // name, at a distribution point of the CRL issuer, which publishes an indirect CRL.
  const ca = subCa(root, dn(['CN', 'Issuing CA']), k[1], NOW);
  const crlIssuerName = dn(['O', 'Revocation'], ['CN', 'CRL Issuer']);
  const crlIssuer = subCa(root, crlIssuerName, k[2], NOW, {
    serial: 7n,
    replace: [ext.basicConstraints(true), ext.keyUsage([6]), ext.ski(k[2].keyId), ext.aki(root.key.keyId)],
  });
  const dp = ext.crlDistributionPoints([{ relativeName: ['CN', 'Partition 7'], crlIssuer: [gn.dir(crlIssuerName)] }]);
  const leafWith = (serial: bigint): Uint8Array => leafCert(ca, dn(['CN', `holder ${serial}`]), k[3], NOW, { serial, extensions: [dp] });
  const rootCrl = crl({ issuer: root.name, signer: root.key, thisUpdate: NOW - DAY });
  const indirect = crl({
    issuer: crlIssuerName,
    signer: crlIssuer.key,
    thisUpdate: NOW - DAY,
    idp: { relativeName: ['CN', 'Partition 7'], indirect: true, onlyUser: true },
    entries: [{ serial: 66n, revokedAt: NOW - 2 * DAY, reason: 1, extensions: [certificateIssuerExt([gn.dir(ca.name)])] }],
  });
  const checker = new CrlSetChecker([parseCrl(rootCrl), parseCrl(indirect)], {
    anchors,
    intermediates: new CertificatePool([parseCertificate(ca.der), parseCertificate(crlIssuer.der)]),
  });
  const run = (leaf: Uint8Array) =>
    validatePath(parseCertificate(leaf), { time: NOW, anchors, intermediates: new CertificatePool([parseCertificate(ca.der)]), revocation: checker }).verdict;

  it('the relative name resolves under the cRLIssuer, so the indirect CRL covers the certificate', () => {
    expect(run(leafWith(66n))).toMatchObject({ code: 'revoked', depth: 0 });
    expect(run(leafWith(67n))).toMatchObject({ code: 'ok', revocation: { status: 'good' } });
  });

  it('without a cRLIssuer the relative name resolves under the certificate issuer (hot path too)', () => {
    const direct = parseCertificate(
      leafCert(ca, dn(['CN', 'd']), k[3], NOW, { extensions: [ext.crlDistributionPoints([{ relativeName: ['CN', 'Partition 7'] }])] }),
    );
    const viaIssuer = parseCertificate(leafWith(5n));
    const caPartition = parseCertificate(
      leafCert(ca, dn(['CN', 'e']), k[3], NOW, {
        extensions: [ext.crlDistributionPoints([{ fullName: [gn.dir(dn(['CN', 'Issuing CA'], ['CN', 'Partition 7']))] }])],
      }),
    );
    expect(partitionsOf(direct)).toEqual(partitionsOf(caPartition));
    expect(partitionsOf(viaIssuer)).not.toEqual(partitionsOf(direct));
  });
});

describe('the limbo harness', () => {
  const ica = subCa(root, dn(['CN', 'Limbo ICA']), k[1], NOW);
  const leaf = leafCert(ica, dn(['CN', 'limbo leaf']), k[2], NOW, { extensions: [ext.san([gn.dns('example.com')])] });
  // The same intermediate with a signature BIT STRING that claims unused bits: does not parse.
  const broken = Uint8Array.from(ica.der);
  const sigAt = broken.length - parseCertificate(ica.der).signature.length - 1;
  broken[sigAt] = 0x03;
  const pem = (der: Uint8Array): string => toPem(der, 'CERTIFICATE');
  const tc = (intermediates: Uint8Array[], peer = leaf): LimboCase => ({
    id: 'local::unparseable-pool',
    validation_kind: 'SERVER',
    trusted_certs: [pem(root.der)],
    untrusted_intermediates: intermediates.map(pem),
    peer_certificate: pem(peer),
    validation_time: new Date(NOW).toISOString(),
    key_usage: [],
    extended_key_usage: [],
    expected_peer_name: { kind: 'DNS', value: 'example.com' },
    expected_peer_names: [],
    max_chain_depth: null,
    crls: [],
    expected_result: 'SUCCESS',
  });

  it('skips an unparseable certificate in the intermediate pool', () => {
    expect(() => parseCertificate(broken)).toThrow(/unused bits/);
    expect(runLimboCase(tc([broken, ica.der]))).toMatchObject({ actual: 'SUCCESS', match: true });
    expect(runLimboCase(tc([broken]))).toMatchObject({ actual: 'FAILURE', code: 'unknown_issuer' });
  });

  it('a CRL that does not parse (critical cRLNumber) leaves the status undetermined: the case fails', () => {
    const bad = crl({ issuer: root.name, signer: root.key, thisUpdate: NOW - DAY, numberCritical: true });
    const good = crl({ issuer: root.name, signer: root.key, thisUpdate: NOW - DAY });
    const icaCrl = crl({ issuer: ica.name, signer: ica.key, thisUpdate: NOW - DAY });
    const withCrls = (crls: Uint8Array[]): LimboCase => ({ ...tc([ica.der]), crls: crls.map((c) => toPem(c, 'X509 CRL')) });
    expect(runLimboCase(withCrls([good, icaCrl]))).toMatchObject({ actual: 'SUCCESS' });
    expect(runLimboCase(withCrls([bad, icaCrl]))).toMatchObject({ actual: 'FAILURE', code: 'revocation_unavailable' });
  });

  it('an unparseable peer certificate is the case failing', () => {
    expect(runLimboCase(tc([ica.der], broken))).toMatchObject({ actual: 'FAILURE', code: 'malformed_certificate' });
  });
});
