// Building blocks of the API contract: TypeBox schemas are at once fastify's validation, the
// handler types (through the TypeBox type provider), the response serializers and, through
// @fastify/swagger, the OpenAPI document. Shared objects are named schemas ($id), registered once
// (http/openapi.ts) and referenced with `ref` (verifier/schema-kit.ts), so the document has them as components.
import { Type, type Static, type TSchema } from 'typebox';
import { ref, StringEnum } from '../verifier/schema-kit.js';
import { CODES, type ApiCode } from './codes.js';

/** Base64 (or PEM for certificates). No maxLength on large fields: the body limit bounds them,
 *  and ajv's code-point count of a long string costs more than the rest of the validation. */
export const Base64 = (description: string, example?: string) => Type.String({ minLength: 1, description, ...(example ? { examples: [example] } : {}) });

/** Ids in paths: conversion IDs, watch ids, job ids. Over 100 characters the router answers 414. */
export const IdParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the id the API gave', examples: ['cv_2Jq9XbT4mQ1sVn8aLk0PzR'] }) },
  { additionalProperties: false },
);

/** Cursor paging of lists (links, changes, audit). Query values are strings: the API validates
 *  without type coercion. */
export const PageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 128, description: 'the `next` of the previous page; absent: from the start' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: 'page size, 1 to 1000 (default 100)', examples: ['100'] })),
  },
  { additionalProperties: false },
);

/** Every error answer: a code from the one table (codes.ts) and a message. */
export const ErrorBody = Type.Object(
  {
    code: StringEnum(Object.keys(CODES) as ApiCode[], { description: 'what went wrong; the full table is in the README' }),
    message: Type.String({ description: 'for people: names the field or the limit; never personal data' }),
  },
  { $id: 'Error', additionalProperties: false, description: 'every error answer of the API' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** An item of a batch or job answered with an error instead of a verdict. */
export const ItemError = Type.Object({ error: ref(ErrorBody) }, { $id: 'ItemError', additionalProperties: false });
export type ItemError = Static<typeof ItemError>;

const RETRY_AFTER = { 'retry-after': { type: 'integer', minimum: 1, description: 'seconds to wait before retrying' } } as const;

// Errors any route can answer: the HTTP parser's and router's (a malformed request or URL, too
// slow, too long), draining, and the unexpected.
const ANY = ['bad_request', 'request_timeout', 'uri_too_long', 'headers_too_large', 'shutting_down', 'internal'] as const;
// …and any /v1 route, before or around its own work.
const V1 = [...ANY, 'unauthorized', 'rate_limited'] as const;
// …and any /v1 route that takes a JSON body.
const BODY = ['body_too_large', 'unsupported_media_type'] as const;

/** The error part of a route's `response`: one entry per status, each listing the codes this
 *  route can answer with at that status (restricted enum, description naming each), with
 *  Retry-After on 429 and 503. `body`: the route takes a JSON body. */
type ErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 413 | 414 | 415 | 422 | 429 | 431 | 500 | 503;

export function errorResponses(codes: readonly ApiCode[], opts: { body?: boolean; public?: boolean } = {}): Partial<Record<ErrorStatus, TSchema>> {
  const all = new Set<ApiCode>([...(opts.public ? ANY : V1), ...(opts.body ? BODY : []), ...codes]);
  const byStatus = new Map<number, ApiCode[]>();
  for (const c of all) {
    const s = CODES[c].status;
    if (s === 200) throw new Error(`${c} is a verdict answered with 200, not an error`);
    byStatus.set(s, [...(byStatus.get(s) ?? []), c]);
  }
  const out: Partial<Record<ErrorStatus, TSchema>> = {};
  for (const [status, cs] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const retry = status === 429 || status === 503;
    out[status as ErrorStatus] = Type.Object(
      {
        code: StringEnum(cs, { examples: [cs[0]] }),
        message: Type.String({ examples: [CODES[cs[0]].doc] }),
      },
      {
        additionalProperties: false,
        description: cs.map((c) => `\`${c}\`: ${CODES[c].doc}`).join('; '),
        ...(retry ? { headers: RETRY_AFTER } : {}),
      },
    );
  }
  return out;
}

/** What a route schema carries besides validation: the OpenAPI operation. */
export interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** `[]` on public routes; the API key everywhere under /v1. */
  readonly security: readonly Record<string, readonly string[]>[];
}

export const API_KEY = [{ apiKey: [] }, { bearer: [] }] as const;
export const PUBLIC = [] as const;
