// The refresh load policy (core/revocation-build.ts) on its own: per source, candidate or last
// good CRL, against a fixed NOW. Files are names in a table; the loader is loadCrl over
// in-memory bytes, so rollback and skew are checked by the real loader.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/core/certificate.js';
import { parseCrl } from '../../src/core/crl.js';
import { loadCrl, type LoadOptions } from '../../src/core/crl-load.js';
import { buildRevocation, chooseCrl, type CrlLoader, type CrlSource } from '../../src/core/revocation-build.js';
import { CRL_CLOCK_SKEW_MS, DEFAULT_STALE_GRACE_MS, isStale, latestThisUpdate } from '../../src/core/revocation-freshness.js';
import { IndexRevocationChecker } from '../../src/core/revocation-lookup.js';
import { writeCrl } from '../../src/dev/sim/crl-writer.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';

const HOUR = 3_600_000;
const SEC = 1000;
const pki = makeTestPki();
const anchors = pki.anchors.certificates();
const gen3 = pki.root('auth-gen3');
const tmp = mkdtempSync(join(tmpdir(), 'revocation-build-test-'));
let fileNo = 0;

type Spec = Partial<Parameters<typeof writeCrl>[1]>;
function crl(spec: Spec): Uint8Array {
  const path = join(tmp, `c${fileNo++}.crl`);
  writeCrl(path, { issuerName: gen3.name, issuerKeyId: gen3.keyId, issuerKey: gen3.key, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 5n, ...spec });
  return new Uint8Array(readFileSync(path));
}
const previousOf = (der: Uint8Array): CrlSource<string>['previous'] => {
  const c = parseCrl(der);
  return { thisUpdate: c.thisUpdate, crlNumber: c.crlNumber };
};

/** Files by name; a name not in the table is unreadable. Every call is recorded. */
function loader(files: Record<string, Uint8Array>): CrlLoader<string> & { calls: { file: string; opts: LoadOptions }[] } {
  const calls: { file: string; opts: LoadOptions }[] = [];
  const load = (id: string, file: string, opts: LoadOptions) => {
    calls.push({ file, opts });
    const der = files[file];
    if (!der) return { ok: false as const, rejection: 'unreadable' as const, detail: `ENOENT: ${file}` };
    return loadCrl(id, [der], anchors, opts);
  };
  return Object.assign(load, { calls });
}

const good = crl({}); // thisUpdate NOW - 1 d, number 5: the last good CRL of most rows
const files: Record<string, Uint8Array> = {
  good,
  newer: crl({ thisUpdate: NOW - HOUR, crlNumber: 6n }),
  sameAsGood: crl({}),
  olderInTime: crl({ thisUpdate: NOW - 2 * DAY, crlNumber: 6n }),
  lowerNumber: crl({ thisUpdate: NOW - HOUR, crlNumber: 4n }),
  staleNewer: crl({ thisUpdate: NOW - 3 * HOUR, nextUpdate: NOW - 2 * HOUR, crlNumber: 6n }),
  badSignature: crl({ thisUpdate: NOW - HOUR, crlNumber: 6n, badSignature: true }),
  garbage: Uint8Array.from([0x30, 0x03, 0x02, 0x01]),
  atSkew: crl({ thisUpdate: NOW + CRL_CLOCK_SKEW_MS, crlNumber: 6n }),
  pastSkew: crl({ thisUpdate: NOW + CRL_CLOCK_SKEW_MS + SEC, crlNumber: 6n }),
  goodFromFuture: crl({ thisUpdate: NOW + HOUR }),
  now: crl({ thisUpdate: NOW, crlNumber: 6n }),
  nowPlus1s: crl({ thisUpdate: NOW + SEC, crlNumber: 6n }),
};
const prevGood = previousOf(good);

describe('chooseCrl: candidate or last good, at a fixed NOW', () => {
  const rows: {
    name: string;
    candidate?: string;
    lastGood?: string;
    previous?: CrlSource<string>['previous'];
    skewMs?: number;
    used: 'candidate' | 'lastGood' | 'none';
    rejection?: string;
    thisUpdate?: number;
  }[] = [
    {
      name: 'candidate newer than the last good: candidate',
      candidate: 'newer',
      lastGood: 'good',
      previous: prevGood,
      used: 'candidate',
      thisUpdate: NOW - HOUR,
    },
    {
      name: 'candidate the same CRL again: candidate (not a rollback)',
      candidate: 'sameAsGood',
      lastGood: 'good',
      previous: prevGood,
      used: 'candidate',
      thisUpdate: NOW - DAY,
    },
    {
      name: 'candidate older in time: last good, crl_rollback',
      candidate: 'olderInTime',
      lastGood: 'good',
      previous: prevGood,
      used: 'lastGood',
      rejection: 'crl_rollback',
      thisUpdate: NOW - DAY,
    },
    {
      name: 'candidate lower in number: last good, crl_rollback',
      candidate: 'lowerNumber',
      lastGood: 'good',
      previous: prevGood,
      used: 'lastGood',
      rejection: 'crl_rollback',
    },
    {
      name: 'candidate older with no previous (first load): candidate',
      candidate: 'olderInTime',
      previous: null,
      used: 'candidate',
      thisUpdate: NOW - 2 * DAY,
    },
    {
      name: 'candidate stale but newer: candidate (staleness is judged at lookup)',
      candidate: 'staleNewer',
      lastGood: 'good',
      previous: prevGood,
      used: 'candidate',
      thisUpdate: NOW - 3 * HOUR,
    },
    {
      name: 'candidate with a bad signature: last good',
      candidate: 'badSignature',
      lastGood: 'good',
      previous: prevGood,
      used: 'lastGood',
      rejection: 'crl_signature_invalid',
    },
    { name: 'candidate corrupt: last good', candidate: 'garbage', lastGood: 'good', previous: prevGood, used: 'lastGood', rejection: 'malformed_crl' },
    { name: 'candidate unreadable: last good', candidate: 'missing', lastGood: 'good', previous: prevGood, used: 'lastGood', rejection: 'unreadable' },
    { name: 'no candidate fetched: last good, nothing refused', lastGood: 'good', previous: prevGood, used: 'lastGood', thisUpdate: NOW - DAY },
    {
      name: 'candidate refused, last good unreadable: none, the candidate’s reason',
      candidate: 'badSignature',
      lastGood: 'missing',
      previous: prevGood,
      used: 'none',
      rejection: 'crl_signature_invalid',
    },
    { name: 'no candidate, last good unreadable: none, unreadable', lastGood: 'missing', previous: prevGood, used: 'none', rejection: 'unreadable' },
    { name: 'candidate refused, no last good: none', candidate: 'garbage', previous: null, used: 'none', rejection: 'malformed_crl' },
    { name: 'neither file: none, nothing refused', previous: null, used: 'none' },
    // skew: thisUpdate may lie up to CRL_CLOCK_SKEW_MS ahead of NOW
    {
      name: 'skew: candidate dated exactly NOW + 5 min: candidate',
      candidate: 'atSkew',
      lastGood: 'good',
      previous: prevGood,
      used: 'candidate',
      thisUpdate: NOW + CRL_CLOCK_SKEW_MS,
    },
    {
      name: 'skew: candidate dated NOW + 5 min + 1 s: last good, crl_not_yet_valid',
      candidate: 'pastSkew',
      lastGood: 'good',
      previous: prevGood,
      used: 'lastGood',
      rejection: 'crl_not_yet_valid',
      thisUpdate: NOW - DAY,
    },
    {
      name: 'skew: the last good file gets the same bound (clock set back): none',
      candidate: 'pastSkew',
      lastGood: 'goodFromFuture',
      previous: null,
      used: 'none',
      rejection: 'crl_not_yet_valid',
    },
    { name: 'skew 0: candidate dated NOW: candidate', candidate: 'now', lastGood: 'good', previous: prevGood, skewMs: 0, used: 'candidate', thisUpdate: NOW },
    {
      name: 'skew 0: candidate dated NOW + 1 s: last good',
      candidate: 'nowPlus1s',
      lastGood: 'good',
      previous: prevGood,
      skewMs: 0,
      used: 'lastGood',
      rejection: 'crl_not_yet_valid',
    },
    {
      name: 'skew 1 h: candidate dated NOW + 5 min + 1 s: candidate',
      candidate: 'pastSkew',
      lastGood: 'good',
      previous: prevGood,
      skewMs: HOUR,
      used: 'candidate',
    },
  ];

  for (const row of rows) {
    it(row.name, () => {
      const load = loader(files);
      const { crl: chosen, outcome } = chooseCrl(
        { id: 's', candidate: row.candidate, lastGood: row.lastGood, previous: row.previous },
        load,
        NOW,
        row.skewMs === undefined ? {} : { skewMs: row.skewMs },
      );
      expect(outcome.id).toBe('s');
      expect(outcome.used).toBe(row.used);
      expect(outcome.rejection).toBe(row.rejection);
      expect(outcome.detail === undefined).toBe(row.rejection === undefined);
      expect(chosen === null).toBe(row.used === 'none');
      expect(outcome.meta === undefined).toBe(row.used === 'none');
      if (chosen)
        expect(outcome.meta).toEqual({
          thisUpdate: chosen.info.thisUpdate,
          nextUpdate: chosen.info.nextUpdate,
          crlNumber: chosen.info.crlNumber,
          entries: chosen.info.entryCount,
        });
      if (row.thisUpdate !== undefined) expect(outcome.meta?.thisUpdate).toBe(row.thisUpdate);
      // The last good file is tried only when the candidate gave nothing.
      expect(load.calls.map((c) => c.file)).toEqual([
        ...(row.candidate ? [row.candidate] : []),
        ...(row.lastGood && row.used !== 'candidate' ? [row.lastGood] : []),
      ]);
    });
  }

  it('the candidate is checked against previous, the last good file against nothing; both with notAfter = NOW + skew', () => {
    const load = loader(files);
    chooseCrl({ id: 's', candidate: 'olderInTime', lastGood: 'good', previous: prevGood }, load, NOW);
    expect(load.calls).toEqual([
      { file: 'olderInTime', opts: { previous: prevGood, notAfter: NOW + CRL_CLOCK_SKEW_MS } },
      { file: 'good', opts: { previous: null, notAfter: NOW + CRL_CLOCK_SKEW_MS } },
    ]);
  });
});

describe('buildRevocation: one set from the chosen CRLs', () => {
  it('stamps the set with NOW and the version, and drops a delta without its base from the outcomes', () => {
    const { cert } = pki.issue({ purpose: 'authentication', serial: 0x5151n });
    const withEntry = {
      revoked: crl({ thisUpdate: NOW - HOUR, crlNumber: 6n, entries: [{ serial: cert.serial, revokedAt: NOW - 2 * HOUR, reason: 1 }] }),
      orphan: crl({ crlNumber: 30n, deltaOf: 20n }),
    };
    const load = loader({ ...files, ...withEntry });
    const { set, outcomes } = buildRevocation(
      [
        { id: 'a', candidate: 'revoked', lastGood: 'good', previous: prevGood },
        { id: 'b', candidate: 'orphan', previous: null },
        { id: 'c', candidate: 'missing', previous: null },
      ],
      load,
      7,
      NOW,
    );
    expect(set.version).toBe(7);
    expect(set.builtAt).toBe(NOW);
    expect(outcomes.map((o) => [o.id, o.used, o.rejection])).toEqual([
      ['a', 'candidate', undefined],
      ['b', 'none', 'delta_without_base'],
      ['c', 'none', 'unreadable'],
    ]);
    expect(outcomes[1].detail).toBe('delta CRL without a matching base CRL');
    expect(new IndexRevocationChecker(() => set).check(cert, parseCertificate(gen3.cert), NOW)).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
  });

  it('a stale candidate is loaded, and lookups at NOW answer stale', () => {
    const { cert } = pki.issue({ purpose: 'authentication' });
    const { set, outcomes } = buildRevocation([{ id: 'a', candidate: 'staleNewer', lastGood: 'good', previous: prevGood }], loader(files), 1, NOW);
    expect(outcomes[0].used).toBe('candidate');
    const checker = new IndexRevocationChecker(() => set, { graceMs: HOUR });
    expect(checker.check(cert, parseCertificate(gen3.cert), NOW).status).toBe('stale');
    expect(checker.check(cert, parseCertificate(gen3.cert), NOW - HOUR).status).toBe('good');
  });
});

describe('freshness rules', () => {
  const nu = NOW;
  it.each([
    ['no nextUpdate: never stale', null, NOW + 365 * DAY, HOUR, false],
    ['before nextUpdate', nu, nu - 1, HOUR, false],
    ['exactly nextUpdate + grace: still current', nu, nu + HOUR, HOUR, false],
    ['1 ms past nextUpdate + grace: stale', nu, nu + HOUR + 1, HOUR, true],
    ['grace 0, 1 ms past nextUpdate: stale', nu, nu + 1, 0, true],
  ] as const)('%s', (_name, nextUpdate, time, grace, stale) => {
    expect(isStale(nextUpdate, time, grace)).toBe(stale);
  });

  it('defaults: 1 h grace, 5 min skew', () => {
    expect(DEFAULT_STALE_GRACE_MS).toBe(HOUR);
    expect(CRL_CLOCK_SKEW_MS).toBe(5 * 60 * SEC);
    expect(latestThisUpdate(NOW)).toBe(NOW + 5 * 60 * SEC);
    expect(latestThisUpdate(NOW, 0)).toBe(NOW);
  });
});
