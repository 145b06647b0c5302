// Differential testing against OpenSSL (`openssl verify -x509_strict`): seeded cases from
// generator.ts through both verifiers. Every disagreement must be a difference listed, with its
// RFC reference, in known-differences.json, and every listed difference must still occur.
// JPKI_DIFF_CASES (default 3000) and JPKI_DIFF_SEED (default 1) choose the run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMBINATIONS, MUTATIONS, buildCase, generateCases, makeKeyPool } from './generator.js';
import { explain, loadKnownDifferences, runCases, type CaseResult } from './run.js';

const CASES = Number(process.env.JPKI_DIFF_CASES ?? 3000);
const SEED = Number(process.env.JPKI_DIFF_SEED ?? 1);
const known = loadKnownDifferences(join(import.meta.dirname, 'known-differences.json'));
const work = mkdtempSync(join(tmpdir(), 'jpki-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('known-differences.json', () => {
  it('names mutations of the catalogue, each with an RFC reference and a reason, once', () => {
    const names = new Set(MUTATIONS.map((x) => x.name));
    for (const k of known) {
      expect(names.has(k.mutation), k.mutation).toBe(true);
      if (k.with) expect(names.has(k.with), k.with).toBe(true);
      expect(k.reference, k.mutation).toMatch(/RFC \d+/);
      expect(k.why.length, k.mutation).toBeGreaterThan(40);
      expect(k.project).not.toBe(k.openssl);
    }
    const keys = known.map((k) => `${k.mutation}+${k.with ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('explains a disagreement only by a listed mutation in the same direction', () => {
    const r = (mutations: string[], project: 'valid' | 'invalid', openssl: 'valid' | 'invalid'): CaseResult => ({
      id: 0,
      mutations,
      project,
      projectCode: '',
      openssl,
      opensslErrors: [],
    });
    expect(explain(r(['leaf-serial-zero'], 'invalid', 'valid'), known)?.mutation).toBe('leaf-serial-zero');
    expect(explain(r(['leaf-serial-zero'], 'valid', 'invalid'), known)).toBeNull();
    expect(explain(r(['leaf-expired'], 'valid', 'invalid'), known)).toBeNull();
    expect(explain(r(['crl-delta-removes-hold'], 'invalid', 'valid'), known)).toBeNull(); // needs its partner
    expect(explain(r(['leaf-expired'], 'invalid', 'invalid'), known)).toBeNull();
  });
});

describe(`differential: project vs openssl verify -x509_strict (${CASES} cases, seed ${SEED})`, () => {
  it('every disagreement is a known difference, and every known difference still occurs', async () => {
    expect(CASES).toBeGreaterThan(MUTATIONS.length + COMBINATIONS.length); // every mutation alone, every combination
    const version = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
    const t0 = performance.now();
    const keys = makeKeyPool();
    const cases = generateCases(CASES, SEED, keys).map(buildCase);
    const t1 = performance.now();
    const results = await runCases(cases, work, Math.max(1, Math.min(4, availableParallelism())));
    const t2 = performance.now();
    expect(results).toHaveLength(CASES);

    const unexplained: string[] = [];
    const seen = new Map<string, number>();
    let disagreements = 0;
    for (const r of results) {
      if (r.project === r.openssl) continue;
      disagreements++;
      const k = explain(r, known);
      if (k) seen.set(`${k.mutation}+${k.with ?? ''}`, (seen.get(`${k.mutation}+${k.with ?? ''}`) ?? 0) + 1);
      else
        unexplained.push(
          `case ${r.id} [${r.mutations.join(', ')}]: project ${r.project} (${r.projectCode}), openssl ${r.openssl} ${r.opensslErrors.join(' | ')}`,
        );
    }
    const valid = results.filter((r) => r.project === 'valid').length;
    console.log(
      `differential: ${CASES} cases (seed ${SEED}, ${version}): ${valid} valid, ${CASES - valid} invalid by the project; ` +
        `${disagreements} disagreements, all of ${seen.size} known differences; ` +
        `generate ${Math.round(t1 - t0)} ms, verify both ${Math.round(t2 - t1)} ms`,
    );
    expect(unexplained).toEqual([]);
    const missing = known.filter((k) => !seen.has(`${k.mutation}+${k.with ?? ''}`)).map((k) => k.mutation + (k.with ? ` with ${k.with}` : ''));
    expect(missing).toEqual([]);
    // The suite exercises both outcomes broadly: a generator that made everything fail would prove nothing.
    expect(valid).toBeGreaterThan(CASES / 5);
    expect(CASES - valid).toBeGreaterThan(CASES / 5);
  }, 600_000);
});
