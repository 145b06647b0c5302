// Bulk jobs: POST /v1/jobs takes up to jobs.maxItems items (and an optional webhook), answers 202
// with the job; GET /v1/jobs/:id pages through its results. Items are decoded and their challenges
// consumed now; the verification runs on the job queue (src/jobs/bulk-jobs.ts).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config/config.js';
import type { BulkItem, BulkJobs } from '../jobs/bulk-jobs.js';
import type { BulkJobRecord } from '../jobs/store.js';
import { refusedUrl } from '../net/address-policy.js';
import { ApiError } from '../contract/codes.js';
import { pageLimit } from './decode.js';
import { jobCreateRoute, jobGetRoute } from '../contract/jobs.js';
import type { Verification } from './verify-routes.js';
import { resultView, type ResultView } from '../verifier/wire.js';
import type { ItemError } from '../contract/common.js';

export interface JobRouteDeps {
  readonly config: Pick<Config, 'jobs' | 'webhooks'>;
  readonly bulk: BulkJobs;
  readonly clock: () => number;
  readonly verification: Pick<Verification, 'authInput' | 'signatureInput'>;
}

const jobView = (j: BulkJobRecord) => ({
  jobId: j.id,
  state: j.state,
  total: j.total,
  done: j.done,
  errors: j.errors,
  createdAt: new Date(j.createdAt).toISOString(),
  ...(j.completedAt !== null && { completedAt: new Date(j.completedAt).toISOString() }),
});

/** Registers the routes on `app`, the authenticated /v1 scope of server.ts (req.tenant is set). */
export function registerJobRoutes(scope: FastifyInstance, deps: JobRouteDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { config, bulk, clock } = deps;
  const { authInput, signatureInput } = deps.verification;

  app.post('/jobs', { schema: jobCreateRoute, bodyLimit: config.jobs.maxBodyBytes }, async (req, reply) => {
    const { items, webhook } = req.body;
    if (items.length > config.jobs.maxItems) throw new ApiError('too_many_items', `at most ${config.jobs.maxItems} items per job`);
    if (webhook && !req.tenant!.webhookSecret) throw new ApiError('forbidden', "webhooks need a webhookSecret in this tenant's configuration");
    // Scheme, allow-list and literal addresses now; resolved addresses again at every delivery.
    const refused = webhook ? refusedUrl(webhook, config.webhooks) : null;
    if (refused) throw new ApiError('bad_request', `webhook refused: ${refused}`);
    // Before any challenge is used: a tenant's waiting work (and what it stores) is bounded.
    const waiting = await bulk.store.pendingItems(req.tenant!.id);
    if (waiting + items.length > config.jobs.maxPendingItemsPerTenant) {
      throw new ApiError('too_many_jobs', `${waiting} items wait in this tenant's running jobs; at most ${config.jobs.maxPendingItemsPerTenant}`, 5);
    }
    const now = clock();
    const prepared: BulkItem[] = [];
    for (const it of items) {
      try {
        const x = it.type === 'auth' ? await authInput(req.tenant!, it, now) : signatureInput(it, now);
        if ('kind' in x) prepared.push({ item: x });
        else prepared.push({ answer: resultView(x.verdict, null), error: false });
      } catch (err) {
        if (err instanceof ApiError && err.status < 500) prepared.push({ answer: { error: { code: err.code, message: err.message } }, error: true });
        else throw err;
      }
    }
    const job = await bulk.submit(req.tenant!, prepared, webhook ?? null, now);
    req.outcome = 'accepted';
    return reply.status(202).send(jobView(job));
  });

  app.get('/jobs/:id', { schema: jobGetRoute }, async (req) => {
    const offset = Number(req.query.offset ?? 0);
    const limit = pageLimit(req.query.limit);
    const found = await bulk.get(req.tenant!, req.params.id, offset, limit);
    // Another tenant's job is as unknown as a job that never was.
    if (!found) throw new ApiError('not_found', 'no such job');
    req.outcome = 'ok';
    // Stored as this module wrote them: results presented by the presenter, or item errors.
    return { ...jobView(found.job), offset, results: found.results as (ResultView | ItemError | null)[] };
  });
}
