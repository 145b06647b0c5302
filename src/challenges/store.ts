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

export type IssueResult =
  | { readonly ok: true; readonly challenge: IssuedChallenge }
  /** The tenant holds maxOutstanding challenges already; the oldest expires in retryAfterMs. */
  | { readonly ok: false; readonly code: 'too_many_challenges'; readonly retryAfterMs: number };

/** Challenges belong to the tenant that issued them. Presented by another tenant, a challenge is
 *  `challenge_unknown` — the same answer as for an id that never existed, so a tenant learns
 *  nothing about another's ids — and it is NOT used up: were it consumed, any tenant that saw an
 *  id (one end user at two services, a shared log) could burn another tenant's challenges and
 *  fail its logins; left alone, the rightful tenant can still use it, and the other tenant can
 *  never get a valid verdict from it. */
export interface ChallengeStore {
  /** Issues a challenge to `tenant`, unless it holds `maxOutstanding` issued, unused, unexpired
   *  ones already. */
  issue(tenant: string, now: number, ttlMs: number, maxOutstanding: number): Promise<IssueResult>;
  /** Uses the challenge up: a second consume of the same id is a replay. Another tenant's
   *  challenge is unknown and stays usable by its own tenant. */
  consume(challengeId: string, tenant: string, now: number): Promise<ConsumeResult>;
  /** Challenges `tenant` holds issued, not yet used and not expired at `now`. */
  outstanding(tenant: string, now: number): Promise<number>;
  close(): Promise<void>;
}

/** 32 random bytes of challenge; ids are random too and carry no meaning. */
export function newChallenge(): { challengeId: string; challenge: Uint8Array } {
  return { challengeId: randomBytes(16).toString('base64url'), challenge: new Uint8Array(randomBytes(32)) };
}

/** After expiry, a used or expired id is remembered this long so a late replay is still named. */
export const TOMBSTONE_MS = 10 * 60_000;

export const CHALLENGE_ID = /^[A-Za-z0-9_-]{22}$/;
