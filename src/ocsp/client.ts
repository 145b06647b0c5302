// The OCSP client of a verifier process. A lookup is answered from the cache (by CertID, until the
// response's nextUpdate), joins a lookup already in flight for the same certificate, or joins the
// batch of its issuer and responder: lookups that arrive together (one pool micro-batch) become
// one request with several CertIDs. Each responder has a circuit breaker; a lookup costs at most
// ocsp.timeoutMs, retries included. The cache lives here, on the thread that dispatches to the
// pool, so every pool worker of the process shares it.
import type { Certificate } from '../core/certificate.js';
import { certIdFor, certIdKey } from '../core/ocsp-certid.js';
import { checkOcspResponse, type OcspAnswer, type OcspCheckOptions } from '../core/ocsp-check.js';
import { OcspError, type OcspFailure } from '../core/ocsp-failure.js';
import { encodeOcspRequest, MAX_CERT_IDS } from '../core/ocsp-request.js';
import { parseOcspResponse } from '../core/ocsp-response.js';
import type { OcspOutcome, OcspTarget } from '../core/revocation-plan.js';
import { CircuitBreaker } from '../net/circuit.js';
import { Lru } from '../pool/lru.js';
import { MicroBatcher } from '../pool/micro-batcher.js';
import type { OcspTransport } from './transport.js';

export interface OcspClientOptions {
  /** Ask this responder instead of the one the certificate names (null: the certificate's). */
  readonly url: string | null;
  /** The most one lookup may take, retries included. */
  readonly timeoutMs: number;
  /** Further attempts after a failure the responder may recover from (refused, 5xx, tryLater). */
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxResponseBytes: number;
  readonly skewMs: number;
  readonly maxAgeMs: number;
  readonly nonce: boolean;
  readonly get: boolean;
  readonly hash: 'sha1' | 'sha256';
  readonly batchMax: number;
  readonly batchDelayUs: number;
  readonly cacheEntries: number;
  readonly circuitFailures: number;
  readonly circuitOpenMs: number;
}

/** What the client reports as it works (metrics plug in here). `responder` is the responder's
 *  host: a bounded label (URLs come from the configuration or from J-LIS-signed certificates). */
export interface OcspObserver {
  lookup(result: 'hit' | 'miss' | 'joined'): void;
  exchange(responder: string, seconds: number, outcome: 'ok' | OcspFailure): void;
  outcome(result: 'good' | 'revoked' | 'unknown' | OcspFailure): void;
  circuit(responder: string, open: boolean): void;
}

export interface OcspClientDeps {
  /** The issuing CA of a target by its fingerprint (the trust anchors). */
  readonly issuer: (fingerprint: string) => Certificate | undefined;
  readonly transport: OcspTransport;
  /** Wall clock: response freshness and cache expiry are judged against the present. */
  readonly clock: () => number;
  /** Fresh random bytes for each request's nonce. */
  readonly nonce: () => Uint8Array;
  readonly responderStatus?: OcspCheckOptions['responderStatus'];
  readonly observer?: OcspObserver;
}

/** Failures after which the same responder may answer if asked again soon. */
const RETRYABLE = new Set<OcspFailure>(['unreachable', 'http_error', 'try_later', 'internal_error']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Result = OcspAnswer | OcspError;

const NOOP: OcspObserver = { lookup() {}, exchange() {}, outcome() {}, circuit() {} };

export class OcspClient {
  private readonly cache: Lru<string, OcspAnswer>;
  private readonly inFlight = new Map<string, Promise<OcspOutcome>>();
  private readonly batchers = new Map<string, MicroBatcher<Uint8Array, Result>>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly observer: OcspObserver;

  constructor(
    private readonly o: OcspClientOptions,
    private readonly deps: OcspClientDeps,
  ) {
    this.cache = new Lru(o.cacheEntries);
    this.observer = deps.observer ?? NOOP;
  }

  /** The status of one certificate, or why there is none. Never rejects. */
  lookup(target: OcspTarget): Promise<OcspOutcome> {
    const outcome = this.find(target);
    return outcome.then((r) => {
      this.observer.outcome(r.kind === 'answer' ? r.answer.status : r.code);
      return r;
    });
  }

  private find(target: OcspTarget): Promise<OcspOutcome> {
    const issuer = this.deps.issuer(target.issuer);
    if (!issuer) return Promise.resolve(failure(new OcspError('no_responder', 'the issuing CA is not a trust anchor of this process')));
    const url = this.o.url ?? target.urls[0];
    if (!url) return Promise.resolve(failure(new OcspError('no_responder', 'the certificate names no OCSP responder (authorityInfoAccess)')));
    const serial = new Uint8Array(Buffer.from(target.serial, 'hex'));
    const key = certIdKey(certIdFor(issuer, serial, this.o.hash));
    const cached = this.cache.get(key);
    if (cached && fresh(cached, this.deps.clock())) {
      this.observer.lookup('hit');
      return Promise.resolve({ kind: 'answer', answer: cached });
    }
    const running = this.inFlight.get(key);
    if (running) {
      this.observer.lookup('joined');
      return running;
    }
    this.observer.lookup('miss');
    const p = this.batcher(url, target.issuer, issuer)
      .submit(serial)
      .then(
        (r): OcspOutcome => {
          if (r instanceof OcspError) return failure(r);
          if (r.source.nextUpdate !== null) this.cache.set(key, r);
          return { kind: 'answer', answer: r };
        },
        (err: Error) => failure(err instanceof OcspError ? err : new OcspError('timeout', err.message)),
      )
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private batcher(url: string, fingerprint: string, issuer: Certificate): MicroBatcher<Uint8Array, Result> {
    const k = `${url} ${fingerprint}`;
    let b = this.batchers.get(k);
    if (!b) {
      b = new MicroBatcher<Uint8Array, Result>(
        { batchSize: Math.min(this.o.batchMax, MAX_CERT_IDS), batchDelayUs: this.o.batchDelayUs, maxPending: 100_000 },
        (serials) => this.exchange(url, issuer, serials),
        {
          overloaded: (max) => new OcspError('timeout', `more than ${max} lookups wait for ${host(url)}`),
          closing: () => new OcspError('timeout', 'the OCSP client is closing'),
        },
      );
      this.batchers.set(k, b);
    }
    return b;
  }

  private breaker(url: string): CircuitBreaker {
    let b = this.breakers.get(url);
    // Real time, whatever clock judges freshness (tests move that one).
    if (!b) this.breakers.set(url, (b = new CircuitBreaker(this.o.circuitFailures, this.o.circuitOpenMs)));
    return b;
  }

  /** One request for `serials` (with retries within the lookup's time budget); one result each. */
  private async exchange(url: string, issuer: Certificate, serials: Uint8Array[]): Promise<Result[]> {
    const responder = host(url);
    const breaker = this.breaker(url);
    if (!breaker.allow()) {
      const err = new OcspError('circuit_open', `${responder} failed ${this.o.circuitFailures} times in a row; not asked for ${this.o.circuitOpenMs} ms`);
      return serials.map(() => err);
    }
    const ids = serials.map((s) => certIdFor(issuer, s, this.o.hash));
    const deadline = performance.now() + this.o.timeoutMs;
    let last = new OcspError('timeout', `no answer within ${this.o.timeoutMs} ms`);
    for (let attempt = 0; ; attempt++) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      const nonce = this.o.nonce ? this.deps.nonce() : null;
      const t0 = performance.now();
      try {
        const der = await this.deps.transport.exchange(url, encodeOcspRequest(ids, nonce), {
          timeoutMs: left,
          maxBytes: this.o.maxResponseBytes,
          get: this.o.get,
        });
        const results = checkOcspResponse(parseOcspResponse(der), issuer, serials, {
          time: this.deps.clock(),
          skewMs: this.o.skewMs,
          maxAgeMs: this.o.maxAgeMs,
          nonce,
          url,
          responderStatus: this.deps.responderStatus,
        });
        this.observer.exchange(responder, (performance.now() - t0) / 1000, 'ok');
        breaker.success();
        this.observer.circuit(responder, false);
        return results;
      } catch (err) {
        if (!(err instanceof OcspError)) throw err;
        this.observer.exchange(responder, (performance.now() - t0) / 1000, err.code);
        last = err;
        if (!RETRYABLE.has(err.code) || attempt >= this.o.retries) break;
        const wait = Math.min(this.o.backoffMs * 2 ** attempt, deadline - performance.now());
        if (wait > 0) await sleep(wait);
      }
    }
    breaker.failure();
    if (breaker.current !== 'closed') this.observer.circuit(responder, true);
    return serials.map(() => last);
  }

  /** Lets waiting lookups finish, then closes the responders' connections. */
  async close(): Promise<void> {
    await Promise.all([...this.batchers.values()].map((b) => b.drain()));
    this.deps.transport.close();
  }

  /** Cached answers (for metrics). */
  get cached(): number {
    return this.cache.size;
  }
}

/** A cached answer serves until its nextUpdate. */
function fresh(a: OcspAnswer, now: number): boolean {
  return a.source.nextUpdate !== null && now <= a.source.nextUpdate;
}

function failure(e: OcspError): OcspOutcome {
  return { kind: 'failure', code: e.code, detail: e.message };
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}
