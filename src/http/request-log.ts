// One log line per request, written when the answer is sent: request id, method, the matched
// route pattern (never the raw URL, which can carry ids), status, outcome, tenant and duration.
// Probes and scrapes (/healthz, /readyz, /metrics) write none unless http.logProbes. The request
// id is the caller's x-request-id when it is a sane token, else a new UUID; it is echoed on the
// answer so a relay can join its logs with ours.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** fastify's genReqId: the caller's x-request-id if it is a token of ≤ 128 safe characters. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/** fastify's own request lines replaced by one line at completion. */
export class RequestLog extends LogController {
  constructor(private readonly opts: { logProbes: boolean }) {
    super({ requestIdLogLabel: 'reqId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, req: FastifyRequest, reply: FastifyReply): void {
    const route = req.routeOptions.url;
    if (!this.opts.logProbes && route !== undefined && PROBES.has(route)) return;
    const line = {
      method: req.method,
      route: route ?? 'unmatched',
      status: reply.statusCode,
      outcome: req.outcome || undefined,
      tenant: req.tenant?.id,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: { type: error.name, message: error.message } }, 'request');
    else reply.log.info(line, 'request');
  }
}

/** Echoes the request id on every answer. */
export function registerRequestIdEcho(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
}
