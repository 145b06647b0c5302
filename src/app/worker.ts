// A queue worker process (`jpki-verify worker`): consumes verification jobs from BullMQ, runs them
// on its own pool and revocation index (fed by the same CRL sources as every other worker), and
// answers on the API node's reply channel. Any number run on any number of machines.
//
// Faults: a job whose worker dies is found stalled once its lock expires and runs again elsewhere
// (the API answers each caller once, whichever run answers first). A job that fails on every
// attempt goes to the dead-letter queue with its reason, without its items (they hold certificates),
// and its caller gets job_failed. SIGTERM stops taking jobs and finishes the active ones.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from '../config/config.js';
import { LocalVerifier } from './local-verifier.js';
import { Metrics } from '../ops/metrics.js';
import type { ItemResult } from '../verifier/messages.js';
import { redisKeys } from '../redis/keys.js';
import { createLogger } from '../ops/logging.js';
import { unpackItems } from '../pool/task-codec.js';
import { JobDataError, jobPacked, type BulkChunkData, type ReplyMessage, type VerifyJobData } from '../queue/codec.js';
import { RESULT_FORMAT, packResults } from '../queue/result-codec.js';
import { intakeFor } from '../queue/intake.js';
import { bullConnection, redisClient, whenReady, type RedisClient } from '../redis/connection.js';
import { BulkJobs } from '../jobs/bulk-jobs.js';
import { watchFeed } from '../platform/wiring.js';
import { buildOpsApp } from '../http/ops-app.js';
import { listenUrl } from './listen.js';
import { CloseStack } from './close-stack.js';
import { openRecordStores } from './record-stores.js';

export interface QueueWorkerProcess {
  readonly id: string;
  /** Where /metrics, /healthz and /readyz are served. */
  readonly url: string;
  readonly local: LocalVerifier;
  readonly metrics: Metrics;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface QueueWorkerOptions {
  readonly logDestination?: DestinationStream;
  readonly clock?: () => number;
}

export async function startQueueWorker(config: Config, opts: QueueWorkerOptions = {}): Promise<QueueWorkerProcess> {
  const logger = createLogger(config.logLevel, opts.logDestination).child({ role: 'worker' });
  const stack = new CloseStack(logger);
  return stack.starting(() => build(config, opts, logger, stack));
}

async function build(config: Config, opts: QueueWorkerOptions, logger: Logger, stack: CloseStack): Promise<QueueWorkerProcess> {
  const clock = opts.clock ?? Date.now;
  const metrics = new Metrics('worker');
  const keys = redisKeys(config.redis.prefix);
  const q = config.queue;
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const local = await LocalVerifier.start(config, metrics, logger, clock);
  stack.defer('local verifier', () => local.close());
  // The ops port closes late (after the jobs), so it reports while the worker drains.
  let ops: ReturnType<typeof buildOpsApp> | null = null;
  stack.defer('ops server', () => ops?.close());
  const onError = (err: Error): void => logger.warn({ err: { message: err.message } }, 'worker redis error');
  const redis: RedisClient = redisClient(config.redis, 'fail-fast', onError);
  const owned: RedisClient[] = []; // clients handed to BullMQ, closed here
  stack.defer('redis', () => {
    redis.disconnect();
    for (const c of owned) c.disconnect();
  });
  const deadLetters = new Queue(keys.deadLetterQueue(q.name), {
    connection: bullConnection(config.redis, 'fail-fast', onError, owned),
    prefix: keys.bullPrefix,
  });
  deadLetters.on('error', onError);
  stack.defer('dead-letter queue', () => deadLetters.close());
  await whenReady(redis);
  // Workers share the API nodes' system of record: conversion IDs for proxy tenants, bulk results.
  const records = await openRecordStores(config, logger, metrics, clock);
  stack.defer('system of record', () => records.close());
  if (local.feed) watchFeed(local.feed, records.platform, config.crl.graceSec * 1000, logger, (r) => metrics.changeRecheck(r));
  const bulk = new BulkJobs({ ...records.bulkDeps, runner: null });

  const wholeTaskMin = Math.max(1, Math.ceil(config.pool.batchSize / 4));
  const intake = intakeFor(config.pool, q.concurrency);
  // A job of a quarter of a pool batch or more goes to the pool as one task, packed as it came
  // (unpacking it into the pool's micro-batches costs the main thread a promise and a repack per
  // item); smaller jobs join the micro-batches, so many 1-item jobs still make few tasks.
  const run = async (items: { packed: ArrayBuffer; count: number }): Promise<ItemResult[]> =>
    items.count >= wholeTaskMin ? local.verifyPacked(items.packed, items.count) : Promise.all(unpackItems(items.packed).map((it) => local.verify(it)));

  const handle = async (job: Job): Promise<ItemResult[] | null> => {
    const t0 = performance.now();
    let items;
    try {
      items = jobPacked(job.data as VerifyJobData);
    } catch (err) {
      // A job this worker cannot read fails at once: no retry would read it better.
      if (err instanceof JobDataError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
      throw err;
    }
    if (job.name === 'bulk') {
      worker.concurrency = intake.bulkChunk(1);
      try {
        const results = await run(items);
        metrics.workerJobSeconds.observe((performance.now() - t0) / 1000);
        await bulk.recordChunk(job.data as BulkChunkData, results);
      } finally {
        worker.concurrency = intake.bulkChunk(-1);
      }
      return null;
    }
    worker.concurrency = intake.observe(items.count);
    const results = await run(items);
    metrics.workerJobSeconds.observe((performance.now() - t0) / 1000);
    const { replyTo, rf } = job.data as VerifyJobData;
    if (!replyTo) return results; // events path: the result travels as the job's return value
    // Packed for an API node that reads it; JSON for one from before packed replies.
    await redis.publish(replyTo, rf === RESULT_FORMAT ? packResults(job.id!, results) : JSON.stringify({ jobId: job.id!, results } satisfies ReplyMessage));
    return null; // nothing with personal data stays in Redis
  };

  const worker = new Worker(q.name, handle, {
    connection: bullConnection(config.redis, 'patient', onError, owned),
    prefix: keys.bullPrefix,
    concurrency: q.concurrency,
    lockDuration: q.lockDurationMs,
    stalledInterval: q.stalledIntervalMs,
    maxStalledCount: q.maxStalledCount,
    autorun: false,
  });
  worker.on('error', onError);
  worker.on('completed', () => metrics.workerJobs.inc({ outcome: 'completed' }));
  worker.on('stalled', (jobId) => {
    metrics.stalledJobs.inc();
    logger.warn({ jobId }, 'stalled job put back in the queue (its worker died or hung)');
  });
  worker.on('failed', (job, err) => {
    if (job) onFailed(job, err).catch((e: Error) => logger.error({ jobId: job.id, err: { message: e.message } }, 'dead-lettering failed'));
  });

  async function onFailed(job: Job, err: Error): Promise<void> {
    // The failed event also fires for attempts that will be retried; only a final failure has
    // left the job in the failed set.
    if ((await job.getState()) !== 'failed') {
      metrics.workerJobs.inc({ outcome: 'retried' });
      logger.warn({ jobId: job.id, attempt: job.attemptsMade, reason: err.message }, 'job attempt failed; will retry');
      return;
    }
    const data = job.data as Partial<VerifyJobData & BulkChunkData>;
    const items = typeof data.n === 'number' ? data.n : 0;
    await deadLetters.add(
      'dead',
      {
        queue: q.name,
        jobId: job.id,
        name: job.name,
        items,
        bulkId: data.bulkId ?? null,
        reason: err.message,
        attempts: job.attemptsMade,
        failedAt: new Date(clock()).toISOString(),
        worker: id,
      },
      { jobId: job.id, removeOnComplete: false, removeOnFail: false },
    );
    if (job.name === 'bulk' && data.bulkId && Array.isArray(data.index)) await bulk.failChunk(data as BulkChunkData, err.message);
    else if (typeof data.replyTo === 'string' && data.replyTo)
      await redis.publish(data.replyTo, JSON.stringify({ jobId: job.id!, error: err.message } satisfies ReplyMessage));
    await job.remove();
    metrics.workerJobs.inc({ outcome: 'dead_lettered' });
    logger.error({ jobId: job.id, items, attempts: job.attemptsMade, reason: err.message }, 'job failed for good: moved to the dead-letter queue');
  }

  // Heartbeat: API nodes count live workers (readiness, metrics) from the sorted set.
  const beat = async (): Promise<void> => {
    const now = clock();
    const reasons = await local.notReady(now);
    const ttl = q.heartbeatMs * 3;
    await redis
      .multi()
      .zadd(keys.workers, now + ttl, id)
      .zremrangebyscore(keys.workers, '-inf', now)
      .set(keys.workerStatus(id), JSON.stringify({ ready: reasons.length === 0, reasons, pid: process.pid, threads: local.pool.threads }), 'PX', ttl)
      .exec();
  };
  const beatSafely = (): void => {
    beat().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'heartbeat failed'));
  };
  await whenReady(redis);
  beatSafely();
  const heartbeat = setInterval(beatSafely, q.heartbeatMs);
  heartbeat.unref();
  // First to close: no new jobs, the active ones finish, then the heartbeat is withdrawn.
  stack.defer('jobs and heartbeat', async () => {
    clearInterval(heartbeat);
    await worker.close(); // waits for the active jobs
    await redis
      .multi()
      .zrem(keys.workers, id)
      .del(keys.workerStatus(id))
      .exec()
      .catch(() => undefined);
  });
  void worker.run().catch((err: Error) => logger.error({ err: { message: err.message } }, 'worker stopped'));
  await worker.waitUntilReady();

  // /metrics, /healthz and /readyz (Prometheus scrapes each worker): the API node's routes.
  const consuming = (): boolean => worker.isRunning() && redis.status === 'ready';
  ops = buildOpsApp(
    logger,
    {
      mode: 'worker',
      metrics,
      notReady: async () => {
        const reasons = await local.notReady(clock());
        if (!consuming()) reasons.push('not consuming the queue (Redis unreachable or closing)');
        return [...reasons, ...(await records.notReady())];
      },
      refresh: async () => {
        metrics.queueConnected.set(consuming() ? 1 : 0);
        await local.scrape(metrics);
      },
    },
    { logProbes: config.http.logProbes },
  );
  const url = await listenUrl(ops, config.worker.host, config.worker.port);
  logger.info({ id, url, queue: q.name, concurrency: q.concurrency, threads: config.pool.threads }, 'queue worker started');

  let stopped: Promise<void> | null = null;
  return {
    id,
    url,
    local,
    metrics,
    logger,
    close() {
      return (stopped ??= stack.close().then(() => logger.info({ id }, 'queue worker stopped')));
    },
  };
}
