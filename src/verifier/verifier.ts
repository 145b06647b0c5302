// What the HTTP API needs from whatever verifies: the local pool (embedded mode, and inside a
// queue worker) or the queue dispatcher (queue mode). Errors carry typed codes (PoolError,
// QueueError) that the API maps to 503s.
import type { Gauge } from 'prom-client';
import type { ItemResult, VerifyItem } from './messages.js';

/** The gauges a verifier refreshes at each scrape (the service's Metrics has them all). Named
 *  here, not by importing Metrics, so that verifiers do not depend on the metrics module. */
export interface VerifierGauges {
  readonly poolUtilization: Gauge;
  readonly poolPending: Gauge;
  readonly poolThreads: Gauge;
  readonly crlSourceFailures: Gauge<'source'>;
  readonly queueConnected: Gauge;
  readonly queueDepth: Gauge<'state'>;
  readonly queueDeadLetters: Gauge;
  readonly queueLiveWorkers: Gauge;
}

export interface CrlSourceStatus {
  readonly source: string;
  readonly thisUpdate: number | null;
  readonly nextUpdate: number | null;
  readonly crlNumber: string | null;
}

export interface Verifier {
  verify(item: VerifyItem): Promise<ItemResult>;
  /** Why this verifier cannot serve now; empty when ready. */
  notReady(now: number): Promise<string[]>;
  /** The CRL data in use, for /readyz (empty where the API does not hold it). */
  crlStatus(): CrlSourceStatus[];
  /** Sets the gauges a scrape should read fresh. */
  scrape(gauges: VerifierGauges): Promise<void>;
  close(): Promise<void>;
}
