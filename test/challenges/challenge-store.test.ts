// One suite, two stores: in memory and real Redis (127.0.0.1:6379; the suite fails if it cannot
// reach Redis, it never skips).
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryChallengeStore } from '../../src/challenges/memory.js';
import { RedisChallengeStore } from '../../src/challenges/redis.js';
import { redisKeys } from '../../src/redis-keys.js';
import { CHALLENGE_ID, type ChallengeStore } from '../../src/challenges/store.js';

const NOW = 1_800_000_000_000;
const prefix = `jpki-test-${process.pid}-${Date.now()}`;
const stores: [string, () => ChallengeStore][] = [
  ['memory', () => new MemoryChallengeStore(() => NOW)],
  ['redis', () => new RedisChallengeStore(new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 }), redisKeys(prefix))],
];

afterAll(async () => {
  const r = new Redis('redis://127.0.0.1:6379');
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  await r.quit();
});

describe.each(stores)('%s challenge store', (_name, make) => {
  const store = make();
  afterAll(() => store.close());

  it('issues random, distinct challenges with an expiry', async () => {
    const a = await store.issue(NOW, 120_000);
    const b = await store.issue(NOW, 120_000);
    expect(a.challengeId).toMatch(CHALLENGE_ID);
    expect(a.challengeId).not.toBe(b.challengeId);
    expect(a.challenge.length).toBe(32);
    expect(Buffer.from(a.challenge).equals(Buffer.from(b.challenge))).toBe(false);
    expect(a.expiresAt).toBe(NOW + 120_000);
  });

  it('consumes once; the second use is a replay', async () => {
    const c = await store.issue(NOW, 120_000);
    const first = await store.consume(c.challengeId, NOW + 1000);
    expect(first.ok && Buffer.from(first.challenge).equals(Buffer.from(c.challenge))).toBe(true);
    expect(await store.consume(c.challengeId, NOW + 2000)).toEqual({ ok: false, code: 'challenge_replayed' });
  });

  it('an expired challenge is refused, and then counts as used', async () => {
    const c = await store.issue(NOW, 120_000);
    expect(await store.consume(c.challengeId, NOW + 120_001)).toEqual({ ok: false, code: 'challenge_expired' });
    expect(await store.consume(c.challengeId, NOW + 1)).toEqual({ ok: false, code: 'challenge_replayed' });
  });

  it('an unknown id is unknown', async () => {
    expect(await store.consume('x'.repeat(22), NOW)).toEqual({ ok: false, code: 'challenge_unknown' });
  });

  it('two racing consumers: exactly one wins', async () => {
    const c = await store.issue(NOW, 120_000);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.consume(c.challengeId, NOW + 5)));
    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(results.filter((r) => !r.ok && r.code === 'challenge_replayed').length).toBe(7);
  });
});
