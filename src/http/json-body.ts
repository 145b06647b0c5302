// Request bodies: fastify's own JSON parser (prototype-poisoning refused), behind one check that
// no string holds a NUL. PostgreSQL cannot store it in text or jsonb, and the hot path writes
// many requests in one statement (src/db/turn-batcher.ts): one such value must be refused here,
// alone, not fail the statement of every request it shares.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../contract/codes.js';

export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if ((body as string).includes('\\u0000')) return done(new ApiError('bad_request', 'strings must not contain NUL (\\u0000)'), undefined);
    parse(req, body as string, done);
  });
}
