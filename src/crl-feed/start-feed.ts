// Starts the CRL feed for a process that verifies (the embedded service or a queue worker): each
// swapped set goes to the pool, and refreshes, refusals and CRL age go to metrics and logs.
import type { Logger } from 'pino';
import type { Certificate } from '../core/certificate.js';
import type { Config } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { VerifierPool } from '../pool/verifier-pool.js';
import { CrlFeed } from './feed.js';

export async function startCrlFeed(
  config: Config,
  anchors: readonly Certificate[],
  pool: VerifierPool,
  metrics: Metrics,
  logger: Logger,
  clock: () => number,
): Promise<CrlFeed | null> {
  if (!config.crl.sources.length) return null;
  const feed = new CrlFeed(
    {
      sources: config.crl.sources,
      cacheDir: config.crl.cacheDir,
      refreshIntervalMs: config.crl.refreshIntervalSec * 1000,
      retries: config.crl.retries,
      backoffMs: config.crl.backoffMs,
      graceMs: config.crl.graceSec * 1000,
    },
    anchors,
    clock,
  );
  feed.on('swap', (set) => {
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
    logger.info(
      { version: set.version, issuers: set.issuers().length, entries: set.issuers().reduce((n, i) => n + i.index.size, 0) },
      'revocation index swapped',
    );
  });
  feed.on('refreshed', (outcomes, ms) => {
    metrics.crlBuildSeconds.observe(ms / 1000);
    for (const o of outcomes) {
      if (o.rejection) {
        metrics.crlRefreshFailures.inc({ reason: o.rejection });
        logger.warn({ source: o.id, rejection: o.rejection, detail: o.detail, used: o.used }, 'CRL refused; last good data kept');
      }
    }
  });
  feed.on('error', (err) => logger.error({ err: { message: err.message } }, 'CRL refresh failed'));
  await feed.start();
  return feed;
}
