// The payment relay: a My Number Card authentication at a shop terminal or an ATM starts a credit,
// debit or ATM authorisation. The relay verifies the JPKI authentication first (a revoked or
// invalid card is declined before any institution hears of it), finds the linked card or account
// (several → the holder chooses), forwards the request to the institution that holds it — also
// when the ATM belongs to another bank — and returns the institution's decision.
//
// Money moves at most once per idempotency key:
// - The key's record is bound to the request, holder included (its conversion ID), and checked
//   after the JPKI check: a repeat by another holder, or for another payment, is
//   idempotency_conflict, never a replay of the stored decision.
// - The record is `pending` (with the account and the institution's idempotency key) in the
//   database before the institution is called. A retry of a pending key whose call deadline has
//   passed (the relay crashed, or the call failed) asks the institution again with the same key
//   and records its answer: the institution answers a repeat with its first decision.
// - The decision and its audit record are committed together before the answer.
//
// The payment card PIN arrives as `pinBlock`, encrypted by the terminal for the institution: the
// relay passes it through in memory and never logs, stores or hashes it (docs/payments.md).
import { createHash, randomUUID } from 'node:crypto';
import type { TenantConfig } from '../config/config.js';
import type { CardView, Platform } from '../platform/platform.js';
import { cardView, maskRef } from '../platform/platform.js';
import type { Card, PaymentCall, PaymentRecord } from '../platform/store.js';
import type { ItemResult } from '../verifier/messages.js';
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
  readonly authorizationId?: string;
  readonly verdict?: { status: string; code: string };
}

/** Which linked cards or accounts can pay by each method. */
const KINDS: Record<PaymentMethod, readonly Card['kind'][]> = { credit: ['credit'], debit: ['debit'], atm: ['bank', 'debit'] };

/** What makes two requests with one idempotency key the same payment: the holder (conversion ID,
 *  stable across renewals), method, amount, currency and terminal. Not the card choice (the
 *  choose_card flow repeats the key with a cardRef), the PIN block (never hashed or stored) or the
 *  one-time challenge material. */
function requestFingerprint(r: PaymentRequest, conversionId: string): string {
  return createHash('sha256')
    .update(JSON.stringify([conversionId, r.method, r.terminalId, r.amount, r.currency]))
    .digest('hex');
}

export interface RelayOptions {
  readonly idempotencyTtlMs: number;
  /** Added to an institution's timeout for the call deadline: past it, a pending call is presumed
   *  over (the relay that made it crashed) and a retry asks again. */
  readonly callMarginMs: number;
}

export interface PaymentOutcome {
  readonly decision: PaymentDecision;
  /** The stored decision of an earlier request with this key. */
  readonly repeat: boolean;
  /** Retry later with the same key (the payment is being decided, or the call failed). */
  readonly retryAfterSec?: number;
}

const ROUTE = '/v1/payments/authorize';

/** Where an authorisation's time goes (jpki_payment_stage_seconds): the JPKI check, the link and
 *  idempotency lookup, the pending record's commit, the institution call, the decision's commit
 *  with its audit record. */
export type PaymentStage = 'verify' | 'lookup' | 'pending' | 'institution' | 'commit';

export class PaymentRelay {
  private readonly clients: Map<string, InstitutionClient>;

  constructor(
    private readonly platform: Platform,
    clients: readonly InstitutionClient[],
    private readonly opts: RelayOptions,
    private readonly clock: () => number,
    private readonly observeStage: (stage: PaymentStage, seconds: number) => void = () => {},
  ) {
    this.clients = new Map(clients.map((c) => [c.config.id, c]));
  }

  /** `run`, its time observed as `stage`. */
  private async timed<T>(stage: PaymentStage, run: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      this.observeStage(stage, (performance.now() - t0) / 1000);
    }
  }

  institutions(): readonly InstitutionClient[] {
    return [...this.clients.values()];
  }

  /** One authorisation. `verify` runs the JPKI authentication (consuming the challenge): every
   *  request, a repeat included, proves the holder before anything is answered. */
  async authorize(tenant: TenantConfig, req: PaymentRequest, verify: () => Promise<ItemResult>): Promise<PaymentOutcome> {
    const store = this.platform.store;
    const base = { method: req.method, amount: req.amount, currency: req.currency };
    const r = await this.timed('verify', verify);
    const verdict = { status: r.verdict.status, code: r.verdict.code };
    const fp = r.certificate?.fingerprint ?? null;
    const answer = async (decision: PaymentDecision, retryAfterSec?: number): Promise<PaymentOutcome> => {
      await this.timed('commit', () => this.platform.audit(tenant, ROUTE, `${decision.decision}:${decision.code}`, fp));
      return { decision, repeat: false, retryAfterSec };
    };
    // The card holder is proven first: nothing goes to an institution for a card that is revoked,
    // expired, tampered with or of the wrong kind, and no stored decision is shown to anyone else.
    if (r.verdict.status !== 'valid' || !r.certificate) return answer({ ...base, decision: 'declined', code: `jpki_${r.verdict.code}`, verdict });
    // The holder's link and the key's record in one round trip.
    const found = await this.timed('lookup', () => this.platform.identify(tenant, r.certificate!, { key: req.idempotencyKey, now: this.clock() }));
    const conversionId = found.conversionId;
    const requestFp = requestFingerprint(req, conversionId);
    const error = (code: string, message: string, extra: Partial<PaymentDecision> = {}): PaymentDecision => ({
      ...base,
      decision: 'error',
      code,
      message,
      conversionId,
      verdict,
      ...extra,
    });
    /** What a record in the way means for this request. */
    const inTheWay = async (rec: PaymentRecord): Promise<PaymentOutcome> => {
      const now = this.clock();
      if (rec.requestFp !== requestFp) return answer(error('idempotency_conflict', 'this idempotency key was used for a different payment or holder'));
      if (rec.state === 'done') {
        await this.platform.audit(tenant, ROUTE, 'repeat', fp);
        return { decision: JSON.parse(rec.decision!) as PaymentDecision, repeat: true };
      }
      const wait = rec.callDeadline !== null && rec.callDeadline > now ? Math.ceil((rec.callDeadline - now) / 1000) : 1;
      return answer(error('idempotency_in_progress', 'a payment with this idempotency key is being decided; retry with the same key'), Math.max(1, wait));
    };
    const auditOf = (d: PaymentDecision) => ({
      at: this.clock(),
      route: ROUTE,
      code: `${d.decision}:${d.code}`,
      certificate: fp === null ? null : this.platform.certificateHandle(tenant, fp),
    });
    const finish = async (decision: PaymentDecision, afterCall: boolean): Promise<PaymentOutcome> => {
      const out = await this.timed('commit', () =>
        store.finishPayment(tenant.id, req.idempotencyKey, requestFp, JSON.stringify(decision), auditOf(decision), {
          now: this.clock(),
          ttlMs: this.opts.idempotencyTtlMs,
          afterCall,
        }),
      );
      return 'stored' in out ? { decision, repeat: false } : inTheWay(out.record);
    };

    const rec = found.payment;
    // This request's own pending record past its deadline is taken over below; any other answers now.
    const takeover = rec?.state === 'pending' && rec.requestFp === requestFp && rec.callDeadline !== null && rec.callDeadline <= this.clock();
    if (rec && !takeover) return inTheWay(rec);

    // A call recorded earlier (pending past its deadline) is asked again as it was: same account,
    // same institution key, whatever card this retry names.
    let call: PaymentCall | null = rec?.call ?? null;
    if (!call) {
      if (!found.link) return finish({ ...base, decision: 'declined', code: 'not_linked', conversionId, verdict }, false);
      const eligible = found.cards.filter((c) => KINDS[req.method].includes(c.kind));
      if (eligible.length === 0) return finish({ ...base, decision: 'declined', code: 'no_eligible_card', conversionId, verdict }, false);
      // Choices and corrections store nothing: the same key comes back with them.
      let card: Card | undefined;
      if (req.cardRef) {
        card = eligible.find((c) => c.id === req.cardRef);
        if (!card) return answer(error('unknown_card', "cardRef is not one of this holder's cards for this method"));
      } else if (eligible.length > 1) {
        return answer({ ...base, decision: 'choose_card', code: 'choose_card', conversionId, cards: eligible.map(cardView), verdict });
      } else card = eligible[0];
      // The institution's key is new for every record: a key the relay reuses after its record
      // expired, or another tenant's key that spells the same, must never meet an old answer at
      // the institution. A retry of this record's pending call reuses it (startCall keeps it).
      call = { cardId: card.id, institution: card.institution, accountRef: card.accountRef, institutionKey: `pay_${randomUUID()}` };
    }
    const linked = found.cards.find((c) => c.id === call.cardId);
    const shown: CardView = linked
      ? cardView(linked)
      : { id: call.cardId, institution: call.institution, kind: req.method === 'credit' ? 'credit' : 'debit', masked: maskRef(call.accountRef) };
    const client = this.clients.get(call.institution);
    if (!client) return answer(error('unknown_institution', `no institution ${call.institution} is configured`, { card: shown }));
    if ((req.method === 'debit' || req.method === 'atm') && !req.pinBlock)
      return answer(error('pin_required', 'debit and ATM need the card PIN (pinBlock)', { card: shown }));

    // Durable before the call: from here a crash leaves a pending record that a retry resolves.
    const deadline = this.clock() + client.config.timeoutMs + this.opts.callMarginMs;
    const taken = await this.timed('pending', () =>
      store.startCall(tenant.id, req.idempotencyKey, requestFp, call, this.clock(), deadline, this.opts.idempotencyTtlMs),
    );
    if ('record' in taken) return inTheWay(taken.record);
    const held = taken.call;
    const out = await this.timed('institution', () =>
      client.authorize({
        requestId: randomUUID(),
        idempotencyKey: held.institutionKey,
        method: req.method,
        accountRef: held.accountRef,
        amount: req.amount,
        currency: req.currency,
        terminalId: req.terminalId,
        acquirer: tenant.id,
        pinBlock: req.pinBlock ?? null,
      }),
    );
    const common = { ...base, conversionId, card: shown, institution: held.institution, verdict };
    if (!out.ok) {
      // Not a decision: the institution may or may not have acted. The record stays pending with
      // its call; a retry with the same key asks again at once and gets the institution's answer.
      await store.endCall(tenant.id, req.idempotencyKey, this.clock());
      return answer({ ...common, decision: 'error', code: out.code, message: out.detail }, 1);
    }
    const { authorizationId } = out.answer;
    return finish({ ...common, decision: out.answer.decision, code: out.answer.code, ...(authorizationId !== null && { authorizationId }) }, true);
  }
}
