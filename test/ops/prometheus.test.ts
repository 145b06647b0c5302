// The dashboards and alert rules against a real Prometheus (Debian's `prometheus`): the service in
// queue mode (API here, two real worker processes) is scraped every second while load runs; then
// every dashboard panel's queries and every alert rule are evaluated through Prometheus' HTTP API.
// A query with no series, a rule that fails to evaluate, or a metric name the service does not
// export fails the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VERDICT_CODES } from '../../src/core/verdict.js';
import { REPO_ROOT } from '../conformance/shared.js';
import { freePort, clusterDatabase, queueSettings, spawnWorker, until, workerConfig, type WorkerProc } from '../helpers/cluster.js';
import { KEY_A, WEBHOOK_SECRET_A, startTestService, type TestService } from '../helpers/service.js';

const DB = await clusterDatabase();

const prefix = `jpkitest${process.pid}o${Date.now().toString(36)}`;
const KEY_R = 'rate-limited-tenant-key-01';
const KEY_O = 'ocsp-tenant-key-000000001';
let t: TestService;
let workers: WorkerProc[] = [];
let prom: ChildProcess;
let promUrl = '';
const exported = new Set<string>();

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}
const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'grafana', 'dashboards', 'jpki-overview.json'), 'utf8')) as { panels: Panel[] };
const rulesFile = join(REPO_ROOT, 'ops', 'alerts.yml');

async function query(expr: string): Promise<{ status: string; data: { result: unknown[] }; error?: string }> {
  const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await r.json()) as { status: string; data: { result: unknown[] }; error?: string };
}

/** Metric names a PromQL expression reads (ours and Prometheus' own `up`). */
function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\bjpki_[a-z0-9_]+/g) ?? [])];
}

beforeAll(async () => {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const settings = queueSettings(prefix, DB);
  t = await startTestService(
    {
      ...settings,
      tenants: [
        { id: 'a', apiKeySha256: sha(KEY_A), basicInfo: true, webhookSecret: WEBHOOK_SECRET_A },
        { id: 'r', apiKeySha256: sha(KEY_R), rateLimit: { perSecond: 1, burst: 1 } },
        { id: 'o', apiKeySha256: sha(KEY_O), revocation: { mode: 'ocsp' } },
      ],
    },
    { t0: Date.now() - 60_000, ocsp: true },
  );
  const cfg = workerConfig(t, 'ops', settings, { ocsp: t.config.ocsp });
  workers = await Promise.all([spawnWorker(cfg), spawnWorker(cfg)]);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'prom-'));
  const hostPort = (u: string) => new URL(u).host;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [rulesFile],
      scrape_configs: [
        { job_name: 'jpki-api', metrics_path: '/metrics', static_configs: [{ targets: [hostPort(t.url)] }] },
        { job_name: 'jpki-worker', metrics_path: '/metrics', static_configs: [{ targets: workers.map((w) => hostPort(w.url)) }] },
      ],
    }),
  );
  prom = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let promErr = '';
  prom.stderr!.on('data', (d) => (promErr += String(d)));
  promUrl = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.status === 200, 30_000, 100).catch(() => {
    throw new Error(`prometheus did not start: ${promErr}`);
  });

  // Load: valid, revoked and tampered authentications, a document signature, malformed input,
  // a bulk job, and a tenant over its rate limit.
  await until(async () => (await fetch(`${t.url}/readyz`)).status === 200);
  const bodies = await Promise.all(Array.from({ length: 30 }, async (_, i) => t.authBody(t.holder(`a${20 + i}`), await t.challenge(), i % 10 === 0)));
  await Promise.all(bodies.map((b) => t.post('/v1/verify/auth', b)));
  // OCSP (the simulated J-LIS responder): a tenant whose verifications OCSP decides.
  for (const id of ['a50', 'a51', 'a1']) await t.post('/v1/verify/auth', t.authBody(t.holder(id), await t.challenge(KEY_O)), { key: KEY_O });
  for (const id of ['a1', 'a2', 'a3']) await t.post('/v1/verify/auth', t.authBody(t.holder(id), await t.challenge()));
  await t.post('/v1/verify/auth', { ...t.authBody(t.holder('a20'), await t.challenge()), signature: '!!' });
  await t.post('/v1/jobs', { items: [{ type: 'auth', ...t.authBody(t.holder('a40'), await t.challenge()) }] });
  await Promise.all(Array.from({ length: 3 }, () => fetch(`${t.url}/v1/challenges`, { method: 'POST', headers: { 'x-api-key': KEY_R } })));
  // Every target scraped a few times after the load.
  const scrapesAfter = async () => {
    const r = await query('min(count_over_time(up[10s]))');
    return Number((r.data.result[0] as { value: [number, string] } | undefined)?.value[1] ?? 0) >= 6;
  };
  await until(scrapesAfter, 30_000, 250);
  for (const u of [t.url, ...workers.map((w) => w.url)]) {
    const text = await (await fetch(`${u}/metrics`)).text();
    for (const line of text.split('\n')) if (line.startsWith('jpki_')) exported.add(line.split(/[{ ]/)[0]);
  }
}, 120_000);

afterAll(async () => {
  prom?.kill('SIGKILL');
  await t?.svc.close();
  await t?.ocsp?.close();
  for (const w of workers) w.child.kill('SIGKILL');
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const keys = [...(await redis.keys(`{${prefix}}*`)), ...(await redis.keys(`${prefix}:*`))];
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('Grafana dashboard and Prometheus rules on a real Prometheus', () => {
  const targets = dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((x) => ({ panel: p.title, expr: x.expr.replaceAll('$__rate_interval', '30s').replaceAll('$instance', '.*') })),
  );

  it('the dashboard has the panels operators need', () => {
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const want of [
      'Requests/s',
      'Latency p50 / p95 / p99',
      'Verdicts/s by code',
      'Pool utilisation',
      'Mean batch size',
      'Jobs by state',
      'Job round trip',
      'Dead letters',
      'CRL age',
      'refresh failures',
      'Status changes found',
      'Redis connection',
      'Event-loop lag',
      'OCSP lookups/s by outcome',
      'OCSP cache hit ratio',
    ]) {
      expect(titles).toContain(want);
    }
    expect(targets.length).toBeGreaterThan(30);
  });

  it('every panel query returns series, and reads only metrics the service exports', async () => {
    const empty: string[] = [];
    for (const { panel, expr } of targets) {
      for (const name of metricNames(expr)) expect(exported, `${panel}: ${name}`).toContain(name);
      const r = await query(expr);
      expect(r.status, `${panel}: ${expr}: ${r.error}`).toBe('success');
      if (r.data.result.length === 0) empty.push(`${panel}: ${expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('every alert rule evaluates without error and reads only exported metrics with data', async () => {
    const file = parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const declared = file.groups.flatMap((g) => g.rules);
    const loaded = await until(async () => {
      const r = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
        data: { groups: { rules: { name: string; health: string; lastError?: string; lastEvaluation: string }[] }[] };
      };
      const rules = r.data.groups.flatMap((g) => g.rules);
      return rules.length === declared.length && rules.every((x) => x.lastEvaluation && !x.lastEvaluation.startsWith('0001')) ? rules : null;
    });
    for (const r of loaded) expect(`${r.name}: ${r.health} ${r.lastError ?? ''}`).toBe(`${r.name}: ok `);
    for (const rule of declared) {
      for (const name of metricNames(rule.expr)) {
        expect(exported, `${rule.alert}: ${name}`).toContain(name);
        expect((await query(`count(${name})`)).data.result.length, `${rule.alert}: ${name} has no series`).toBe(1);
      }
    }
    // On a healthy cluster under light load, nothing critical fires.
    const firing = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as {
      data: { alerts: { labels: { alertname: string; severity: string }; state: string }[] };
    };
    expect(firing.data.alerts.filter((a) => a.labels.severity === 'critical' && a.state === 'firing')).toEqual([]);
  });

  it('the indeterminate-rate rule and panel name every indeterminate verdict code', () => {
    const indeterminate = Object.entries(VERDICT_CODES)
      .filter(([, v]) => v[0] === 'indeterminate')
      .map(([k]) => k)
      .sort();
    const rules = readFileSync(rulesFile, 'utf8');
    const m = /code=~"([a-z_|]+)"/.exec(rules)!;
    expect(m[1].split('|').sort()).toEqual(indeterminate);
    expect(JSON.stringify(dashboard)).toContain(`code=~\\"${m[1]}\\"`);
  });
});
