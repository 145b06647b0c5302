// OCSP over HTTP (RFC 6960 Appendix A): POST of the DER request, or GET with the URL-encoded
// base64 request appended to the responder URL when that is short (A.1: under 255 bytes).
// Keep-alive connections per responder; every exchange is bounded in time and in bytes read, and
// every way it can fail is an OcspError with a transport code.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { OcspError } from '../core/ocsp-failure.js';

/** RFC 6960 A.1: requests that after encoding are less than 255 bytes may use GET. */
export const GET_LIMIT = 255;

export interface ExchangeOptions {
  /** Abandon the exchange (socket destroyed) after this long. */
  readonly timeoutMs: number;
  /** Refuse a response body larger than this. */
  readonly maxBytes: number;
  /** Use GET when the encoded request is short enough. */
  readonly get: boolean;
}

/** What a responder exchange needs; the HTTP implementation below, or another in tests. */
export interface OcspTransport {
  exchange(url: string, request: Uint8Array, o: ExchangeOptions): Promise<Uint8Array>;
  close(): void;
}

/** The GET form of a request for `url`, or null when it is too long for GET. */
export function getUrl(url: string, request: Uint8Array): string | null {
  const encoded = encodeURIComponent(Buffer.from(request).toString('base64'));
  if (encoded.length >= GET_LIMIT) return null;
  return `${url.endsWith('/') ? url : `${url}/`}${encoded}`;
}

export class HttpTransport implements OcspTransport {
  // Keep-alive: a responder under steady load is asked over a few warm connections.
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8 });

  exchange(url: string, request: Uint8Array, o: ExchangeOptions): Promise<Uint8Array> {
    const get = o.get ? getUrl(url, request) : null;
    const target = new URL(get ?? url);
    const secure = target.protocol === 'https:';
    return new Promise<Uint8Array>((resolve, reject) => {
      let settled = false;
      const done = (err: OcspError | null, body?: Uint8Array): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(body!);
      };
      const req = (secure ? httpsRequest : httpRequest)(target, {
        method: get ? 'GET' : 'POST',
        agent: secure ? this.https : this.http,
        headers: get
          ? { accept: 'application/ocsp-response' }
          : { accept: 'application/ocsp-response', 'content-type': 'application/ocsp-request', 'content-length': request.length },
      });
      // One deadline for the whole exchange (connect, send, headers, body): a responder that
      // hangs at any step costs this much and no more.
      const timer = setTimeout(() => {
        done(new OcspError('timeout', `no complete answer within ${o.timeoutMs} ms`));
        req.destroy();
      }, o.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        // Refused, reset, DNS: whatever the network says, the responder was not reached.
        done(new OcspError('unreachable', `${err.code ?? 'error'}: ${err.message}`));
      });
      req.on('response', (res: IncomingMessage) => {
        const type = res.headers['content-type'] ?? '';
        if (res.statusCode !== 200 || !/^application\/ocsp-response\b/i.test(type)) {
          done(new OcspError('http_error', `HTTP ${res.statusCode} ${type || '(no content type)'}`));
          res.resume(); // drain: the connection may serve the next exchange
          return;
        }
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (declared > o.maxBytes) {
          done(new OcspError('too_large', `content-length ${declared} exceeds ${o.maxBytes} bytes`));
          req.destroy();
          return;
        }
        const parts: Buffer[] = [];
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          if (n > o.maxBytes) {
            done(new OcspError('too_large', `response exceeds ${o.maxBytes} bytes`));
            req.destroy();
          } else parts.push(c);
        });
        res.on('end', () => done(null, new Uint8Array(Buffer.concat(parts))));
        res.on('error', (err) => done(new OcspError('unreachable', `response cut off: ${err.message}`)));
        res.on('aborted', () => done(new OcspError('unreachable', 'response cut off')));
      });
      if (get) req.end();
      else req.end(request);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
