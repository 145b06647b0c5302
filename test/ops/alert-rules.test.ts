// The alert rules' own unit tests (ops/alerts.test.yml) run in promtool: every rule fires on the
// series it is about and stays quiet on healthy ones. Every alert has a test that expects it to
// fire, and a runbook_url naming its section of the operations guide.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../conformance/shared.js';

interface Rule {
  alert?: string;
  annotations?: Record<string, string>;
}
const rules = (parse(readFileSync(join(REPO_ROOT, 'ops/alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }).groups
  .flatMap((g) => g.rules)
  .filter((r) => r.alert);
const tests = parse(readFileSync(join(REPO_ROOT, 'ops/alerts.test.yml'), 'utf8')) as {
  tests: { alert_rule_test: { alertname: string; exp_alerts?: unknown[] }[] }[];
};

describe('alert rules', () => {
  it('pass their promtool unit tests', () => {
    const out = execFileSync('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: join(REPO_ROOT, 'ops'), encoding: 'utf8' });
    expect(out).toContain('SUCCESS');
  });

  it('each have a test expecting them to fire', () => {
    const fired = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname)));
    expect(rules.map((r) => r.alert).filter((a) => !fired.has(a!))).toEqual([]);
  });

  it('each link their section of the operations guide as runbook_url', () => {
    const anchors = new Set([...readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8').matchAll(/^### (\S+)$/gm)].map((m) => m[1].toLowerCase()));
    for (const r of rules) {
      const url = r.annotations?.runbook_url ?? '';
      expect(url, r.alert).toBe(`docs/operations.md#${r.alert!.toLowerCase()}`);
      expect(anchors.has(r.alert!.toLowerCase()), r.alert).toBe(true);
    }
  });
});
