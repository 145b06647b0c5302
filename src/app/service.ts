// Wires the API service together: a verifier (the local pool and CRL feed in embedded mode, the
// BullMQ dispatcher in queue mode) → challenge store → HTTP. close() drains: the HTTP server stops
// accepting and finishes in-flight requests, then the verifier answers what it holds, then the
// stores stop.
import type { DestinationStream, Logger } from 'pino';
import { createLogger } from '../ops/logging.js';
import { listenUrl } from './listen.js';
import { CloseStack } from './close-stack.js';
import { openRecordStores } from './record-stores.js';
import { MemoryChallengeStore } from '../challenges/memory.js';
import { RedisChallengeStore } from '../challenges/redis.js';
import type { ChallengeStore } from '../challenges/store.js';
import type { Config } from '../config/config.js';
import { buildApp } from '../http/server.js';
import { Metrics } from '../ops/metrics.js';
import { LocalVerifier } from './local-verifier.js';
import { loadTrustStore, logTrust } from './trust-store.js';
import { describeTrustAnchors, type TrustReport } from '../core/trust-anchors.js';
import { redisClient, whenReady, type RedisClient } from '../redis/connection.js';
import { QueueDispatcher, QueueError } from '../queue/dispatcher.js';
import { redisKeys } from '../redis/keys.js';
import type { Verifier } from '../verifier/verifier.js';
import { BulkJobs, localChunkRunner, type ChunkRunner } from '../jobs/bulk-jobs.js';
import type { Database } from '../db/database.js';
import { PaymentRelay } from '../payments/relay.js';
import { InstitutionClient } from '../payments/institution-client.js';
import { watchFeed } from '../platform/wiring.js';
import type { Platform } from '../platform/platform.js';
import type { FastifyInstance } from 'fastify';

export interface Service {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly verifier: Verifier;
  /** The in-process pool and feed (embedded mode); null in queue mode. */
  readonly local: LocalVerifier | null;
  readonly platform: Platform;
  /** The system of record (PostgreSQL or PGlite). */
  readonly db: Database;
  readonly metrics: Metrics;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Where logs go (tests capture them); default stdout. */
  readonly logDestination?: DestinationStream;
  readonly clock?: () => number;
}

/** Time stamps other processes check (HMAC signatures, worker heartbeats) use the real clock, even
 *  where a test moves the service's verification clock. */
export const WALL_CLOCK = (): number => Date.now();

export async function startService(config: Config, opts: ServiceOptions = {}): Promise<Service> {
  const logger = createLogger(config.logLevel, opts.logDestination);
  const stack = new CloseStack(logger);
  return stack.starting(() => build(config, opts, logger, stack));
}

async function build(config: Config, opts: ServiceOptions, logger: Logger, stack: CloseStack): Promise<Service> {
  const clock = opts.clock ?? Date.now;
  const metrics = new Metrics(config.mode === 'queue' ? 'api' : 'embedded');
  const keys = redisKeys(config.redis.prefix);
  let local: LocalVerifier | null = null;
  let verifier: Verifier;
  let bulk: BulkJobs;
  // The system of record (PostgreSQL, or PGlite in this process): platform, payments, audit, jobs.
  const records = await openRecordStores(config, logger, metrics, clock);
  stack.defer('system of record', () => records.close());
  const { db, platform, present, bulkDeps } = records;
  const relay = new PaymentRelay(
    platform,
    config.payments.institutions.map(
      (i) =>
        new InstitutionClient(
          i,
          { failures: config.payments.circuitFailures, openMs: config.payments.circuitOpenMs },
          (outcome, s) => metrics.institutionSeconds.observe({ institution: i.id, outcome }, s),
          WALL_CLOCK,
        ),
    ),
    { idempotencyTtlMs: config.payments.idempotencyTtlSec * 1000, callMarginMs: config.payments.callMarginMs },
    clock,
    (stage, s) => metrics.paymentStageSeconds.observe({ stage }, s),
  );
  stack.defer('institution connections', () => Promise.all(relay.institutions().map((c) => c.close())));
  if (config.mode === 'queue') {
    const q = config.queue;
    const dispatcher: QueueDispatcher = await QueueDispatcher.start(
      { ...q, redis: config.redis, keys, wallClock: WALL_CLOCK },
      metrics.dispatchObserver(),
      logger,
    );
    verifier = dispatcher;
    stack.defer('queue dispatcher', () => dispatcher.close());
    // Bulk chunks go to the workers behind synchronous traffic (BullMQ serves prioritised jobs
    // after plain ones); the workers record their results in Redis.
    const chunkRunner: ChunkRunner = async (chunk) => {
      try {
        await dispatcher.bullQueue.add('bulk', chunk, {
          jobId: `${chunk.bulkId}.${chunk.chunk}`,
          priority: 10,
          attempts: q.attempts,
          backoff: { type: 'fixed', delay: q.backoffMs },
          removeOnComplete: true,
          removeOnFail: false,
        });
      } catch (err) {
        throw new QueueError('queue_unavailable', `cannot enqueue: ${(err as Error).message}`);
      }
    };
    // The workers count these chunks' verdicts where they run them.
    bulk = new BulkJobs({ ...bulkDeps, countVerdict: undefined, runner: chunkRunner });
    logger.info({ queue: q.name, resultPath: q.resultPath }, 'queue mode: verifications go to worker processes');
  } else {
    const lv = (local = await LocalVerifier.start(config, metrics, logger, clock));
    verifier = lv;
    stack.defer('local verifier', () => lv.close());
    const runner = localChunkRunner(
      (item) => lv.verify(item),
      () => bulk,
      logger,
    );
    bulk = new BulkJobs({ ...bulkDeps, runner });
    if (lv.feed) watchFeed(lv.feed, platform, config.crl.graceSec * 1000, logger, (r) => metrics.changeRecheck(r));
  }

  let challenges: ChallengeStore;
  let challengeRedis: RedisClient | null = null;
  if (config.challenge.store === 'redis') {
    const redis = (challengeRedis = redisClient(config.redis, 'fail-fast', (err) => logger.warn({ err: { message: err.message } }, 'redis error')));
    stack.defer('challenge redis', () => redis.disconnect());
    await whenReady(redis);
    challenges = new RedisChallengeStore(redis, keys);
  } else challenges = new MemoryChallengeStore(clock);
  stack.defer('challenge store', () => challenges.close());

  // Readiness: this node cannot serve while its database or its challenge Redis is unreachable.
  const storesNotReady = async (): Promise<string[]> => {
    const reasons = await records.notReady();
    if (challengeRedis && challengeRedis.status !== 'ready') reasons.push('challenge store (Redis) unreachable');
    return reasons;
  };

  // The root generations this node answers for: loaded by its verifier, or in queue mode read from
  // the same configured roots the workers load (each worker logs its own at start).
  let trust: TrustReport;
  if (local) trust = local.trust;
  else logTrust((trust = describeTrustAnchors(loadTrustStore(config.trust.roots).certificates(), clock())), logger);
  const app = buildApp({ config, verifier, bulk, platform, present, relay, challenges, metrics, logger, storesNotReady, clock, trust });
  stack.defer('http', () => app.close()); // first to close: stops accepting, in-flight requests complete
  const url = await listenUrl(app, config.host, config.port);
  logger.info({ url, mode: config.mode, threads: local ? config.pool.threads : 0 }, 'listening');
  let stopped: Promise<void> | null = null;

  return {
    app,
    url,
    verifier,
    local,
    platform,
    db,
    metrics,
    logger,
    close() {
      return (stopped ??= stack.close().then(() => logger.info('stopped')));
    },
  };
}
