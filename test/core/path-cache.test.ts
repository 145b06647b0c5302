// The path-cache rule lives in the core (core/verify.ts reuse): a cached path records the
// revocation data version it was checked against, and an embedder that swaps its revocation
// checker gets a fresh revocation answer on the very next verification, without clearing its cache.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { parseCertificate, type Certificate } from '../../src/core/certificate.js';
import { parseCrl } from '../../src/core/crl.js';
import { CrlSetChecker } from '../../src/core/crl-check.js';
import { loadCrl } from '../../src/core/crl-load.js';
import type { RevocationChecker } from '../../src/core/path.js';
import { assembleSet } from '../../src/core/revocation-assembly.js';
import { IndexRevocationChecker } from '../../src/core/revocation-lookup.js';
import type { RevocationSet } from '../../src/core/revocation-set.js';
import type { RevocationStatus } from '../../src/core/verdict.js';
import { verifyAuthentication, type CachedPath, type PathCache, type VerifyContext } from '../../src/core/verify.js';
import { cardSign } from '../../src/dev/sim/card.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';
import { crl, type TestKey } from '../helpers/x509.js';

const pki = makeTestPki();
const root = pki.root('auth-gen3');
const rootKey: TestKey = { label: 'auth-gen3', kind: 'rsa', privateKey: root.key, spki: new Uint8Array(0), keyId: root.keyId };
const holder = pki.issue({ purpose: 'authentication' });
const challenge = randomBytes(32);
const signature = cardSign(holder.key.privateKey, challenge);
const req = { certificate: holder.der, challenge, signature, time: NOW };

/** A CRL of the holder's root, revoking the holder or not. */
function rootCrl(revoked: boolean, number: bigint): Uint8Array {
  return crl({
    issuer: root.name,
    signer: rootKey,
    thisUpdate: NOW - DAY + Number(number),
    nextUpdate: NOW + DAY,
    number,
    entries: revoked ? [{ serial: holder.cert.serial, revokedAt: NOW - DAY, reason: 1 }] : [{ serial: 7n, revokedAt: NOW - DAY }],
  });
}

function mapCache(): PathCache & { store: Map<string, CachedPath> } {
  const store = new Map<string, CachedPath>();
  return { store, get: (k) => store.get(k), set: (k, v) => void store.set(k, v) };
}

/** Counts the checker's calls, so a test can see whether a cached answer was reused. */
function counting(inner: RevocationChecker, version?: string): RevocationChecker & { calls: number } {
  const c = {
    calls: 0,
    dataVersion: version,
    check(cert: Certificate, issuer: Certificate, time: number): RevocationStatus {
      c.calls++;
      return inner.check(cert, issuer, time);
    },
  };
  return c;
}

describe('the path cache and revocation data (core rule)', () => {
  it('an embedder swapping its CrlSetChecker sees the revocation at once, cache kept', () => {
    const cache = mapCache();
    const before = new CrlSetChecker([parseCrl(rootCrl(false, 1n))], { anchors: pki.anchors });
    const ctx: VerifyContext = { anchors: pki.anchors, revocation: before, pathCache: cache };
    expect(verifyAuthentication(req, ctx).verdict).toMatchObject({ code: 'ok', revocation: { status: 'good' } });
    expect(cache.store.size).toBe(1);
    const after = new CrlSetChecker([parseCrl(rootCrl(true, 2n))], { anchors: pki.anchors });
    expect(after.dataVersion).not.toBe(before.dataVersion);
    const swapped: VerifyContext = { ...ctx, revocation: after };
    expect(verifyAuthentication(req, swapped).verdict).toMatchObject({ code: 'revoked', revocation: { reason: 'keyCompromise' } });
    // Still revoked on repeat (a failing re-check never refreshes the entry), good again under the old data.
    expect(verifyAuthentication(req, swapped).verdict.code).toBe('revoked');
    expect(verifyAuthentication(req, ctx).verdict.code).toBe('ok');
  });

  it('an IndexRevocationChecker over a swapped set (the hot path, as another embedder wires it)', () => {
    const anchors = pki.anchors.certificates();
    const setOf = (der: Uint8Array, version: number): RevocationSet => {
      const loaded = loadCrl(`crl-${version}`, [der], anchors);
      if (!loaded.ok) throw new Error(loaded.detail);
      return assembleSet([loaded.crl], version, NOW).set;
    };
    let current = setOf(rootCrl(false, 1n), 1);
    const checker = new IndexRevocationChecker(() => current);
    const cache = mapCache();
    const ctx: VerifyContext = { anchors: pki.anchors, revocation: checker, pathCache: cache };
    expect(verifyAuthentication(req, ctx).verdict.code).toBe('ok');
    const v1 = checker.dataVersion;
    current = setOf(rootCrl(true, 2n), 2);
    expect(checker.dataVersion).not.toBe(v1);
    expect(verifyAuthentication(req, ctx).verdict.code).toBe('revoked');
    // Even a set that reuses the version number is a different set.
    current = setOf(rootCrl(false, 3n), 2);
    expect(verifyAuthentication(req, ctx).verdict.code).toBe('ok');
  });

  it('under the same version the cached answer is reused; a new version re-checks once, then is reused', () => {
    const good = new CrlSetChecker([parseCrl(rootCrl(false, 1n))], { anchors: pki.anchors });
    const a = counting(good, 'a');
    const cache = mapCache();
    const ctx: VerifyContext = { anchors: pki.anchors, revocation: a, pathCache: cache };
    verifyAuthentication(req, ctx);
    expect(a.calls).toBe(1);
    verifyAuthentication(req, ctx);
    expect(a.calls).toBe(1); // reused
    const b = counting(good, 'b');
    const ctxB = { ...ctx, revocation: b };
    expect(verifyAuthentication(req, ctxB).verdict.code).toBe('ok');
    expect(verifyAuthentication(req, ctxB).verdict.code).toBe('ok');
    expect(b.calls).toBe(1); // re-checked once under 'b', then the refreshed entry is reused
    expect([...cache.store.values()][0].checkedWith.revocationVersion).toBe('b');
  });

  it('a checker that names no version is asked every time', () => {
    let revoked = false;
    const source = { kind: 'crl' as const, issuer: 'embedder', crlNumber: null, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY };
    const plain = counting({ check: () => (revoked ? { status: 'revoked', reason: 'superseded', source } : { status: 'good', source }) });
    const ctx: VerifyContext = { anchors: pki.anchors, revocation: plain, pathCache: mapCache() };
    expect(verifyAuthentication(req, ctx).verdict.code).toBe('ok');
    expect(verifyAuthentication(req, ctx).verdict.code).toBe('ok');
    revoked = true;
    expect(verifyAuthentication(req, ctx).verdict).toMatchObject({ code: 'revoked', revocation: { reason: 'superseded' } });
    expect(plain.calls).toBe(3);
  });

  it('other context changes are not served from the cache: anchors, revocation policy, checker removed', () => {
    const cache = mapCache();
    const unknown = counting({ check: () => ({ status: 'unknown' }) }, 'u');
    const soft: VerifyContext = { anchors: pki.anchors, revocation: unknown, revocationPolicy: 'soft-fail', pathCache: cache };
    expect(verifyAuthentication(req, soft).verdict.code).toBe('ok');
    expect(verifyAuthentication(req, { ...soft, revocationPolicy: 'hard-fail' }).verdict.code).toBe('revocation_unavailable');
    const otherAnchors = new CertificatePool(pki.roots.filter((r) => r.label !== 'auth-gen3').map((r) => parseCertificate(r.cert)));
    expect(verifyAuthentication(req, { ...soft, anchors: otherAnchors }).verdict.code).toBe('unknown_issuer');
    // Checked with revocation, asked without: validated afresh, and the report says not checked.
    expect(verifyAuthentication(req, { anchors: pki.anchors, pathCache: cache }).verdict).toMatchObject({ code: 'ok', revocation: { checked: false } });
  });

  it('an entry keeps its certificate as a copy of the DER, never the caller’s buffer or a parsed tree', () => {
    const batch = new Uint8Array(holder.der.length + 500);
    batch.set(holder.der, 100);
    const view = batch.subarray(100, 100 + holder.der.length); // as a worker sees items of a packed task
    const cache = mapCache();
    expect(verifyAuthentication({ ...req, certificate: view }, { anchors: pki.anchors, pathCache: cache }).verdict.code).toBe('ok');
    const entry = [...cache.store.values()][0];
    expect(entry.der).toEqual(holder.der);
    expect(entry.der.buffer).not.toBe(batch.buffer);
    expect(entry.der.buffer.byteLength).toBe(holder.der.length);
    expect(entry.key).not.toBeNull();
    batch.fill(0); // the batch is reused: the entry still serves the holder
    expect(verifyAuthentication(req, { anchors: pki.anchors, pathCache: cache }).verdict.code).toBe('ok');
  });
});
