import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExceptions } from '../../src/dev/conformance/exceptions.js';
import { inScope, runLimboCase, summarize, type LimboCase } from '../../src/dev/conformance/limbo.js';
import { CONFORMANCE, summary } from './shared.js';

const data = JSON.parse(readFileSync(join(CONFORMANCE, 'limbo', 'limbo.json'), 'utf8')) as { testcases: LimboCase[] };
const cases = data.testcases.filter(inScope);
const exceptions = loadExceptions().limbo;

describe('x509-limbo', () => {
  it('every excepted id exists in the suite', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(Object.keys(exceptions).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('all in-scope cases match their expected result', () => {
    expect(cases.length).toBeGreaterThan(100);
    const outcomes = cases.map((c) => runLimboCase(c, exceptions));
    const s = summarize(outcomes);
    summary('limbo', s.passed, s.failed, s.excepted);
    const mismatches = outcomes.filter((o) => !o.match && !o.excepted).map((o) => `${o.id}: expected ${o.expected}, got ${o.actual} (${o.code})`);
    expect(mismatches).toEqual([]);
    // Excepted cases must really be exceptions: one that now matches should leave the file.
    const stale = outcomes.filter((o) => exceptions[o.id] && o.match).map((o) => o.id);
    expect(stale).toEqual([]);
  });
});
