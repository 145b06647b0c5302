// Contract of the platform functions: linking (紐付管理), change confirmation (変更確認), the audit
// trail and the operator's J-LIS link-data import.
import { Type } from 'typebox';
import { API_KEY, errorResponses, IdParams, PageQuery } from './common.js';
import { IsoTime, ref, StringEnum } from '../verifier/schema-kit.js';
import { ResultSchema, VerdictSchema } from '../verifier/wire.js';
import { AuthBody, SignatureBody, VERIFY_ERRORS } from './verify.js';

const CustomerRef = Type.String({ minLength: 1, maxLength: 128, description: "the tenant's own customer id", examples: ['customer-0042'] });
const Next = Type.Union([Type.String(), Type.Null()], { description: 'cursor of the next page; null on the last page' });

export const CardInput = Type.Object(
  {
    institution: Type.String({ minLength: 1, maxLength: 64, description: 'configured institution id (bank, card company)', examples: ['demo-bank'] }),
    kind: StringEnum(['credit', 'debit', 'bank']),
    accountRef: Type.String({ minLength: 4, maxLength: 64, description: 'what the institution knows the card or account by; shown only masked' }),
    label: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const Card = Type.Object(
  {
    id: Type.String({ description: 'cardRef of payment requests', examples: ['card_7QpW2zXk'] }),
    institution: Type.String(),
    kind: StringEnum(['credit', 'debit', 'bank']),
    label: Type.Optional(Type.String()),
    masked: Type.String({ description: 'the account reference with all but its last four characters hidden', examples: ['************1111'] }),
  },
  { $id: 'Card', additionalProperties: false },
);

export const Link = Type.Object(
  {
    conversionId: Type.String({ description: "this tenant's ID of the holder (ID conversion: never the serial)" }),
    customerRef: CustomerRef,
    cards: Type.Array(ref(Card)),
    createdAt: IsoTime('when the link was made'),
    updatedAt: IsoTime('when it last changed'),
    serial: Type.Optional(Type.String({ description: 'delegate tenants only' })),
  },
  { $id: 'Link', additionalProperties: false },
);

export const Watch = Type.Object(
  {
    watchId: Type.String(),
    conversionId: Type.String(),
    customerRef: Type.Optional(CustomerRef),
    status: StringEnum(['good', 'revoked', 'unknown']),
    reason: Type.Optional(Type.String({ description: 'CRL reason of a revoked certificate' })),
    registeredAt: IsoTime('when the watch was registered'),
    checkedAt: IsoTime('when the certificate was last checked against new CRL data'),
    serial: Type.Optional(Type.String({ description: 'delegate tenants only' })),
    fingerprint: Type.Optional(Type.String({ description: 'delegate tenants only' })),
    handle: Type.Optional(Type.String({ description: 'proxy tenants: a per-tenant name for the certificate' })),
  },
  { $id: 'Watch', additionalProperties: false },
);

export const Change = Type.Object(
  {
    cursor: Type.String(),
    watchId: Type.String(),
    conversionId: Type.String(),
    customerRef: Type.Optional(CustomerRef),
    from: StringEnum(['good', 'revoked', 'unknown']),
    to: StringEnum(['good', 'revoked', 'unknown']),
    reason: Type.Optional(Type.String()),
    action: StringEnum(['ask_customer_to_update_details', 'stop_using_certificate', 'none'], {
      description: 'affiliationChanged: the 基本4情報 changed, ask the customer to update their details',
    }),
    revokedAt: Type.Optional(IsoTime('revocation time')),
    crl: Type.Optional(
      Type.Object(
        {
          issuer: Type.String(),
          crlNumber: Type.Optional(Type.String()),
          thisUpdate: IsoTime('thisUpdate of the CRL that showed the change'),
        },
        { additionalProperties: false },
      ),
    ),
    at: IsoTime('when the change was seen'),
  },
  { $id: 'Change', additionalProperties: false },
);

const EnrolBody = Type.Object(
  {
    ...AuthBody.properties,
    customerRef: CustomerRef,
    cards: Type.Optional(Type.Array(CardInput, { maxItems: 16 })),
    signing: Type.Optional(SignatureBody),
  },
  { additionalProperties: false },
);

const LINKING = ['forbidden', 'store_unavailable'] as const;

export const enrolRoute = {
  operationId: 'createLink',
  tags: ['platform'],
  summary: '紐付管理: link a verified authentication to a customer and cards',
  description: 'Plus, with `signing`, a signing certificate registered for change confirmation. Tenants with linkedCards only.',
  security: API_KEY,
  body: EnrolBody,
  response: {
    201: Type.Object(
      { verdict: ref(VerdictSchema), link: ref(Link), watch: Type.Optional(ref(Watch)) },
      { additionalProperties: false, description: 'the link (cards masked), and the watch when signing was given' },
    ),
    ...errorResponses([...VERIFY_ERRORS, ...LINKING, 'not_verified', 'already_linked'], { body: true }),
  },
};

export const identifyRoute = {
  operationId: 'identifyLink',
  tags: ['platform'],
  summary: 'Verify an authentication and find its link',
  description: 'next: linked | choose_card (several cards) | not_linked | rejected (the verdict is not valid).',
  security: API_KEY,
  body: AuthBody,
  response: {
    200: Type.Object(
      {
        ...ResultSchema.properties,
        conversionId: Type.Optional(Type.String()),
        link: Type.Optional(ref(Link)),
        next: StringEnum(['linked', 'choose_card', 'not_linked', 'rejected']),
      },
      { additionalProperties: false, description: 'the verdict, and the link of a valid authentication' },
    ),
    ...errorResponses([...VERIFY_ERRORS, ...LINKING], { body: true }),
  },
};

export const listLinksRoute = {
  operationId: 'listLinks',
  tags: ['platform'],
  summary: "The tenant's links, a page at a time",
  security: API_KEY,
  querystring: PageQuery,
  response: {
    200: Type.Object({ links: Type.Array(ref(Link)), next: Next }, { additionalProperties: false, description: 'a page of links' }),
    ...errorResponses(LINKING),
  },
};

export const getLinkRoute = {
  operationId: 'getLink',
  tags: ['platform'],
  summary: 'One link by conversion ID',
  security: API_KEY,
  params: IdParams,
  response: { 200: ref(Link, { description: 'the link' }), ...errorResponses([...LINKING, 'not_found']) },
};

export const deleteLinkRoute = {
  operationId: 'deleteLink',
  tags: ['platform'],
  summary: 'Unlink a customer',
  security: API_KEY,
  params: IdParams,
  response: { 204: Type.Null({ description: 'unlinked' }), ...errorResponses([...LINKING, 'not_found']) },
};

export const watchRoute = {
  operationId: 'createWatch',
  tags: ['platform'],
  summary: '変更確認: register a signing certificate (with a signature it made) for change confirmation',
  security: API_KEY,
  body: Type.Object({ ...SignatureBody.properties, customerRef: Type.Optional(CustomerRef) }, { additionalProperties: false }),
  response: { 201: ref(Watch, { description: 'the watch' }), ...errorResponses([...VERIFY_ERRORS, ...LINKING, 'not_verified'], { body: true }) },
};

export const getWatchRoute = {
  operationId: 'getWatch',
  tags: ['platform'],
  summary: 'One watch',
  security: API_KEY,
  params: IdParams,
  response: { 200: ref(Watch, { description: 'the watch' }), ...errorResponses([...LINKING, 'not_found']) },
};

export const deleteWatchRoute = {
  operationId: 'deleteWatch',
  tags: ['platform'],
  summary: 'Stop watching a certificate',
  security: API_KEY,
  params: IdParams,
  response: { 204: Type.Null({ description: 'removed' }), ...errorResponses([...LINKING, 'not_found']) },
};

export const changesRoute = {
  operationId: 'listChanges',
  tags: ['platform'],
  summary: 'Status changes of watched certificates, oldest first, from a cursor',
  security: API_KEY,
  querystring: PageQuery,
  response: {
    200: Type.Object({ changes: Type.Array(ref(Change)), next: Next }, { additionalProperties: false, description: 'a page of changes' }),
    ...errorResponses(LINKING),
  },
};

export const auditRoute = {
  operationId: 'listAudit',
  tags: ['platform'],
  summary: "The tenant's audit trail, oldest first, from a cursor",
  security: API_KEY,
  querystring: PageQuery,
  response: {
    200: Type.Object(
      {
        records: Type.Array(
          Type.Object(
            {
              cursor: Type.String(),
              at: IsoTime('when the answer was given'),
              route: Type.String({ examples: ['/v1/verify/auth'] }),
              code: Type.String({ description: 'verdict or error code; payments: decision:code' }),
              certificate: Type.Optional(Type.String({ description: 'fingerprint (delegate tenants) or handle (proxy tenants)' })),
            },
            { additionalProperties: false },
          ),
        ),
        next: Next,
      },
      { additionalProperties: false, description: 'a page of audit records' },
    ),
    ...errorResponses(['store_unavailable']),
  },
};

export const linkDataRoute = {
  operationId: 'importLinkData',
  tags: ['platform'],
  summary: 'Operator: import J-LIS link data (renewals, signing ↔ authentication pairs)',
  description: 'text/csv with type,from,to lines, or JSON {records: [{type, from, to}]}.',
  security: API_KEY,
  consumes: ['application/json', 'text/csv'],
  body: Type.Union([
    Type.Object(
      {
        records: Type.Array(
          Type.Object(
            { type: StringEnum(['renewal', 'pair']), from: Type.String(), to: Type.String() },
            { additionalProperties: false, description: 'renewal: from the old serial to the new one; pair: signing serial to authentication serial' },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    Type.String({ description: 'CSV: type,from,to per line' }),
  ]),
  response: {
    200: Type.Object(
      {
        records: Type.Integer({ minimum: 0 }),
        renewals: Type.Integer({ minimum: 0 }),
        pairs: Type.Integer({ minimum: 0 }),
        skipped: Type.Integer({ minimum: 0 }),
        conflicts: Type.Integer({ minimum: 0, description: 'serials already used on their own, which keep their conversion IDs' }),
      },
      { additionalProperties: false, description: 'the import report' },
    ),
    ...errorResponses(['forbidden', 'bad_link_data', 'store_unavailable'], { body: true }),
  },
};

export const PLATFORM_SCHEMAS = [Card, Link, Watch, Change];
