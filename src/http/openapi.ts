// JSON schemas of the API (used by fastify for validation) and the OpenAPI document built from
// the same objects, served at /openapi.json.
import type { Config } from '../config/config.js';
import { CODES } from './codes.js';

// No maxLength on large fields: the body limit bounds them, and ajv's code-point count of a long
// string costs more than the rest of the validation.
const b64 = (desc: string) => ({ type: 'string', minLength: 1, description: desc }) as const;
const hash = {
  type: 'string',
  enum: ['sha256', 'sha384', 'sha512'],
  description: 'hash the client used; default by the key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)',
} as const;
const certificate = b64('end-entity certificate: base64 DER, or PEM');
const challengeId = { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$', description: 'from POST /v1/challenges' } as const;

const authBody = {
  type: 'object',
  additionalProperties: false,
  required: ['certificate', 'challengeId', 'signature'],
  properties: {
    certificate,
    challengeId,
    signature: b64('signature by the card over the challenge, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards)'),
    digestAlgorithm: hash,
  },
} as const;

const signatureBody = {
  type: 'object',
  additionalProperties: false,
  required: ['certificate', 'signature'],
  properties: {
    certificate,
    data: b64('the signed document, base64 (give data or digest)'),
    digest: b64('the document digest the client computed, base64'),
    digestAlgorithm: hash,
    signature: b64('signature by the card, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards)'),
    at: { type: 'string', format: 'date-time', description: 'verify as of this time (e.g. the signing time); default now' },
  },
} as const;

const verdict = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['valid', 'invalid', 'indeterminate'] },
    code: { type: 'string', enum: Object.keys(CODES) },
    depth: { type: 'integer', description: 'certificate concerned: 0 = end entity, 1 = its issuer; -1 none' },
    detail: { type: 'string' },
    revocation: {
      type: 'object',
      properties: {
        checked: { type: 'boolean' },
        status: { type: 'string', enum: ['good', 'revoked', 'stale', 'unknown'] },
        reason: { type: 'string' },
        revokedAt: { type: 'integer', description: 'epoch ms' },
        source: {
          type: 'object',
          properties: {
            issuer: { type: 'string' },
            crlNumber: { type: ['string', 'null'] },
            thisUpdate: { type: 'integer' },
            nextUpdate: { type: ['integer', 'null'] },
          },
        },
      },
    },
  },
} as const;

const result = {
  type: 'object',
  properties: {
    verdict,
    certificate: {
      type: ['object', 'null'],
      properties: {
        kind: { type: 'string' },
        serial: { type: 'string' },
        fingerprint: { type: 'string' },
        notBefore: { type: 'string' },
        notAfter: { type: 'string' },
        issuerGeneration: { type: ['integer', 'null'] },
      },
    },
    basicInfo: { type: ['object', 'null'], description: '基本4情報: only for tenants entitled to it', additionalProperties: true },
  },
} as const;

const crlSources = {
  type: 'object',
  required: ['mode', 'crl'],
  properties: {
    mode: { type: 'string', enum: ['embedded', 'queue'] },
    crl: {
      type: 'array',
      description: 'every CRL source this node holds (empty on a queue-mode API node: the workers hold them)',
      items: {
        type: 'object',
        required: ['source', 'thisUpdate', 'nextUpdate', 'crlNumber'],
        properties: {
          source: { type: 'string', description: 'file path or URL as configured in crl.sources' },
          thisUpdate: { type: ['integer', 'null'], description: 'epoch ms' },
          nextUpdate: { type: ['integer', 'null'], description: 'epoch ms' },
          crlNumber: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;

const ready = {
  type: 'object',
  required: ['status', 'mode'],
  additionalProperties: false,
  properties: { status: { const: 'ready' }, mode: { type: 'string', enum: ['embedded', 'queue'] } },
} as const;

const error = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string', enum: Object.keys(CODES) }, message: { type: 'string' } },
} as const;

const batchItems = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string', enum: ['auth', 'signature'] } },
    oneOf: [
      { properties: { ...authBody.properties, type: { const: 'auth' } }, required: [...authBody.required], additionalProperties: false },
      { properties: { ...signatureBody.properties, type: { const: 'signature' } }, required: [...signatureBody.required], additionalProperties: false },
    ],
  },
} as const;

const job = {
  type: 'object',
  properties: {
    jobId: { type: 'string' },
    state: { type: 'string', enum: ['running', 'completed'] },
    total: { type: 'integer' },
    done: { type: 'integer' },
    errors: { type: 'integer', description: 'items answered with an error object instead of a verdict' },
    createdAt: { type: 'string' },
    completedAt: { type: ['string', 'null'] },
  },
} as const;

export const schemas = {
  challengeRoute: {},
  authRoute: { body: authBody },
  signatureRoute: { body: signatureBody },
  batchRoute: { body: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: batchItems } } },
  jobCreateRoute: {
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['items'],
      properties: {
        items: batchItems,
        webhook: {
          type: 'string',
          pattern: '^https?://',
          description:
            'POSTed (HMAC-signed, see README) when the job completes. https, or http only to a host in webhooks.allowHosts; a literal loopback, private, link-local, CGNAT or metadata address is refused (400 bad_request), and the resolved address is checked again at every delivery (unless webhooks.allowPrivate)',
        },
      },
    },
  },
  jobGetRoute: {
    params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } },
    // Strings: the API validates without type coercion; the route parses them.
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { offset: { type: 'string', pattern: '^[0-9]{1,9}$' }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } },
    },
  },
} as const;

const card = {
  type: 'object',
  additionalProperties: false,
  required: ['institution', 'kind', 'accountRef'],
  properties: {
    institution: { type: 'string', minLength: 1, maxLength: 64, description: 'configured institution id (bank, card company)' },
    kind: { type: 'string', enum: ['credit', 'debit', 'bank'] },
    accountRef: { type: 'string', minLength: 4, maxLength: 64, description: 'what the institution knows the card or account by; shown only masked' },
    label: { type: 'string', maxLength: 64 },
  },
} as const;
const customerRef = { type: 'string', minLength: 1, maxLength: 128, description: "the tenant's own customer id" } as const;
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { cursor: { type: 'string', maxLength: 128 }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } },
} as const;

export const platformSchemas = {
  enrol: {
    body: {
      type: 'object',
      additionalProperties: false,
      required: [...authBody.required, 'customerRef'],
      properties: { ...authBody.properties, customerRef, cards: { type: 'array', maxItems: 16, items: card }, signing: signatureBody },
    },
  },
  identify: { body: authBody },
  watch: { body: { ...signatureBody, properties: { ...signatureBody.properties, customerRef } } },
  list: { querystring: listQuery },
  byId: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } } },
} as const;

export const paymentSchemas = {
  authorize: {
    body: {
      type: 'object',
      additionalProperties: false,
      required: [...authBody.required, 'method', 'terminalId', 'amount', 'currency', 'idempotencyKey'],
      properties: {
        ...authBody.properties,
        method: { type: 'string', enum: ['credit', 'debit', 'atm'] },
        terminalId: { type: 'string', minLength: 1, maxLength: 64 },
        amount: { type: 'integer', minimum: 1, maximum: 100_000_000, description: "in the currency's minor unit (JPY: yen)" },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        cardRef: { type: 'string', pattern: '^card_[A-Za-z0-9_-]{1,32}$', description: 'the card chosen after a choose_card answer' },
        pinBlock: {
          type: 'string',
          minLength: 8,
          maxLength: 512,
          description: 'the payment card PIN, encrypted by the terminal for the institution; opaque to the relay, never logged or stored',
        },
        idempotencyKey: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
      },
    },
  },
} as const;

export function openApiDocument(config: Config): Record<string, unknown> {
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  const errors = {
    '4XX': { description: 'typed error', ...json(error) },
    '503': { description: 'overloaded, worker failed or draining; see Retry-After', ...json(error) },
  };
  const secured = [{ apiKey: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'jpki-verify',
      version: '0.1.0',
      description: 'JPKI (My Number Card) certificate and signature verification. Every error is {code, message}; codes are listed in the Error schema.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
      schemas: { Verdict: verdict, Result: result, Error: error, Job: job, CrlSources: crlSources },
    },
    paths: {
      '/v1/challenges': {
        post: {
          summary:
            'Issue a single-use challenge, usable only by this tenant; at most challenge.maxOutstandingPerTenant outstanding (else 429 too_many_challenges with Retry-After)',
          security: secured,
          responses: {
            '200': {
              description: 'challenge',
              ...json({ type: 'object', properties: { challengeId, challenge: { type: 'string' }, expiresAt: { type: 'string' } } }),
            },
            ...errors,
          },
        },
      },
      '/v1/verify/auth': {
        post: {
          summary: '電子利用者証明: authentication certificate + signature over a challenge',
          security: secured,
          requestBody: json(authBody),
          responses: { '200': { description: 'verdict', ...json(result) }, ...errors },
        },
      },
      '/v1/verify/signature': {
        post: {
          summary: '電子署名: signing certificate + signature over a document or digest',
          security: secured,
          requestBody: json(signatureBody),
          responses: { '200': { description: 'verdict (+ 基本4情報 when entitled)', ...json(result) }, ...errors },
        },
      },
      '/v1/verify/batch': {
        post: {
          summary: `Up to ${config.limits.batchItems} verifications at once`,
          security: secured,
          requestBody: json(schemas.batchRoute.body),
          responses: {
            '200': {
              description: 'one result or error per item, in order',
              ...json({ type: 'object', properties: { results: { type: 'array', items: { oneOf: [result, { type: 'object', properties: { error } }] } } } }),
            },
            ...errors,
          },
        },
      },
      '/v1/jobs': {
        post: {
          summary: `Async bulk verification: up to ${config.jobs.maxItems} items; answers with a job id at once`,
          security: secured,
          requestBody: json(schemas.jobCreateRoute.body),
          responses: { '202': { description: 'accepted', ...json(job) }, ...errors },
        },
      },
      '/v1/jobs/{id}': {
        get: {
          summary: 'Progress and one page of results (offset, limit ≤ 1000) of a bulk job of this tenant',
          security: secured,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'offset', in: 'query', schema: { type: 'integer' } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
          ],
          responses: {
            '200': {
              description: 'job with results[offset…]; null where not yet done',
              ...json({
                ...job,
                properties: {
                  ...job.properties,
                  offset: { type: 'integer' },
                  results: { type: 'array', items: { oneOf: [result, { type: 'object', properties: { error } }, { type: 'null' }] } },
                },
              }),
            },
            ...errors,
          },
        },
      },
      '/v1/links': {
        post: {
          summary:
            '紐付管理: enrol a verified authentication: link the holder to a customer and cards (+ optional signing certificate for change confirmation)',
          security: secured,
          requestBody: json(platformSchemas.enrol.body),
          responses: { '201': { description: 'link (cards masked), watch' }, ...errors },
        },
        get: { summary: "List the tenant's links (cursor paging)", security: secured, responses: { '200': { description: 'links, next' }, ...errors } },
      },
      '/v1/links/identify': {
        post: {
          summary: 'Verify an authentication and find its link; next = linked | choose_card | not_linked | rejected',
          security: secured,
          requestBody: json(authBody),
          responses: { '200': { description: 'verdict, conversionId, link' }, ...errors },
        },
      },
      '/v1/links/{id}': {
        get: { summary: 'One link by conversion ID', security: secured, responses: { '200': { description: 'link' }, ...errors } },
        delete: { summary: 'Unlink', security: secured, responses: { '204': { description: 'unlinked' }, ...errors } },
      },
      '/v1/watches': {
        post: {
          summary: '変更確認: register a signing certificate (with a signature it made) for change confirmation',
          security: secured,
          requestBody: json(platformSchemas.watch.body),
          responses: { '201': { description: 'watch' }, ...errors },
        },
      },
      '/v1/watches/{id}': {
        get: { summary: 'One watch', security: secured, responses: { '200': { description: 'watch' }, ...errors } },
        delete: { summary: 'Stop watching', security: secured, responses: { '204': { description: 'removed' }, ...errors } },
      },
      '/v1/changes': {
        get: {
          summary: 'Status changes of watched certificates since a cursor',
          security: secured,
          responses: { '200': { description: 'changes, next' }, ...errors },
        },
      },
      '/v1/audit': {
        get: {
          summary: "The tenant's audit trail (time, route, verdict code, certificate fingerprint) since a cursor",
          security: secured,
          responses: { '200': { description: 'records, next' }, ...errors },
        },
      },
      '/v1/admin/link-data': {
        post: {
          summary: 'Operator: import J-LIS link data (text/csv type,from,to or JSON {records})',
          security: secured,
          responses: { '200': { description: 'import report' }, ...errors },
        },
      },
      '/v1/payments/authorize': {
        post: {
          summary: 'Credit / debit / ATM authorisation started with the My Number Card: JPKI authentication, linked card, institution decision',
          security: secured,
          requestBody: json(paymentSchemas.authorize.body),
          responses: { '200': { description: 'decision: approved | declined | choose_card | error, with code' }, ...errors },
        },
      },
      '/v1/operator/crl': {
        get: {
          summary:
            'Operator tenants only (else 403 forbidden): the CRL sources this node holds, with their dates (what /readyz listed before it became public-minimal)',
          security: secured,
          responses: { '200': { description: 'CRL sources', ...json(crlSources) }, ...errors },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'alive' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: trust store loaded and every CRL fresh. Unauthenticated, so it says status and mode only; reasons name no file or URL',
          responses: { '200': { description: 'ready', ...json(ready) }, '503': { description: 'not ready', ...json(error) } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' } } } },
    },
  };
}
