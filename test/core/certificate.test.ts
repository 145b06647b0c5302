import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertificateError, fingerprint, parseCertificate, pemBlocks, type Certificate } from '../../src/core/certificate.js';
import { DerReader, Tag, toHex } from '../../src/core/der.js';
import * as w from '../../src/core/der-writer.js';
import { EXT, KeyUsage } from '../../src/core/extensions.js';
import { classify, isTestHierarchy } from '../../src/core/jpki.js';
import { formatName } from '../../src/core/name.js';
import { decodeTime } from '../../src/core/time.js';
import { issueCertificate, rootSpec, spkiOf } from '../../src/dev/sim/issue.js';
import { generateRsaKey } from '../../src/dev/sim/jlis.js';
import { JPKI_ROOTS } from '../conformance/shared.js';

const load = (f: string): Certificate => parseCertificate(pemBlocks(readFileSync(join(JPKI_ROOTS, f), 'utf8'), 'CERTIFICATE')[0]);

// From ../shared/jpki-roots/README.md.
const ROOTS = [
  ['jpki-authca01-2015.pem', '01', '2015-10-20', '2025-10-19', '4DCFC4CA0AAF9FB2A3081B3F0C991C320B3ACC008667A341EEAEC5AF1D58CA7D', 'authentication'],
  ['jpki-authca03-2023.pem', '06d18006', '2023-07-16', '2033-07-15', '64114F29620C24ED2631D46476A040E7EE740D956089C00B036A6A8118C322B5', 'authentication'],
  ['jpki-signca01-2015.pem', '01', '2015-10-20', '2025-10-19', '19645405A1FE14377434BD55957628AC4038557C542403A2243F21C706FC9355', 'signing'],
  ['jpki-signca02-2019.pem', '0132c4ab', '2019-09-14', '2029-09-14', '79679C33E4CC9319440F1AD120A597FF1844E2EF217063ADB176966FD5E6FBEB', 'signing'],
  ['jpki-signca03-2023.pem', '067c6a21', '2023-07-16', '2033-07-15', 'D227F6CDE11D35C5252178F106F843D24651944975413B539FA2FB68DBFA365F', 'signing'],
] as const;

describe('real J-LIS roots', () => {
  it.each(ROOTS)('%s parses with the published facts', (file, serial, from, to, sha256, kind) => {
    const c = load(file);
    expect(c.serialHex).toBe(serial);
    expect(new Date(c.notBefore).toISOString().slice(0, 10)).toBe(from);
    expect(new Date(c.notAfter).toISOString().slice(0, 10)).toBe(to);
    expect(fingerprint(c)).toBe(sha256.toLowerCase());
    expect(c.version).toBe(3);
    expect(c.selfIssued).toBe(true);
    expect(c.extensions.basicConstraints).toEqual({ ca: true, pathLen: null });
    expect(c.extensions.keyUsage).toBe(KeyUsage.keyCertSign | KeyUsage.cRLSign);
    expect(c.extensions.subjectKeyId?.length).toBe(20);
    expect(c.extensions.authorityKeyId).toBeNull();
    expect(c.extensions.unknownCritical).toEqual([]);
    expect(c.extensions.crlDistributionPoints?.[0].fullName?.[0].kind).toBe('dir');
    expect(classify(c)).toBe(kind);
    expect(isTestHierarchy(c)).toBe(false);
  });

  it('generations of one purpose share the subject DN but not the key', () => {
    const a = load('jpki-signca02-2019.pem');
    const b = load('jpki-signca03-2023.pem');
    expect(a.subject.key).toBe(b.subject.key);
    expect(toHex(a.extensions.subjectKeyId!)).not.toBe(toHex(b.extensions.subjectKeyId!));
    expect(formatName(a.subject)).toBe('OU=Japan Agency for Local Authority Information Systems, OU=JPKI for digital signature, O=JPKI, C=JP');
  });
});

describe('certificate parser', () => {
  const { privateKey, publicKey } = generateRsaKey();
  const spki = spkiOf(publicKey);
  const base = rootSpec('signing', spki, 5n, Date.UTC(2024, 0, 1), Date.UTC(2030, 0, 1));

  it('parses what the simulator issues', () => {
    const c = parseCertificate(issueCertificate(base, privateKey));
    expect(c.serialHex).toBe('05');
    expect(c.extensions.subjectAltName?.[0].kind).toBe('dir');
  });

  it('flags unknown critical extensions and keeps non-critical ones quiet', () => {
    const crit = parseCertificate(issueCertificate({ ...base, extensions: [...base.extensions, w.extension('1.2.3.4', true, w.nullValue())] }, privateKey));
    expect(crit.extensions.unknownCritical).toEqual(['1.2.3.4']);
    const soft = parseCertificate(issueCertificate({ ...base, extensions: [...base.extensions, w.extension('1.2.3.4', false, w.nullValue())] }, privateKey));
    expect(soft.extensions.unknownCritical).toEqual([]);
  });

  it('records extensions with the wrong criticality', () => {
    const c = parseCertificate(
      issueCertificate({ ...base, extensions: [w.extension(EXT.subjectKeyIdentifier, true, w.octets(new Uint8Array(20)))] }, privateKey),
    );
    expect(c.extensions.badCriticality).toEqual([EXT.subjectKeyIdentifier]);
  });

  it.each<[string, (der: Uint8Array) => Uint8Array]>([
    ['truncated', (d) => d.subarray(0, d.length - 10)],
    ['trailing garbage', (d) => w.concat([d, new Uint8Array([0])])],
    ['not a SEQUENCE', (d) => Uint8Array.from(d, (x, i) => (i === 0 ? 0x31 : x))],
    ['empty', () => new Uint8Array(0)],
  ])('rejects %s input with CertificateError', (_, mutate) => {
    const der = mutate(issueCertificate(base, privateKey));
    expect(() => parseCertificate(der)).toThrow(CertificateError);
  });

  it('rejects duplicate extensions', () => {
    const ext = w.extension('1.2.3.4', false, w.nullValue());
    expect(() => parseCertificate(issueCertificate({ ...base, extensions: [ext, ext] }, privateKey))).toThrow(/duplicate extension/);
  });

  it('rejects an explicitly encoded DEFAULT cA FALSE', () => {
    const bc = w.extension(EXT.basicConstraints, true, w.seq(w.bool(false)));
    expect(() => parseCertificate(issueCertificate({ ...base, extensions: [bc] }, privateKey))).toThrow(/DEFAULT/);
  });
});

describe('X.509 time', () => {
  const t = (tag: number, s: string): number => {
    const der = w.tlv(tag, new TextEncoder().encode(s));
    const r = new DerReader(der);
    return decodeTime(der, r.next());
  };
  it('reads UTCTime with the 1950/2050 pivot and GeneralizedTime', () => {
    expect(new Date(t(Tag.UTCTime, '491231235959Z')).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(new Date(t(Tag.UTCTime, '500101000000Z')).toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(new Date(t(Tag.GeneralizedTime, '20500101000000Z')).toISOString()).toBe('2050-01-01T00:00:00.000Z');
  });
  it.each([
    [Tag.UTCTime, '2401011200Z'], // no seconds
    [Tag.UTCTime, '240101120000+0900'], // offset
    [Tag.GeneralizedTime, '20240101120000.5Z'], // fraction
    [Tag.UTCTime, '240230120000Z'], // 30 February
    [Tag.UTCTime, '230229120000Z'], // not a leap year
    [Tag.UTCTime, '240101246000Z'],
  ])('rejects %s %s', (tag, s) => {
    expect(() => t(tag, s)).toThrow();
  });
});
