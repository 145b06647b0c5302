// Async bulk jobs: POST /v1/jobs takes up to jobs.maxItems items and answers with a job id at
// once; the items run in chunks (on the local pool in embedded mode, as BullMQ jobs on the workers
// in queue mode), results are recorded per item, GET /v1/jobs/:id pages through them, and the
// tenant's webhook (if asked for) is told when the job completes. The webhook carries counts only:
// results, which may hold 基本4情報, are fetched with the tenant's API key.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config/config.js';
import { isInputVerdict } from '../verifier/verdict-status.js';
import type { ItemResult, VerifyItem } from '../verifier/messages.js';
import { jobItems, jobItemsOf, type BulkChunkData } from '../queue/codec.js';
import type { BulkJobRecord, ChunkResults, JobStore } from './store.js';
import type { Presenter } from '../platform/present.js';
import type { ResultView } from '../verifier/wire.js';
import { deliverWebhook } from '../net/webhook.js';
import type { WebhookPolicy } from '../net/address-policy.js';
import { StoreError } from '../db/store-error.js';

/** An item as submitted: ready to verify, or already answered (it did not decode, or its
 *  challenge was unusable). */
export type BulkItem = { item: VerifyItem } | { answer: ResultView | { error: { code: string; message: string } }; error: boolean };

/** Runs one chunk somewhere; the chunk's results reach recordChunk (or failChunk) from there. */
export type ChunkRunner = (chunk: BulkChunkData) => Promise<void>;

export interface BulkJobsDeps {
  readonly store: JobStore;
  /** The jobs settings, and the webhook policy (webhooks.*) every delivery is checked against. */
  readonly opts: Config['jobs'] & { readonly webhooks: WebhookPolicy };
  readonly tenants: readonly TenantConfig[];
  readonly logger: Logger;
  readonly present: Presenter;
  /** Where chunks run; null where this process only records results (a queue worker). */
  readonly runner: ChunkRunner | null;
  /** Each verdict's audit record, committed before the chunk's results are (platform.audit). */
  readonly audit: (tenant: TenantConfig, code: string, fingerprint: string | null) => Promise<void>;
  /** Counts each verdict recorded (jpki_verdicts_total), wherever the chunk ran. */
  readonly countVerdict?: (code: string) => void;
  readonly clock: () => number;
  /** Real time, for webhook signature stamps (see WALL_CLOCK in app/service.ts). */
  readonly wallClock: () => number;
}

export class BulkJobs {
  readonly store: JobStore;
  private readonly tenants: Map<string, TenantConfig>;

  constructor(private readonly deps: BulkJobsDeps) {
    this.store = deps.store;
    this.tenants = new Map(deps.tenants.map((t) => [t.id, t]));
  }

  private get opts(): BulkJobsDeps['opts'] {
    return this.deps.opts;
  }

  async submit(tenant: TenantConfig, items: readonly BulkItem[], webhook: string | null, now: number): Promise<BulkJobRecord> {
    if (!this.deps.runner) throw new Error('this BulkJobs records results only');
    const id = randomBytes(12).toString('base64url');
    const known: [number, string, boolean][] = [];
    const pending: { index: number; item: VerifyItem }[] = [];
    items.forEach((it, index) => ('item' in it ? pending.push({ index, item: it.item }) : known.push([index, JSON.stringify(it.answer), it.error])));
    await this.store.create({ id, tenant: tenant.id, total: items.length, createdAt: now, webhook }, known);
    for (let c = 0; c * this.opts.chunkSize < pending.length; c++) {
      const part = pending.slice(c * this.opts.chunkSize, (c + 1) * this.opts.chunkSize);
      await this.deps.runner({ ...jobItemsOf(part.map((p) => p.item)), bulkId: id, chunk: c, index: part.map((p) => p.index) });
    }
    if (pending.length === 0) await this.completed(id);
    return (await this.store.get(id))!;
  }

  /** Stores a chunk's verdicts, shaped for the job's tenant (presenter: 基本4情報 only if
   *  entitled, conversion IDs for proxy tenants). */
  async recordChunk(chunk: BulkChunkData, results: readonly ItemResult[]): Promise<void> {
    const job = await this.store.get(chunk.bulkId);
    if (!job) return; // expired meanwhile
    const tenant = this.tenants.get(job.tenant);
    if (!tenant) return; // tenant removed from the configuration meanwhile
    const rows: [number, string, boolean][] = [];
    const audits: Promise<void>[] = [];
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      this.deps.countVerdict?.(r.verdict.code);
      // Bulk verifications are in the audit trail like any other (route /v1/jobs).
      audits.push(this.deps.audit(tenant, r.verdict.code, r.certificate?.fingerprint ?? null));
      if (isInputVerdict(r.verdict.code)) rows.push([chunk.index[i], JSON.stringify({ error: { code: r.verdict.code, message: r.verdict.detail } }), true]);
      else rows.push([chunk.index[i], JSON.stringify(await this.deps.present(tenant, r)), false]);
    }
    // Audit before results: a result is never readable without its record (a failed commit fails
    // the recording, which is retried: the chunk counts once however often it is recorded).
    await Promise.all(audits);
    if ((await this.store.record(chunk.bulkId, chunk.chunk, rows, this.deps.clock())) === 'completed') await this.completed(chunk.bulkId);
  }

  /** A chunk that failed for good: its items get job_failed, so the job still completes. */
  async failChunk(chunk: BulkChunkData, reason: string): Promise<void> {
    const rows: ChunkResults = chunk.index.map(
      (i) => [i, JSON.stringify({ error: { code: 'job_failed', message: `verification failed after its retries: ${reason}` } }), true] as const,
    );
    if ((await this.store.record(chunk.bulkId, chunk.chunk, rows, this.deps.clock())) === 'completed') await this.completed(chunk.bulkId);
  }

  /** The job for this tenant, with one page of results; null if unknown or another tenant's. */
  async get(tenant: TenantConfig, id: string, offset: number, limit: number): Promise<{ job: BulkJobRecord; results: unknown[] } | null> {
    const job = await this.store.get(id);
    if (!job || job.tenant !== tenant.id) return null;
    const n = Math.max(0, Math.min(limit, job.total - offset));
    const raw = n > 0 ? await this.store.results(id, offset, n) : [];
    return { job, results: raw.map((s) => (s === null ? null : (JSON.parse(s) as unknown))) };
  }

  private async completed(id: string): Promise<void> {
    const job = await this.store.get(id);
    if (!job) return;
    this.deps.logger.info({ jobId: id, tenant: job.tenant, total: job.total, errors: job.errors }, 'bulk job completed');
    const secret = this.tenants.get(job.tenant)?.webhookSecret;
    if (!job.webhook || !secret) return;
    const payload = {
      jobId: id,
      state: job.state,
      total: job.total,
      errors: job.errors,
      completedAt: new Date(job.completedAt ?? this.deps.clock()).toISOString(),
    };
    // Not awaited: a slow receiver must not hold the worker's job; the pull API stays the record.
    deliverWebhook(job.webhook, secret, payload, {
      attempts: this.opts.webhookAttempts,
      timeoutMs: this.opts.webhookTimeoutMs,
      policy: this.opts.webhooks,
      wallClock: this.deps.wallClock,
    }).then(
      (attempts) => this.deps.logger.info({ jobId: id, attempts }, 'webhook delivered'),
      // The reason never holds the URL (its query string may carry a token).
      (err: Error) => this.deps.logger.warn({ jobId: id, refused: err.name === 'WebhookRefused', reason: err.message }, 'webhook failed'),
    );
  }
}

/** Embedded mode: chunks run on the local pool, a few at a time so a 10,000-item job does not
 *  crowd out synchronous requests (bounded by the pool's maxPending all the same). Recording a
 *  chunk's results is retried, with backoff up to `maxBackoffMs`, while the store is unreachable:
 *  the job completes once the database is back (a chunk counts once however often it is recorded). */
export function localChunkRunner(
  verify: (item: VerifyItem) => Promise<ItemResult>,
  jobs: () => BulkJobs,
  logger: Logger,
  inFlight = 2,
  maxBackoffMs = 5_000,
): ChunkRunner {
  let running = 0;
  const waiting: BulkChunkData[] = [];
  const recorded = async (record: () => Promise<void>, chunk: BulkChunkData): Promise<void> => {
    for (let delay = 50; ; delay = Math.min(maxBackoffMs, delay * 2)) {
      try {
        return await record();
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        logger.warn({ jobId: chunk.bulkId, chunk: chunk.chunk, retryMs: delay }, 'bulk chunk not recorded (store unreachable); retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  const next = (): void => {
    while (running < inFlight && waiting.length) {
      const chunk = waiting.shift()!;
      running++;
      Promise.all(jobItems(chunk).map(verify))
        .then(
          (results) => recorded(() => jobs().recordChunk(chunk, results), chunk),
          (err: Error) => recorded(() => jobs().failChunk(chunk, err.message), chunk),
        )
        .catch((err: Error) => logger.error({ jobId: chunk.bulkId, chunk: chunk.chunk, reason: err.message }, 'bulk chunk lost'))
        .finally(() => {
          running--;
          next();
        });
    }
  };
  return async (chunk) => {
    waiting.push(chunk);
    next();
  };
}
