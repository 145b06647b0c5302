// Redis challenge store: one Lua script to issue (bounded per tenant) and one to consume
// atomically (so two API nodes racing on one challenge give one success and one replay).
// A challenge lives under its tenant's key tag: another tenant presenting its id looks up a key
// that does not exist (challenge_unknown) and cannot touch it. Each tenant's outstanding ids sit
// in a sorted set scored by expiry, in the same hash slot as its challenges.
import type { RedisClient } from '../redis/connection.js';
import { TOMBSTONE_MS, newChallenge, type ChallengeStore, type ConsumeResult, type IssueResult } from './store.js';
import type { RedisKeys } from '../redis/keys.js';
import { guarded } from '../db/store-error.js';

// KEYS: challenge, tenant's outstanding set. ARGV: now, expiresAt, value, px, max, id, set ttl.
// Answers {1} issued, {0, oldest expiry} at the limit, {-1} id collision.
const ISSUE = `
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, first[2]}
end
if not redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4], 'NX') then return {-1} end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
return {1}
`;

// Value: "<expiresAt>:<challenge base64>" or "used". KEEPTTL keeps the tombstone's expiry.
// KEYS: challenge, tenant's outstanding set. ARGV: id.
const CONSUME = `
local v = redis.call('GET', KEYS[1])
if not v then return false end
if v == 'used' then return 'used' end
redis.call('SET', KEYS[1], 'used', 'KEEPTTL')
redis.call('ZREM', KEYS[2], ARGV[1])
return v
`;

interface Scripts {
  jpkiIssueChallenge(k1: string, k2: string, ...argv: (string | number)[]): Promise<[number, string?]>;
  jpkiConsumeChallenge(k1: string, k2: string, id: string): Promise<string | null>;
}

export class RedisChallengeStore implements ChallengeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    this.redis.defineCommand('jpkiIssueChallenge', { numberOfKeys: 2, lua: ISSUE });
    this.redis.defineCommand('jpkiConsumeChallenge', { numberOfKeys: 2, lua: CONSUME });
  }

  private get scripts(): Scripts {
    return this.redis as unknown as Scripts;
  }

  async issue(tenant: string, now: number, ttlMs: number, maxOutstanding: number): Promise<IssueResult> {
    const { challengeId, challenge } = newChallenge();
    const expiresAt = now + ttlMs;
    const value = `${expiresAt}:${Buffer.from(challenge).toString('base64')}`;
    const r = await guarded('challenge store', () =>
      this.scripts.jpkiIssueChallenge(
        this.keys.tenantChallenge(tenant, challengeId),
        this.keys.tenantChallenges(tenant),
        now,
        expiresAt,
        value,
        ttlMs + TOMBSTONE_MS,
        maxOutstanding,
        challengeId,
        ttlMs + 1000,
      ),
    );
    if (r[0] === 0) return { ok: false, code: 'too_many_challenges', retryAfterMs: Math.max(1, Number(r[1]) - now) };
    if (r[0] !== 1) throw new Error('challenge id collision'); // 128 random bits: never in practice
    return { ok: true, challenge: { challengeId, challenge, expiresAt } };
  }

  async consume(challengeId: string, tenant: string, now: number): Promise<ConsumeResult> {
    const v = await guarded('challenge store', () =>
      this.scripts.jpkiConsumeChallenge(this.keys.tenantChallenge(tenant, challengeId), this.keys.tenantChallenges(tenant), challengeId),
    );
    if (v === null) return { ok: false, code: 'challenge_unknown' };
    if (v === 'used') return { ok: false, code: 'challenge_replayed' };
    const sep = v.indexOf(':');
    if (now > Number(v.slice(0, sep))) return { ok: false, code: 'challenge_expired' };
    return { ok: true, challenge: new Uint8Array(Buffer.from(v.slice(sep + 1), 'base64')) };
  }

  async outstanding(tenant: string, now: number): Promise<number> {
    return guarded('challenge store', () => this.redis.zcount(this.keys.tenantChallenges(tenant), now, '+inf'));
  }

  async close(): Promise<void> {
    // While Redis is down there is nothing to say goodbye to.
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
