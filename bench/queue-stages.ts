// Where a queue-mode request's CPU goes (issue #18): every process of the cluster read from /proc
// over one timed run (API, worker processes split into main thread, pool threads and the rest,
// Redis, PostgreSQL), and the Redis commands per job from INFO commandstats. Linux only; a figure
// that cannot be read is NaN. Redis and PostgreSQL are the machine's shared servers, so anything
// else using them during the run is counted too.
import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const CLOCK_TICKS = 100; // USER_HZ on Linux

function statCpuMs(path: string): number {
  try {
    const f = readFileSync(path, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** CPU ms per thread id of a process. */
function threadsCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) out.set(Number(t), statCpuMs(`/proc/${pid}/task/${t}/stat`));
  } catch {
    /* gone or not Linux */
  }
  return out;
}

/** Every process whose command name is `comm` (the PostgreSQL server and its backends). */
function pidsNamed(comm: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/comm`, 'utf8').trim() === comm) pids.push(Number(p));
    } catch {
      /* exited */
    }
  }
  return pids;
}

/** Calls per command, and Redis's own µs per command under `<command>:us`. */
async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    calls.set(m[1], Number(m[2]));
    calls.set(`${m[1]}:us`, Number(m[3]));
  }
  return calls;
}

interface Snapshot {
  api: Map<number, number>;
  workers: Map<number, number>[];
  redis: number;
  postgres: Map<number, number>;
  calls: Map<string, number>;
  latencies: Latencies;
}

/** µs of CPU per request by stage, and Redis commands per job. */
export interface StageBreakdown {
  apiMain: number;
  apiOther: number;
  /** Worker processes, summed: their main threads, their `poolThreads` busiest other threads (the
   *  pool: by far the busiest), and the rest (V8 background, libuv). */
  workerMain: number;
  workerPool: number;
  workerOther: number;
  redis: number;
  postgres: number;
  generator: number;
  total: number;
  jobs: number;
  redisCallsPerJob: number;
  /** The most frequent commands, calls per job. */
  redisCommandsPerJob: Record<string, number>;
  /** Redis's own time (commandstats usec) by command, µs per request: the top few. */
  redisUsPerRequest: Record<string, number>;
  /** Mean ms, from the processes' own histograms: the first item's wait for its batch, a job's
   *  round trip as the API sees it (enqueue to result), a job in the worker, a pool task's wait
   *  for a thread and its time on the thread. */
  latencyMs: { batchWait: number; jobRoundTrip: number; workerJob: number; poolWait: number; poolTask: number };
}

const LATENCIES = {
  batchWait: 'jpki_batch_wait_seconds',
  jobRoundTrip: 'jpki_queue_job_seconds',
  workerJob: 'jpki_queue_worker_job_seconds',
  poolWait: 'jpki_queue_wait_seconds',
  poolTask: 'jpki_worker_time_seconds',
} as const;
type Latencies = Record<keyof typeof LATENCIES, { sum: number; count: number }>;

/** Sums and counts of the latency histograms over the given ops endpoints. */
async function latencies(urls: string[]): Promise<Latencies> {
  const out = Object.fromEntries(Object.keys(LATENCIES).map((k) => [k, { sum: 0, count: 0 }])) as Latencies;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const [k, name] of Object.entries(LATENCIES) as [keyof Latencies, string][]) {
      out[k].sum += Number(new RegExp(`^${name}_sum(?:\\{\\})? (\\S+)`, 'm').exec(text)?.[1] ?? 0);
      out[k].count += Number(new RegExp(`^${name}_count(?:\\{\\})? (\\S+)`, 'm').exec(text)?.[1] ?? 0);
    }
  }
  return out;
}

export class StageMeter {
  private before: Snapshot | null = null;
  private redisPid = NaN;

  constructor(
    private readonly redis: Redis,
    private readonly apiPid: number,
    private readonly workerPids: number[],
    private readonly poolThreadsPerWorker: number,
    /** Ops endpoints of the API and worker processes (their /metrics). */
    private readonly urls: string[],
  ) {}

  private async snapshot(): Promise<Snapshot> {
    if (Number.isNaN(this.redisPid)) this.redisPid = Number(/process_id:(\d+)/.exec(await this.redis.info('server'))?.[1]);
    const postgres = new Map<number, number>();
    for (const p of pidsNamed('postgres')) postgres.set(p, statCpuMs(`/proc/${p}/stat`));
    return {
      api: threadsCpuMs(this.apiPid),
      workers: this.workerPids.map(threadsCpuMs),
      redis: statCpuMs(`/proc/${this.redisPid}/stat`),
      postgres,
      calls: await commandCalls(this.redis),
      latencies: await latencies(this.urls),
    };
  }

  async start(): Promise<void> {
    this.before = await this.snapshot();
  }

  /** The breakdown since start(), for `requests` requests in `jobs` jobs. */
  async stop(requests: number, jobs: number, generatorCpuMs: number): Promise<StageBreakdown> {
    const a = this.before!;
    const b = await this.snapshot();
    const delta = (x: Map<number, number>, y: Map<number, number>): Map<number, number> => new Map([...y].map(([t, ms]) => [t, ms - (x.get(t) ?? 0)]));
    const sum = (m: Iterable<number>): number => [...m].reduce((s, v) => s + v, 0);
    const us = (ms: number): number => (ms / requests) * 1000;
    const api = delta(a.api, b.api);
    const apiMain = api.get(this.apiPid) ?? NaN;
    let workerMain = 0;
    let workerPool = 0;
    let workerOther = 0;
    this.workerPids.forEach((pid, i) => {
      const d = delta(a.workers[i], b.workers[i]);
      workerMain += d.get(pid) ?? NaN;
      const others = [...d].filter(([t]) => t !== pid).map(([, ms]) => ms);
      others.sort((x, y) => y - x);
      workerPool += sum(others.slice(0, this.poolThreadsPerWorker));
      workerOther += sum(others.slice(this.poolThreadsPerWorker));
    });
    const calls = new Map([...b.calls].map(([c, n]) => [c, n - (a.calls.get(c) ?? 0)]));
    // The commands of the bench's own connection (INFO) are not the cluster's.
    calls.delete('info');
    calls.delete('info:us');
    // Redis's own time by command, µs per request (a script's time includes its commands').
    const usec = [...calls].filter(([c, n]) => c.endsWith(':us') && n > 0).sort((x, y) => y[1] - x[1]);
    for (const [c] of usec) calls.delete(c);
    const perJob = (n: number): number => Math.round((n / jobs) * 10) / 10;
    const top = [...calls].filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
    const stages = {
      apiMain: us(apiMain),
      apiOther: us(sum(api.values()) - apiMain),
      workerMain: us(workerMain),
      workerPool: us(workerPool),
      workerOther: us(workerOther),
      redis: us(b.redis - a.redis),
      postgres: us(sum(delta(a.postgres, b.postgres).values())),
      generator: us(generatorCpuMs),
    };
    const mean = (k: keyof Latencies): number => ((b.latencies[k].sum - a.latencies[k].sum) / (b.latencies[k].count - a.latencies[k].count)) * 1000;
    return {
      ...stages,
      latencyMs: {
        batchWait: mean('batchWait'),
        jobRoundTrip: mean('jobRoundTrip'),
        workerJob: mean('workerJob'),
        poolWait: mean('poolWait'),
        poolTask: mean('poolTask'),
      },
      total: sum(Object.values(stages)),
      jobs,
      redisCallsPerJob: perJob(sum(calls.values())),
      redisCommandsPerJob: Object.fromEntries(top.slice(0, 12).map(([c, n]) => [c, perJob(n)])),
      redisUsPerRequest: Object.fromEntries(usec.slice(0, 8).map(([c, n]) => [c.slice(0, -3), Math.round((n / requests) * 10) / 10])),
    };
  }
}

/** A counter's value from a Prometheus text page (labels as written, e.g. `{outcome="ok"}`). */
export async function metricValue(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}
