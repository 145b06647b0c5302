// The compose file, Dockerfile, Prometheus and Grafana provisioning, checked against what the
// service really reads (config file with its secrets, ports, CLI commands and flags, routes) and
// against each other (service names, mounts, secrets, paths). Static, so it runs in `npm test`;
// `npm run test:compose` (ops/docker/smoke.sh) runs the same cluster for real.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commands } from '../../src/cli/commands.js';
import { describeConfig, loadConfig, type Config, type SecretSource } from '../../src/config/config.js';
import { REPO_ROOT } from '../conformance/shared.js';

interface Service {
  build?: string;
  image?: string;
  profiles?: string[];
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  secrets?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test: string[]; interval?: string; retries?: number };
  depends_on?: Record<string, unknown>;
}
const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
};
const dockerfile = read('Dockerfile');
const prom = parse(read('ops/prometheus.yml')) as {
  rule_files: string[];
  scrape_configs: { job_name: string; metrics_path: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; port: number }[] }[];
};
const S = compose.services;

/** host:container mounts of a service, as [hostPath, containerPath]. */
const mounts = (s: Service): [string, string][] => (s.volumes ?? []).map((v) => v.split(':').slice(0, 2) as [string, string]);
const mountFor = (s: Service, host: string): string => mounts(s).find(([h]) => h === host)![1];

/** Secrets as a service sees them: /run/secrets/NAME, for the secrets it is given. The value is
 *  a stand-in (the real ones are made by ops/compose/secrets.sh, not committed). */
const secretsOf = (s: Service): SecretSource => ({
  file(path) {
    const name = /^\/run\/secrets\/([\w-]+)$/.exec(path)?.[1];
    if (!name || !(s.secrets ?? []).includes(name)) throw Object.assign(new Error(`not given to this service: ${path}`), { code: 'ENOENT' });
    expect(compose.secrets[name], `secret ${name} is declared`).toBeDefined();
    return `stand-in-for-${name}\n`;
  },
  env: (name) => s.environment?.[name],
});

/** The configuration a service's process reads: its --config file, its environment, its secrets. */
function configOf(s: Service): Config {
  const inContainer = s.command![s.command!.indexOf('--config') + 1];
  const [host] = mounts(s).find(([, c]) => c === inContainer)!;
  return loadConfig(join(REPO_ROOT, host), s.environment ?? {}, secretsOf(s)); // throws, naming the field
}

/** `${VAR:-default}` → default (how compose reads an unset variable). */
const dflt = (v: string): string => v.replace(/\$\{\w+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml: the queue-mode cluster', () => {
  const api = configOf(S.api);
  const worker = configOf(S.worker);

  it('has every part: J-LIS, PostgreSQL, Redis (AOF), API, two workers, bank, Prometheus, Grafana', () => {
    expect(Object.keys(S).sort()).toEqual(['api', 'bank', 'grafana', 'jlis', 'postgres', 'prometheus', 'redis', 'worker']);
    expect(S.postgres.volumes).toContain('pg-data:/var/lib/postgresql/data');
    for (const s of [S.api, S.worker]) expect(s.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    expect(S.redis.command!.slice(0, 3)).toEqual(['redis-server', '--appendonly', 'yes']);
    expect(S.worker.deploy?.replicas).toBe(2);
  });

  it('one image serves api, worker, jlis and bank: one service builds it, every role runs it by name', () => {
    const roles = ['jlis', 'api', 'worker', 'bank'];
    for (const r of roles) expect(S[r].image, r).toBe('${JPKI_IMAGE:-jpki-verify}');
    expect(Object.entries(S).filter(([, s]) => s.build !== undefined)).toEqual([['jlis', S.jlis]]);
    expect(S.jlis.build).toBe('.');
    // docker-compose 1.29 makes images in file order: the building service comes first.
    expect(Object.keys(S)[0]).toBe('jlis');
  });

  it('other images are the official ones pinned by digest, each replaceable by a local one', () => {
    for (const [name, repo] of [
      ['postgres', 'postgres:15'],
      ['redis', 'redis:7'],
      ['prometheus', 'prom/prometheus:v'],
      ['grafana', 'grafana/grafana:'],
    ]) {
      expect(S[name].image, name).toMatch(/^\$\{[A-Z]+_IMAGE:-[^}@]+@sha256:[0-9a-f]{64}\}$/);
      expect(dflt(S[name].image!).startsWith(repo), name).toBe(true);
    }
    // The local images the smoke run uses are the ones build-local-images.sh makes.
    const built = read('ops/docker/build-local-images.sh');
    const local = read('ops/docker/local.env')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('='));
    expect(local.map(([k]) => k).sort()).toEqual(['POSTGRES_IMAGE', 'PROMETHEUS_IMAGE', 'REDIS_IMAGE']);
    for (const [k, image] of local) {
      expect(S[k.replace('_IMAGE', '').toLowerCase()].image).toContain(`\${${k}:-`);
      expect(built).toContain(`step ${image} `);
    }
  });

  it('the Dockerfile builds from a base-image argument: Node.js 24 pinned by digest by default', () => {
    const arg = /^ARG BASE_IMAGE=(\S+)$/m.exec(dockerfile)![1];
    expect(arg).toMatch(/^node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['${BASE_IMAGE}', '${BASE_IMAGE}']);
    expect(dockerfile.indexOf('ARG BASE_IMAGE=')).toBeLessThan(dockerfile.indexOf('FROM '));
    // The local base has the same Node major and the same unprivileged user.
    expect(read('ops/docker/build-local-images.sh')).toMatch(/^NODE_VERSION=24\.\d+\.\d+$/m);
    expect(read('ops/docker/local/node.Dockerfile')).toContain('useradd --uid 1000 --gid node');
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('runs CLI commands that exist, with configs that validate, in queue mode on the compose Redis', () => {
    expect(Object.keys(commands)).toContain(S.api.command![0]);
    expect(S.api.command![0]).toBe('serve');
    expect(S.worker.command![0]).toBe('worker');
    for (const c of [api, worker]) {
      expect(c.mode).toBe('queue');
      expect(new URL(c.redis.url).hostname).toBe('redis');
      expect(c.challenge.store).toBe('redis');
      // The system of record is the compose PostgreSQL, with the user, database and password it makes.
      const db = new URL(c.database.url!);
      expect(db.hostname).toBe('postgres');
      expect(db.username).toBe(S.postgres.environment!.POSTGRES_USER);
      expect(db.pathname).toBe(`/${S.postgres.environment!.POSTGRES_DB}`);
      expect(c.database.password).toBe(secretsOf(S.postgres).file(S.postgres.environment!.POSTGRES_PASSWORD_FILE).trim());
      expect(c.tenants.length).toBeGreaterThan(0);
    }
    expect(api.host).toBe('0.0.0.0');
    expect(worker.worker.host).toBe('0.0.0.0');
    expect(S.api.ports).toEqual([`\${JPKI_BIND:-127.0.0.1}:\${JPKI_API_PORT:-${api.port}}:${api.port}`]);
    expect(dockerfile).toContain(`EXPOSE ${api.port}`);
    expect(S.api.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${api.port}/readyz`);
    expect(S.worker.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${worker.worker.port}/readyz`);
    // Workers relay no payments: they are not given the relay secret, and need none.
    expect(worker.payments.institutions).toEqual([]);
    expect(S.worker.secrets).not.toContain('relay_secret');
  });

  it('no password or key in the configuration files: the secret fields name files under /run/secrets', () => {
    const raw = JSON.parse(read('ops/compose/config.json')) as Record<string, unknown>;
    const at = (o: unknown, path: string[]): unknown[] => {
      if (path.length === 0) return [o];
      const [k, ...rest] = path;
      if (k.endsWith('[]')) return ((o as Record<string, unknown[]>)?.[k.slice(0, -2)] ?? []).flatMap((e) => at(e, rest));
      return o && typeof o === 'object' && k in o ? at((o as Record<string, unknown>)[k], rest) : [];
    };
    let refs = 0;
    for (const f of describeConfig().filter((x) => x.secret)) {
      for (const v of at(raw, f.path.split('.'))) {
        if (typeof v === 'string') expect(new URL(v).password, `${f.path} holds a password`).toBe('');
        else if (v !== null) {
          expect(v, f.path).toEqual({ file: expect.stringMatching(/^\/run\/secrets\/\w+$/) });
          refs++;
        }
      }
    }
    expect(refs).toBe(2); // database.password, the relay secret
    const inst = JSON.parse(read('ops/compose/institution.json')) as Record<string, unknown>;
    expect(inst.secret).toEqual({ file: '/run/secrets/relay_secret' });
    expect(inst.pinKey).toEqual({ file: '/run/secrets/pin_key' });
    // Nor in the compose file: a password or key variable names a file, never holds the value.
    for (const [name, s] of Object.entries(S))
      for (const k of Object.keys(s.environment ?? {}).filter((x) => /PASSWORD|SECRET|_KEY/.test(x))) expect(k, name).toMatch(/_FILE$/);
    for (const old of ['jpki-demo-change-me', 'demo-relay-secret-change-me', 'demo-terminal-pin-key-change-me'])
      for (const f of ['docker-compose.yml', 'ops/compose/config.json', 'ops/compose/institution.json']) expect(read(f), f).not.toContain(old);
  });

  it('secrets come from files ops/compose/secrets.sh makes: random, kept on a second run, private folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jpki-secrets-'));
    const make = (): Buffer => execFileSync('sh', [join(REPO_ROOT, 'ops/compose/secrets.sh'), join(dir, 'secrets')]);
    make();
    const made = readdirSync(join(dir, 'secrets')).sort();
    const files = Object.values(compose.secrets).map((s) => s.file);
    for (const f of files) expect(f.startsWith('./var/secrets/'), f).toBe(true);
    expect(made).toEqual(files.map((f) => f.replace('./var/secrets/', '')).sort());
    const values = made.map((f) => readFileSync(join(dir, 'secrets', f), 'utf8'));
    for (const v of values) expect(v).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(values).size).toBe(values.length);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    make();
    expect(made.map((f) => readFileSync(join(dir, 'secrets', f), 'utf8'))).toEqual(values);
    // var/ is this installation's state: not in git, nor in the image's build context.
    expect(read('.gitignore').split('\n')).toContain('/var/');
    expect(read('.dockerignore').split('\n')).toContain('var');
    // Every service is given only secrets that exist, and every secret is used.
    const used = new Set(Object.values(S).flatMap((s) => s.secrets ?? []));
    expect([...used].sort()).toEqual(Object.keys(compose.secrets).sort());
  });

  it('publishes ports on 127.0.0.1 only (JPKI_BIND moves them), and every service has a healthcheck', () => {
    const published = Object.values(S).flatMap((s) => s.ports ?? []);
    expect(published.length).toBe(3); // api, prometheus, grafana
    for (const p of published) expect(p).toMatch(/^\$\{JPKI_BIND:-127\.0\.0\.1\}:\$\{JPKI_\w+_PORT:-\d+\}:\d+$/);
    for (const [name, s] of Object.entries(S)) {
      expect(s.healthcheck?.test[0], name).toBe('CMD');
      expect(s.healthcheck!.test.length, name).toBeGreaterThan(1);
    }
    expect(S.postgres.healthcheck!.test).toEqual(['CMD', 'pg_isready', '-U', 'jpki', '-d', 'jpki']);
    expect(S.redis.healthcheck!.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(S.prometheus.healthcheck!.test.slice(0, 4)).toEqual(['CMD', 'promtool', 'query', 'instant']);
    expect(S.bank.healthcheck!.test.join(' ')).toContain('127.0.0.1:8090/healthz');
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
    // The API node checks its trust roots at start too: it reads them, read-only, once J-LIS made them.
    expect(api.trust.roots).toEqual(worker.trust.roots);
    expect(S.api.volumes).toContain(`jpki-data:${dataMount}:ro`);
    expect(S.api.depends_on?.jlis).toEqual({ condition: 'service_healthy' });
  });

  it('the payment relay reaches the reference institution the compose runs, with the same secret', () => {
    expect(S.bank.command!.slice(0, 2)).toEqual(['institution', '--config']);
    expect(Object.keys(commands)).toContain('institution');
    const file = mounts(S.bank).find(([, c]) => c === S.bank.command![2])![0];
    const inst = JSON.parse(read(file)) as { id: string; host: string; port: number; secret: { file: string }; pinKey: { file: string }; redisUrl: string };
    const rel = api.payments.institutions.find((i) => i.id === inst.id)!;
    expect(new URL(rel.endpoint).hostname).toBe('bank');
    expect(Number(new URL(rel.endpoint).port)).toBe(inst.port);
    expect(rel.secret).toBe(secretsOf(S.bank).file(inst.secret.file).trim());
    secretsOf(S.bank).file(inst.pinKey.file); // given to the bank
    expect(inst.host).toBe('0.0.0.0');
    expect(new URL(inst.redisUrl).hostname).toBe('redis');
  });

  it('the image entry point and default command are real', () => {
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "dist\/src\/cli\/main\.js"\]/);
    const cmd = /CMD \["(\w+)"/.exec(dockerfile)![1];
    expect(Object.keys(commands)).toContain(cmd);
  });

  it('Prometheus scrapes the API and every worker replica, with the alert rules mounted where it reads them', () => {
    const apiJob = prom.scrape_configs.find((j) => j.job_name === 'jpki-api')!;
    expect(apiJob.metrics_path).toBe('/metrics');
    expect(apiJob.static_configs![0].targets).toEqual([`api:${api.port}`]);
    const workerJob = prom.scrape_configs.find((j) => j.job_name === 'jpki-worker')!;
    expect(workerJob.dns_sd_configs![0]).toMatchObject({ names: ['worker'], port: worker.worker.port });
    expect(mountFor(S.prometheus, './ops/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    expect(prom.rule_files).toEqual([mountFor(S.prometheus, './ops/alerts.yml')]);
    expect(S.prometheus.ports).toEqual(['${JPKI_BIND:-127.0.0.1}:${JPKI_PROMETHEUS_PORT:-9090}:9090']);
    expect(S.prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
  });

  it('Grafana: off unless asked for, admin password from a secret, no anonymous access, no sign-up', () => {
    const g = S.grafana;
    expect(g.profiles).toEqual(['grafana']);
    expect(g.environment!.GF_SECURITY_ADMIN_PASSWORD__FILE).toBe('/run/secrets/grafana_admin_password');
    expect(g.secrets).toEqual(['grafana_admin_password']);
    expect(g.environment).not.toHaveProperty('GF_SECURITY_ADMIN_PASSWORD');
    expect(g.environment!.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    expect(g.environment!.GF_USERS_ALLOW_SIGN_UP).toBe('false');
    expect(Object.keys(g.environment!).filter((k) => k.startsWith('GF_AUTH_ANONYMOUS_'))).toEqual(['GF_AUTH_ANONYMOUS_ENABLED']);
  });

  it('Grafana gets the datasource and the dashboards from grafana/', () => {
    expect(mountFor(S.grafana, './grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const ds = parse(read('grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { url: string; uid: string }[];
    };
    expect(ds.datasources[0].url).toBe('http://prometheus:9090');
    const provider = parse(read('grafana/provisioning/dashboards/jpki.yml')) as { providers: { options: { path: string } }[] };
    const dashMount = mountFor(S.grafana, './grafana/dashboards');
    expect(provider.providers[0].options.path).toBe(dashMount);
    const home = S.grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(home.startsWith(dashMount)).toBe(true);
    expect(existsSync(join(REPO_ROOT, 'grafana/dashboards', home.slice(dashMount.length + 1)))).toBe(true);
    // No datasource uid is hard-coded (a dashboard imported elsewhere would break): every panel and
    // query names the dashboard's datasource variable, whose type is the provisioned datasource's.
    const text = read('grafana/dashboards/jpki-overview.json');
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
