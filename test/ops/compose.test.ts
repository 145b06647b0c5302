// Docker cannot run here: the compose file, Dockerfile, Prometheus and Grafana provisioning are
// checked against what the service really reads (config file, ports, CLI commands and flags,
// routes) and against each other (service names, mounts, paths).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commands } from '../../src/cli/commands.js';
import { validateConfig } from '../../src/config/config.js';
import { REPO_ROOT } from '../conformance/shared.js';

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  depends_on?: Record<string, unknown>;
}
const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const prom = parse(readFileSync(join(REPO_ROOT, 'ops', 'prometheus.yml'), 'utf8')) as {
  rule_files: string[];
  scrape_configs: { job_name: string; metrics_path: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; port: number }[] }[];
};
const S = compose.services;

/** host:container mounts of a service, as [hostPath, containerPath]. */
const mounts = (s: Service): [string, string][] => (s.volumes ?? []).map((v) => v.split(':').slice(0, 2) as [string, string]);
const mountFor = (s: Service, host: string): string => mounts(s).find(([h]) => h === host)![1];

function configOf(s: Service): ReturnType<typeof validateConfig> {
  const flag = s.command!.indexOf('--config');
  const inContainer = s.command![flag + 1];
  const [host] = mounts(s).find(([, c]) => c === inContainer)!;
  return validateConfig(JSON.parse(readFileSync(join(REPO_ROOT, host), 'utf8'))); // throws, naming the field
}

describe('docker-compose.yml: the queue-mode cluster', () => {
  const api = configOf(S.api);
  const worker = configOf(S.worker);

  it('has every part: J-LIS, PostgreSQL, Redis (AOF), API, two workers, Prometheus, Grafana', () => {
    expect(Object.keys(S).sort()).toEqual(['api', 'bank', 'grafana', 'jlis', 'postgres', 'prometheus', 'redis', 'worker']);
    expect(S.postgres.volumes).toContain('pg-data:/var/lib/postgresql/data');
    for (const s of [S.api, S.worker]) expect(s.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    expect(S.redis.command).toEqual(['redis-server', '--appendonly', 'yes']);
    expect(S.worker.deploy?.replicas).toBe(2);
  });

  it('runs CLI commands that exist, with configs that validate, in queue mode on the compose Redis', () => {
    expect(Object.keys(commands)).toContain(S.api.command![0]);
    expect(S.api.command![0]).toBe('serve');
    expect(S.worker.command![0]).toBe('worker');
    for (const c of [api, worker]) {
      expect(c.mode).toBe('queue');
      expect(new URL(c.redis.url).hostname).toBe('redis');
      expect(c.challenge.store).toBe('redis');
      // The system of record is the compose PostgreSQL, with the user and database it creates.
      const db = new URL(c.database.url!);
      expect(db.hostname).toBe('postgres');
      expect(db.username).toBe(S.postgres.environment!.POSTGRES_USER);
      expect(decodeURIComponent(db.password)).toBe(S.postgres.environment!.POSTGRES_PASSWORD);
      expect(db.pathname).toBe(`/${S.postgres.environment!.POSTGRES_DB}`);
      expect(c.tenants.length).toBeGreaterThan(0);
    }
    expect(api.host).toBe('0.0.0.0');
    expect(worker.worker.host).toBe('0.0.0.0');
    expect(S.api.ports).toContain(`${api.port}:${api.port}`);
    expect(dockerfile).toContain(`EXPOSE ${api.port}`);
    expect(S.api.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${api.port}/readyz`);
    expect(S.worker.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${worker.worker.port}/readyz`);
  });

  it('feeds the workers from the simulated J-LIS: its trust folder and its CRL index', () => {
    const script = S.jlis.command!.join(' ');
    for (const sub of ['pki init', 'pki crl', 'pki serve']) expect(script).toContain(`dist/src/cli/main.js ${sub}`);
    expect(Object.keys(commands)).toContain('pki');
    const dir = /pki init --dir (\S+)/.exec(script)![1];
    expect(/pki serve --dir (\S+)/.exec(script)![1]).toBe(dir);
    const port = Number(/--port (\d+)/.exec(script)![1]);
    expect(script).toContain('--host 0.0.0.0');
    const src = new URL(worker.crl.sources[0]);
    expect(src.hostname).toBe('jlis');
    expect(Number(src.port)).toBe(port);
    expect(src.pathname).toBe('/crl/'); // the index route of src/dev/sim/crl-server.ts
    expect(worker.trust.roots).toEqual([`${dir}/trust`]);
    const dataMount = mountFor(S.jlis, 'jpki-data');
    expect(mountFor(S.worker, 'jpki-data')).toBe(dataMount);
    expect(dir.startsWith(dataMount)).toBe(true);
    expect(worker.crl.cacheDir.startsWith(dataMount)).toBe(true);
  });

  it('the payment relay reaches the reference institution the compose runs, with the same secret', () => {
    expect(S.bank.command!.slice(0, 2)).toEqual(['institution', '--config']);
    expect(Object.keys(commands)).toContain('institution');
    const file = mounts(S.bank).find(([, c]) => c === S.bank.command![2])![0];
    const inst = JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as { id: string; host: string; port: number; secret: string; redisUrl: string };
    const rel = api.payments.institutions.find((i) => i.id === inst.id)!;
    expect(new URL(rel.endpoint).hostname).toBe('bank');
    expect(Number(new URL(rel.endpoint).port)).toBe(inst.port);
    expect(rel.secret).toBe(inst.secret);
    expect(inst.host).toBe('0.0.0.0');
    expect(new URL(inst.redisUrl).hostname).toBe('redis');
  });

  it('the image entry point and default command are real', () => {
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "dist\/src\/cli\/main\.js"\]/);
    const cmd = /CMD \["(\w+)"/.exec(dockerfile)![1];
    expect(Object.keys(commands)).toContain(cmd);
    expect(dockerfile).toMatch(/FROM node:20[^\n]* AS build/);
  });

  it('Prometheus scrapes the API and every worker replica, with the alert rules mounted where it reads them', () => {
    const apiJob = prom.scrape_configs.find((j) => j.job_name === 'jpki-api')!;
    expect(apiJob.metrics_path).toBe('/metrics');
    expect(apiJob.static_configs![0].targets).toEqual([`api:${api.port}`]);
    const workerJob = prom.scrape_configs.find((j) => j.job_name === 'jpki-worker')!;
    expect(workerJob.dns_sd_configs![0]).toMatchObject({ names: ['worker'], port: worker.worker.port });
    expect(mountFor(S.prometheus, './ops/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    expect(prom.rule_files).toEqual([mountFor(S.prometheus, './ops/alerts.yml')]);
    expect(S.prometheus.ports).toContain('9090:9090');
  });

  it('Grafana gets the datasource and the dashboards from grafana/', () => {
    expect(mountFor(S.grafana, './grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const ds = parse(readFileSync(join(REPO_ROOT, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
      datasources: { url: string; uid: string }[];
    };
    expect(ds.datasources[0].url).toBe('http://prometheus:9090');
    const provider = parse(readFileSync(join(REPO_ROOT, 'grafana/provisioning/dashboards/jpki.yml'), 'utf8')) as { providers: { options: { path: string } }[] };
    const dashMount = mountFor(S.grafana, './grafana/dashboards');
    expect(provider.providers[0].options.path).toBe(dashMount);
    const home = S.grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(home.startsWith(dashMount)).toBe(true);
    expect(existsSync(join(REPO_ROOT, 'grafana/dashboards', home.slice(dashMount.length + 1)))).toBe(true);
    // No datasource uid is hard-coded (a dashboard imported elsewhere would break): every panel and
    // query names the dashboard's datasource variable, whose type is the provisioned datasource's.
    const text = readFileSync(join(REPO_ROOT, 'grafana/dashboards/jpki-overview.json'), 'utf8');
    const dash = JSON.parse(text) as { templating: { list: { name: string; type: string; query: unknown }[] } };
    expect(text).not.toContain(`"uid": "${ds.datasources[0].uid}"`);
    const uids: string[] = [];
    JSON.parse(text, (key, value) => {
      if (key === 'datasource' && value && typeof value === 'object') uids.push((value as { uid: string }).uid);
      return value;
    });
    expect(uids.length).toBeGreaterThan(30);
    expect(new Set(uids)).toEqual(new Set(['${datasource}']));
    const vars = Object.fromEntries(dash.templating.list.map((v) => [v.name, v]));
    expect(vars.datasource).toMatchObject({ type: 'datasource', query: (ds.datasources[0] as unknown as { type: string }).type });
    expect(vars.instance).toMatchObject({ type: 'query', query: { query: 'label_values(jpki_ready, instance)' } });
    // …and every query follows the instance picker.
    const exprs = [...text.matchAll(/"expr": "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    expect(exprs.length).toBeGreaterThan(30);
    for (const e of exprs) expect(e, e).toContain('instance=~\\"$instance\\"');
  });
});
