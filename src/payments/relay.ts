// The payment relay: a My Number Card authentication at a shop terminal or an ATM starts a credit,
// debit or ATM authorisation. The relay verifies the JPKI authentication first (a revoked or
// invalid card is declined before any institution hears of it), finds the linked card or account
// (several → the holder chooses), forwards the request to the institution that holds it — also
// when the ATM belongs to another bank — and returns the institution's decision. Every decision is
// audited; one idempotency key gives one decision.
//
// The payment card PIN arrives as `pinBlock`, encrypted by the terminal for the institution: the
// relay passes it through in memory and never logs, stores or hashes it (docs/payments.md).
import { createHash, randomUUID } from 'node:crypto';
import type { TenantConfig } from '../config.js';
import type { CardView, Platform } from '../platform/platform.js';
import { maskRef } from '../platform/platform.js';
import type { Card } from '../platform/store.js';
import type { ItemResult } from '../pool/messages.js';
import type { InstitutionClient } from './institution-client.js';

export type PaymentMethod = 'credit' | 'debit' | 'atm';

export interface PaymentRequest {
  readonly method: PaymentMethod;
  readonly terminalId: string;
  readonly amount: number;
  readonly currency: string;
  readonly cardRef?: string;
  readonly pinBlock?: string;
  readonly idempotencyKey: string;
}

export interface PaymentDecision {
  readonly decision: 'approved' | 'declined' | 'choose_card' | 'error';
  readonly code: string;
  readonly message?: string;
  readonly method: PaymentMethod;
  readonly amount: number;
  readonly currency: string;
  readonly conversionId?: string;
  readonly card?: CardView;
  readonly cards?: readonly CardView[];
  readonly institution?: string;
  readonly authorizationId?: string | null;
  readonly verdict?: { status: string; code: string };
}

/** Which linked cards or accounts can pay by each method. */
const KINDS: Record<PaymentMethod, readonly Card['kind'][]> = { credit: ['credit'], debit: ['debit'], atm: ['bank', 'debit'] };

const view = (c: Card): CardView => ({ id: c.id, institution: c.institution, kind: c.kind, label: c.label, masked: maskRef(c.accountRef) });

/** What makes two requests with one idempotency key the same request: everything but the PIN
 *  block (never hashed or stored) and the one-time challenge material. */
function fingerprint(r: PaymentRequest): string {
  return createHash('sha256').update(JSON.stringify([r.method, r.terminalId, r.amount, r.currency, r.cardRef ?? null])).digest('hex');
}

export interface RelayOptions {
  readonly idempotencyTtlMs: number;
}

export class PaymentRelay {
  private readonly clients: Map<string, InstitutionClient>;

  constructor(
    private readonly platform: Platform,
    clients: readonly InstitutionClient[],
    private readonly opts: RelayOptions,
  ) {
    this.clients = new Map(clients.map((c) => [c.config.id, c]));
  }

  institutions(): readonly InstitutionClient[] {
    return [...this.clients.values()];
  }

  /**
   * One authorisation. `verify` runs the JPKI authentication (and consumes the challenge) only
   * when this key has not been decided before. Returns the decision and whether it was a repeat.
   */
  async authorize(tenant: TenantConfig, req: PaymentRequest, verify: () => Promise<ItemResult>): Promise<{ decision: PaymentDecision; repeat: boolean }> {
    const fp = fingerprint(req);
    const prior = await this.platform.store.beginIdempotent(tenant.id, req.idempotencyKey, fp, this.opts.idempotencyTtlMs);
    if (prior.state !== 'new') {
      if (prior.fingerprint !== fp) return { decision: this.error(req, 'idempotency_conflict', 'this idempotency key was used for a different payment'), repeat: true };
      if (prior.state === 'pending') return { decision: this.error(req, 'idempotency_in_progress', 'a payment with this idempotency key is still being decided; retry shortly'), repeat: true };
      return { decision: JSON.parse(prior.response!) as PaymentDecision, repeat: true };
    }
    let decision: PaymentDecision;
    try {
      decision = await this.decide(tenant, req, verify);
    } catch (err) {
      await this.platform.store.releaseIdempotent(tenant.id, req.idempotencyKey).catch(() => undefined);
      throw err;
    }
    // A transport error is not a decision: the same key may try again (the institution answers a
    // repeat of an authorisation it did see with its first decision).
    if (decision.decision === 'error' && decision.code.startsWith('institution_')) await this.platform.store.releaseIdempotent(tenant.id, req.idempotencyKey);
    else await this.platform.store.finishIdempotent(tenant.id, req.idempotencyKey, fp, JSON.stringify(decision), this.opts.idempotencyTtlMs);
    return { decision, repeat: false };
  }

  private error(req: PaymentRequest, code: string, message: string): PaymentDecision {
    return { decision: 'error', code, message, method: req.method, amount: req.amount, currency: req.currency };
  }

  private async decide(tenant: TenantConfig, req: PaymentRequest, verify: () => Promise<ItemResult>): Promise<PaymentDecision> {
    const base = { method: req.method, amount: req.amount, currency: req.currency };
    const r = await verify();
    const verdict = { status: r.verdict.status, code: r.verdict.code };
    // The card holder is proven first: nothing goes to an institution for a card that is revoked,
    // expired, tampered with or of the wrong kind.
    if (r.verdict.status !== 'valid' || !r.certificate) return { ...base, decision: 'declined', code: `jpki_${r.verdict.code}`, verdict };
    const found = await this.platform.identify(tenant, r.certificate);
    const conversionId = found.conversionId;
    if (!found.link) return { ...base, decision: 'declined', code: 'not_linked', conversionId, verdict };
    const eligible = found.cards.filter((c) => KINDS[req.method].includes(c.kind));
    if (eligible.length === 0) return { ...base, decision: 'declined', code: 'no_eligible_card', conversionId, verdict };
    let card: Card | undefined;
    if (req.cardRef) {
      card = eligible.find((c) => c.id === req.cardRef);
      if (!card) return { ...base, decision: 'error', code: 'unknown_card', message: 'cardRef is not one of this holder\'s cards for this method', conversionId, verdict };
    } else if (eligible.length > 1) {
      return { ...base, decision: 'choose_card', code: 'choose_card', conversionId, cards: eligible.map(view), verdict };
    } else card = eligible[0];
    if ((req.method === 'debit' || req.method === 'atm') && !req.pinBlock) return { ...base, decision: 'error', code: 'pin_required', message: 'debit and ATM need the card PIN (pinBlock)', conversionId, card: view(card), verdict };
    const client = this.clients.get(card.institution);
    if (!client) return { ...base, decision: 'error', code: 'unknown_institution', message: `no institution ${card.institution} is configured`, conversionId, card: view(card), verdict };
    const out = await client.authorize({
      requestId: randomUUID(),
      idempotencyKey: `${tenant.id}:${req.idempotencyKey}`,
      method: req.method,
      accountRef: card.accountRef,
      amount: req.amount,
      currency: req.currency,
      terminalId: req.terminalId,
      acquirer: tenant.id,
      pinBlock: req.pinBlock ?? null,
    });
    const common = { ...base, conversionId, card: view(card), institution: card.institution, verdict };
    if (!out.ok) return { ...common, decision: 'error', code: out.code, message: out.detail };
    return { ...common, decision: out.answer.decision, code: out.answer.code, authorizationId: out.answer.authorizationId };
  }
}
