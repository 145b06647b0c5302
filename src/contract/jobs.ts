// Contract of async bulk jobs: POST /v1/jobs, GET /v1/jobs/{id}.
import { Type } from 'typebox';
import { API_KEY, errorResponses, IdParams, ItemError } from './common.js';
import { IsoTime, ref, StringEnum } from '../verifier/schema-kit.js';
import { ResultSchema } from '../verifier/wire.js';
import { BatchItems } from './verify.js';

export const Job = Type.Object(
  {
    jobId: Type.String({ examples: ['job_Zk3pX0aQ7vLm2TnB8sYc1w'] }),
    state: StringEnum(['running', 'completed']),
    total: Type.Integer({ minimum: 0 }),
    done: Type.Integer({ minimum: 0 }),
    errors: Type.Integer({ minimum: 0, description: 'items answered with an error object instead of a verdict' }),
    createdAt: IsoTime('when the job was accepted'),
    completedAt: Type.Optional(IsoTime('when the last item was done; absent while running')),
  },
  { $id: 'Job', additionalProperties: false },
);

export const jobCreateRoute = {
  operationId: 'createJob',
  tags: ['jobs'],
  summary: 'Async bulk verification (jobs.maxItems items); answers with the job at once',
  description:
    "Items are decoded and their challenges used now; the verifications run on the job queue. A tenant's waiting work is bounded (jobs.maxPendingItemsPerTenant: 429 too_many_jobs).",
  security: API_KEY,
  body: Type.Object(
    {
      items: BatchItems,
      webhook: Type.Optional(
        Type.String({
          pattern: '^https?://',
          description:
            'POSTed (HMAC-signed, see README) when the job completes. https, or http only to a host in webhooks.allowHosts; a literal loopback, private, link-local, CGNAT or metadata address is refused (400 bad_request), and the resolved address is checked again at every delivery (unless webhooks.allowPrivate)',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  response: {
    202: ref(Job, { description: 'accepted' }),
    ...errorResponses(['too_many_items', 'forbidden', 'too_many_jobs', 'malformed_base64', 'store_unavailable', 'queue_unavailable'], { body: true }),
  },
};

export const jobGetRoute = {
  operationId: 'getJob',
  tags: ['jobs'],
  summary: 'Progress and one page of results of a bulk job of this tenant',
  description: "Results in submission order, `null` where not yet done. Another tenant's job is a 404.",
  security: API_KEY,
  params: IdParams,
  querystring: Type.Object(
    {
      offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'first result of the page (default 0)', examples: ['0'] })),
      limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: 'page size, 1 to 1000 (default 100)', examples: ['100'] })),
    },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object(
      {
        ...Job.properties,
        offset: Type.Integer({ minimum: 0 }),
        results: Type.Array(Type.Union([ref(ResultSchema), ref(ItemError), Type.Null()]), { description: 'results[offset…]; null where not yet done' }),
      },
      { additionalProperties: false, description: 'the job with one page of results' },
    ),
    ...errorResponses(['not_found', 'store_unavailable']),
  },
};
