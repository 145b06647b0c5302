// Wires the service together: trust store → verifier pool → CRL feed → challenge store → HTTP.
// close() drains: the HTTP server stops accepting and finishes in-flight requests, then the pool
// finishes its queue, then the feed and stores stop.
import { Redis } from 'ioredis';
import { pino, type DestinationStream, type Logger } from 'pino';
import { MemoryChallengeStore } from './challenges/memory.js';
import { RedisChallengeStore } from './challenges/redis.js';
import type { ChallengeStore } from './challenges/store.js';
import type { Config } from './config.js';
import { buildApp } from './http/server.js';
import { Metrics } from './metrics.js';
import { VerifierPool } from './pool/verifier-pool.js';
import { CrlFeed } from './revocation/feed.js';
import { loadTrustStore } from './trust-store.js';
import type { FastifyInstance } from 'fastify';

export interface Service {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly pool: VerifierPool;
  readonly feed: CrlFeed | null;
  readonly metrics: Metrics;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Where logs go (tests capture them); default stdout. */
  readonly logDestination?: DestinationStream;
  readonly clock?: () => number;
}

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  // Bodies and headers are never logged; a request line carries method, route and status only.
  return pino(
    {
      level,
      base: { service: 'jpki-verify' },
      redact: { paths: ['req.headers', 'req.body', 'res.headers'], remove: true },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}

export async function startService(config: Config, opts: ServiceOptions = {}): Promise<Service> {
  const logger = createLogger(config.logLevel, opts.logDestination);
  const clock = opts.clock ?? Date.now;
  const anchors = loadTrustStore(config.trust.roots);
  logger.info({ anchors: anchors.size }, 'trust store loaded');
  const metrics = new Metrics();
  const pool = new VerifierPool(
    {
      threads: config.pool.threads,
      batchSize: config.pool.batchSize,
      batchDelayUs: config.pool.batchDelayUs,
      maxPending: config.pool.maxPending,
      concurrentTasksPerWorker: config.pool.concurrentTasksPerWorker,
      setup: {
        trust: anchors.certificates().map((c) => c.der),
        allowTestHierarchy: config.trust.allowTestHierarchy,
        revocationPolicy: config.crl.policy,
        graceMs: config.crl.graceSec * 1000,
        pathCacheSize: config.pool.pathCacheSize,
      },
    },
    metrics.poolObserver(),
  );

  let feed: CrlFeed | null = null;
  if (config.crl.sources.length) {
    feed = new CrlFeed(
      { sources: config.crl.sources, cacheDir: config.crl.cacheDir, refreshIntervalMs: config.crl.refreshIntervalSec * 1000, retries: config.crl.retries, backoffMs: config.crl.backoffMs, graceMs: config.crl.graceSec * 1000 },
      anchors.certificates(),
      clock,
    );
    const f = feed;
    f.on('swap', (set) => {
      pool.setRevocation(set.toData());
      metrics.crlRefreshes.inc();
      const now = clock();
      for (const iss of set.issuers()) {
        const oldest = Math.min(...iss.crls.map((c) => c.thisUpdate));
        const next = Math.min(...iss.crls.map((c) => c.nextUpdate ?? Infinity));
        metrics.crlAge.set({ issuer_key: iss.keyId }, (now - oldest) / 1000);
        if (Number.isFinite(next)) metrics.crlNextUpdate.set({ issuer_key: iss.keyId }, (next - now) / 1000);
        metrics.crlEntries.set({ issuer_key: iss.keyId }, iss.index.size);
      }
      logger.info({ version: set.version, issuers: set.issuers().length, entries: set.issuers().reduce((n, i) => n + i.index.size, 0) }, 'revocation index swapped');
    });
    f.on('refreshed', (outcomes, ms) => {
      metrics.crlBuildSeconds.observe(ms / 1000);
      for (const o of outcomes) {
        if (o.rejection) {
          metrics.crlRefreshFailures.inc({ reason: o.rejection });
          logger.warn({ source: o.id, rejection: o.rejection, detail: o.detail, used: o.used }, 'CRL refused; last good data kept');
        }
      }
    });
    f.on('error', (err) => logger.error({ err: { message: err.message } }, 'CRL refresh failed'));
    await f.start();
  }

  let challenges: ChallengeStore;
  if (config.challenge.store === 'redis') {
    // Fail fast per command while Redis is down (the API answers 503); reconnect on its own.
    const redis = new Redis(config.challenge.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    redis.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis error'));
    challenges = new RedisChallengeStore(redis, config.challenge.keyPrefix);
  } else challenges = new MemoryChallengeStore(clock);

  const app = buildApp({ config, pool, feed, challenges, metrics, logger, clock });
  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, threads: config.pool.threads }, 'listening');

  let closing: Promise<void> | null = null;
  return {
    app,
    url,
    pool,
    feed,
    metrics,
    logger,
    close() {
      closing ??= (async () => {
        await app.close(); // stops accepting; in-flight requests complete
        await pool.close();
        feed?.stop();
        await challenges.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}
