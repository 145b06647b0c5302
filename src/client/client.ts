// The typed HTTP client of the API, for relays, terminals and back offices: every route, body and
// answer typed from the OpenAPI document (api-types.ts is generated from /openapi.json by
// openapi-typescript; a test checks it is current), through openapi-fetch. The CLI's `client`
// commands use it, so every test run that drives them drives the contract too.
//
//   const c = createJpkiClient({ baseUrl: 'http://127.0.0.1:8080', apiKey });
//   const ch = await c.call(c.api.POST('/v1/challenges'));
//   const r = await c.call(c.api.POST('/v1/verify/auth', { body: { certificate, challengeId: ch.challengeId, signature } }));
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './api-types.js';

export type { components, paths };
/** The named schemas of the API: Result, Verdict, Certificate, Link, PaymentDecision, Error … */
export type ApiSchemas = components['schemas'];

/** The service answered with an error: its HTTP status and typed {code, message}. */
export class JpkiApiError extends Error {
  override readonly name = 'JpkiApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, from Retry-After (429 and 503). */
    readonly retryAfterSec: number | null,
    /** What the call was, e.g. `POST /v1/verify/auth`. */
    readonly call: string,
  ) {
    super(`${call} answered ${status} ${code}: ${message}`);
  }
}

/** The service could not be reached: the URL and the cause (ECONNREFUSED, ENOTFOUND, a timeout …). */
export class JpkiConnectionError extends Error {
  override readonly name = 'JpkiConnectionError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${url}: ${reason}`);
  }
}

export interface JpkiClientOptions {
  /** e.g. http://127.0.0.1:8080 */
  readonly baseUrl: string;
  /** The tenant's API key (sent as x-api-key). */
  readonly apiKey: string;
  /** Per-request timeout in ms (default 30 s). */
  readonly timeoutMs?: number;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

export interface JpkiClient {
  /** The typed client: api.POST('/v1/verify/auth', { body }) and so on for every route. */
  readonly api: Client<paths>;
  /** The answer's body, or a JpkiApiError with its status and {code, message}. */
  call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T>;
}

function connectionReason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer within the timeout';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

export function createJpkiClient(opts: JpkiClientOptions): JpkiClient {
  if (typeof opts.apiKey !== 'string' || opts.apiKey.length === 0) throw new TypeError('createJpkiClient: apiKey is required');
  let base: URL;
  try {
    base = new URL(opts.baseUrl);
  } catch {
    throw new TypeError(`createJpkiClient: baseUrl is not a URL: ${opts.baseUrl}`);
  }
  const baseUrl = base.toString().replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const doFetch = opts.fetch ?? fetch;
  const api = createClient<paths>({
    baseUrl,
    headers: { 'x-api-key': opts.apiKey },
    // A connection that fails is a typed error naming the URL and the cause, not "fetch failed".
    fetch: async (req: Request) => {
      try {
        return await doFetch(req, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new JpkiConnectionError(baseUrl, connectionReason(err));
      }
    },
  });
  // A failed call is named by method and path; the Response does not carry its method.
  const methods = new WeakMap<Response, string>();
  api.use({
    onResponse({ request, response }) {
      methods.set(response, request.method);
    },
  });
  return {
    api,
    async call(request) {
      const { data, error, response } = await request;
      if (response.ok) return data as NonNullable<typeof data>;
      const e = (error ?? {}) as { code?: unknown; message?: unknown };
      const retry = Number(response.headers.get('retry-after'));
      const path = new URL(response.url || baseUrl).pathname;
      throw new JpkiApiError(
        response.status,
        typeof e.code === 'string' ? e.code : 'unknown',
        typeof e.message === 'string' ? e.message : response.statusText || 'no message',
        Number.isFinite(retry) && retry > 0 ? retry : null,
        `${methods.get(response) ?? 'request'} ${path}`,
      );
    },
  };
}
