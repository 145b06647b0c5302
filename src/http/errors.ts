// Every error the HTTP layer answers with, from the one code table (codes.ts): what Node's parser
// refuses before fastify sees a request, what the router refuses before any route, and what a
// route or hook throws (typed ApiError, pool/queue/store errors, fastify's own). Each answer is
// {code, message} with the code's status, counted under the code's label.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { Platform } from '../platform/platform.js';
import { PoolError } from '../pool/verifier-pool.js';
import { QueueError } from '../queue/dispatcher.js';
import { StoreError, StoreInputError } from '../db/store-error.js';
import { ApiError, CODES, type ApiCode } from '../contract/codes.js';

/** Counts one error answer under its code's metric label. */
export type CountError = (code: ApiCode) => void;

export function errorCounter(metrics: Metrics): CountError {
  return (code) => metrics.verdicts.inc({ kind: 'error', code: CODES[code].label });
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

/** Errors Node's HTTP parser or its timers raise before fastify sees a request: written to the
 *  socket as {code, message} from the table, then the connection closes. */
export function clientErrorHandler(limits: Config['limits'], countError: CountError): (error: Error, socket: Socket) => void {
  const { requestTimeoutMs, headersTimeoutMs } = limits;
  return (error, socket) => {
    const err = error as Error & { code?: string; rawPacket?: Buffer };
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let code: ApiCode = 'bad_request';
    let message = 'malformed HTTP request';
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      code = 'request_timeout';
      message = `the request did not arrive within ${requestTimeoutMs} ms (headers: ${headersTimeoutMs} ms)`;
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      // Node counts the request line with the headers; bytes without a complete line mean the
      // request target alone is too long.
      const line = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.indexOf('\r\n') : 0;
      if (line < 0) [code, message] = ['uri_too_long', 'the request target is too long'];
      else [code, message] = ['headers_too_large', 'the request header fields are too large'];
    }
    countError(code);
    // As Node does: never write into a response already under way.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const body = JSON.stringify({ code, message });
      const status = CODES[code].status;
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/** Requests the router refuses before any route: typed errors from the table. */
export function frameworkErrors(countError: CountError): (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => void {
  return (err, _req, reply) => {
    const [code, message]: [ApiCode, string] =
      err.code === 'FST_ERR_BAD_URL'
        ? ['bad_request', 'malformed URL (bad percent-encoding)']
        : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? ['uri_too_long', 'a path parameter is too long']
          : ['internal', 'internal error'];
    countError(code);
    void reply.status(CODES[code].status).header('connection', 'close').send({ code, message });
  };
}

export interface ErrorDeps {
  /** limits.bodyBytes: the body limit named in body_too_large, and what is drained on refusal. */
  readonly bodyBytes: number;
  /** Refused verifications go to the tenant's audit trail too. */
  readonly platform: Platform;
  readonly countError: CountError;
}

/** Sets the error handler and the not-found handler of `app`. */
export function registerErrorHandlers(app: FastifyInstance, deps: ErrorDeps): void {
  const { bodyBytes, platform, countError } = deps;

  const sendError = (reply: FastifyReply, req: FastifyRequest, err: ApiError): FastifyReply => {
    req.outcome = err.code;
    countError(err.code);
    // Refused verifications are in the audit trail too (without a certificate). By the matched
    // route, never the raw URL (which may be spelled in many ways). Best effort: the answer is an
    // error either way; a batch that fails to commit is logged by the platform.
    const route = req.routeOptions.url;
    if (req.tenant && route?.startsWith('/v1/verify/')) platform.audit(req.tenant, route, err.code, null).catch(() => undefined);
    if (err.retryAfterSec) reply.header('retry-after', String(err.retryAfterSec));
    // Refused before its body was read (no key, too large …): Node would read and discard the
    // rest to keep the connection. Up to limits.bodyBytes that is cheap; beyond it, or of
    // unknown length (chunked), the connection closes instead.
    if (!req.raw.complete) {
      const length = Number(req.headers['content-length'] ?? NaN);
      if (!(length <= bodyBytes)) reply.header('connection', 'close');
    }
    return reply.status(err.status).send({ code: err.code, message: err.message });
  };

  app.setErrorHandler((error: FastifyError | ApiError | PoolError | QueueError | StoreError | Error, req, reply) => {
    if (error instanceof ApiError) return sendError(reply, req, error);
    if (error instanceof PoolError || error instanceof QueueError || error instanceof StoreError)
      return sendError(reply, req, new ApiError(error.code, error.message, 1));
    if (error instanceof StoreInputError) return sendError(reply, req, new ApiError(error.code, error.message));
    const fe = error as FastifyError;
    if (fe.validation)
      return sendError(
        reply,
        req,
        new ApiError('bad_request', `${fe.validationContext ?? 'body'}${fe.message.replace(/^(body|querystring|params|headers)/, '')}`),
      );
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, req, new ApiError('body_too_large', `body larger than ${req.routeOptions.bodyLimit ?? bodyBytes} bytes`));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, req, new ApiError('unsupported_media_type', 'send application/json'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(reply, req, new ApiError('bad_request', fe.message));
    }
    if (fe.statusCode === 400) return sendError(reply, req, new ApiError('bad_request', 'body is not valid JSON'));
    req.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'unhandled error');
    return sendError(reply, req, new ApiError('internal', 'internal error'));
  });

  app.setNotFoundHandler((req, reply) => sendError(reply, req, new ApiError('not_found', `no route ${req.method} ${req.url.split('?')[0]}`)));
}
