// Shared pieces of the HTTP and queue benchmarks: the service under test as a real process,
// request bodies made by the card simulator before the timed run, autocannon load from two
// generator processes, and OpenSSL's verify rate for reference.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { initPki, openPki, type Holder } from '../src/dev/sim/jlis.js';
import { spawnWorker } from '../src/pool/threads.js';
import { publishCrls } from '../src/dev/sim/jlis-crl.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const KEY = 'bench-key';
/** Concurrent clients (a relay platform's many terminals); micro-batching needs several batches in flight. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 256);

/** Verifies per second by `openssl speed ALGO`: the last column of the result line `line` matches. */
export function opensslSpeed(algo: string, line: RegExp, cores = 1): number {
  const out = execFileSync('openssl', ['speed', '-seconds', '3', ...(cores > 1 ? ['-multi', String(cores)] : []), algo], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const found = out.split('\n').find((l) => line.test(l.trim()));
  const nums =
    found
      ?.trim()
      .split(/\s+/)
      .map(Number)
      .filter((n) => !Number.isNaN(n)) ?? [];
  return nums[nums.length - 1] ?? NaN; // verify/s is the last column
}

export function opensslVerify(cores: number): number {
  return opensslSpeed('rsa2048', /^rsa\s+2048|^rsa 2048 bits/, cores);
}

/** Node's crypto.verify, RSA-2048 SHA-256 with the KeyObject made once, one thread, ~1 s. */
export function nodeVerifyRate(): number {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = createPublicKey(privateKey);
  const data = Buffer.alloc(32, 7);
  const sig = sign('sha256', data, privateKey);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    for (let i = 0; i < 100; i++) if (!verify('sha256', data, key, sig)) throw new Error('verify failed');
    n += 100;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** A service config for the benchmark PKI in `dir`; `over` replaces whole sections. */
export function benchConfig(dir: string, name: string, port: number, over: Record<string, unknown> = {}): string {
  const cfg = join(dir, `config-${name}.json`);
  writeFileSync(
    cfg,
    JSON.stringify({
      port,
      logLevel: 'warn',
      trust: { roots: [join(dir, 'trust')], allowTestHierarchy: false },
      crl: {
        sources: [join(dir, 'crl')],
        cacheDir: join(dir, 'cache'),
        refreshIntervalSec: 3600,
        graceSec: 3600,
        retries: 1,
        backoffMs: 0,
      },
      pool: { threads: 2, batchSize: 32, batchDelayUs: 200, maxPending: 100_000, concurrentTasksPerWorker: 2, pathCacheSize: 50_000 },
      // Runs issue up to 40,000 challenges ahead of the timed load: above the default per-tenant cap.
      challenge: { ttlSec: 3600, store: 'memory', maxOutstandingPerTenant: 1_000_000 },
      limits: { bodyBytes: 4 * 1024 * 1024, batchItems: 256 },
      // The embedded default's system of record: PGlite in a folder of the run (BENCH_PG_URL: a
      // PostgreSQL server instead). Every verification's audit record is committed before its answer.
      database: process.env.BENCH_PG_URL ? { url: process.env.BENCH_PG_URL, poolSize: 16 } : { url: null, dir: join(dir, `db-${name}`) },
      tenants: [{ id: 'bench', apiKeySha256: createHash('sha256').update(KEY).digest('hex'), basicInfo: false }],
      ...over,
    }),
  );
  return cfg;
}

/** A fresh database on the PostgreSQL server (BENCH_PG_ADMIN_URL, default the local one) for a
 *  benchmark cluster; drop() removes it. */
export async function benchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres' });
  await admin.connect();
  const name = `jpki_bench_${label}_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.BENCH_PG_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Runs `jpki-verify <command> --config cfg` from the build; resolves once `readyUrl` is ready. */
/** BENCH_PROFILE_DIR=dir: every process the benchmark starts writes a V8 CPU profile there. */
const profileArgs = (): string[] => (process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : []);

export function startProcess(
  command: 'serve' | 'worker' | 'institution',
  cfg: string,
  readyUrl: string,
  probe = '/readyz',
  timeoutMs = 30_000,
): Promise<ChildProcess> {
  return waitReady(
    spawn(process.execPath, [...profileArgs(), join(HERE, '..', 'src', 'cli', 'main.js'), command, '--config', cfg], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
    command,
    readyUrl,
    probe,
    timeoutMs,
  );
}

/** SIGTERM, then wait for the exit (a profiled process writes its profiles on the way out). */
export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The HTTP floor server (floor-server.ts) on `port`. */
export function startFloorServer(port: number): Promise<ChildProcess> {
  return waitReady(
    spawn(process.execPath, [...profileArgs(), join(HERE, 'floor-server.js'), String(port)], { stdio: ['ignore', 'ignore', 'inherit'] }),
    'floor server',
    `http://127.0.0.1:${port}`,
    '/readyz',
  );
}

async function waitReady(child: ChildProcess, what: string, readyUrl: string, probe: string, timeoutMs = 30_000): Promise<ChildProcess> {
  for (let i = 0; i < timeoutMs / 100; i++) {
    try {
      if ((await fetch(`${readyUrl}${probe}`)).status === 200) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not become ready`);
}

/** The embedded service with `batchSize` items per pool task. */
export function startServer(dir: string, port: number, batchSize: number): Promise<ChildProcess> {
  const cfg = benchConfig(dir, `embedded-${batchSize}`, port, {
    pool: { threads: 2, batchSize, batchDelayUs: batchSize === 1 ? 0 : 200, maxPending: 100_000, concurrentTasksPerWorker: 2, pathCacheSize: 50_000 },
  });
  return startProcess('serve', cfg, `http://127.0.0.1:${port}`);
}

/** A benchmark PKI: `n` authentication holders and today's CRLs; the holders not revoked. */
export function benchPki(n: number): { dir: string; pki: ReturnType<typeof openPki>; holders: Holder[] } {
  const dir = mkdtempSync(join(tmpdir(), 'jpki-bench-http-'));
  initPki({ dir, now: Date.now(), authUsers: n, signingUsers: 0, testUsers: 0, poolSize: 8 });
  publishCrls({ dir, now: Date.now() });
  const pki = openPki(dir);
  const revoked = new Set((JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')) as { revoked: { id: string }[] }).revoked.map((r) => r.id));
  return { dir, pki, holders: pki.holders('authentication').filter((h) => !revoked.has(h.id)) }; // every request should verify ok
}

/** n request bodies: challenge from the API, signature by the holder's card (2 threads). */
export async function prepare(url: string, pki: ReturnType<typeof openPki>, holders: Holder[], n: number): Promise<string[]> {
  const challenges: { challengeId: string; challenge: string }[] = [];
  for (let i = 0; i < n; i += 500) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(500, n - i) }, async () => {
        const r = await fetch(`${url}/v1/challenges`, { method: 'POST', headers: { 'x-api-key': KEY } });
        if (r.status !== 200) throw new Error(`challenge refused: ${r.status} ${await r.text()}`);
        return (await r.json()) as { challengeId: string; challenge: string };
      }),
    );
    challenges.push(...batch);
  }
  const keys = readKeys(pki.dir);
  const items = challenges.map((c, i) => ({ key: holders[i % holders.length].key, challenge: Buffer.from(c.challenge, 'base64') }));
  const half = Math.ceil(items.length / 2);
  const parts = await Promise.all(
    [items.slice(0, half), items.slice(half)].map(
      (part) =>
        new Promise<string[]>((resolve, reject) => {
          const w = spawnWorker('card-sign');
          w.once('message', (sigs: string[]) => {
            resolve(sigs);
            void w.terminate();
          });
          w.once('error', reject);
          w.postMessage({ keys, items: part });
        }),
    ),
  );
  const sigs = parts.flat();
  return challenges.map((c, i) =>
    JSON.stringify({ certificate: Buffer.from(holders[i % holders.length].cert).toString('base64'), challengeId: c.challengeId, signature: sigs[i] }),
  );
}

function readKeys(dir: string): string[] {
  return Array.from({ length: 8 }, (_, i) => readFileSync(join(dir, 'keys', `pool-${String(i).padStart(2, '0')}.key.pem`), 'utf8'));
}

export interface Run {
  label: string;
  connections: number;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  verifiedOk: number;
  generatorCpuMs: number;
  serverCpuMs: number;
}

/** jpki_verdicts_total{code="ok"} as the server counts it. */
async function okCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^jpki_verdicts_total\{kind="verdict",code="ok"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Two load-generator processes (one event loop cannot saturate the server), each with half the
 *  bodies and half the connections; closed loop (each connection sends its next request when
 *  the last is answered). Latency: p50 averaged, p99 the worse of the two (conservative).
 *  Not autocannon's overallRate: it gives each connection a per-second budget that it spends
 *  at full speed from the start of each second, so "80% of the rate" is full load in bursts. */
export interface LoadOptions {
  readonly connections?: number;
  readonly route?: string;
  /** Verifications per request (the batch endpoint): rates count items. */
  readonly itemsPerRequest?: number;
  /** The server process: its CPU over the run goes into the result (Linux /proc). */
  readonly server?: ChildProcess;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU time (user + system, ms) a process has used so far, all its threads; NaN off Linux. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

export async function load(label: string, url: string, bodies: string[], opts: LoadOptions = {}): Promise<Run> {
  const { connections = CONNECTIONS, route = '/v1/verify/auth', itemsPerRequest = 1, server } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'jpki-load-'));
  const halves = [bodies.filter((_, i) => i % 2 === 0), bodies.filter((_, i) => i % 2 === 1)];
  const before = await okCount(url);
  const serverCpu0 = processCpuMs(server?.pid);
  const outs = await Promise.all(
    halves.map(
      (h, k) =>
        new Promise<{ requests: number; p50: number; p99: number; non2xx: number; cpuMs: number; startMs: number; endMs: number }>((resolve, reject) => {
          const f = join(dir, `bodies-${k}.ndjson`);
          writeFileSync(f, h.join('\n'));
          const c = spawn(
            process.execPath,
            [...profileArgs(), join(HERE, 'load-child.js'), `${url}${route}`, f, String(Math.max(1, Math.round(connections / 2)))],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
          let out = '';
          c.stdout.on('data', (d) => (out += String(d)));
          c.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`load generator exited ${code}`))));
        }),
    ),
  );
  // The load window: the earlier generator's first request to the later one's last response
  // (process start-up and reading the bodies are outside it).
  const seconds = (Math.max(...outs.map((o) => o.endMs)) - Math.min(...outs.map((o) => o.startMs))) / 1000;
  const requests = outs.reduce((n, o) => n + o.requests, 0);
  const run: Run = {
    label,
    connections,
    requests: requests * itemsPerRequest,
    seconds,
    rps: (requests * itemsPerRequest) / seconds,
    p50: (outs[0].p50 + outs[1].p50) / 2,
    p99: Math.max(outs[0].p99, outs[1].p99),
    non2xx: outs.reduce((n, o) => n + o.non2xx, 0),
    verifiedOk: (await okCount(url)) - before,
    generatorCpuMs: outs.reduce((n, o) => n + o.cpuMs, 0),
    serverCpuMs: processCpuMs(server?.pid) - serverCpu0,
  };
  console.log(
    `${label.padEnd(48)} ${Math.round(run.rps).toLocaleString('en-US').padStart(8)} ${itemsPerRequest > 1 ? 'verif/s' : 'req/s'}  p50 ${run.p50} ms  p99 ${run.p99} ms  (${requests} requests in ${seconds.toFixed(1)} s, non-2xx ${run.non2xx}, verdict ok ${run.verifiedOk}, generator CPU ${(run.generatorCpuMs / 1000).toFixed(1)} s${server ? `, server CPU ${(run.serverCpuMs / 1000).toFixed(1)} s` : ''})`,
  );
  return run;
}
