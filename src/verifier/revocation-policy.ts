// The revocation plan of one verification: which source decides and what happens when it cannot
// (revocation.* in the configuration), resolved for the tenant and the route, most specific first:
// the tenant's entry for the route, the tenant's own settings, the global entry for the route, the
// global settings. A payment above ocspAboveAmount escalates crl+ocsp to ask OCSP.
import type { Config, TenantConfig } from '../config/config.js';
import type { RevocationPlan } from '../core/revocation-plan.js';

type Level = { readonly mode: RevocationPlan['mode'] | null; readonly policy: RevocationPlan['policy'] | null; readonly ocspAboveAmount: number | null };

/** The plan for `tenant` on `route` (fastify's route URL, with or without the /v1 prefix). */
export function revocationPlan(
  config: Pick<Config, 'revocation'>,
  tenant: Pick<TenantConfig, 'revocation'> | null,
  route: string,
  payment?: { amount: number },
): RevocationPlan {
  const r = route.startsWith('/v1/') ? route.slice(3) : route;
  const g = config.revocation;
  const t = tenant?.revocation ?? null;
  const levels: Level[] = [];
  const tr = t?.routes.find((x) => x.route === r);
  if (tr) levels.push(tr);
  if (t) levels.push(t);
  const gr = g.routes.find((x) => x.route === r);
  if (gr) levels.push(gr);
  const pick = <K extends keyof Level>(k: K): Level[K] => {
    for (const l of levels) if (l[k] !== null) return l[k];
    return g[k];
  };
  const mode = pick('mode') ?? g.mode;
  const above = pick('ocspAboveAmount');
  return {
    mode,
    policy: pick('policy') ?? g.policy,
    escalate: mode === 'crl+ocsp' && payment !== undefined && above !== null && payment.amount > above,
  };
}
