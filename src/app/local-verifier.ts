// The verifier that does the work in this process: trust store → piscina pool → CRL feed, and the
// OCSP client that settles what the pool leaves to OCSP (revocation.mode ocsp, crl+ocsp). The
// embedded service answers HTTP with it; a queue worker process answers jobs with it.
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { ItemResult, VerifyItem } from '../verifier/messages.js';
import { VerifierPool } from '../pool/verifier-pool.js';
import type { CrlFeed } from '../crl-feed/feed.js';
import { startCrlFeed } from '../crl-feed/start-feed.js';
import { randomBytes } from 'node:crypto';
import { fingerprint, type Certificate } from '../core/certificate.js';
import { NONCE_LENGTH } from '../core/ocsp-request.js';
import { lookupStatus, partitionsOf } from '../core/revocation-lookup.js';
import { keyIdOf } from '../core/revocation-set.js';
import { settleOcsp } from '../core/revocation-plan.js';
import { VerifiedTable } from '../core/verified-table.js';
import { OcspClient, type OcspClientOptions } from '../ocsp/client.js';
import { HttpTransport } from '../ocsp/transport.js';
import { logTrust, loadTrustStore } from './trust-store.js';
import { describeTrustAnchors, type TrustReport } from '../core/trust-anchors.js';
import type { CrlSourceStatus, Verifier, VerifierGauges } from '../verifier/verifier.js';

export class LocalVerifier implements Verifier {
  private constructor(
    readonly pool: VerifierPool,
    readonly feed: CrlFeed | null,
    readonly ocsp: OcspClient,
    readonly anchors: number,
    /** The root generations loaded, for the operator (GET /v1/operator/trust). */
    readonly trust: TrustReport,
    /** The configured CRL sources: the bounded label set of the per-source failure gauge. */
    private readonly sources: readonly string[],
    private readonly metrics: Metrics,
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
        youngGenerationMb: config.pool.youngGenerationMb,
        setup: {
          trust: anchors.certificates().map((c) => c.der),
          allowTestHierarchy: config.trust.allowTestHierarchy,
          acceptEcdsa: config.trust.acceptEcdsa,
          graceMs: config.crl.graceSec * 1000,
          pathCacheSize: config.pool.pathCacheSize,
          verified: config.pool.verifiedEntries ? VerifiedTable.allocate(config.pool.verifiedEntries, anchors.certificates()) : null,
        },
      },
      metrics.poolObserver(),
    );
    const feed = await startCrlFeed(config, anchors.certificates(), pool, metrics, logger, clock);
    const byFingerprint = new Map<string, Certificate>(anchors.certificates().map((c) => [fingerprint(c), c]));
    const graceMs = config.crl.graceSec * 1000;
    const ocsp = new OcspClient(ocspOptions(config), {
      issuer: (fp) => byFingerprint.get(fp),
      transport: new HttpTransport(),
      clock,
      nonce: () => randomBytes(NONCE_LENGTH),
      // A delegated responder without id-pkix-ocsp-nocheck is believed only if the CRL says good.
      responderStatus: feed ? (r, issuer) => lookupStatus(feed.set, keyIdOf(issuer), partitionsOf(r), r.serial, clock(), graceMs).status : undefined,
      observer: metrics.ocspObserver(),
    });
    if (config.ocsp.url) metrics.ocspResponders([new URL(config.ocsp.url).host]);
    return new LocalVerifier(pool, feed, ocsp, anchors.size, trust, config.crl.sources, metrics);
  }

  async verify(item: VerifyItem): Promise<ItemResult> {
    return this.settle(await this.pool.verify(item));
  }

  /** Items packed as a queue job brings them (pool/task-codec.ts), as one pool task. */
  async verifyPacked(packed: ArrayBuffer, count: number): Promise<ItemResult[]> {
    return Promise.all((await this.pool.verifyPacked(packed, count)).map((r) => this.settle(r)));
  }

  /** A result the pool left to OCSP gets its answer; every other result passes as it is. */
  private async settle(r: ItemResult): Promise<ItemResult> {
    if (!r.pending) return r;
    const t0 = performance.now();
    const outcome = await this.ocsp.lookup(r.pending.target);
    this.metrics.ocspWait.observe((performance.now() - t0) / 1000);
    const s = settleOcsp(r.pending, outcome);
    return { verdict: s.verdict, certificate: r.certificate, ...('basicInfo' in r ? { basicInfo: s.basicInfo } : {}) };
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
    this.metrics.ocspCacheEntries.set(this.ocsp.cached);
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
    await this.ocsp.close();
    this.feed?.stop();
  }
}

/** The OCSP client's settings from the configuration. */
export function ocspOptions(config: Config): OcspClientOptions {
  const o = config.ocsp;
  return {
    url: o.url,
    timeoutMs: o.timeoutMs,
    retries: o.retries,
    backoffMs: o.backoffMs,
    maxResponseBytes: o.maxResponseBytes,
    skewMs: o.skewSec * 1000,
    maxAgeMs: o.maxAgeSec * 1000,
    nonce: o.nonce,
    get: o.get,
    hash: o.hash,
    batchMax: o.batchMax,
    batchDelayUs: o.batchDelayUs,
    cacheEntries: o.cacheEntries,
    circuitFailures: o.circuitFailures,
    circuitOpenMs: o.circuitOpenMs,
  };
}

/** The configured source a fetched file or URL came from: the longest one it starts with (`other`
 *  for a URL an index listed elsewhere, so the label set stays the configuration's). */
export function sourceOf(sources: readonly string[], id: string): string {
  let best = '';
  for (const src of sources) if ((id === src || id.startsWith(src.endsWith('/') ? src : `${src}/`)) && src.length > best.length) best = src;
  return best || 'other';
}
