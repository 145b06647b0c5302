// Authentication is a property of the routes, never a test on the raw URL: every /v1 route is
// registered inside one encapsulated scope whose onRequest hooks check the API key and the
// tenant's rate limit, so whatever spelling of a path the router matches (percent-encoding,
// absolute-form targets …) reaches a /v1 handler only through those hooks. An onRoute guard
// refuses, at start, any /v1 route registered outside the scope.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config, TenantConfig } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import { ApiError } from '../contract/codes.js';
import { RateLimiter } from './rate-limit.js';

/** The scope prefix every authenticated route lives under. */
export const AUTHENTICATED_PREFIX = '/v1';

/** Refuses, at start, any /v1 route registered outside the authenticated scope (it would have no
 *  API-key check). Register on the root instance before any route. */
export function registerAuthScopeGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (/^\/v1(\/|$)/i.test(route.url) && route.prefix !== AUTHENTICATED_PREFIX)
      throw new Error(`route ${route.method} ${route.url} is outside the authenticated /v1 scope`);
  });
}

export interface TenantAuthDeps {
  readonly config: Pick<Config, 'tenants' | 'metrics'>;
  readonly metrics: Metrics;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Registers on `scope` (the /v1 scope) the API-key check and then the tenant's rate limit, as
 *  onRequest hooks: before any body byte is read. Sets req.tenant. */
export function registerTenantAuth(scope: FastifyInstance, deps: TenantAuthDeps): void {
  const { config, metrics } = deps;
  const limiter = new RateLimiter();
  const tenantLabel = (id: string): string => (config.metrics.tenantLabels ? id : 'all');
  const tenantKeys = config.tenants.map((t) => ({ t, hash: Buffer.from(t.apiKeySha256, 'hex') }));
  // Keys already matched, so each request does not hash again. Bounded: unknown keys never enter.
  const knownKeys = new Map<string, TenantConfig>();

  // Tenants: API key in x-api-key or Authorization: Bearer; compared by hash, in constant time.
  const authenticate = async (req: FastifyRequest): Promise<void> => {
    const header = req.headers['x-api-key'] ?? (req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined);
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new ApiError('unauthorized', 'API key required (x-api-key or Authorization: Bearer)');
    const known = knownKeys.get(key);
    if (known) {
      req.tenant = known;
      return;
    }
    const h = sha256(key);
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

  // Tenants with a rate limit show a 0 before their first refusal.
  for (const t of config.tenants) if (t.rateLimit) metrics.rateLimited.inc({ tenant: tenantLabel(t.id) }, 0);

  scope.addHook('onRequest', authenticate);
  scope.addHook('onRequest', rateLimit);
}
