// Challenges for 電子利用者証明: random, single use, with a TTL. Two stores behind one interface:
// in memory (embedded, one process) and Redis (several API nodes). The same tests run on both.
import { randomBytes } from 'node:crypto';

export interface IssuedChallenge {
  readonly challengeId: string;
  readonly challenge: Uint8Array;
  readonly expiresAt: number;
}

export type ConsumeResult =
  | { readonly ok: true; readonly challenge: Uint8Array }
  | { readonly ok: false; readonly code: 'challenge_unknown' | 'challenge_expired' | 'challenge_replayed' };

export interface ChallengeStore {
  issue(now: number, ttlMs: number): Promise<IssuedChallenge>;
  /** Uses the challenge up: a second consume of the same id is a replay. */
  consume(challengeId: string, now: number): Promise<ConsumeResult>;
  close(): Promise<void>;
}

/** 32 random bytes of challenge; ids are random too and carry no meaning. */
export function newChallenge(): { challengeId: string; challenge: Uint8Array } {
  return { challengeId: randomBytes(16).toString('base64url'), challenge: new Uint8Array(randomBytes(32)) };
}

/** After expiry, a used or expired id is remembered this long so a late replay is still named. */
export const TOMBSTONE_MS = 10 * 60_000;

export const CHALLENGE_ID = /^[A-Za-z0-9_-]{22}$/;
