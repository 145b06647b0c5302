// Contract of the payment relay: POST /v1/payments/authorize. Decisions are answers (HTTP 200,
// `decision` says which); malformed requests are typed 4xx as everywhere.
import { Type } from 'typebox';
import { API_KEY, errorResponses } from './common.js';
import { ref, StringEnum } from '../verifier/schema-kit.js';
import { Card } from './platform.js';
import { AuthBody, VERIFY_ERRORS } from './verify.js';

const Method = StringEnum(['credit', 'debit', 'atm']);

export const PaymentDecision = Type.Object(
  {
    decision: StringEnum(['approved', 'declined', 'choose_card', 'error'], {
      description: 'choose_card: several cards fit; ask the holder and repeat with cardRef (same idempotencyKey). error: see code; retry where it says',
    }),
    code: Type.String({
      description:
        "the institution's code, or the relay's: jpki_<verdict code> (the holder's card failed), not_linked, no_eligible_card, choose_card, unknown_card, pin_required, unknown_institution, idempotency_conflict, idempotency_in_progress, institution_timeout, institution_unavailable, institution_error, institution_refused_<HTTP status> (a signed 400/404/422: a decline)",
      examples: ['approved'],
    }),
    message: Type.Optional(Type.String()),
    method: Method,
    amount: Type.Integer({ minimum: 1 }),
    currency: Type.String({ examples: ['JPY'] }),
    conversionId: Type.Optional(Type.String({ description: "this tenant's ID of the holder" })),
    card: Type.Optional(ref(Card)),
    cards: Type.Optional(Type.Array(ref(Card), { description: 'choose_card: the cards that fit this method' })),
    institution: Type.Optional(Type.String()),
    authorizationId: Type.Optional(Type.String({ description: "the institution's authorisation id of an approval" })),
    verdict: Type.Optional(
      Type.Object({ status: Type.String(), code: Type.String() }, { additionalProperties: false, description: 'the JPKI verdict of the holder' }),
    ),
    idempotencyKey: Type.String(),
    repeat: Type.Boolean({ description: 'true: this key was decided before; this is that decision, unchanged' }),
  },
  { $id: 'PaymentDecision', additionalProperties: false },
);

export const authorizeRoute = {
  operationId: 'authorizePayment',
  tags: ['payments'],
  summary: 'Credit / debit / ATM authorisation started with the My Number Card',
  description:
    'JPKI authentication first (every request, repeats included), then the linked card, then the institution. At most once per idempotencyKey: a retry of a key gets the first decision (repeat: true); the same key for another payment or holder is idempotency_conflict.',
  security: API_KEY,
  body: Type.Object(
    {
      ...AuthBody.properties,
      method: Method,
      terminalId: Type.String({ minLength: 1, maxLength: 64 }),
      amount: Type.Integer({ minimum: 1, maximum: 100_000_000, description: "in the currency's minor unit (JPY: yen)", examples: [1200] }),
      currency: Type.String({ pattern: '^[A-Z]{3}$', examples: ['JPY'] }),
      cardRef: Type.Optional(Type.String({ pattern: '^card_[A-Za-z0-9_-]{1,32}$', description: 'the card chosen after a choose_card answer' })),
      pinBlock: Type.Optional(
        Type.String({
          minLength: 8,
          maxLength: 512,
          description: 'the payment card PIN, encrypted by the terminal for the institution; opaque to the relay, never logged or stored',
        }),
      ),
      idempotencyKey: Type.String({ pattern: '^[A-Za-z0-9_.:-]{8,128}$', examples: ['shop42:2026-12-02:000123'] }),
    },
    { additionalProperties: false },
  ),
  response: {
    200: ref(PaymentDecision, { description: 'the decision (Retry-After on idempotency_in_progress and institution errors)' }),
    ...errorResponses([...VERIFY_ERRORS, 'forbidden'], { body: true }),
  },
};
