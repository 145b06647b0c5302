// Per-tenant token buckets, per API node: `perSecond` tokens a second up to `burst`. With N API
// nodes behind a balancer a tenant gets up to N × perSecond in all; set the figure accordingly.
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** 0 when the request may go; otherwise the seconds until a token is there. */
  take(tenant: string, limit: { perSecond: number; burst: number }): number {
    const now = this.clock();
    let b = this.buckets.get(tenant);
    if (!b) this.buckets.set(tenant, (b = { tokens: limit.burst, at: now }));
    b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / limit.perSecond);
  }
}
