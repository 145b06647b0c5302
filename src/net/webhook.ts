// Webhook delivery: a JSON POST signed with HMAC-SHA256 over "<unix seconds>.<body>" in
// `x-jpki-signature: t=<seconds>,v1=<hex>` (the receiver recomputes it and rejects old stamps),
// retried with exponential backoff on network errors, timeouts and non-2xx answers.
//
// SSRF: the URL is checked against the policy (src/net/address-policy.ts) before each attempt,
// and the connection goes to an address this module resolved and checked itself — the socket's
// `lookup` is ours — so a DNS answer that changes between the check and the connect (rebinding)
// cannot reach a refused address. Redirects are not followed. Error messages never carry the
// URL (its query string may hold a tenant's token).
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { refusedAddress, refusedUrl, type WebhookPolicy } from './address-policy.js';

export interface WebhookOptions {
  readonly attempts: number;
  readonly timeoutMs: number;
  /** First retry delay; doubles each time. */
  readonly backoffMs?: number;
  /** Which targets may be called (webhooks.allowHosts, webhooks.allowPrivate). */
  readonly policy: WebhookPolicy;
  /** Real time (ms) for the signature's time stamp, which the receiver checks against its own. */
  readonly wallClock: () => number;
}

/** A target the policy refuses: not retried (it would be refused again). */
export class WebhookRefused extends Error {
  override readonly name = 'WebhookRefused';
}

export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** A `lookup` for net.connect that resolves every address of the name and refuses them all if
 *  any one is refused (a name that mixes public and private answers is not to be trusted). */
export function checkedLookup(policy: WebhookPolicy): LookupFunction {
  return ((
    hostname: string,
    options: { all?: boolean; family?: number },
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const why = refusedAddress(a.address, policy);
        if (why) return callback(new WebhookRefused(`the webhook host resolves to a ${why}`), '', 0);
      }
      if (addresses.length === 0) return callback(new Error('the webhook host has no address'), '', 0);
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  }) as LookupFunction;
}

function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, policy: WebhookPolicy): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        lookup: checkedLookup(policy),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res: IncomingMessage) => {
        res.resume(); // the answer's body is not read, only drained
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', (err: Error) => reject(err.name === 'AbortError' ? new Error(`timed out after ${timeoutMs} ms`) : err));
    req.end(body);
  });
}

/** Resolves with the attempt count on a 2xx; rejects after the last failed attempt, or at once
 *  with WebhookRefused when the policy refuses the target. */
export async function deliverWebhook(url: string, secret: string, payload: unknown, opts: WebhookOptions): Promise<number> {
  const body = JSON.stringify(payload);
  let last = '';
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    // Literal addresses never reach `lookup`: the URL check covers them, at every attempt.
    const why = refusedUrl(url, opts.policy);
    if (why) throw new WebhookRefused(`webhook target refused: ${why}`);
    try {
      const status = await post(
        new URL(url),
        { 'content-type': 'application/json', 'x-jpki-signature': signWebhook(secret, body, Math.floor(opts.wallClock() / 1000)) },
        body,
        opts.timeoutMs,
        opts.policy,
      );
      if (status >= 200 && status < 300) return attempt;
      last = `HTTP ${status}`;
    } catch (err) {
      if (err instanceof WebhookRefused) throw err;
      last = (err as Error).message;
    }
    if (attempt < opts.attempts) await new Promise((r) => setTimeout(r, (opts.backoffMs ?? 500) * 2 ** (attempt - 1)));
  }
  throw new Error(`webhook not delivered after ${opts.attempts} attempts: ${last}`);
}
