// Operations: the public /healthz, /readyz, /metrics and /openapi.json, and the operator's
// GET /v1/operator/crl (the CRL sources and their dates, which /readyz no longer shows).
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { PaymentRelay } from '../payments/relay.js';
import type { Verifier } from '../verifier/verifier.js';
import { ApiError, type ApiCode } from './codes.js';
import { openApiDocument } from './openapi.js';

export interface OpsRouteDeps {
  readonly config: Config;
  readonly verifier: Verifier;
  readonly metrics: Metrics;
  readonly relay: PaymentRelay;
  /** Reasons this node cannot serve because a store it depends on (database, Redis) is down. */
  readonly storesNotReady: () => Promise<string[]>;
  readonly clock: () => number;
}

/** Registers the public routes on `app`, the root instance (no API key). */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsRouteDeps): void {
  const { config, verifier, metrics, relay, storesNotReady, clock } = deps;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (req, reply) => {
    const reasons = [...(await verifier.notReady(clock())), ...(await storesNotReady())];
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

  app.get('/metrics', async (_req, reply) => {
    await verifier.scrape(metrics);
    for (const c of relay.institutions()) metrics.institutionCircuitOpen.set({ institution: c.config.id }, c.circuit.current === 'closed' ? 0 : 1);
    // Readiness as a metric, fresh at every scrape (not only when something calls /readyz).
    metrics.ready.set((await verifier.notReady(clock())).length + (await storesNotReady()).length ? 0 : 1);
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/openapi.json', async () => openApiDocument(config));
}

export interface OperatorRouteDeps {
  readonly config: Pick<Config, 'mode'>;
  readonly verifier: Verifier;
}

/** Registers the operator's routes on `app`, the authenticated /v1 scope of server.ts. */
export function registerOperatorRoutes(app: FastifyInstance, deps: OperatorRouteDeps): void {
  const { config, verifier } = deps;

  // What /readyz listed before it went public: CRL sources (file paths, URLs) and their dates.
  app.get('/operator/crl', async (req) => {
    if (!req.tenant!.operator) throw new ApiError('forbidden', 'only the platform operator reads the CRL sources');
    req.outcome = 'ok';
    return { mode: config.mode, crl: verifier.crlStatus() };
  });
}
