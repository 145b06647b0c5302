// The verifier that does the work in this process: trust store → piscina pool → CRL feed. The
// embedded service answers HTTP with it; a queue worker process answers jobs with it.
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { ItemResult, VerifyItem } from '../verifier/messages.js';
import { VerifierPool } from '../pool/verifier-pool.js';
import type { CrlFeed } from '../crl-feed/feed.js';
import { startCrlFeed } from '../crl-feed/start-feed.js';
import { logTrust, loadTrustStore } from './trust-store.js';
import { describeTrustAnchors, type TrustReport } from '../core/trust-anchors.js';
import type { CrlSourceStatus, Verifier, VerifierGauges } from '../verifier/verifier.js';

export class LocalVerifier implements Verifier {
  private constructor(
    readonly pool: VerifierPool,
    readonly feed: CrlFeed | null,
    readonly anchors: number,
    /** The root generations loaded, for the operator (GET /v1/operator/trust). */
    readonly trust: TrustReport,
    /** The configured CRL sources: the bounded label set of the per-source failure gauge. */
    private readonly sources: readonly string[],
  ) {}

  static async start(config: Config, metrics: Metrics, logger: Logger, clock: () => number): Promise<LocalVerifier> {
    const anchors = loadTrustStore(config.trust.roots);
    const trust = describeTrustAnchors(anchors.certificates(), clock());
    logTrust(trust, logger);
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
          acceptEcdsa: config.trust.acceptEcdsa,
          revocationPolicy: config.crl.policy,
          graceMs: config.crl.graceSec * 1000,
          pathCacheSize: config.pool.pathCacheSize,
        },
      },
      metrics.poolObserver(),
    );
    const feed = await startCrlFeed(config, anchors.certificates(), pool, metrics, logger, clock);
    return new LocalVerifier(pool, feed, anchors.size, trust, config.crl.sources);
  }

  verify(item: VerifyItem): Promise<ItemResult> {
    return this.pool.verify(item);
  }

  async notReady(now: number): Promise<string[]> {
    const reasons: string[] = [];
    if (this.anchors === 0) reasons.push('trust store empty');
    if (this.pool.threads === 0) reasons.push('no verification workers');
    if (this.feed && !this.feed.fresh(now)) reasons.push('CRL data missing or stale');
    return reasons;
  }

  crlStatus(): CrlSourceStatus[] {
    return (this.feed?.status() ?? []).map((s) => ({
      source: s.id,
      thisUpdate: s.meta?.thisUpdate ?? null,
      nextUpdate: s.meta?.nextUpdate ?? null,
      crlNumber: s.meta?.crlNumber ?? null,
    }));
  }

  async scrape(metrics: VerifierGauges): Promise<void> {
    metrics.poolUtilization.set(this.pool.utilization);
    metrics.poolPending.set(this.pool.pending);
    metrics.poolThreads.set(this.pool.threads);
    // Per configured source (a folder or an index expands to many files: one series each would be
    // hundreds), the worst of its files, read at scrape time: a failed fetch ends a refresh
    // without any event to hook.
    const worst = new Map<string, number>(this.sources.map((src) => [src, 0]));
    for (const st of this.feed?.status() ?? []) {
      const src = sourceOf(this.sources, st.id);
      worst.set(src, Math.max(worst.get(src) ?? 0, st.failures));
    }
    for (const [source, failures] of worst) metrics.crlSourceFailures.set({ source }, failures);
  }

  async close(): Promise<void> {
    await this.pool.close();
    this.feed?.stop();
  }
}

/** The configured source a fetched file or URL came from: the longest one it starts with (`other`
 *  for a URL an index listed elsewhere, so the label set stays the configuration's). */
export function sourceOf(sources: readonly string[], id: string): string {
  let best = '';
  for (const src of sources) if ((id === src || id.startsWith(src.endsWith('/') ? src : `${src}/`)) && src.length > best.length) best = src;
  return best || 'other';
}
