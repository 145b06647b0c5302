// A queue worker process (`jpki-verify worker`): consumes verification jobs from BullMQ, runs them
// on its own pool and revocation index (fed by the same CRL sources as every other worker), and
// answers on the API node's reply channel. Any number run on any number of machines.
//
// Faults: a job whose worker dies is found stalled once its lock expires and runs again elsewhere
// (the API answers each caller once, whichever run answers first). A job that fails on every
// attempt goes to the dead-letter queue with its reason, without its items (they hold certificates),
// and its caller gets job_failed. SIGTERM stops taking jobs and finishes the active ones.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
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
import { bullConnection, redisClient, whenReady, type RedisClient } from '../redis/connection.js';
import { BulkJobs } from '../jobs/bulk-jobs.js';
import { SqlJobStore } from '../jobs/sql-store.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/database.js';
import { presenter } from '../platform/present.js';
import { makePlatform, watchFeed } from '../platform/wiring.js';

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
  const clock = opts.clock ?? Date.now;
  const metrics = new Metrics('worker');
  const keys = redisKeys(config.redis.prefix);
  const q = config.queue;
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const local = await LocalVerifier.start(config, metrics, logger, clock);
  const onError = (err: Error): void => logger.warn({ err: { message: err.message } }, 'worker redis error');
  const redis: RedisClient = redisClient(config.redis, 'fail-fast', onError);
  const owned: RedisClient[] = []; // clients handed to BullMQ, closed here
  const deadLetters = new Queue(keys.deadLetterQueue(q.name), { connection: bullConnection(config.redis, 'fail-fast', onError, owned), prefix: keys.bullPrefix });
  deadLetters.on('error', onError);
  await whenReady(redis);
  // Workers share the API nodes' system of record: conversion IDs for proxy tenants, bulk results.
  const db: Database = await openDatabase(config.database, logger);
  const platform = await makePlatform(config, db, logger, clock);
  if (local.feed) watchFeed(local.feed, platform, config.crl.graceSec * 1000, logger, (r) => metrics.changeRecheck(r));
  const bulk = new BulkJobs({
    store: new SqlJobStore(db, config.jobs.retentionSec * 1000, clock),
    opts: { ...config.jobs, webhooks: config.webhooks },
    tenants: config.tenants,
    logger,
    present: presenter(platform),
    runner: null,
    audit: (t, code, fp) => platform.audit(t, '/v1/jobs', code, fp),
    countVerdict: (code) => metrics.verdicts.inc({ kind: 'verdict', code }),
    clock,
  });

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
    // A job of at least a pool batch goes to the pool as one task, packed as it came; smaller jobs
    // join the pool's micro-batches, so many 1-item jobs still make few tasks.
    const results =
      items.count >= config.pool.batchSize
        ? await local.pool.verifyPacked(items.packed, items.count)
        : await Promise.all(unpackItems(items.packed).map((it) => local.verify(it)));
    metrics.workerJobSeconds.observe((performance.now() - t0) / 1000);
    if (job.name === 'bulk') {
      await bulk.recordChunk(job.data as BulkChunkData, results);
      return null;
    }
    const replyTo = (job.data as VerifyJobData).replyTo;
    if (!replyTo) return results; // events path: the result travels as the job's return value
    const msg: ReplyMessage = { jobId: job.id!, results };
    await redis.publish(replyTo, JSON.stringify(msg));
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
      { queue: q.name, jobId: job.id, name: job.name, items, bulkId: data.bulkId ?? null, reason: err.message, attempts: job.attemptsMade, failedAt: new Date(clock()).toISOString(), worker: id },
      { jobId: job.id, removeOnComplete: false, removeOnFail: false },
    );
    if (job.name === 'bulk' && data.bulkId && Array.isArray(data.index)) await bulk.failChunk(data as BulkChunkData, err.message);
    else if (typeof data.replyTo === 'string' && data.replyTo) await redis.publish(data.replyTo, JSON.stringify({ jobId: job.id!, error: err.message } satisfies ReplyMessage));
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
  void worker.run().catch((err: Error) => logger.error({ err: { message: err.message } }, 'worker stopped'));
  await worker.waitUntilReady();

  const dbReachable = async (): Promise<boolean> => db.ping(1000).then(() => true, () => false);
  const server = await serveOps(config, local, metrics, clock, () => worker.isRunning() && redis.status === 'ready', dbReachable);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.worker.port;
  const url = `http://${config.worker.host.includes(':') ? `[${config.worker.host}]` : config.worker.host}:${port}`;
  logger.info({ id, url, queue: q.name, concurrency: q.concurrency, threads: config.pool.threads }, 'queue worker started');

  let closing: Promise<void> | null = null;
  return {
    id,
    url,
    local,
    metrics,
    logger,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        await worker.close(); // waits for the active jobs
        await redis.multi().zrem(keys.workers, id).del(keys.workerStatus(id)).exec().catch(() => undefined);
        await local.close();
        await platform.close();
        await deadLetters.close();
        await new Promise((r) => server.close(r));
        redis.disconnect();
        for (const c of owned) c.disconnect();
        await db.close();
        logger.info({ id }, 'queue worker stopped');
      })();
      return closing;
    },
  };
}

/** /metrics, /healthz and /readyz of a worker process (Prometheus scrapes each worker). */
function serveOps(config: Config, local: LocalVerifier, metrics: Metrics, clock: () => number, consuming: () => boolean, dbReachable: () => Promise<boolean>): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, JSON.stringify({ code: 'method_not_allowed', message: 'GET only' }));
    if (path === '/healthz') return send(200, JSON.stringify({ status: 'ok' }));
    if (path === '/readyz') {
      void Promise.all([local.notReady(clock()), dbReachable()]).then(([reasons, dbUp]) => {
        if (!consuming()) reasons.push('not consuming the queue (Redis unreachable or closing)');
        if (!dbUp) reasons.push('database unreachable');
        metrics.ready.set(reasons.length ? 0 : 1);
        // Public: status and reasons only (CRL sources and ages are on /metrics).
        if (reasons.length) send(503, JSON.stringify({ code: 'not_ready', message: reasons.join('; ') }));
        else send(200, JSON.stringify({ status: 'ready', mode: 'worker' }));
      });
      return;
    }
    if (path === '/metrics') {
      metrics.queueConnected.set(consuming() ? 1 : 0);
      void local
        .notReady(clock())
        .then((reasons) => metrics.ready.set(reasons.length === 0 && consuming() ? 1 : 0))
        .then(() => local.scrape(metrics))
        .then(() => metrics.registry.metrics())
        .then((text) => send(200, text, metrics.registry.contentType));
      return;
    }
    send(404, JSON.stringify({ code: 'not_found', message: `no route ${path}` }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.worker.port, config.worker.host, () => resolve(server));
  });
}
