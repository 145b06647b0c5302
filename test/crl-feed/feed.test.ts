import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/core/certificate.js';
import { IndexRevocationChecker } from '../../src/core/revocation-lookup.js';
import { verifyAuthentication, type VerifyContext } from '../../src/core/verify.js';
import { CrlFeed } from '../../src/crl-feed/feed.js';
import { cardSign } from '../../src/dev/sim/card.js';
import { serveCrls, type CrlServer } from '../../src/dev/sim/crl-server.js';
import { initPki, openPki, type PkiDir } from '../../src/dev/sim/jlis.js';
import { publishCrls, rotateCrls } from '../../src/dev/sim/jlis-crl.js';
import { loadTrustStore } from '../../src/app/trust-store.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const HOUR = 3_600_000;
const REASONS = { a0: 0, a1: 1, a2: 2, a3: 3, a4: 4, a5: 5, a6: 6 } as const;
const NAMES = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold'];

let dir: string;
let pki: PkiDir;
let clock = NOW;

/** A PKI of its own for each group: rotations in one never leak into another. */
function freshPki(): void {
  dir = mkdtempSync(join(tmpdir(), 'feed-pki-'));
  initPki({ dir, now: NOW, authUsers: 40, signingUsers: 5, testUsers: 0, poolSize: 2, seed: 3 });
  pki = openPki(dir);
  publishCrls({ dir, now: NOW, revokedShare: 0, revoke: REASONS });
  clock = NOW;
}

function verify(feed: CrlFeed, id: string, at = clock) {
  const anchors = loadTrustStore(pki.trustPems);
  const ctx: VerifyContext = { anchors, revocation: new IndexRevocationChecker(() => feed.set) };
  const h = pki.holders('authentication').find((x) => x.id === id)!;
  const ch = Buffer.from(`challenge-${id}`);
  return verifyAuthentication({ certificate: h.cert, challenge: ch, signature: cardSign(pki.keys[h.key], ch), time: at }, ctx).verdict;
}

function newFeed(sources: string[], cache = mkdtempSync(join(tmpdir(), 'feed-cache-'))): CrlFeed {
  return new CrlFeed(
    { sources, cacheDir: cache, refreshIntervalMs: 3_600_000, retries: 2, backoffMs: 20, fetchTimeoutMs: 2000 },
    loadTrustStore(pki.trustPems).certificates(),
    () => clock,
  );
}

describe('CRL feed from files', () => {
  beforeAll(freshPki);

  it('loads every partition CRL off the main thread and every reason surfaces in the verdict', async () => {
    const feed = newFeed([join(dir, 'crl')]);
    await feed.start();
    feed.stop();
    expect(feed.set.version).toBe(1);
    expect(feed.fresh()).toBe(true);
    for (const [id, code] of Object.entries(REASONS)) {
      const v = verify(feed, id);
      expect(v, id).toMatchObject({ status: 'invalid', code: 'revoked', depth: 0, revocation: { checked: true, reason: NAMES[code] } });
      expect(v.revocation.source).toMatchObject({ kind: 'crl', thisUpdate: Math.floor(NOW / 1000) * 1000, crlNumber: '01' });
    }
    const good = verify(feed, 'a10');
    expect(good).toMatchObject({ status: 'valid', code: 'ok', revocation: { checked: true, status: 'good', source: { crlNumber: '01' } } });
  });

  it('keeps the last good data when a CRL turns corrupt, truncated, forged or older', async () => {
    const work = mkdtempSync(join(tmpdir(), 'feed-src-'));
    for (const f of readdirSync(join(dir, 'crl')).filter((x) => x.endsWith('.crl'))) copyFileSync(join(dir, 'crl', f), join(work, f));
    const feed = newFeed([work]);
    await feed.refresh();
    const target = readdirSync(work).find((f) => {
      const h = pki.holders('authentication').find((x) => x.id === 'a1')!;
      return f === `${h.root}-${h.partition}.crl`;
    })!;
    const path = join(work, target);
    const good = readFileSync(path);
    const cases: [string, Buffer, string][] = [
      ['corrupt', Buffer.from('not a CRL at all'), 'malformed_crl'],
      ['truncated', good.subarray(0, good.length - 40), 'malformed_crl'],
      ['forged', Buffer.from(good.map((b, i) => (i === good.length - 3 ? b ^ 1 : b))), 'crl_signature_invalid'],
    ];
    for (const [what, bytes, rejection] of cases) {
      writeFileSync(path, bytes);
      await feed.refresh();
      const st = feed.status().find((s) => s.id === path)!;
      expect(st.failureReason, what).toMatch(new RegExp(`^${rejection}`));
      expect(verify(feed, 'a1').code, what).toBe('revoked'); // old data still in force
    }
    // Rollback: a CRL for the same partition, validly signed but older, is refused.
    rotateCrls({ dir: join(dir), now: NOW + 24 * HOUR, revokedShare: 0 });
    const newer = readFileSync(join(dir, 'crl', target));
    writeFileSync(path, newer);
    clock = NOW + 25 * HOUR;
    await feed.refresh();
    expect(feed.status().find((s) => s.id === path)!.meta?.crlNumber).toBe('02');
    writeFileSync(path, good); // day 1's CRL again
    await feed.refresh();
    const st = feed.status().find((s) => s.id === path)!;
    expect(st.failureReason).toMatch(/^crl_rollback/);
    expect(st.meta?.crlNumber).toBe('02');
    expect(verify(feed, 'a1').revocation.source).toMatchObject({ kind: 'crl', crlNumber: '02' });
    clock = NOW;
  });

  it('stale data turns verdicts indeterminate (crl_stale) and readiness false', async () => {
    freshPki();
    const feed = newFeed([join(dir, 'crl')]);
    await feed.refresh();
    const at = clock + 30 * 24 * HOUR;
    expect(feed.fresh(at)).toBe(false);
    // a10's partition CRL is past nextUpdate + grace (and a10's certificate is still valid then).
    expect(verify(feed, 'a10', at)).toMatchObject({ status: 'indeterminate', code: 'crl_stale' });
  });
});

describe('CRL feed over HTTP', () => {
  let srv: CrlServer;
  let urls: string[];
  beforeAll(async () => {
    freshPki();
    srv = await serveCrls({ dir, port: 0 });
    const list = (await (await fetch(`${srv.url}/crl/`)).json()) as string[];
    urls = list.map((p) => `${srv.url}${p}`);
  });
  afterAll(async () => {
    await srv.close();
  });

  it('downloads, then revalidates with ETags (304: no rebuild), then picks up a rotation', async () => {
    const feed = newFeed(urls);
    await feed.refresh();
    expect(feed.set.version).toBe(1);
    const etag = feed.status()[0].etag;
    expect(etag).toMatch(/^"/);
    await feed.refresh();
    expect(feed.set.version).toBe(1); // every source answered 304
    clock = NOW + 50 * HOUR;
    srv.rotate(clock);
    await feed.refresh();
    expect(feed.set.version).toBe(2);
    expect(feed.status()[0].etag).not.toBe(etag);
    clock = NOW;
  });

  it('reads an index URL (ending in /) listing the partition CRLs, and keeps the list while the index is away', async () => {
    clock = NOW + 50 * HOUR; // the server publishes the rotation of the test above
    const feed = newFeed([`${srv.url}/crl/`]);
    const errors: string[] = [];
    feed.on('error', (e) => errors.push(e.message));
    await feed.refresh();
    expect(
      feed
        .status()
        .map((s) => s.id)
        .sort(),
    ).toEqual([...urls].sort());
    expect(verify(feed, 'a1').code).toBe('revoked');
    expect(feed.fresh(clock)).toBe(true);
    const bad = newFeed(['http://127.0.0.1:1/crl/']);
    bad.on('error', (e) => errors.push(e.message));
    await bad.refresh().catch(() => undefined);
    expect(bad.status()).toEqual([]);
    expect(bad.fresh(clock)).toBe(false);
    expect(errors.some((m) => m.includes('CRL index http://127.0.0.1:1/crl/'))).toBe(true);
    clock = NOW;
  });

  it('a source that is not up at start is tried again soon, not only at the next interval', async () => {
    clock = NOW + 50 * HOUR;
    const probe = await serveCrls({ dir, port: 0 });
    const port = Number(new URL(probe.url).port);
    await probe.close(); // the port is free now: nothing answers there yet
    const feed = newFeed([`http://127.0.0.1:${port}/crl/`]);
    feed.on('error', () => undefined);
    await feed.start(); // first refresh fails: no data
    expect(feed.fresh(clock)).toBe(false);
    const late = await serveCrls({ dir, port });
    try {
      for (let i = 0; i < 100 && !feed.fresh(clock); i++) await new Promise((r) => setTimeout(r, 100));
      expect(feed.fresh(clock)).toBe(true); // within seconds, though the interval is an hour
    } finally {
      feed.stop();
      await late.close();
      clock = NOW;
    }
  });

  it('a server that goes away keeps the last good index and records the failure', async () => {
    clock = NOW + 50 * HOUR; // the server publishes the rotation of the test above
    const feed = newFeed(urls);
    await feed.refresh();
    const before = feed.set;
    await srv.close();
    await feed.refresh();
    expect(feed.set).toBe(before);
    expect(feed.status().every((s) => s.failureReason?.startsWith('fetch:'))).toBe(true);
    expect(verify(feed, 'a1').code).toBe('revoked');
    srv = await serveCrls({ dir, port: 0 });
    clock = NOW;
  });
});

describe('swaps during lookups', () => {
  beforeAll(freshPki);

  it('a lookup sees the old or the new set, never a mix', async () => {
    const work = mkdtempSync(join(tmpdir(), 'feed-swap-'));
    const copyAll = (): void => {
      for (const f of readdirSync(join(dir, 'crl')).filter((x) => x.endsWith('.crl'))) copyFileSync(join(dir, 'crl', f), join(work, f));
    };
    const revokedNow = (): Set<string> =>
      new Set((JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')) as { revoked: { id: string }[] }).revoked.map((r) => r.id));
    copyAll();
    const feed = newFeed([work]);
    await feed.refresh();
    const anchors = loadTrustStore(pki.trustPems);
    const holders = pki.holders('authentication').map((h) => ({ id: h.id, cert: parseCertificate(h.cert) }));
    // What each version must say, from the simulator's own list of revocations.
    const expected = new Map<number, Set<string>>([[feed.set.version, revokedNow()]]);
    let checks = 0;
    let sawOld = 0;
    for (let round = 0; round < 3; round++) {
      clock += 24 * HOUR;
      rotateCrls({ dir, now: clock, revokedShare: 0.3 });
      copyAll();
      expected.set(feed.set.version + 1, revokedNow());
      let done = false;
      const pending = feed.refresh().then(() => (done = true));
      // Look up continuously while the worker builds the next set.
      while (!done) {
        const set = feed.set; // one snapshot per request
        const checker = new IndexRevocationChecker(() => set);
        if (set.version === round + 1) sawOld++;
        for (const h of holders) {
          const st = checker.check(h.cert, anchors.issuersOf(h.cert)[0], clock);
          expect(st.status === 'revoked', `${h.id} in v${set.version}`).toBe(expected.get(set.version)!.has(h.id));
          checks++;
        }
        await new Promise((r) => setImmediate(r));
      }
      await pending;
      expect(feed.set.version).toBe(round + 2);
    }
    // Every round answered from the old set while the new one was being built.
    expect(sawOld).toBeGreaterThanOrEqual(3);
    expect(checks).toBeGreaterThan(3 * holders.length);
    // And the sets really differ: more holders revoked in the last than the first.
    expect(expected.get(4)!.size).toBeGreaterThan(expected.get(1)!.size);
  });
});
