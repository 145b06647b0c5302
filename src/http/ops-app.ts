// The operations server of a process that serves no API (a queue worker's ops port): the same
// /healthz, /readyz and /metrics as an API node (ops-routes.ts), errors as {code, message}.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerOpsRoutes, type OpsRouteDeps } from './ops-routes.js';
import { registerRequestIdEcho, RequestLog, requestId } from './request-log.js';

export function buildOpsApp(logger: Logger, deps: OpsRouteDeps, opts: { logProbes: boolean }): FastifyInstance {
  const app = Fastify({ loggerInstance: logger as unknown as FastifyBaseLogger, logController: new RequestLog(opts), genReqId: requestId });
  registerRequestIdEcho(app);
  app.decorateRequest('outcome', '');
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }));
  registerOpsRoutes(app, deps);
  return app;
}
