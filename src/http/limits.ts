// Request limits: body size, how long a request may take to arrive, keep-alive, and the length of
// the request target. The rest (Node's 16 KB header limit, parser errors) is answered by
// clientErrorHandler in errors.ts.
import type { ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { ApiError } from '../contract/codes.js';

/** The fastify server options that carry limits.* */
export interface LimitOptions {
  readonly bodyLimit: number;
  readonly requestTimeout: number;
  readonly keepAliveTimeout: number;
  readonly http: ServerOptions;
}

export function limitOptions(limits: Config['limits']): LimitOptions {
  const { bodyBytes, requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs } = limits;
  return {
    bodyLimit: bodyBytes,
    // A whole request must arrive within requestTimeoutMs, its headers within headersTimeoutMs
    // (a client sending a byte every few seconds holds a socket no longer); Node checks every
    // connectionsCheckingInterval, so that is a fraction of the shorter one.
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(5000, Math.floor(headersTimeoutMs / 4))),
    },
  };
}

/** Refuses request targets longer than any route needs (Node's parser refuses beyond its 16 KB
 *  header limit itself: clientErrorHandler in errors.ts). */
export function registerUrlLimit(app: FastifyInstance, maxUrlBytes: number): void {
  app.addHook('onRequest', async (req) => {
    if (req.raw.url && req.raw.url.length > maxUrlBytes) throw new ApiError('uri_too_long', `the request target is longer than ${maxUrlBytes} bytes`);
  });
}
