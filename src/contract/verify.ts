// Contract of challenges and verifications: POST /v1/challenges, /v1/verify/{auth,signature,batch}.
import { Type, type Static } from 'typebox';
import { API_KEY, Base64, errorResponses, ItemError } from './common.js';
import { IsoTime, ref, StringEnum } from '../verifier/schema-kit.js';
import { ResultSchema } from '../verifier/wire.js';

const HASHES = ['sha256', 'sha384', 'sha512'] as const;
const DigestAlgorithm = StringEnum(HASHES, {
  description: 'hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)',
});
const CertificateField = Base64('end-entity certificate: base64 DER, or PEM', 'MIIFqDCCBJCgAwIBAgIE…');
const ChallengeId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', description: 'from POST /v1/challenges', examples: ['q3Vb7mX0TzK9aLp2sWn4Eg'] });

export const AuthBody = Type.Object(
  {
    certificate: CertificateField,
    challengeId: ChallengeId,
    signature: Base64('signature by the card over the challenge, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards)'),
    digestAlgorithm: Type.Optional(DigestAlgorithm),
  },
  { additionalProperties: false },
);
export type AuthBody = Static<typeof AuthBody>;

const signatureFields = {
  certificate: CertificateField,
  data: Type.Optional(Base64('the signed document, base64 (give data or digest)')),
  digest: Type.Optional(Base64('the document digest the client computed, base64 (give data or digest)')),
  digestAlgorithm: Type.Optional(DigestAlgorithm),
  signature: Base64('signature by the card, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards)'),
  at: Type.Optional(IsoTime('verify as of this time (e.g. the signing time); default now')),
};
export const SignatureBody = Type.Object(signatureFields, { additionalProperties: false });
export type SignatureBody = Static<typeof SignatureBody>;

export const BatchItem = Type.Union([
  Type.Object({ type: Type.Literal('auth'), ...AuthBody.properties }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('signature'), ...signatureFields }, { additionalProperties: false }),
]);
export type BatchItem = Static<typeof BatchItem>;
export const BatchItems = Type.Array(BatchItem, { minItems: 1 });

// What verifying an item can answer besides its verdict: unusable input (400), and the pool, the
// queue or the stores being unable to take it (503, with Retry-After).
export const VERIFY_ERRORS = [
  'malformed_base64',
  'malformed_certificate',
  'malformed_signature',
  'digest_mismatch',
  'overloaded',
  'worker_failed',
  'queue_unavailable',
  'queue_timeout',
  'job_failed',
  'store_unavailable',
] as const;

export const challengeRoute = {
  operationId: 'createChallenge',
  tags: ['verify'],
  summary: 'Issue a single-use challenge for the card to sign',
  description:
    '32 random bytes, usable once, only by this tenant, until `expiresAt` (challenge.ttlSec). At most challenge.maxOutstandingPerTenant issued, unused and unexpired per tenant.',
  security: API_KEY,
  response: {
    200: Type.Object(
      {
        challengeId: ChallengeId,
        challenge: Type.String({ description: 'the 32 bytes to sign, base64', examples: ['3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='] }),
        expiresAt: IsoTime('when the challenge stops being usable'),
      },
      { additionalProperties: false, description: 'a challenge' },
    ),
    ...errorResponses(['too_many_challenges', 'store_unavailable']),
  },
};

export const authRoute = {
  operationId: 'verifyAuth',
  tags: ['verify'],
  summary: '電子利用者証明: an authentication certificate and its signature over a challenge',
  description:
    'The verdict says which check decided, on which certificate (depth), against which CRL. A challenge that is unknown, expired or already used is a verdict too (challenge_unknown, challenge_expired, challenge_replayed).',
  security: API_KEY,
  body: AuthBody,
  response: { 200: ref(ResultSchema, { description: 'the verdict' }), ...errorResponses(VERIFY_ERRORS, { body: true }) },
};

export const signatureRoute = {
  operationId: 'verifySignature',
  tags: ['verify'],
  summary: '電子署名: a signing certificate and its signature over a document or digest',
  description: 'With the 基本4情報 (basicInfo) of a valid certificate for tenants entitled to it.',
  security: API_KEY,
  body: SignatureBody,
  response: { 200: ref(ResultSchema, { description: 'the verdict (+ 基本4情報 when entitled)' }), ...errorResponses(VERIFY_ERRORS, { body: true }) },
};

export const batchRoute = {
  operationId: 'verifyBatch',
  tags: ['verify'],
  summary: 'Several verifications in one request (limits.batchItems)',
  description:
    'One result or error per item, in order. An item that cannot be verified (malformed input) is an `error` item; overload and worker failure fail the whole batch (503): retry it.',
  security: API_KEY,
  body: Type.Object({ items: BatchItems }, { additionalProperties: false }),
  response: {
    200: Type.Object(
      { results: Type.Array(Type.Union([ref(ResultSchema), ref(ItemError)])) },
      { additionalProperties: false, description: 'one result or error per item, in order' },
    ),
    ...errorResponses([...VERIFY_ERRORS, 'too_many_items'], { body: true }),
  },
};
