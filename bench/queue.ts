// Queue-mode benchmark (issue #5): the same authentication load (autocannon, distinct simulated
// holders, challenge/signature pairs made before each timed run) against the embedded service and
// against queue mode — one API process feeding one or two `worker` processes through real Redis —
// with 1, 16 and 64 requests per job, and the two result paths (reply channel, QueueEvents).
// Every process shares the same 2 cores: the figure is what this machine does, generator included.
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { machine, writeResult } from './harness.js';
import { benchConfig, benchDatabase, benchPki, load, prepare, startProcess, startServer, type Run } from './http-load.js';
import { metricValue, StageMeter, type StageBreakdown } from './queue-stages.js';

const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface QueueRun extends Run {
  mode: 'embedded' | 'queue';
  workers: number;
  batch: number;
  resultPath: 'reply' | 'events' | null;
  /** CPU per request by process and Redis commands per job, over the timed run. */
  stages?: StageBreakdown;
}

async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  for (const pattern of [`{${prefix}}*`, `${prefix}:*`]) {
    const keys = await redis.keys(pattern);
    if (keys.length) await redis.del(...keys);
  }
}

export async function benchQueue(opts: { holders?: number; requests?: number } = {}): Promise<Record<string, unknown>> {
  const redis = new Redis(REDIS, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`queue bench needs Redis at ${REDIS} (set BENCH_REDIS_URL): ${(err as Error).message}`);
  }
  const nHolders = opts.holders ?? 10_000;
  const n = opts.requests ?? Number(process.env.BENCH_QUEUE_REQUESTS ?? 12_000);
  console.log(`queue: making ${nHolders.toLocaleString()} simulated holders …`);
  const { dir, pki, holders } = benchPki(nHolders);
  const runs: QueueRun[] = [];
  const measure = async (url: string, label: string, meta: Omit<QueueRun, keyof Run>, meter: StageMeter): Promise<void> => {
    await load('warm-up', url, await prepare(url, pki, holders, 3000));
    const bodies = await prepare(url, pki, holders, n);
    // Micro-batches: pool tasks (embedded) or jobs (queue), as the API process counts them.
    const batches0 = await metricValue(url, 'jpki_batch_items_count');
    await meter.start();
    const run = await load(label, url, bodies);
    const stages = await meter.stop(run.requests, (await metricValue(url, 'jpki_batch_items_count')) - batches0, run.generatorCpuMs);
    const top = Object.entries(stages.redisCommandsPerJob)
      .slice(0, 6)
      .map(([c, k]) => `${c} ${k}`)
      .join(', ');
    const f = (x: number): string => Math.round(x).toString();
    console.log(
      `  µs CPU/request: API ${f(stages.apiMain)} main + ${f(stages.apiOther)} other; worker ${f(stages.workerMain)} main + ${f(stages.workerPool)} pool + ${f(stages.workerOther)} other; ` +
        `Redis ${f(stages.redis)}; PostgreSQL ${f(stages.postgres)}; generator ${f(stages.generator)}; total ${f(stages.total)}. ` +
        `${stages.jobs} batches, Redis calls/job ${stages.redisCallsPerJob} (${top}); Redis µs/request by command: ${JSON.stringify(stages.redisUsPerRequest)}. Mean ms: ` +
        Object.entries(stages.latencyMs)
          .map(([k, ms]) => `${k} ${ms.toFixed(1)}`)
          .join(', '),
    );
    runs.push({ ...run, ...meta, stages });
  };

  let port = 18_490;
  const measureEmbedded = async (label: string): Promise<void> => {
    port++;
    const embedded = await startServer(dir, port, 32);
    try {
      const url = `http://127.0.0.1:${port}`;
      await measure(url, label, { mode: 'embedded', workers: 0, batch: 32, resultPath: null }, new StageMeter(redis, embedded.pid!, [], 0, [url]));
    } finally {
      embedded.kill('SIGTERM');
    }
  };
  await measureEmbedded('embedded (pool 2 threads, 32/task)');

  const plans: { workers: number; batch: number; resultPath: 'reply' | 'events' }[] = [];
  for (const workers of [1, 2]) for (const batch of [1, 16, 64]) plans.push({ workers, batch, resultPath: 'reply' });
  plans.push({ workers: 2, batch: 64, resultPath: 'events' });
  // BENCH_QUEUE_PLANS=1x64,2x64 runs only those (a profiling run); the ratios need them all.
  const only = process.env.BENCH_QUEUE_PLANS?.split(',');
  if (only) plans.splice(0, plans.length, ...plans.filter((p) => only.includes(`${p.workers}x${p.batch}`) && p.resultPath === 'reply'));
  const db = await benchDatabase('queue');
  for (const plan of plans) {
    port++;
    const prefix = `jpkibench${Date.now().toString(36)}`;
    // Two cores in all: one worker process gets both pool threads, two get one each.
    const shared = {
      mode: 'queue',
      // Queue mode shares challenges through Redis and the system of record in PostgreSQL.
      challenge: { ttlSec: 3600, store: 'redis', maxOutstandingPerTenant: 1_000_000 },
      database: { url: db.url, poolSize: 8 },
      platform: { auditRetentionSec: 3600 },
      redis: { url: REDIS, prefix, cluster: false },
      queue: {
        name: 'verify',
        batchSize: plan.batch,
        batchDelayUs: plan.batch === 1 ? 0 : 1000,
        maxPending: 100_000,
        timeoutMs: 60_000,
        attempts: 3,
        backoffMs: 100,
        resultPath: plan.resultPath,
        concurrency: 64,
        lockDurationMs: 30_000,
        stalledIntervalMs: 15_000,
        maxStalledCount: 1,
        heartbeatMs: 1000,
      },
    };
    const procs: ChildProcess[] = [];
    try {
      for (let w = 0; w < plan.workers; w++) {
        const wport = 18_600 + w;
        const cfg = benchConfig(dir, `worker-${w}`, 0, {
          ...shared,
          worker: { host: '127.0.0.1', port: wport },
          pool: { threads: 2 / plan.workers, batchSize: 32, batchDelayUs: 200, maxPending: 100_000, concurrentTasksPerWorker: 2, pathCacheSize: 50_000 },
        });
        procs.push(await startProcess('worker', cfg, `http://127.0.0.1:${wport}`));
      }
      const api = benchConfig(dir, `api-${port}`, port, shared);
      procs.push(await startProcess('serve', api, `http://127.0.0.1:${port}`));
      const label = `queue, ${plan.workers} worker${plan.workers > 1 ? 's' : ''}, ${plan.batch}/job, ${plan.resultPath}`;
      const meter = new StageMeter(
        redis,
        procs[procs.length - 1].pid!,
        procs.slice(0, -1).map((p) => p.pid!),
        2 / plan.workers,
        [`http://127.0.0.1:${port}`, ...Array.from({ length: plan.workers }, (_, w) => `http://127.0.0.1:${18_600 + w}`)],
      );
      await measure(`http://127.0.0.1:${port}`, label, { mode: 'queue', ...plan }, meter);
    } finally {
      for (const p of procs) p.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      await dropKeys(redis, prefix);
    }
  }
  // Embedded once more at the end: on a shared machine the load of others drifts over the run, and
  // the queue configurations are compared with the mean of the two.
  await measureEmbedded('embedded again (drift check)');
  redis.disconnect();

  const embeddedRuns = runs.filter((r) => r.mode === 'embedded');
  const embRps = embeddedRuns.reduce((s, r) => s + r.rps, 0) / embeddedRuns.length;
  const rps = (pick: (r: QueueRun) => boolean): number => runs.find(pick)?.rps ?? NaN;
  const best64 = Math.max(...runs.filter((r) => r.mode === 'queue' && r.batch === 64 && r.resultPath === 'reply').map((r) => r.rps));
  const reply64 = rps((r) => r.workers === 2 && r.batch === 64 && r.resultPath === 'reply');
  const events64 = runs.find((r) => r.resultPath === 'events');
  const ratios = {
    queue64VsEmbedded: best64 / embRps,
    /** The second embedded run ÷ the first: how far the machine drifted during the run. */
    embeddedDrift: embeddedRuns[1].rps / embeddedRuns[0].rps,
    twoWorkersVsOne64: reply64 / rps((r) => r.workers === 1 && r.batch === 64),
    batch64VsBatch1: reply64 / rps((r) => r.workers === 2 && r.batch === 1),
    eventsVsReply64: (events64?.rps ?? NaN) / reply64,
  };
  console.log(
    `queue: batch 64 reaches ${ratios.queue64VsEmbedded.toFixed(2)} of embedded throughput (target ≥ 0.85; embedded drifted ${ratios.embeddedDrift.toFixed(2)}× over the run); ` +
      `2 workers vs 1: ${ratios.twoWorkersVsOne64.toFixed(2)}× (target ≥ 1.0); 64/job vs 1/job: ${ratios.batch64VsBatch1.toFixed(1)}×; ` +
      `QueueEvents vs reply channel: ${ratios.eventsVsReply64.toFixed(2)}× throughput, p99 ${events64?.p99} ms`,
  );
  const result = { benchmark: 'queue', machine: machine(), holders: nHolders, requestsPerRun: n, runs, ratios, at: new Date().toISOString() };
  await db.drop();
  console.log(`wrote ${writeResult('queue', result)}`);
  return result;
}
