// http.checkResponses: every answer is checked against the schema its route documents for that
// status, before fastify's serializer (which would silently drop an undocumented field or coerce
// a wrong type) sees it. On in the test suites, so every test that drives the API also tests the
// contract; a mismatch answers 500 internal and logs which route, status and field.
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';

/** Thrown from the hook; the error handler answers it as internal (500). */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

export function registerResponseCheck(app: FastifyInstance, shared: readonly TSchema[]): void {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its function is the default export under Node's ESM interop.
  (formats as unknown as { default: (a: Ajv) => void }).default(ajv);
  for (const s of shared) ajv.addSchema(s);
  // route (method + url) → status → validator
  const checks = new Map<string, Map<number, ValidateFunction>>();
  const key = (method: string, url: string) => `${method} ${url}`;

  app.addHook('onRoute', (route) => {
    const response = (route.schema as { response?: Record<string, TSchema> } | undefined)?.response;
    if (!response) return;
    const byStatus = new Map<number, ValidateFunction>();
    for (const [status, schema] of Object.entries(response)) {
      // Headers are documentation of the response, not part of its body.
      const { headers: _headers, ...body } = schema as TSchema & { headers?: unknown };
      byStatus.set(Number(status), ajv.compile(body));
    }
    for (const m of [route.method].flat()) checks.set(key(m, route.url), byStatus);
  });

  app.addHook('preSerialization', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    // The error handler's own answer to a violation is not checked again.
    if (reply.statusCode === 500) return payload;
    const byStatus = checks.get(key(req.method, req.routeOptions.url ?? ''));
    if (!byStatus) return payload; // no route matched (404 of the router), or an undocumented route
    const check = byStatus.get(reply.statusCode);
    if (!check) throw new ContractViolation(`${req.method} ${req.routeOptions.url} answered ${reply.statusCode}, a status its schema does not document`);
    if (!check(payload)) {
      const where = (check.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      );
      throw new ContractViolation(`${req.method} ${req.routeOptions.url} ${reply.statusCode} breaks its schema: ${where.join('; ')}`);
    }
    return payload;
  });
}
