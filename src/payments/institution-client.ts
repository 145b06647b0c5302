// Calls an institution (bank, card company): JSON POST to <endpoint>/authorize, signed with the
// shared secret (x-jpki-signature: t=<s>,v1=<hex HMAC-SHA256(secret, "t.body")>), with a timeout
// and a circuit breaker. The institution signs its answer the same way; an answer whose signature
// does not verify is a failure, never a decision.
//
// One undici Pool per institution keeps its connections open between calls; undici's `request`
// rather than `fetch`, whose WHATWG Request/Response/stream layer cost several times the call's
// own CPU (issue #18).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Pool } from 'undici';
import type { InstitutionConfig } from '../config/config.js';
import { signWebhook } from '../net/webhook.js';
import { CircuitBreaker } from '../net/circuit.js';

export interface AuthorizationRequest {
  readonly requestId: string;
  /** The relay's idempotency key: the institution answers a repeat with its first decision. */
  readonly idempotencyKey: string;
  readonly method: 'credit' | 'debit' | 'atm';
  readonly accountRef: string;
  readonly amount: number;
  readonly currency: string;
  readonly terminalId: string;
  readonly acquirer: string;
  /** Opaque to the relay: encrypted by the terminal for the institution (see docs/payments.md). */
  readonly pinBlock: string | null;
}

export interface InstitutionDecision {
  readonly decision: 'approved' | 'declined';
  readonly code: string;
  readonly authorizationId: string | null;
}

export type CallOutcome =
  { ok: true; answer: InstitutionDecision } | { ok: false; code: 'institution_timeout' | 'institution_unavailable' | 'institution_error'; detail: string };

/** Verifies `t=…,v1=…` over `body` with `secret`, refusing stamps further than `skewSec` away. */
export function verifySignature(secret: string, body: string, header: string | null | undefined, nowSec: number, skewSec = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m || Math.abs(nowSec - Number(m[1])) > skewSec) return false;
  const want = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(want, Buffer.from(m[2], 'hex'));
}

/** Connections kept to one institution: enough for the relay's concurrent payments on one node
 *  (more calls queue in the pool, their timeout running). */
const CONNECTIONS = 64;

/** Signed HTTP statuses that mean "refused, nothing done". Not 401/403: those say the relay is
 *  misconfigured (secret, permissions), which stays an error for the operator to see. */
const REFUSALS = new Set([400, 404, 422]);

export class InstitutionClient {
  readonly circuit: CircuitBreaker;
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    readonly config: InstitutionConfig,
    circuit: { failures: number; openMs: number },
    private readonly observe: (outcome: string, seconds: number) => void,
    /** Real time (ms) for signature time stamps, which the institution checks against its own. */
    private readonly wallClock: () => number,
  ) {
    this.circuit = new CircuitBreaker(circuit.failures, circuit.openMs);
    const url = new URL('authorize', config.endpoint.endsWith('/') ? config.endpoint : `${config.endpoint}/`);
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, { connections: CONNECTIONS });
  }

  /** Closes the kept connections (calls in flight fail). */
  close(): Promise<void> {
    return this.pool.destroy();
  }

  async authorize(req: AuthorizationRequest): Promise<CallOutcome> {
    const t0 = performance.now();
    const out = await this.call(req);
    this.observe(out.ok ? out.answer.decision : out.code, (performance.now() - t0) / 1000);
    return out;
  }

  private async call(req: AuthorizationRequest): Promise<CallOutcome> {
    if (!this.circuit.allow()) return { ok: false, code: 'institution_unavailable', detail: `circuit open for ${this.config.id}` };
    const body = JSON.stringify(req);
    let status: number;
    let signature: string | string[] | undefined;
    let text: string;
    try {
      const res = await this.pool.request({
        method: 'POST',
        path: this.path,
        headers: { 'content-type': 'application/json', 'x-jpki-signature': signWebhook(this.config.secret, body, Math.floor(this.wallClock() / 1000)) },
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      status = res.statusCode;
      signature = res.headers['x-jpki-signature'];
      text = await res.body.text();
    } catch (err) {
      this.circuit.failure();
      const timeout = (err as Error).name === 'TimeoutError';
      return {
        ok: false,
        code: timeout ? 'institution_timeout' : 'institution_unavailable',
        detail: timeout ? `no answer from ${this.config.id} within ${this.config.timeoutMs} ms` : `${this.config.id} unreachable`,
      };
    }
    if (typeof signature !== 'string' || !verifySignature(this.config.secret, text, signature, Math.floor(this.wallClock() / 1000))) {
      this.circuit.failure();
      return { ok: false, code: 'institution_error', detail: `${this.config.id} answered HTTP ${status} without a valid signature` };
    }
    if (status < 200 || status > 299) {
      if (status >= 500) this.circuit.failure();
      else this.circuit.success();
      // A signed refusal of the request itself (bad request, unknown account …): the institution
      // says it did not act, so it is a decline, not a call to repeat. Busy or conflicting answers
      // (408, 409, 425, 429) and 5xx are not decisions: the record stays pending and is asked again.
      if (REFUSALS.has(status)) return { ok: true, answer: { decision: 'declined', code: `institution_refused_${status}`, authorizationId: null } };
      return { ok: false, code: 'institution_error', detail: `${this.config.id} answered HTTP ${status}` };
    }
    let a: InstitutionDecision;
    try {
      a = JSON.parse(text) as InstitutionDecision;
    } catch {
      a = null as unknown as InstitutionDecision;
    }
    if (!a || (a.decision !== 'approved' && a.decision !== 'declined') || typeof a.code !== 'string') {
      this.circuit.failure();
      return { ok: false, code: 'institution_error', detail: `${this.config.id} gave no decision` };
    }
    this.circuit.success();
    return { ok: true, answer: { decision: a.decision, code: a.code, authorizationId: a.authorizationId ?? null } };
  }
}
