// The verified-certificate table (core/verified-table.ts): what one pool thread fully checked,
// another reuses through shared memory, skipping the CA signature but never revocation, validity
// or the context the check depended on; and a racing writer never produces a wrong hit.
import { createHash, randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { parseCertificate } from '../../src/core/certificate.js';
import { parseCrl } from '../../src/core/crl.js';
import { CrlSetChecker } from '../../src/core/crl-check.js';
import { VerifiedTable, VerifiedTableError, verifiedContext } from '../../src/core/verified-table.js';
import { verifyAuthentication, verifyDocumentSignature, type VerifyContext } from '../../src/core/verify.js';
import { cardSign } from '../../src/dev/sim/card.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';
import { crl } from '../helpers/x509.js';

const pki = makeTestPki();
const anchorList = pki.anchors.certificates();
const root = pki.root('auth-gen3');
const holder = pki.issue({ purpose: 'authentication' });
const challenge = randomBytes(32);
const req = { certificate: holder.der, challenge, signature: cardSign(holder.key.privateKey, challenge), time: NOW };
const sha = (der: Uint8Array): Buffer => createHash('sha256').update(der).digest();

/** Each pool thread parses the trust store for itself: another CertificatePool over the same DER. */
function threadAnchors(): CertificatePool {
  return new CertificatePool(anchorList.map((c) => parseCertificate(c.der)));
}

function rootCrl(revoked: boolean): Uint8Array {
  return crl({
    issuer: root.name,
    signer: { label: 'auth-gen3', kind: 'rsa', privateKey: root.key, spki: new Uint8Array(0), keyId: root.keyId },
    thisUpdate: NOW - DAY,
    nextUpdate: NOW + DAY,
    number: revoked ? 2n : 1n,
    entries: revoked ? [{ serial: holder.cert.serial, revokedAt: NOW - DAY, reason: 1 }] : [{ serial: 7n, revokedAt: NOW - DAY }],
  });
}

describe('the verified-certificate table', () => {
  it('a certificate one thread checked is reused by another with the same verdict and facts', () => {
    const buffer = VerifiedTable.allocate(64, anchorList);
    const a = threadAnchors();
    const b = threadAnchors();
    const tableA = VerifiedTable.attach(buffer, a.certificates());
    const tableB = VerifiedTable.attach(buffer, b.certificates());
    const first = verifyAuthentication(req, { anchors: a, verified: tableA });
    expect(first.verdict.code).toBe('ok');
    expect(tableA.misses).toBe(1);
    const second = verifyAuthentication(req, { anchors: b, verified: tableB });
    expect(tableB.hits).toBe(1);
    expect(second).toEqual(first);
    // Without any table the same answer: the table changes the cost, never the verdict.
    expect(verifyAuthentication(req, { anchors: b })).toEqual(first);
  });

  it('a hit still runs revocation: a certificate revoked after it was recorded is refused', () => {
    const buffer = VerifiedTable.allocate(64, anchorList);
    const a = threadAnchors();
    const good = new CrlSetChecker([parseCrl(rootCrl(false))], { anchors: a });
    expect(verifyAuthentication(req, { anchors: a, revocation: good, verified: VerifiedTable.attach(buffer, a.certificates()) }).verdict.code).toBe('ok');
    const b = threadAnchors();
    const revoked = new CrlSetChecker([parseCrl(rootCrl(true))], { anchors: b });
    const tableB = VerifiedTable.attach(buffer, b.certificates());
    const v = verifyAuthentication(req, { anchors: b, revocation: revoked, verified: tableB }).verdict;
    expect(tableB.hits).toBe(1);
    expect(v).toMatchObject({ code: 'revoked', depth: 0, revocation: { status: 'revoked', reason: 'keyCompromise' } });
    // The refusal leaves the entry (it is about the path, not revocation); the good data accepts again.
    expect(verifyAuthentication(req, { anchors: b, revocation: good, verified: tableB }).verdict.code).toBe('ok');
  });

  it('a hit is judged at the request time: past notAfter the full check says expired', () => {
    const buffer = VerifiedTable.allocate(64, anchorList);
    const table = VerifiedTable.attach(buffer, anchorList);
    expect(verifyAuthentication(req, { anchors: pki.anchors, verified: table }).verdict.code).toBe('ok');
    const late = verifyAuthentication({ ...req, time: holder.cert.notAfter + DAY }, { anchors: pki.anchors, verified: table });
    expect(late.verdict.code).toBe('expired');
  });

  it('only fully checked certificates are recorded: a bad CA signature or profile never is', () => {
    const buffer = VerifiedTable.allocate(64, anchorList);
    const table = VerifiedTable.attach(buffer, anchorList);
    const forged = Uint8Array.from(holder.der);
    forged[forged.length - 5] ^= 0x01; // inside the CA's signature
    const bad = verifyAuthentication({ ...req, certificate: forged }, { anchors: pki.anchors, verified: table });
    expect(bad.verdict.code).toBe('cert_signature_invalid');
    expect(table.lookup(sha(forged), verifiedContext('authentication', false))).toBeNull();
    // The same forged certificate again: still checked in full, still refused.
    expect(verifyAuthentication({ ...req, certificate: forged }, { anchors: pki.anchors, verified: table }).verdict.code).toBe('cert_signature_invalid');
  });

  it('an entry serves only the context it was checked under (purpose, test hierarchy)', () => {
    const buffer = VerifiedTable.allocate(64, anchorList);
    const table = VerifiedTable.attach(buffer, anchorList);
    verifyAuthentication(req, { anchors: pki.anchors, verified: table });
    const fp = sha(holder.der);
    expect(table.lookup(fp, verifiedContext('authentication', false))?.der).toEqual(root.cert);
    expect(table.lookup(fp, verifiedContext('signing', false))).toBeNull();
    expect(table.lookup(fp, verifiedContext('authentication', true))).toBeNull();
    // A signing certificate asked as an authentication one is refused before any lookup.
    const signer = pki.issue({ purpose: 'signing' });
    const doc = randomBytes(100);
    const sctx: VerifyContext = { anchors: pki.anchors, verified: table };
    expect(verifyDocumentSignature({ certificate: signer.der, data: doc, signature: cardSign(signer.key.privateKey, doc), time: NOW }, sctx).verdict.code).toBe(
      'ok',
    );
    expect(verifyAuthentication({ ...req, certificate: signer.der }, sctx).verdict.code).toBe('wrong_certificate_type');
  });

  it('refuses to attach to a table made for another trust store', () => {
    const buffer = VerifiedTable.allocate(64, anchorList);
    const fewer = anchorList.filter((c) => !c.der.every((b, i) => b === root.cert[i]));
    expect(() => VerifiedTable.attach(buffer, fewer)).toThrow(VerifiedTableError);
    expect(() => VerifiedTable.attach(buffer, [...anchorList].reverse())).toThrow(/another trust store/);
    expect(() => VerifiedTable.attach(new SharedArrayBuffer(64), anchorList)).toThrow(/format/);
  });

  it('a full table evicts: an evicted certificate is a miss, never someone else’s entry', () => {
    const buffer = VerifiedTable.allocate(4, anchorList); // one set of four ways
    const table = VerifiedTable.attach(buffer, anchorList);
    const ctx = verifiedContext('authentication', false);
    const fps = Array.from({ length: 50 }, () => randomBytes(32));
    fps.forEach((fp, i) => table.record(fp, ctx, anchorList[i % anchorList.length]));
    let hits = 0;
    fps.forEach((fp, i) => {
      const got = table.lookup(fp, ctx);
      if (got) {
        hits++;
        expect(got).toBe(anchorList[i % anchorList.length]);
      }
    });
    expect(table.capacity).toBe(4);
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThanOrEqual(4);
  });

  it('threads writing and reading one small table at once never see a wrong anchor', async () => {
    const buffer = VerifiedTable.allocate(16, anchorList);
    const ders = anchorList.map((c) => c.der);
    const url = new URL('../helpers/verified-table-race.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); });`;
    const run = (): Promise<{ hits: number; wrong: number }> =>
      new Promise((resolve, reject) => {
        const w = new Worker(boot, { eval: true, workerData: { buffer, ders } });
        w.once('message', resolve);
        w.once('error', reject);
      });
    const results = await Promise.all([run(), run(), run()]);
    for (const r of results) {
      expect(r.wrong).toBe(0);
      expect(r.hits).toBeGreaterThan(0);
    }
  });
});
