// Request duration by matched route and outcome (req.outcome: set by the handler or sendError;
// otherwise ok/error by status). Route patterns and codes only: bounded labels.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../ops/metrics.js';

export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ route, outcome: req.outcome || (reply.statusCode < 400 ? 'ok' : 'error') }, reply.elapsedTime / 1000);
  });
}
