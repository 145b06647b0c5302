// In-process challenge store for the embedded default.
import { TOMBSTONE_MS, newChallenge, type ChallengeStore, type ConsumeResult, type IssueResult } from './store.js';

interface Entry {
  tenant: string;
  challenge: Uint8Array;
  expiresAt: number;
  used: boolean;
}

export class MemoryChallengeStore implements ChallengeStore {
  private readonly entries = new Map<string, Entry>();
  /** Per tenant: its outstanding (issued, unused) challenge ids → expiry, in issue order. */
  private readonly open = new Map<string, Map<string, number>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: () => number = Date.now) {
    // Forget entries once even a late replay could not matter.
    this.sweeper = setInterval(() => this.sweep(this.clock()), 30_000);
    this.sweeper.unref();
  }

  /** Drops the tenant's expired ids; all of them if `full`, else those at the front (with one
   *  TTL for everyone, issue order is expiry order). */
  private prune(tenant: string, now: number, full: boolean): Map<string, number> {
    let ids = this.open.get(tenant);
    if (!ids) this.open.set(tenant, (ids = new Map()));
    for (const [id, exp] of ids) {
      if (now > exp) ids.delete(id);
      else if (!full) break;
    }
    return ids;
  }

  async issue(tenant: string, now: number, ttlMs: number, maxOutstanding: number): Promise<IssueResult> {
    let ids = this.prune(tenant, now, false);
    if (ids.size >= maxOutstanding) ids = this.prune(tenant, now, true);
    if (ids.size >= maxOutstanding) {
      const first = Math.min(...ids.values());
      return { ok: false, code: 'too_many_challenges', retryAfterMs: Math.max(1, first - now) };
    }
    const { challengeId, challenge } = newChallenge();
    const expiresAt = now + ttlMs;
    this.entries.set(challengeId, { tenant, challenge, expiresAt, used: false });
    ids.set(challengeId, expiresAt);
    return { ok: true, challenge: { challengeId, challenge, expiresAt } };
  }

  async consume(challengeId: string, tenant: string, now: number): Promise<ConsumeResult> {
    const e = this.entries.get(challengeId);
    // Another tenant's challenge: unknown, and left usable (see ChallengeStore).
    if (!e || e.tenant !== tenant) return { ok: false, code: 'challenge_unknown' };
    if (e.used) return { ok: false, code: 'challenge_replayed' };
    e.used = true;
    this.open.get(tenant)?.delete(challengeId);
    if (now > e.expiresAt) return { ok: false, code: 'challenge_expired' };
    return { ok: true, challenge: e.challenge };
  }

  async outstanding(tenant: string, now: number): Promise<number> {
    return this.prune(tenant, now, true).size;
  }

  sweep(now: number): void {
    for (const [id, e] of this.entries) if (now > e.expiresAt + TOMBSTONE_MS) this.entries.delete(id);
    for (const tenant of [...this.open.keys()]) if (this.prune(tenant, now, true).size === 0) this.open.delete(tenant);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
