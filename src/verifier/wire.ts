// The one JSON shape of a verification result, as the HTTP API, bulk jobs and the CLI print it:
// every time an ISO 8601 string, nothing that does not apply (no null or -1 sentinels: the field
// is absent), revocation always saying what happened (`not_checked` when no CRL data was given)
// and which source decided (a CRL, or an OCSP response).
// The core keeps epoch milliseconds and its own sentinels; this is where they become the
// contract. The schemas below are the contract itself (the OpenAPI components, the response
// serializers); the TypeScript types are derived from them, so the two cannot differ.
import { Type, type Static } from 'typebox';
import { REASON_NAMES } from '../core/crl.js';
import type { BasicFourInfo } from '../core/jpki.js';
import { OCSP_FAILURES, OCSP_FAILURE_CODES } from '../core/ocsp-failure.js';
import { VERDICT_CODES, type RevocationReport, type RevocationSource, type Verdict, type VerdictCode } from '../core/verdict.js';
import type { CertificateFacts } from '../core/verify.js';
import { IsoTime, ref, StringEnum } from './schema-kit.js';

export const CrlSourceSchema = Type.Object(
  {
    kind: Type.Literal('crl'),
    issuer: Type.String({ description: 'readable issuer name of the CRL', examples: ['OU=Japan Agency for Local Authority Information Systems, …'] }),
    crlNumber: Type.Optional(Type.String({ description: 'CRL number, hex; absent when the CRL has none', examples: ['2a'] })),
    thisUpdate: IsoTime('thisUpdate of the CRL'),
    nextUpdate: Type.Optional(IsoTime('nextUpdate of the CRL; absent when it gives none')),
  },
  { $id: 'CrlSource', additionalProperties: false, description: 'the CRL that decided the revocation status' },
);

export const OcspSourceSchema = Type.Object(
  {
    kind: Type.Literal('ocsp'),
    responder: Type.String({
      description: 'readable name of the signer: the issuing CA, or the responder it delegated to',
      examples: ['CN=OCSP Responder auth-gen3, OU=JPKI for user authentication, O=JPKI, C=JP'],
    }),
    url: Type.String({ description: 'the responder asked', examples: ['http://ocspauthnorm.jpki.go.jp'] }),
    producedAt: IsoTime('producedAt of the response'),
    thisUpdate: IsoTime('thisUpdate of the certificate’s status'),
    nextUpdate: Type.Optional(IsoTime('nextUpdate of the status; absent when the responder gives none')),
  },
  { $id: 'OcspSource', additionalProperties: false, description: 'the OCSP response that decided the revocation status' },
);

export const RevocationSourceSchema = Type.Union([ref(CrlSourceSchema), ref(OcspSourceSchema)], {
  $id: 'RevocationSource',
  description: 'the revocation data that decided: a CRL or an OCSP response (`kind`)',
});

export const RevocationSchema = Type.Object(
  {
    status: StringEnum(['good', 'revoked', 'stale', 'unknown', 'not_checked'], {
      description: 'not_checked: no CRL data was consulted (CLI without --crl); stale/unknown: see the verdict code',
    }),
    reason: Type.Optional(StringEnum(REASON_NAMES, { description: 'CRL reason code of a revoked certificate' })),
    revokedAt: Type.Optional(IsoTime('revocation time of a revoked certificate')),
    source: Type.Optional(ref(RevocationSourceSchema)),
    failure: Type.Optional(
      StringEnum(OCSP_FAILURE_CODES, {
        description: `why OCSP, when it had to decide, gave no status (the verdict is ocsp_unavailable, or passed under soft-fail): ${OCSP_FAILURE_CODES.map((c) => `${c}: ${OCSP_FAILURES[c]}`).join('; ')}`,
      }),
    ),
  },
  { $id: 'Revocation', additionalProperties: false },
);

export const VerdictSchema = Type.Object(
  {
    status: StringEnum(['valid', 'invalid', 'indeterminate']),
    code: StringEnum(Object.keys(VERDICT_CODES) as VerdictCode[], { description: 'which check decided (README: verdict codes)' }),
    depth: Type.Optional(
      Type.Integer({ minimum: 0, description: 'certificate concerned: 0 the end entity, 1 its issuer; absent when the verdict concerns no certificate' }),
    ),
    detail: Type.String({ description: 'what was compared; never personal data' }),
    revocation: ref(RevocationSchema),
  },
  {
    $id: 'Verdict',
    additionalProperties: false,
    examples: [
      {
        status: 'valid',
        code: 'ok',
        detail: VERDICT_CODES.ok[2],
        revocation: {
          status: 'good',
          source: { kind: 'crl', issuer: 'JPKI authentication root 2019', crlNumber: '2a', thisUpdate: '2026-12-02T00:00:00.000Z' },
        },
      },
    ],
  },
);

export const CertificateSchema = Type.Object(
  {
    kind: StringEnum(['authentication', 'signing', 'test', 'unknown']),
    serial: Type.Optional(Type.String({ pattern: '^[0-9a-f]+$', description: 'unsigned hex; delegate tenants only (personal data)' })),
    fingerprint: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the DER; delegate tenants only' })),
    handle: Type.Optional(Type.String({ description: 'proxy tenants: a per-tenant name for the certificate in place of serial and fingerprint' })),
    conversionId: Type.Optional(Type.String({ description: "this tenant's conversion ID of the holder (proxy tenants)" })),
    notBefore: Type.String({ description: 'ISO 8601: to the second for delegate tenants, the date only for proxy tenants' }),
    notAfter: Type.String({ description: 'as notBefore' }),
    issuerGeneration: Type.Optional(Type.Integer({ description: 'year the issuing J-LIS root generation began; absent when the issuer was not identified' })),
  },
  { $id: 'Certificate', additionalProperties: false },
);

export const BasicInfoSchema = Type.Object(
  {
    name: Type.String(),
    nameSubstitutes: Type.Union([Type.Array(Type.Boolean()), Type.Null()], { description: 'per character: a substitute character (代替文字)' }),
    gender: StringEnum(['male', 'female', 'not_applicable']),
    birthDate: Type.Object(
      { eraCode: Type.Integer(), era: Type.String({ examples: ['昭和'] }), iso: Type.String({ format: 'date', description: 'Gregorian date' }) },
      { additionalProperties: false },
    ),
    address: Type.String(),
    addressSubstitutes: Type.Union([Type.Array(Type.Boolean()), Type.Null()]),
    hasSubstitutes: Type.Boolean({ description: 'some character of the name or the address is a substitute: the text is not the register’s' }),
  },
  { $id: 'BasicInfo', additionalProperties: false, description: '基本4情報 of a valid signing certificate, for tenants entitled to it' },
);

export const ResultSchema = Type.Object(
  {
    verdict: ref(VerdictSchema),
    certificate: Type.Optional(ref(CertificateSchema, { description: 'absent when the certificate could not be read' })),
    basicInfo: Type.Optional(ref(BasicInfoSchema)),
  },
  { $id: 'Result', additionalProperties: false },
);

export const RESULT_SCHEMAS = [
  CrlSourceSchema,
  OcspSourceSchema,
  RevocationSourceSchema,
  RevocationSchema,
  VerdictSchema,
  CertificateSchema,
  BasicInfoSchema,
  ResultSchema,
];

export type RevocationView = Static<typeof RevocationSchema>;
export type VerdictView = Static<typeof VerdictSchema>;
export type CertificateView = Static<typeof CertificateSchema>;
export type ResultView = Static<typeof ResultSchema>;

/** Certificate facts, or a tenant's view of them (platform.publicFacts). */
export type CertificateInput = Pick<CertificateFacts, 'kind' | 'notBefore' | 'notAfter' | 'issuerGeneration'> &
  Partial<Pick<CertificateView, 'serial' | 'fingerprint' | 'handle' | 'conversionId'>>;

const iso = (ms: number): string => new Date(ms).toISOString();

function sourceView(s: RevocationSource): Static<typeof RevocationSourceSchema> {
  const next = s.nextUpdate !== null && { nextUpdate: iso(s.nextUpdate) };
  if (s.kind === 'ocsp') return { kind: 'ocsp', responder: s.responder, url: s.url, producedAt: iso(s.producedAt), thisUpdate: iso(s.thisUpdate), ...next };
  return { kind: 'crl', issuer: s.issuer, ...(s.crlNumber !== null && { crlNumber: s.crlNumber }), thisUpdate: iso(s.thisUpdate), ...next };
}

export function revocationView(r: RevocationReport): RevocationView {
  if (!r.checked) return { status: 'not_checked' };
  return {
    // pending is settled before any verdict is presented; were one to slip through, it is unknown.
    status: r.status === undefined || r.status === 'pending' ? 'unknown' : r.status,
    ...(r.reason !== undefined && { reason: r.reason }),
    ...(r.revokedAt !== undefined && { revokedAt: iso(r.revokedAt) }),
    ...(r.source && { source: sourceView(r.source) }),
    ...(r.failure !== undefined && { failure: r.failure }),
  };
}

export function verdictView(v: Verdict): VerdictView {
  return {
    status: v.status,
    code: v.code,
    ...(v.depth >= 0 && { depth: v.depth }),
    detail: v.detail,
    revocation: revocationView(v.revocation),
  };
}

/** Facts (or a tenant's view of them) without the fields that do not apply. */
export function certificateView(c: CertificateInput): CertificateView {
  return {
    kind: c.kind,
    ...(c.serial !== undefined && { serial: c.serial }),
    ...(c.fingerprint !== undefined && { fingerprint: c.fingerprint }),
    ...(c.handle !== undefined && { handle: c.handle }),
    ...(c.conversionId !== undefined && { conversionId: c.conversionId }),
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    ...(c.issuerGeneration !== null && { issuerGeneration: c.issuerGeneration }),
  };
}

function basicInfoView(b: BasicFourInfo): Static<typeof BasicInfoSchema> {
  return {
    ...b,
    nameSubstitutes: b.nameSubstitutes && [...b.nameSubstitutes],
    addressSubstitutes: b.addressSubstitutes && [...b.addressSubstitutes],
    birthDate: { ...b.birthDate },
  };
}

export function resultView(verdict: Verdict, certificate: CertificateInput | null, basicInfo?: BasicFourInfo | null): ResultView {
  return {
    verdict: verdictView(verdict),
    ...(certificate && { certificate: certificateView(certificate) }),
    ...(basicInfo && { basicInfo: basicInfoView(basicInfo) }),
  };
}
