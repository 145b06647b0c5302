// The HTTP API (fastify): challenges, verifications, batch, health, readiness, metrics, OpenAPI.
// The shell stamps `now` once per request; the pool does the verification work.
//
// Authentication is a property of the routes, never a test on the raw URL: every /v1 route is
// registered inside one encapsulated scope whose onRequest hooks check the API key and the
// tenant's rate limit, so whatever spelling of a path the router matches (percent-encoding,
// absolute-form targets …) reaches a /v1 handler only through those hooks. An onRoute guard
// refuses, at start, any /v1 route registered outside the scope.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { HashName } from '../core/algorithms.js';
import { verdict } from '../core/verdict.js';
import type { ChallengeStore } from '../challenges/store.js';
import type { Config, TenantConfig } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { ItemResult, VerifyItem } from '../pool/messages.js';
import { PoolError } from '../pool/verifier-pool.js';
import { QueueError } from '../queue/dispatcher.js';
import { StoreError } from '../store-error.js';
import type { Verifier } from '../verifier.js';
import type { BulkItem, BulkJobs } from '../jobs/bulk-jobs.js';
import type { BulkJobRecord } from '../jobs/store.js';
import type { Platform } from '../platform/platform.js';
import type { Presenter } from '../platform/present.js';
import { RateLimiter } from './rate-limit.js';
import { registerPlatformRoutes } from './platform-routes.js';
import { registerPaymentRoutes } from './payment-routes.js';
import type { PaymentRelay } from '../payments/relay.js';
import { refusedUrl } from '../net/address-policy.js';
import { ApiError, CODES, type ApiCode } from './codes.js';
import { decodeBase64, decodeCertificate, pageLimit } from './decode.js';
import { openApiDocument, schemas } from './openapi.js';

export interface AppDeps {
  readonly config: Config;
  readonly verifier: Verifier;
  readonly bulk: BulkJobs;
  readonly platform: Platform;
  readonly present: Presenter;
  readonly relay: PaymentRelay;
  readonly challenges: ChallengeStore;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Reasons this node cannot serve because a store it depends on (database, Redis) is down. */
  readonly storesNotReady: () => Promise<string[]>;
  readonly clock?: () => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant: TenantConfig | null;
    outcome: string;
  }
}

function sha256Hex(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

interface AuthBody { certificate: string; challengeId: string; signature: string; digestAlgorithm?: HashName }
interface SignatureBody { certificate: string; data?: string; digest?: string; digestAlgorithm?: HashName; signature: string; at?: string }
type BatchItem = ({ type: 'auth' } & AuthBody) | ({ type: 'signature' } & SignatureBody);

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

export function buildApp(deps: AppDeps): FastifyInstance {
  const { config, verifier, challenges, metrics, bulk, platform } = deps;
  const limiter = new RateLimiter();
  const clock = deps.clock ?? Date.now;
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, maxUrlBytes } = config.limits;
  const tenantLabel = (id: string): string => (config.metrics.tenantLabels ? id : 'all');
  const countError = (code: ApiCode): void => metrics.verdicts.inc({ kind: 'error', code: CODES[code].label });

  // Errors Node's HTTP parser or its timers raise before fastify sees a request: written to the
  // socket as {code, message} from the table, then the connection closes.
  const clientErrorHandler = (error: Error, socket: Socket): void => {
    const err = error as Error & { code?: string; rawPacket?: Buffer };
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let code: ApiCode = 'bad_request';
    let message = 'malformed HTTP request';
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      code = 'request_timeout';
      message = `the request did not arrive within ${requestTimeoutMs} ms (headers: ${headersTimeoutMs} ms)`;
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      // Node counts the request line with the headers; bytes without a complete line mean the
      // request target alone is too long.
      const line = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.indexOf('\r\n') : 0;
      if (line < 0) [code, message] = ['uri_too_long', 'the request target is too long'];
      else [code, message] = ['headers_too_large', 'the request header fields are too large'];
    }
    countError(code);
    // As Node does: never write into a response already under way.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const body = JSON.stringify({ code, message });
      const status = CODES[code].status;
      socket.write(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy();
  };

  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    bodyLimit: config.limits.bodyBytes,
    // While draining, requests on open connections get our typed shutting_down (hook below).
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // A whole request must arrive within requestTimeoutMs, its headers within headersTimeoutMs
    // (a client sending a byte every few seconds holds a socket no longer); Node checks every
    // connectionsCheckingInterval, so that is a fraction of the shorter one.
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(5000, Math.floor(headersTimeoutMs / 4))),
    },
    clientErrorHandler,
    // Requests the router refuses before any route: typed errors from the table.
    frameworkErrors: (err, _req, reply: FastifyReply) => {
      const [code, message]: [ApiCode, string] =
        err.code === 'FST_ERR_BAD_URL' ? ['bad_request', 'malformed URL (bad percent-encoding)'] : err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? ['uri_too_long', 'a path parameter is too long'] : ['internal', 'internal error'];
      countError(code);
      void reply.status(CODES[code].status).header('connection', 'close').send({ code, message });
    },
  });
  const tenantKeys = config.tenants.map((t) => ({ t, hash: Buffer.from(t.apiKeySha256, 'hex') }));
  // Keys already matched, so each request does not hash again. Bounded: unknown keys never enter.
  const knownKeys = new Map<string, TenantConfig>();

  app.decorateRequest('tenant', null);
  app.decorateRequest('outcome', '');

  // Every /v1 route lives in the authenticated scope below; one registered anywhere else would
  // have no API-key check, so it is refused at start.
  app.addHook('onRoute', (route) => {
    if (/^\/v1(\/|$)/i.test(route.url) && route.prefix !== '/v1') throw new Error(`route ${route.method} ${route.url} is outside the authenticated /v1 scope`);
  });

  // Draining: answers tell clients to close their connection, and connections that fall idle
  // are reaped until the server is closed (server.close() alone only reaps those idle at once).
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
    const reaper = setInterval(() => app.server.closeIdleConnections(), 25);
    reaper.unref();
    app.server.once('close', () => clearInterval(reaper));
  });
  app.addHook('onSend', async (_req, reply) => {
    if (draining) reply.header('connection', 'close');
  });

  app.addHook('onRequest', async (_req, reply) => {
    if (draining) {
      reply.header('connection', 'close');
      throw new ApiError('shutting_down', 'the service is draining for shutdown', 1);
    }
  });

  // Request targets longer than any route needs (Node's parser refuses beyond its 16 KB header
  // limit itself: clientErrorHandler above).
  app.addHook('onRequest', async (req) => {
    if (req.raw.url && req.raw.url.length > maxUrlBytes) throw new ApiError('uri_too_long', `the request target is longer than ${maxUrlBytes} bytes`);
  });

  // Tenants: API key in x-api-key or Authorization: Bearer; compared by hash, in constant time.
  // Registered on the /v1 scope only (as an onRequest hook: before any body byte is read).
  const authenticate = async (req: FastifyRequest): Promise<void> => {
    const header = req.headers['x-api-key'] ?? (req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined);
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new ApiError('unauthorized', 'API key required (x-api-key or Authorization: Bearer)');
    const known = knownKeys.get(key);
    if (known) {
      req.tenant = known;
      return;
    }
    const h = sha256Hex(key);
    const found = tenantKeys.find((x) => timingSafeEqual(x.hash, h));
    if (!found) throw new ApiError('unauthorized', 'unknown API key');
    if (knownKeys.size < 10_000) knownKeys.set(key, found.t);
    req.tenant = found.t;
  };

  // Per-tenant rate limits (per API node), after the tenant is known.
  const rateLimit = async (req: FastifyRequest): Promise<void> => {
    const t = req.tenant;
    if (!t) throw new ApiError('unauthorized', 'API key required'); // authenticate runs first; never reached
    if (!t.rateLimit) return;
    const wait = limiter.take(t.id, t.rateLimit);
    if (wait > 0) {
      metrics.rateLimited.inc({ tenant: tenantLabel(t.id) });
      throw new ApiError('rate_limited', `tenant rate limit of ${t.rateLimit.perSecond}/s reached`, wait);
    }
  };

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ route, outcome: req.outcome || (reply.statusCode < 400 ? 'ok' : 'error') }, reply.elapsedTime / 1000);
  });

  const sendError = (reply: FastifyReply, req: FastifyRequest, err: ApiError): FastifyReply => {
    req.outcome = err.code;
    countError(err.code);
    // Refused verifications are in the audit trail too (without a certificate). By the matched
    // route, never the raw URL (which may be spelled in many ways). Best effort: the answer is an
    // error either way; a batch that fails to commit is logged by the platform.
    const route = req.routeOptions.url;
    if (req.tenant && route?.startsWith('/v1/verify/')) platform.audit(req.tenant, route, err.code, null).catch(() => undefined);
    if (err.retryAfterSec) reply.header('retry-after', String(err.retryAfterSec));
    // Refused before its body was read (no key, too large …): Node would read and discard the
    // rest to keep the connection. Up to limits.bodyBytes that is cheap; beyond it, or of
    // unknown length (chunked), the connection closes instead.
    if (!req.raw.complete) {
      const length = Number(req.headers['content-length'] ?? NaN);
      if (!(length <= config.limits.bodyBytes)) reply.header('connection', 'close');
    }
    return reply.status(err.status).send({ code: err.code, message: err.message });
  };

  app.setErrorHandler((error: FastifyError | ApiError | PoolError | QueueError | StoreError | Error, req, reply) => {
    if (error instanceof ApiError) return sendError(reply, req, error);
    if (error instanceof PoolError || error instanceof QueueError || error instanceof StoreError) return sendError(reply, req, new ApiError(error.code, error.message, 1));
    const fe = error as FastifyError;
    if (fe.validation) return sendError(reply, req, new ApiError('bad_request', `${fe.validationContext ?? 'body'}${fe.message.replace(/^(body|querystring|params|headers)/, '')}`));
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, req, new ApiError('body_too_large', `body larger than ${req.routeOptions.bodyLimit ?? config.limits.bodyBytes} bytes`));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, req, new ApiError('unsupported_media_type', 'send application/json'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(reply, req, new ApiError('bad_request', fe.message));
    }
    if (fe.statusCode === 400) return sendError(reply, req, new ApiError('bad_request', 'body is not valid JSON'));
    req.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'unhandled error');
    return sendError(reply, req, new ApiError('internal', 'internal error'));
  });

  app.setNotFoundHandler((req, reply) => sendError(reply, req, new ApiError('not_found', `no route ${req.method} ${req.url.split('?')[0]}`)));

  /** Runs one item through the pool and maps input-level verdicts to typed 4xx errors. */
  const run = async (item: VerifyItem): Promise<ItemResult> => {
    const r = await verifier.verify(item);
    if (CODES[r.verdict.code].status !== 200) throw new ApiError(r.verdict.code, r.verdict.detail);
    return r;
  };

  /** The answer for this tenant (presenter), counted and committed to the tenant's audit trail
   *  first: no verdict is answered without its record (a failed write is 503 store_unavailable). */
  const present = async (req: FastifyRequest, r: ItemResult): Promise<Record<string, unknown>> => {
    metrics.verdicts.inc({ kind: 'verdict', code: r.verdict.code });
    const [view] = await Promise.all([deps.present(req.tenant!, r), platform.audit(req.tenant!, req.routeOptions.url ?? 'unmatched', r.verdict.code, r.certificate?.fingerprint ?? null)]);
    return view;
  };

  const challengeVerdict = (code: 'challenge_unknown' | 'challenge_expired' | 'challenge_replayed'): ItemResult => ({
    verdict: verdict(code, -1, CODES[code].doc),
    certificate: null,
  });

  /** The item to verify, or the answer already (its challenge is unknown, expired or used). */
  const authInput = async (tenant: TenantConfig, b: AuthBody, now: number): Promise<VerifyItem | ItemResult> => {
    const cert = decodeCertificate(b.certificate, 'certificate');
    const signature = decodeBase64(b.signature, 'signature');
    const ch = await challenges.consume(b.challengeId, tenant.id, now);
    if (!ch.ok) return challengeVerdict(ch.code);
    return { kind: 'auth', time: now, cert, challenge: ch.challenge, signature, hash: b.digestAlgorithm ?? 'sha256' };
  };

  const signatureInput = (b: SignatureBody, now: number): VerifyItem => {
    const cert = decodeCertificate(b.certificate, 'certificate');
    const signature = decodeBase64(b.signature, 'signature');
    if ((b.data === undefined) === (b.digest === undefined)) throw new ApiError('bad_request', 'give exactly one of data and digest');
    let time = now;
    if (b.at !== undefined) {
      time = Date.parse(b.at);
      if (Number.isNaN(time)) throw new ApiError('bad_request', 'at must be an ISO 8601 time');
    }
    const hash = b.digestAlgorithm ?? 'sha256';
    return b.digest !== undefined
      ? { kind: 'signature', time, cert, digest: decodeBase64(b.digest, 'digest'), signature, hash }
      : { kind: 'signature', time, cert, data: decodeBase64(b.data!, 'data'), signature, hash };
  };

  const authItem = async (tenant: TenantConfig, b: AuthBody, now: number): Promise<ItemResult> => {
    const x = await authInput(tenant, b, now);
    return 'kind' in x ? run(x) : x;
  };

  const signatureItem = (b: SignatureBody, now: number): Promise<ItemResult> => run(signatureInput(b, now));

  const record = (req: FastifyRequest, r: ItemResult): void => {
    req.outcome = r.verdict.status;
  };

  // ---- /v1: every route here passes the API key check and the tenant's rate limit first ----
  void app.register(
    async (v1) => {
      v1.addHook('onRequest', authenticate);
      v1.addHook('onRequest', rateLimit);

      v1.post('/challenges', { schema: schemas.challengeRoute }, async (req) => {
        const now = clock();
        const max = config.challenge.maxOutstandingPerTenant;
        const issued = await challenges.issue(req.tenant!.id, now, config.challenge.ttlSec * 1000, max);
        if (!issued.ok) throw new ApiError('too_many_challenges', `this tenant holds ${max} outstanding challenges (issued, not used, not expired)`, Math.ceil(issued.retryAfterMs / 1000));
        const c = issued.challenge;
        metrics.challengesIssued.inc();
        req.outcome = 'ok';
        return { challengeId: c.challengeId, challenge: Buffer.from(c.challenge).toString('base64'), expiresAt: new Date(c.expiresAt).toISOString() };
      });

      v1.post<{ Body: AuthBody }>('/verify/auth', { schema: schemas.authRoute }, async (req) => {
        const r = await authItem(req.tenant!, req.body, clock());
        record(req, r);
        return present(req, r);
      });

      v1.post<{ Body: SignatureBody }>('/verify/signature', { schema: schemas.signatureRoute }, async (req) => {
        const r = await signatureItem(req.body, clock());
        record(req, r);
        return present(req, r);
      });

      v1.post<{ Body: { items: BatchItem[] } }>('/verify/batch', { schema: schemas.batchRoute }, async (req) => {
        const items = req.body.items;
        if (items.length > config.limits.batchItems) throw new ApiError('too_many_items', `at most ${config.limits.batchItems} items per batch`);
        const now = clock();
        const results = await Promise.all(
          items.map(async (it) => {
            try {
              return present(req, it.type === 'auth' ? await authItem(req.tenant!, it, now) : await signatureItem(it, now));
            } catch (err) {
              if (err instanceof ApiError && err.status < 500) return { error: { code: err.code, message: err.message } };
              throw err; // overload and worker failure fail the whole batch: retry it
            }
          }),
        );
        req.outcome = 'batch';
        return { results };
      });

      const jobView = (j: BulkJobRecord) => ({
        jobId: j.id,
        state: j.state,
        total: j.total,
        done: j.done,
        errors: j.errors,
        createdAt: new Date(j.createdAt).toISOString(),
        completedAt: j.completedAt === null ? null : new Date(j.completedAt).toISOString(),
      });

      v1.post<{ Body: { items: BatchItem[]; webhook?: string } }>('/jobs', { schema: schemas.jobCreateRoute, bodyLimit: config.jobs.maxBodyBytes }, async (req, reply) => {
        const { items, webhook } = req.body;
        if (items.length > config.jobs.maxItems) throw new ApiError('too_many_items', `at most ${config.jobs.maxItems} items per job`);
        if (webhook && !req.tenant!.webhookSecret) throw new ApiError('forbidden', 'webhooks need a webhookSecret in this tenant\'s configuration');
        // Scheme, allow-list and literal addresses now; resolved addresses again at every delivery.
        const refused = webhook ? refusedUrl(webhook, config.webhooks) : null;
        if (refused) throw new ApiError('bad_request', `webhook refused: ${refused}`);
        const now = clock();
        const prepared: BulkItem[] = [];
        for (const it of items) {
          try {
            const x = it.type === 'auth' ? await authInput(req.tenant!, it, now) : signatureInput(it, now);
            if ('kind' in x) prepared.push({ item: x });
            else prepared.push({ answer: { verdict: x.verdict, certificate: null }, error: false });
          } catch (err) {
            if (err instanceof ApiError && err.status < 500) prepared.push({ answer: { error: { code: err.code, message: err.message } }, error: true });
            else throw err;
          }
        }
        const job = await bulk.submit(req.tenant!, prepared, webhook ?? null, now);
        req.outcome = 'accepted';
        return reply.status(202).send(jobView(job));
      });

      v1.get<{ Params: { id: string }; Querystring: { offset?: string; limit?: string } }>('/jobs/:id', { schema: schemas.jobGetRoute }, async (req) => {
        const offset = Number(req.query.offset ?? 0);
        const limit = pageLimit(req.query.limit);
        const found = await bulk.get(req.tenant!, req.params.id, offset, limit);
        // Another tenant's job is as unknown as a job that never was.
        if (!found) throw new ApiError('not_found', 'no such job');
        req.outcome = 'ok';
        return { ...jobView(found.job), offset, results: found.results };
      });

      registerPlatformRoutes(v1, { config, platform, clock, authItem, signatureItem, present });
      registerPaymentRoutes(v1, { relay: deps.relay, metrics, clock, authItem });

      // What /readyz listed before it went public: CRL sources (file paths, URLs) and their dates.
      v1.get('/operator/crl', async (req) => {
        if (!req.tenant!.operator) throw new ApiError('forbidden', 'only the platform operator reads the CRL sources');
        req.outcome = 'ok';
        return { mode: config.mode, crl: verifier.crlStatus() };
      });
    },
    { prefix: '/v1' },
  );

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (req, reply) => {
    const reasons = [...(await verifier.notReady(clock())), ...(await deps.storesNotReady())];
    metrics.ready.set(reasons.length ? 0 : 1);
    if (reasons.length) {
      req.outcome = 'not_ready';
      // The reasons are fixed phrases today; anything path- or URL-like a future one carries is
      // cut here, as this endpoint answers anyone.
      const message = reasons.map((r) => r.replace(/\S*[/\\]\S*/g, '(source)')).join('; ');
      return reply.status(503).send({ code: 'not_ready' satisfies ApiCode, message });
    }
    // Public: status and mode only. The CRL sources are at GET /v1/operator/crl.
    return { status: 'ready', mode: config.mode };
  });

  // Tenants with a rate limit show a 0 before their first refusal.
  for (const t of config.tenants) if (t.rateLimit) metrics.rateLimited.inc({ tenant: tenantLabel(t.id) }, 0);

  app.get('/metrics', async (_req, reply) => {
    await verifier.scrape(metrics);
    for (const c of deps.relay.institutions()) metrics.institutionCircuitOpen.set({ institution: c.config.id }, c.circuit.current === 'closed' ? 0 : 1);
    // Readiness as a metric, fresh at every scrape (not only when something calls /readyz).
    metrics.ready.set((await verifier.notReady(clock())).length + (await deps.storesNotReady()).length ? 0 : 1);
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/openapi.json', async () => openApiDocument(config));

  return app;
}

