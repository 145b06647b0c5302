// Contract of the operations routes: the public /healthz, /readyz, /metrics and /openapi.json (the
// same on an API node and a queue worker's ops port), and the operator's GET /v1/operator/crl and
// GET /v1/operator/trust.
import { Type } from 'typebox';
import { API_KEY, errorResponses, PUBLIC } from './common.js';
import { IsoTime, StringEnum } from '../verifier/schema-kit.js';

const Mode = StringEnum(['embedded', 'queue', 'worker'], { description: 'what this process is' });

export const healthRoute = {
  operationId: 'health',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  security: PUBLIC,
  response: {
    200: Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false, description: 'alive' }),
    ...errorResponses([], { public: true }),
  },
};

export const readyRoute = {
  operationId: 'ready',
  tags: ['operations'],
  summary: 'Readiness: trust store loaded, every CRL fresh, the stores reachable',
  description: 'Unauthenticated, so it says status and mode only; the reasons of a 503 name no file or URL (GET /v1/operator/crl has the sources).',
  security: PUBLIC,
  response: {
    200: Type.Object({ status: Type.Literal('ready'), mode: Mode }, { additionalProperties: false, description: 'ready' }),
    ...errorResponses(['not_ready'], { public: true }),
  },
};

export const metricsRoute = {
  operationId: 'metrics',
  tags: ['operations'],
  summary: 'Prometheus metrics (text exposition format)',
  security: PUBLIC,
  response: {
    200: {
      description: 'the metrics',
      content: { 'text/plain': { schema: Type.String({ description: 'Prometheus text exposition format, version 0.0.4' }) } },
    },
    ...errorResponses([], { public: true }),
  },
};

export const openapiRoute = {
  operationId: 'openapi',
  tags: ['operations'],
  summary: 'This document',
  security: PUBLIC,
  response: {
    200: Type.Object({}, { additionalProperties: true, description: 'the OpenAPI 3.1 document of this API' }),
    ...errorResponses([], { public: true }),
  },
};

export const crlRoute = {
  operationId: 'operatorCrl',
  tags: ['operations'],
  summary: 'Operator tenants only: the CRL sources this node holds, with their dates',
  description: 'Empty on a queue-mode API node (the workers hold the CRLs; each worker’s ops port /readyz says whether they are fresh).',
  security: API_KEY,
  response: {
    200: Type.Object(
      {
        mode: Mode,
        crl: Type.Array(
          Type.Object(
            {
              source: Type.String({ description: 'file path or URL as configured in crl.sources' }),
              thisUpdate: Type.Optional(IsoTime('of the newest CRL loaded from it; absent before the first load')),
              nextUpdate: Type.Optional(IsoTime('of that CRL; absent when it gives none')),
              crlNumber: Type.Optional(Type.String()),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false, description: 'the CRL sources' },
    ),
    ...errorResponses(['forbidden']),
  },
};

export const trustRoute = {
  operationId: 'operatorTrust',
  tags: ['operations'],
  summary: 'Operator tenants only: the J-LIS root generations this node loaded per hierarchy, and what looks missing',
  description:
    'Root certificates are public. A warning names a hierarchy without roots or a generation loaded for one hierarchy only (J-LIS publishes every generation of both: https://www.jpki.go.jp/ca/index.html). The same report is logged at start.',
  security: API_KEY,
  response: {
    200: Type.Object(
      {
        mode: Mode,
        anchors: Type.Array(
          Type.Object(
            {
              hierarchy: StringEnum(['signing', 'authentication', 'test', 'other']),
              generation: Type.Integer({ description: 'year the root is valid from (2015, 2019, 2023 …)' }),
              subject: Type.String(),
              serial: Type.String({ description: 'hex' }),
              key: Type.String({ description: 'e.g. RSA 2048, EC P-384' }),
              notBefore: IsoTime('start of validity'),
              notAfter: IsoTime('end of validity'),
              expired: Type.Boolean(),
              fingerprint: Type.String({ description: 'SHA-256 of the DER, hex' }),
            },
            { additionalProperties: false },
          ),
        ),
        generations: Type.Object(
          { signing: Type.Array(Type.Integer()), authentication: Type.Array(Type.Integer()) },
          { additionalProperties: false, description: 'generations loaded per JPKI hierarchy, oldest first' },
        ),
        warnings: Type.Array(Type.String(), { description: 'a hierarchy without roots, a generation loaded for one hierarchy only' }),
      },
      { additionalProperties: false, description: 'the trust anchors' },
    ),
    ...errorResponses(['forbidden']),
  },
};
