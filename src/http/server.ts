// The HTTP API (fastify): challenges, verifications, batch, jobs, platform and payment routes,
// health, readiness, metrics, OpenAPI. The shell stamps `now` once per request (the injected
// clock); the pool does the verification work. buildApp only composes; each concern is a module:
//   errors.ts          every error answer, from the code table (parser, router, handler, not found)
//   limits.ts          body, time and URL limits          drain.ts     draining for shutdown
//   auth.ts            API key and rate limit on the /v1 scope, and the guard that keeps every
//                      /v1 route inside it               request-metrics.ts  request durations
//   verify-routes.ts   challenges, verify/*, and the helpers the other /v1 routes verify with
//   job-routes.ts, platform-routes.ts, payment-routes.ts  the rest of /v1
//   ops-routes.ts      /healthz, /readyz, /metrics, /openapi.json, /v1/operator/crl
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChallengeStore } from '../challenges/store.js';
import type { Config, TenantConfig } from '../config/config.js';
import type { BulkJobs } from '../jobs/bulk-jobs.js';
import type { Metrics } from '../ops/metrics.js';
import type { PaymentRelay } from '../payments/relay.js';
import type { Platform } from '../platform/platform.js';
import type { Presenter } from '../platform/present.js';
import type { Verifier } from '../verifier/verifier.js';
import { AUTHENTICATED_PREFIX, registerAuthScopeGuard, registerTenantAuth } from './auth.js';
import { registerJsonBody } from './json-body.js';
import { registerDrain } from './drain.js';
import { clientErrorHandler, errorCounter, frameworkErrors, registerErrorHandlers } from './errors.js';
import { registerJobRoutes } from './job-routes.js';
import { limitOptions, registerUrlLimit } from './limits.js';
import { apiOps, registerOperatorRoutes, registerOpsRoutes } from './ops-routes.js';
import type { TrustReport } from '../core/trust-anchors.js';
import { registerPaymentRoutes } from './payment-routes.js';
import { registerPlatformRoutes } from './platform-routes.js';
import { registerRequestMetrics } from './request-metrics.js';
import { registerOpenApi, SHARED_SCHEMAS } from './openapi.js';
import { registerRequestIdEcho, RequestLog, requestId } from './request-log.js';
import { registerResponseCheck } from './response-check.js';
import { packageVersion } from '../ops/package-info.js';
import { registerVerifyRoutes, verification } from './verify-routes.js';

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
  /** The wall clock (ms) every handler stamps `now` from; service.ts injects its own. The only
   *  place src/http names Date.now is the default below. */
  readonly clock?: () => number;
  /** The root generations this node answers for (GET /v1/operator/trust). */
  readonly trust: TrustReport;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API-key check of the /v1 scope (auth.ts); null elsewhere. */
    tenant: TenantConfig | null;
    /** The outcome label of the request-duration metric (request-metrics.ts). */
    outcome: string;
  }
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const { config, verifier, bulk, platform, relay, challenges, metrics, storesNotReady } = deps;
  const clock = deps.clock ?? Date.now;
  const countError = errorCounter(metrics);

  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    // One line per request (request-log.ts); ids from x-request-id when sane.
    logController: new RequestLog({ logProbes: config.http.logProbes }),
    genReqId: requestId,
    ...limitOptions(config.limits),
    // While draining, requests on open connections get our typed shutting_down (drain.ts).
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    clientErrorHandler: clientErrorHandler(config.limits, countError),
    frameworkErrors: frameworkErrors(countError),
  });
  app.decorateRequest('tenant', null);
  app.decorateRequest('outcome', '');

  registerAuthScopeGuard(app); // first: it must see every route
  registerOpenApi(app, packageVersion()); // before any route: the document is made from them
  if (config.http.checkResponses) registerResponseCheck(app, SHARED_SCHEMAS); // likewise
  registerRequestIdEcho(app);
  registerDrain(app);
  registerUrlLimit(app, config.limits.maxUrlBytes);
  registerJsonBody(app);
  registerRequestMetrics(app, metrics);
  registerErrorHandlers(app, { bodyBytes: config.limits.bodyBytes, platform, countError });

  const verify = verification({ config, verifier, challenges, metrics, platform, present: deps.present });
  const { plan, authItem, signatureItem, present } = verify;

  // ---- /v1: every route here passes the API key check and the tenant's rate limit first ----
  void app.register(
    async (v1) => {
      registerTenantAuth(v1, { config, metrics });
      // One plugin per route group, each inside the authenticated scope (its hooks apply to them).
      await v1.register(async (g) => registerVerifyRoutes(g, { config, challenges, metrics, clock, verification: verify }));
      await v1.register(async (g) => registerJobRoutes(g, { config, bulk, clock, verification: verify }));
      await v1.register(async (g) => registerPlatformRoutes(g, { config, platform, clock, authItem, signatureItem, plan, present }));
      await v1.register(async (g) => registerPaymentRoutes(g, { relay, metrics, clock, authItem, plan }));
      await v1.register(async (g) => registerOperatorRoutes(g, { config, verifier, trust: deps.trust }));
    },
    { prefix: AUTHENTICATED_PREFIX },
  );

  // In a plugin, like every route: registered once @fastify/swagger is loaded, so it sees them.
  void app.register(async (ops) => registerOpsRoutes(ops, apiOps({ config, verifier, metrics, relay, storesNotReady, clock })));
  return app;
}
