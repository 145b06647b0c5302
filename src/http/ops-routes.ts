// Operations: the public /healthz, /readyz, /metrics and /openapi.json, and the operator's
// GET /v1/operator/crl (the CRL sources and their dates, which /readyz no longer shows) and
// GET /v1/operator/trust (the root generations loaded).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { PaymentRelay } from '../payments/relay.js';
import type { Verifier } from '../verifier/verifier.js';
import type { TrustReport } from '../core/trust-anchors.js';
import { ApiError } from '../contract/codes.js';
import { crlRoute, healthRoute, metricsRoute, openapiRoute, readyRoute, trustRoute } from '../contract/ops.js';

export interface OpsRouteDeps {
  /** What /readyz names this process (embedded, queue, worker). */
  readonly mode: string;
  readonly metrics: Metrics;
  /** Why this process cannot serve now (verifier, stores, queue); empty when ready. Phrases
   *  without paths or URLs: /readyz answers anyone. */
  readonly notReady: () => Promise<string[]>;
  /** Sets the gauges a scrape reads fresh (pool, queue, circuits). */
  readonly refresh: () => Promise<void>;
  /** Serve /openapi.json (the process serves the API; its @fastify/swagger is registered). */
  readonly openapi?: boolean;
}

/** The public operations routes on `app`, the root instance (no API key): the same on an API
 *  node and on a queue worker's ops port. */
export function registerOpsRoutes(root: FastifyInstance, deps: OpsRouteDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { mode, metrics, notReady, refresh, openapi } = deps;

  app.get('/healthz', { schema: healthRoute }, async () => ({ status: 'ok' as const }));

  // The 503 is sent here, not through the error handler: readiness is not an error to count.
  app.get('/readyz', { schema: readyRoute }, async (req, reply) => {
    const reasons = await notReady();
    metrics.ready.set(reasons.length ? 0 : 1);
    if (reasons.length) {
      req.outcome = 'not_ready';
      // The reasons are fixed phrases today; anything path- or URL-like a future one carries is
      // cut here, as this endpoint answers anyone.
      const message = reasons.map((r) => r.replace(/\S*[/\\]\S*/g, '(source)')).join('; ');
      return reply.status(503).send({ code: 'not_ready', message });
    }
    // Public: status and mode only. The CRL sources are at GET /v1/operator/crl.
    return { status: 'ready' as const, mode };
  });

  app.get('/metrics', { schema: metricsRoute }, async (_req, reply) => {
    await refresh();
    // Readiness as a metric, fresh at every scrape (not only when something calls /readyz).
    metrics.ready.set((await notReady()).length ? 0 : 1);
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  if (openapi) app.get('/openapi.json', { schema: openapiRoute }, async () => root.swagger() as unknown as Record<string, unknown>);
}

/** The API node's readiness and scrape: its verifier, its stores, its institutions' circuits. */
export function apiOps(d: {
  config: Config;
  verifier: Verifier;
  metrics: Metrics;
  relay: PaymentRelay;
  storesNotReady: () => Promise<string[]>;
  clock: () => number;
}): OpsRouteDeps {
  return {
    mode: d.config.mode,
    metrics: d.metrics,
    notReady: async () => [...(await d.verifier.notReady(d.clock())), ...(await d.storesNotReady())],
    refresh: async () => {
      await d.verifier.scrape(d.metrics);
      for (const c of d.relay.institutions()) d.metrics.institutionCircuitOpen.set({ institution: c.config.id }, c.circuit.current === 'closed' ? 0 : 1);
    },
    openapi: true,
  };
}

export interface OperatorRouteDeps {
  readonly config: Pick<Config, 'mode'>;
  readonly verifier: Verifier;
  readonly trust: TrustReport;
}

/** Registers the operator's routes on `app`, the authenticated /v1 scope of server.ts. */
export function registerOperatorRoutes(scope: FastifyInstance, deps: OperatorRouteDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { config, verifier } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();

  // What /readyz listed before it went public: CRL sources (file paths, URLs) and their dates.
  app.get('/operator/crl', { schema: crlRoute }, async (req) => {
    if (!req.tenant!.operator) throw new ApiError('forbidden', 'only the platform operator reads the CRL sources');
    req.outcome = 'ok';
    const crl = verifier.crlStatus().map((c) => ({
      source: c.source,
      ...(c.thisUpdate !== null && { thisUpdate: iso(c.thisUpdate) }),
      ...(c.nextUpdate !== null && { nextUpdate: iso(c.nextUpdate) }),
      ...(c.crlNumber !== null && { crlNumber: c.crlNumber }),
    }));
    return { mode: config.mode, crl };
  });

  // The J-LIS root generations loaded per hierarchy, and what looks missing (docs/operations.md).
  app.get('/operator/trust', { schema: trustRoute }, async (req) => {
    if (!req.tenant!.operator) throw new ApiError('forbidden', 'only the platform operator reads the trust store');
    req.outcome = 'ok';
    return { mode: config.mode, ...deps.trust };
  });
}
