import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/core/certificate.js';
import { CrlError, CrlParser, parseCrl } from '../../src/core/crl.js';
import * as w from '../../src/core/der-writer.js';
import { assembleSet } from '../../src/core/revocation-assembly.js';
import { IndexRevocationChecker } from '../../src/core/revocation-lookup.js';
import { loadCrl, type LoadedCrl } from '../../src/core/crl-load.js';
import { writeCrl } from '../../src/dev/sim/crl-writer.js';
import { partitionName, SHA256_WITH_RSA } from '../../src/dev/sim/issue.js';
import { rng } from '../../src/dev/sim/people.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';

const pki = makeTestPki();
const tmp = mkdtempSync(join(tmpdir(), 'crl-test-'));
const anchors = pki.anchors.certificates();
const gen3 = pki.root('auth-gen3');
let fileNo = 0;

function crlFile(spec: Partial<Parameters<typeof writeCrl>[1]> & { root?: string }): Uint8Array {
  const root = pki.root(spec.root ?? 'auth-gen3');
  const path = join(tmp, `c${fileNo++}.crl`);
  writeCrl(path, { issuerName: root.name, issuerKeyId: root.keyId, issuerKey: root.key, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 1n, ...spec });
  return new Uint8Array(readFileSync(path));
}

/** A hand-made CRL with arbitrary CRL and entry extensions. */
function customCrl(crlExts: Uint8Array[], entryExts: Uint8Array[] = []): Uint8Array {
  const entry = w.seq(w.integer(5), w.time(NOW - DAY), ...(entryExts.length ? [w.seq(...entryExts)] : []));
  const tbs = w.seq(
    w.integer(1),
    SHA256_WITH_RSA,
    gen3.name,
    w.time(NOW - DAY),
    w.time(NOW + DAY),
    w.seq(entry),
    w.explicit(0, w.seq(w.extension('2.5.29.20', false, w.integer(1)), ...crlExts)),
  );
  return w.seq(tbs, SHA256_WITH_RSA, w.bitString(new Uint8Array(sign('sha256', tbs, gen3.key))));
}

describe('CRL parser', () => {
  const der = crlFile({
    crlNumber: 0x2an,
    partitionName: partitionName('authentication', '13101'),
    entries: [
      { serial: Uint8Array.from([0x01, 0x02]), revokedAt: NOW - 2 * DAY, reason: 3 },
      { serial: Uint8Array.from([0x7f]), revokedAt: NOW - 3 * DAY, reason: null },
    ],
    bulk: { count: 500, serialLength: 8, serial: (i, out) => out.set([0x10, 0, 0, 0, 0, 0, i >> 8, i & 255]) },
  });

  it('reads the header, extensions and entries', () => {
    const c = parseCrl(der);
    expect(c.version).toBe(2);
    expect(c.issuer.key).toBe(parseCertificate(gen3.cert).subject.key);
    expect(c.crlNumber).toBe('2a');
    expect(c.deltaCrlIndicator).toBeNull();
    expect(c.idp?.fullName?.[0].kind).toBe('dir');
    expect(Buffer.from(c.authorityKeyId!).equals(Buffer.from(gen3.keyId))).toBe(true);
    expect(c.entries.length).toBe(502);
    expect(c.entries[0]).toMatchObject({ reason: 3, revocationDate: Math.floor((NOW - 2 * DAY) / 1000) * 1000 });
    expect(c.entries[1].reason).toBe(255); // no reasonCode
    expect(c.entryCount).toBe(502);
  });

  it('gives the same entries and digest whatever the chunk size', () => {
    const whole = parseCrl(der);
    for (const size of [1, 7, 64, 4096]) {
      let n = 0;
      const p = new CrlParser(() => n++);
      for (let i = 0; i < der.length; i += size) p.push(der.subarray(i, i + size));
      const info = p.finish();
      expect(n).toBe(502);
      expect(Buffer.from(info.tbsDigest!.digest).equals(Buffer.from(whole.tbsDigest!.digest))).toBe(true);
    }
  });

  it('fails with CrlError at every truncation point, never another error', () => {
    for (let cut = 0; cut < der.length; cut += Math.max(1, Math.floor(der.length / 300))) {
      expect(() => parseCrl(der.subarray(0, cut))).toThrow(CrlError);
    }
  });

  it('refuses unknown critical CRL extensions; flags unknown critical entry extensions', () => {
    expect(() => parseCrl(customCrl([w.extension('1.2.3.4', true, w.nullValue())]))).toThrow(/unknown critical CRL extension/);
    expect(parseCrl(customCrl([w.extension('1.2.3.4', false, w.nullValue())])).crlNumber).toBe('01');
    const c = parseCrl(customCrl([], [w.extension('1.2.3.5', true, w.nullValue())]));
    expect(c.hasCriticalEntryExtension).toBe(true);
    const r = loadCrl('x', [customCrl([], [w.extension('1.2.3.5', true, w.nullValue())])], anchors);
    expect(r).toMatchObject({ ok: false, rejection: 'crl_unusable_entry_extension' });
  });

  it('mutated CRLs only ever raise CrlError (fuzz)', () => {
    const r = rng(11);
    const small = crlFile({
      entries: [{ serial: Uint8Array.from([9]), revokedAt: NOW, reason: 1 }],
      bulk: { count: 20, serialLength: 4, serial: (i, o) => o.set([0x11, 0, 0, i]) },
    });
    for (let i = 0; i < 5000; i++) {
      const b = Uint8Array.from(small);
      const at = Math.floor(r() * b.length);
      if (i % 3 === 0) b[at] ^= 1 << Math.floor(r() * 8);
      else if (i % 3 === 1) b[at] = Math.floor(r() * 256);
      const input = i % 7 === 0 ? b.subarray(0, at) : b;
      try {
        parseCrl(input);
      } catch (err) {
        if (!(err instanceof CrlError)) throw new Error(`case ${i}: ${(err as Error).name}: ${(err as Error).message}`);
      }
      const l = loadCrl('fuzz', [input], anchors);
      if (l.ok) expect(Buffer.from(input).equals(Buffer.from(small))).toBe(true); // only the untouched CRL verifies
    }
  });
});

describe('loading CRLs into revocation sets', () => {
  it('chooses the signing generation by key among roots with one DN', () => {
    const r = loadCrl('g2', [crlFile({ root: 'auth-gen2' })], anchors);
    expect(r.ok && r.crl.signer.der).toEqual(pki.root('auth-gen2').cert);
  });

  it('refuses a forged signature, an unknown issuer, and a rollback', () => {
    expect(loadCrl('x', [crlFile({ badSignature: true })], anchors)).toMatchObject({ ok: false, rejection: 'crl_signature_invalid' });
    const signingOnly = anchors.filter((a) => a.subject.key !== parseCertificate(gen3.cert).subject.key);
    expect(loadCrl('x', [crlFile({})], signingOnly)).toMatchObject({ ok: false, rejection: 'unknown_crl_issuer' });
    const old = crlFile({ crlNumber: 4n, thisUpdate: NOW - 2 * DAY });
    expect(loadCrl('x', [old], anchors, { previous: { thisUpdate: NOW - DAY, crlNumber: '05' } })).toMatchObject({ ok: false, rejection: 'crl_rollback' });
    const lowerNumber = crlFile({ crlNumber: 4n, thisUpdate: NOW });
    expect(loadCrl('x', [lowerNumber], anchors, { previous: { thisUpdate: NOW - DAY, crlNumber: '05' } })).toMatchObject({
      ok: false,
      rejection: 'crl_rollback',
    });
    expect(loadCrl('x', [crlFile({ thisUpdate: NOW + DAY })], anchors, { notAfter: NOW })).toMatchObject({ ok: false, rejection: 'crl_not_yet_valid' });
  });

  it('applies a delta over its base (removeFromCRL included) and drops a delta without a base', () => {
    const { cert } = pki.issue({ purpose: 'authentication', serial: 0x4242n });
    const { cert: other } = pki.issue({ purpose: 'authentication', serial: 0x4343n });
    const s = (c: typeof cert): Uint8Array => c.serial;
    const base = loadCrl('base', [crlFile({ crlNumber: 10n, entries: [{ serial: s(cert), revokedAt: NOW - DAY, reason: 6 }] })], anchors);
    const delta = loadCrl(
      'delta',
      [
        crlFile({
          crlNumber: 11n,
          deltaOf: 10n,
          thisUpdate: NOW - DAY / 2,
          entries: [
            { serial: s(cert), revokedAt: NOW - DAY / 2, reason: 8 },
            { serial: s(other), revokedAt: NOW - DAY / 2, reason: 1 },
          ],
        }),
      ],
      anchors,
    );
    const orphan = loadCrl('orphan', [crlFile({ crlNumber: 30n, deltaOf: 20n })], anchors);
    const loaded = [base, delta, orphan].map((r) => (r.ok ? r.crl : null)).filter((x): x is LoadedCrl => x !== null);
    expect(loaded.length).toBe(3);
    const { set, dropped } = assembleSet(loaded, 1, NOW);
    expect(dropped).toEqual([{ sourceId: 'orphan', rejection: 'delta_without_base' }]);
    const checker = new IndexRevocationChecker(() => set);
    const issuer = parseCertificate(gen3.cert);
    expect(checker.check(cert, issuer, NOW).status).toBe('good'); // hold released by the delta
    expect(checker.check(other, issuer, NOW)).toMatchObject({ status: 'revoked', reason: 'keyCompromise', source: { crlNumber: '0b' } });
    expect(checker.check(cert, issuer, NOW).source?.crlNumber).toBe('0b'); // the delta is the data used
  });

  it('an index for an issuer that has no CRL yields unknown', () => {
    const { cert } = pki.issue({ purpose: 'authentication' });
    const { set } = assembleSet([], 1, NOW);
    expect(new IndexRevocationChecker(() => set).check(cert, parseCertificate(gen3.cert), NOW).status).toBe('unknown');
  });
});
