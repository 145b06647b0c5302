// What the HTTP API needs from whatever verifies: the local pool (embedded mode, and inside a
// queue worker) or the queue dispatcher (queue mode). Errors carry typed codes (PoolError,
// QueueError) that the API maps to 503s.
import type { Metrics } from './metrics.js';
import type { ItemResult, VerifyItem } from './pool/messages.js';

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
  scrape(metrics: Metrics): Promise<void>;
  close(): Promise<void>;
}
