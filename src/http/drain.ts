// Draining for shutdown: once app.close() starts, answers tell clients to close their connection,
// new requests on open connections get a typed 503 shutting_down, and connections that fall idle
// are reaped until the server is closed (server.close() alone only reaps those idle at once).
// Goes with the server option return503OnClosing: false (server.ts), so the answer is ours.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../contract/codes.js';

/** Registers the draining hooks on `app` (the root instance). */
export function registerDrain(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
    const reaper = setInterval(() => app.server.closeIdleConnections(), 25);
    reaper.unref();
    app.server.once('close', () => clearInterval(reaper));
  });
  app.addHook('onSend', async (_req, reply) => {
    if (draining) reply.header('connection', 'close');
  });
  app.addHook('onRequest', async (_req, reply) => {
    if (draining) {
      reply.header('connection', 'close');
      throw new ApiError('shutting_down', 'the service is draining for shutdown', 1);
    }
  });
}
