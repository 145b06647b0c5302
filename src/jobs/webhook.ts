// Webhook delivery: a JSON POST signed with HMAC-SHA256 over "<unix seconds>.<body>" in
// `x-jpki-signature: t=<seconds>,v1=<hex>` (the receiver recomputes it and rejects old stamps),
// retried with exponential backoff on network errors, timeouts and non-2xx answers.
import { createHmac } from 'node:crypto';

export interface WebhookOptions {
  readonly attempts: number;
  readonly timeoutMs: number;
  /** First retry delay; doubles each time. */
  readonly backoffMs?: number;
}

export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Resolves with the attempt count on a 2xx; rejects after the last failed attempt. */
export async function deliverWebhook(url: string, secret: string, payload: unknown, opts: WebhookOptions): Promise<number> {
  const body = JSON.stringify(payload);
  let last = '';
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-jpki-signature': signWebhook(secret, body, Math.floor(Date.now() / 1000)) },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return attempt;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (attempt < opts.attempts) await new Promise((r) => setTimeout(r, (opts.backoffMs ?? 500) * 2 ** (attempt - 1)));
  }
  throw new Error(`webhook not delivered after ${opts.attempts} attempts: ${last}`);
}
