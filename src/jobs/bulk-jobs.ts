// Async bulk jobs: POST /v1/jobs takes up to jobs.maxItems items and answers with a job id at
// once; the items run in chunks (on the local pool in embedded mode, as BullMQ jobs on the workers
// in queue mode), results are recorded per item, GET /v1/jobs/:id pages through them, and the
// tenant's webhook (if asked for) is told when the job completes. The webhook carries counts only:
// results, which may hold 基本4情報, are fetched with the tenant's API key.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config.js';
import { isInputVerdict } from '../verdict-status.js';
import type { ItemResult, VerifyItem } from '../pool/messages.js';
import { jobItems, jobItemsOf, type BulkChunkData } from '../queue/codec.js';
import type { BulkJobRecord, ChunkResults, JobStore } from './store.js';
import type { Presenter } from '../platform/present.js';
import { deliverWebhook } from '../net/webhook.js';
import type { WebhookPolicy } from '../net/address-policy.js';

/** An item as submitted: ready to verify, or already answered (it did not decode, or its
 *  challenge was unusable). */
export type BulkItem = { item: VerifyItem } | { answer: Record<string, unknown>; error: boolean };

/** Runs one chunk somewhere; the chunk's results reach recordChunk (or failChunk) from there. */
export type ChunkRunner = (chunk: BulkChunkData) => Promise<void>;

export class BulkJobs {
  private readonly tenants: Map<string, TenantConfig>;

  constructor(
    readonly store: JobStore,
    /** The jobs settings, and the webhook policy (webhooks.*) every delivery is checked against. */
    private readonly opts: Config['jobs'] & { readonly webhooks: WebhookPolicy },
    tenants: readonly TenantConfig[],
    private readonly logger: Logger,
    private readonly present: Presenter,
    private readonly runner: ChunkRunner | null = null,
    /** Counts each verdict recorded (jpki_verdicts_total), wherever the chunk ran. */
    private readonly countVerdict: (code: string) => void = () => undefined,
  ) {
    this.tenants = new Map(tenants.map((t) => [t.id, t]));
  }

  async submit(tenant: TenantConfig, items: readonly BulkItem[], webhook: string | null, now: number): Promise<BulkJobRecord> {
    if (!this.runner) throw new Error('this BulkJobs records results only');
    const id = randomBytes(12).toString('base64url');
    const known: [number, string, boolean][] = [];
    const pending: { index: number; item: VerifyItem }[] = [];
    items.forEach((it, index) => ('item' in it ? pending.push({ index, item: it.item }) : known.push([index, JSON.stringify(it.answer), it.error])));
    await this.store.create({ id, tenant: tenant.id, total: items.length, createdAt: now, webhook }, known);
    for (let c = 0; c * this.opts.chunkSize < pending.length; c++) {
      const part = pending.slice(c * this.opts.chunkSize, (c + 1) * this.opts.chunkSize);
      await this.runner({ ...jobItemsOf(part.map((p) => p.item)), bulkId: id, chunk: c, index: part.map((p) => p.index) });
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
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      this.countVerdict(r.verdict.code);
      if (isInputVerdict(r.verdict.code)) rows.push([chunk.index[i], JSON.stringify({ error: { code: r.verdict.code, message: r.verdict.detail } }), true]);
      else rows.push([chunk.index[i], JSON.stringify(await this.present(tenant, r)), false]);
    }
    if ((await this.store.record(chunk.bulkId, chunk.chunk, rows, Date.now())) === 'completed') await this.completed(chunk.bulkId);
  }

  /** A chunk that failed for good: its items get job_failed, so the job still completes. */
  async failChunk(chunk: BulkChunkData, reason: string): Promise<void> {
    const rows: ChunkResults = chunk.index.map((i) => [i, JSON.stringify({ error: { code: 'job_failed', message: `verification failed after its retries: ${reason}` } }), true] as const);
    if ((await this.store.record(chunk.bulkId, chunk.chunk, rows, Date.now())) === 'completed') await this.completed(chunk.bulkId);
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
    this.logger.info({ jobId: id, tenant: job.tenant, total: job.total, errors: job.errors }, 'bulk job completed');
    const secret = this.tenants.get(job.tenant)?.webhookSecret;
    if (!job.webhook || !secret) return;
    const payload = { jobId: id, state: job.state, total: job.total, errors: job.errors, completedAt: new Date(job.completedAt ?? Date.now()).toISOString() };
    // Not awaited: a slow receiver must not hold the worker's job; the pull API stays the record.
    deliverWebhook(job.webhook, secret, payload, { attempts: this.opts.webhookAttempts, timeoutMs: this.opts.webhookTimeoutMs, policy: this.opts.webhooks }).then(
      (attempts) => this.logger.info({ jobId: id, attempts }, 'webhook delivered'),
      // The reason never holds the URL (its query string may carry a token).
      (err: Error) => this.logger.warn({ jobId: id, refused: err.name === 'WebhookRefused', reason: err.message }, 'webhook failed'),
    );
  }
}

/** Embedded mode: chunks run on the local pool, a few at a time so a 10,000-item job does not
 *  crowd out synchronous requests (bounded by the pool's maxPending all the same). */
export function localChunkRunner(verify: (item: VerifyItem) => Promise<ItemResult>, jobs: () => BulkJobs, inFlight = 2): ChunkRunner {
  let running = 0;
  const waiting: BulkChunkData[] = [];
  const next = (): void => {
    while (running < inFlight && waiting.length) {
      const chunk = waiting.shift()!;
      running++;
      Promise.all(jobItems(chunk).map(verify))
        .then(
          (results) => jobs().recordChunk(chunk, results),
          (err: Error) => jobs().failChunk(chunk, err.message),
        )
        .catch(() => undefined) // the store is in memory: recording does not fail
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
