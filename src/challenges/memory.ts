// In-process challenge store for the embedded default.
import { TOMBSTONE_MS, newChallenge, type ChallengeStore, type ConsumeResult, type IssuedChallenge } from './store.js';

interface Entry {
  challenge: Uint8Array;
  expiresAt: number;
  used: boolean;
}

export class MemoryChallengeStore implements ChallengeStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: () => number = Date.now) {
    // Forget entries once even a late replay could not matter.
    this.sweeper = setInterval(() => this.sweep(this.clock()), 30_000);
    this.sweeper.unref();
  }

  async issue(now: number, ttlMs: number): Promise<IssuedChallenge> {
    const { challengeId, challenge } = newChallenge();
    const expiresAt = now + ttlMs;
    this.entries.set(challengeId, { challenge, expiresAt, used: false });
    return { challengeId, challenge, expiresAt };
  }

  async consume(challengeId: string, now: number): Promise<ConsumeResult> {
    const e = this.entries.get(challengeId);
    if (!e) return { ok: false, code: 'challenge_unknown' };
    if (e.used) return { ok: false, code: 'challenge_replayed' };
    e.used = true;
    if (now > e.expiresAt) return { ok: false, code: 'challenge_expired' };
    return { ok: true, challenge: e.challenge };
  }

  sweep(now: number): void {
    for (const [id, e] of this.entries) if (now > e.expiresAt + TOMBSTONE_MS) this.entries.delete(id);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
