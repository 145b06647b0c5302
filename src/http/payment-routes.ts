// POST /v1/payments/authorize: the credit / debit / ATM relay (src/payments/relay.ts). Decisions are
// answers (HTTP 200, `decision` says which); malformed requests are typed 4xx as everywhere. The
// relay writes the audit record (with the decision, in one transaction) before this answers.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../ops/metrics.js';
import type { PaymentRelay, PaymentRequest } from '../payments/relay.js';
import { ApiError } from './codes.js';
import { paymentSchemas } from './openapi.js';
import type { AuthBody, Verification } from './verify-routes.js';

interface AuthorizeBody extends PaymentRequest, AuthBody {}

export interface PaymentRouteDeps {
  readonly relay: PaymentRelay;
  readonly metrics: Metrics;
  readonly clock: () => number;
  readonly authItem: Verification['authItem'];
}

/** Registers the route on `app`, the authenticated /v1 scope of server.ts. */
export function registerPaymentRoutes(app: FastifyInstance, deps: PaymentRouteDeps): void {
  app.post<{ Body: AuthorizeBody }>(
    '/payments/authorize',
    { schema: paymentSchemas.authorize },
    async (req: FastifyRequest<{ Body: AuthorizeBody }>, reply) => {
      const tenant = req.tenant!;
      if (!tenant.linkedCards) throw new ApiError('forbidden', 'this tenant is not entitled to the payment relay (linkedCards)');
      const b = req.body;
      const out = await deps.relay.authorize(tenant, b, async () => {
        const r = await deps.authItem(tenant, b, deps.clock());
        deps.metrics.verdicts.inc({ kind: 'verdict', code: r.verdict.code });
        return r;
      });
      if (!out.repeat) deps.metrics.paymentDecisions.inc({ method: b.method, decision: out.decision.decision });
      if (out.retryAfterSec) reply.header('retry-after', String(out.retryAfterSec));
      req.outcome = out.decision.decision;
      return { ...out.decision, idempotencyKey: b.idempotencyKey, repeat: out.repeat };
    },
  );
}
