// POST /v1/payments/authorize: the credit / debit / ATM relay (src/payments/relay.ts). Decisions are
// answers (HTTP 200, `decision` says which); malformed requests are typed 4xx as everywhere. The
// relay writes the audit record (with the decision, in one transaction) before this answers.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../ops/metrics.js';
import type { PaymentDecision, PaymentRelay } from '../payments/relay.js';
import type { CardView } from '../platform/platform.js';
import { ApiError } from '../contract/codes.js';
import { authorizeRoute } from '../contract/payments.js';
import type { Verification } from './verify-routes.js';

export interface PaymentRouteDeps {
  readonly relay: PaymentRelay;
  readonly metrics: Metrics;
  readonly clock: () => number;
  readonly authItem: Verification['authItem'];
}

// Decisions stored by earlier versions may carry nulls (authorizationId, a card's label); the
// contract omits what does not apply.
type Stored = Omit<PaymentDecision, 'authorizationId' | 'card' | 'cards'> & {
  authorizationId?: string | null;
  card?: CardView & { label?: string | null };
  cards?: readonly (CardView & { label?: string | null })[];
};
const card = ({ label, ...c }: CardView & { label?: string | null }): CardView => ({ ...c, ...(label != null && { label }) });
function decisionView({ authorizationId, card: one, cards, ...d }: Stored) {
  return { ...d, ...(authorizationId != null && { authorizationId }), ...(one && { card: card(one) }), ...(cards && { cards: cards.map(card) }) };
}

/** Registers the route on `app`, the authenticated /v1 scope of server.ts. */
export function registerPaymentRoutes(scope: FastifyInstance, deps: PaymentRouteDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/payments/authorize', { schema: authorizeRoute }, async (req, reply) => {
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
    return { ...decisionView(out.decision), idempotencyKey: b.idempotencyKey, repeat: out.repeat };
  });
}
