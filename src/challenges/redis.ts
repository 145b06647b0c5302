// Redis challenge store: SET NX PX to issue, one Lua script to consume atomically (so two API
// nodes racing on one challenge give one success and one replay).
import type { RedisClient } from '../queue/connection.js';
import { TOMBSTONE_MS, newChallenge, type ChallengeStore, type ConsumeResult, type IssuedChallenge } from './store.js';
import type { RedisKeys } from '../redis-keys.js';
import { guarded } from '../store-error.js';

// Value: "<expiresAt>:<challenge base64>" or "used". KEEPTTL keeps the tombstone's expiry.
const CONSUME = `
local v = redis.call('GET', KEYS[1])
if not v then return false end
if v == 'used' then return 'used' end
redis.call('SET', KEYS[1], 'used', 'KEEPTTL')
return v
`;

export class RedisChallengeStore implements ChallengeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    this.redis.defineCommand('jpkiConsumeChallenge', { numberOfKeys: 1, lua: CONSUME });
  }

  async issue(now: number, ttlMs: number): Promise<IssuedChallenge> {
    const { challengeId, challenge } = newChallenge();
    const expiresAt = now + ttlMs;
    const ok = await guarded('challenge store', () => this.redis.set(this.keys.challenge(challengeId), `${expiresAt}:${Buffer.from(challenge).toString('base64')}`, 'PX', ttlMs + TOMBSTONE_MS, 'NX'));
    if (ok !== 'OK') throw new Error('challenge id collision'); // 128 random bits: never in practice
    return { challengeId, challenge, expiresAt };
  }

  async consume(challengeId: string, now: number): Promise<ConsumeResult> {
    const v = await guarded('challenge store', () => (this.redis as unknown as { jpkiConsumeChallenge(k: string): Promise<string | null> }).jpkiConsumeChallenge(this.keys.challenge(challengeId)));
    if (v === null) return { ok: false, code: 'challenge_unknown' };
    if (v === 'used') return { ok: false, code: 'challenge_replayed' };
    const sep = v.indexOf(':');
    if (now > Number(v.slice(0, sep))) return { ok: false, code: 'challenge_expired' };
    return { ok: true, challenge: new Uint8Array(Buffer.from(v.slice(sep + 1), 'base64')) };
  }

  async close(): Promise<void> {
    // While Redis is down there is nothing to say goodbye to.
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
