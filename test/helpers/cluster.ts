// Queue-mode tests: worker processes are real `jpki-verify worker` child processes on real Redis;
// the API is a real HTTP service in this process (test/helpers/service.ts) in queue mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { REPO_ROOT } from '../conformance/shared.js';
import { freshPostgresDatabase } from './db.js';
import type { TestService } from './service.js';

export interface WorkerProc {
  child: ChildProcess;
  /** The worker's ops endpoint (/metrics, /readyz). */
  url: string;
  out: () => string;
  exited: Promise<number | null>;
}

/** A fresh PostgreSQL database for this test file's cluster (dropped after the file). Call at
 *  the top level of a test file. */
export async function clusterDatabase(): Promise<string> {
  const fresh = await freshPostgresDatabase('cluster');
  afterAll(() => fresh.drop());
  return fresh.url;
}

/** Queue settings for tests: short locks and checks, so a killed worker's job moves on quickly.
 *  `dbUrl`: the PostgreSQL database every node of the test cluster shares. */
export function queueSettings(prefix: string, dbUrl: string, redisUrl = 'redis://127.0.0.1:6379', extra: Record<string, unknown> = {}) {
  return {
    mode: 'queue',
    challenge: { ttlSec: 120, store: 'redis' },
    database: { url: dbUrl, dir: ':memory:', poolSize: 4, timeoutMs: 3000 },
    platform: { auditRetentionSec: 86_400 },
    // Webhook receivers in these tests listen on 127.0.0.1 over plain http.
    webhooks: { allowHosts: ['127.0.0.1'], allowPrivate: true },
    redis: { url: redisUrl, prefix },
    queue: {
      batchSize: 64,
      batchDelayUs: 1000,
      timeoutMs: 20_000,
      attempts: 3,
      backoffMs: 50,
      lockDurationMs: 2000,
      stalledIntervalMs: 1000,
      maxStalledCount: 1,
      heartbeatMs: 500,
      concurrency: 8,
      ...extra,
    },
  };
}

/** Writes a worker config beside the test PKI: same roots, CRLs, tenants and Redis as the API. */
export function workerConfig(t: TestService, name: string, settings: ReturnType<typeof queueSettings>, extra: Record<string, unknown> = {}): string {
  const file = join(t.dir, `${name}.json`);
  const cfg = {
    logLevel: 'info',
    trust: { roots: [join(t.dir, 'trust')], allowTestHierarchy: false },
    crl: {
      sources: [join(t.dir, 'crl')],
      cacheDir: join(t.dir, 'cache-workers'),
      refreshIntervalSec: 3600,
      graceSec: 3600,
      retries: 1,
      backoffMs: 0,
    },
    pool: { threads: 1, batchSize: 16, batchDelayUs: 200, maxPending: 20_000, concurrentTasksPerWorker: 2, pathCacheSize: 1000 },
    worker: { host: '127.0.0.1', port: 0 },
    tenants: t.config.tenants,
    ...settings,
    ...extra,
  };
  writeFileSync(file, JSON.stringify(cfg));
  return file;
}

export function spawnWorker(configFile: string): Promise<WorkerProc> {
  return spawnCli(['worker', '--config', configFile], /"url":"(http:[^"]+)"[^\n]*queue worker started/);
}

/** `jpki-verify serve --config FILE` as its own process (tests that kill it); resolves once it
 *  listens, with its URL. */
export function spawnService(configFile: string): Promise<WorkerProc> {
  return spawnCli(['serve', '--config', configFile], /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/);
}

function spawnCli(args: string[], ready: RegExp): Promise<WorkerProc> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start: ${out}`)), 30_000);
    const onData = (): void => {
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve({ child, url: m[1], out: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited ${code}: ${out}`));
    });
  });
}

/** A counter's value from a Prometheus text page (sum over label sets matching `labels`). */
export function metricValue(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    if (labels && !rest.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** A TCP port free right now on 127.0.0.1 (for servers a test starts on a port it must know). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export async function until<T>(f: () => Promise<T | null | undefined | false>, ms = 20_000, step = 25): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, step));
  }
}
