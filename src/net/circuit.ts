// A circuit breaker per remote party (a payment institution, an OCSP responder): after `failures`
// failed calls in a row (timeouts, network errors, 5xx, bad signatures) the circuit opens and
// calls fail at once for `openMs`; then one trial call is let through (half-open): success closes
// the circuit, failure opens it again.
export type CircuitState = 'closed' | 'open' | 'half_open';

export class CircuitBreaker {
  private consecutive = 0;
  private openedAt = 0;
  private state: CircuitState = 'closed';
  private trialInFlight = false;

  constructor(
    private readonly failures: number,
    private readonly openMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether a call may go now (and, half-open, takes the one trial). */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.clock() - this.openedAt < this.openMs) return false;
      this.state = 'half_open';
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.consecutive = 0;
    this.state = 'closed';
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    this.consecutive++;
    if (this.state === 'half_open' || this.consecutive >= this.failures) {
      this.state = 'open';
      this.openedAt = this.clock();
    }
  }

  get current(): CircuitState {
    return this.state === 'open' && this.clock() - this.openedAt >= this.openMs ? 'half_open' : this.state;
  }
}
