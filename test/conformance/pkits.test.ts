import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExceptions } from '../../src/dev/conformance/exceptions.js';
import { runPkits } from '../../src/dev/conformance/pkits.js';
import { CONFORMANCE, summary } from './shared.js';

const exceptions = loadExceptions().pkits;

describe('NIST PKITS', () => {
  const outcomes = runPkits(join(CONFORMANCE, 'pkits'), exceptions);

  it('covers every Valid…/Invalid… end-entity certificate', () => {
    expect(outcomes.length).toBe(162);
  });

  it('every case matches, revocation sections included', () => {
    const passed = outcomes.filter((o) => !o.excepted && o.match).length;
    const failed = outcomes.filter((o) => !o.excepted && !o.match);
    const excepted = outcomes.filter((o) => o.excepted).length;
    summary('pkits', passed, failed.length, excepted);
    expect(failed.map((o) => `${o.name}: expected ${o.expected}, got ${o.actual} (${o.code})`)).toEqual([]);
  });

  it('excepted cases still mismatch (a fixed case must leave the exceptions file)', () => {
    expect(outcomes.filter((o) => exceptions[o.name] && o.match).map((o) => o.name)).toEqual([]);
  });
});
