// One suite, two stores: in memory and real Redis (127.0.0.1:6379; the suite fails if it cannot
// reach Redis, it never skips).
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryChallengeStore } from '../../src/challenges/memory.js';
import { RedisChallengeStore } from '../../src/challenges/redis.js';
import { redisKeys } from '../../src/redis/keys.js';
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

const MAX = 1000;
/** Issues to `tenant` (default "a") and unwraps; fails the test if refused. */
async function issue(store: ChallengeStore, now = NOW, tenant = 'a', max = MAX) {
  const r = await store.issue(tenant, now, 120_000, max);
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.challenge;
}

describe.each(stores)('%s challenge store', (_name, make) => {
  const store = make();
  afterAll(() => store.close());
  // Tenants unique per run, so the Redis suite never sees a previous run's outstanding set.
  const tn = (name: string) => `${name}-${prefix}`;

  it('issues random, distinct challenges with an expiry', async () => {
    const a = await issue(store);
    const b = await issue(store);
    expect(a.challengeId).toMatch(CHALLENGE_ID);
    expect(a.challengeId).not.toBe(b.challengeId);
    expect(a.challenge.length).toBe(32);
    expect(Buffer.from(a.challenge).equals(Buffer.from(b.challenge))).toBe(false);
    expect(a.expiresAt).toBe(NOW + 120_000);
  });

  it('consumes once; the second use is a replay', async () => {
    const c = await issue(store);
    const first = await store.consume(c.challengeId, 'a', NOW + 1000);
    expect(first.ok && Buffer.from(first.challenge).equals(Buffer.from(c.challenge))).toBe(true);
    expect(await store.consume(c.challengeId, 'a', NOW + 2000)).toEqual({ ok: false, code: 'challenge_replayed' });
  });

  it('an expired challenge is refused, and then counts as used', async () => {
    const c = await issue(store);
    expect(await store.consume(c.challengeId, 'a', NOW + 120_001)).toEqual({ ok: false, code: 'challenge_expired' });
    expect(await store.consume(c.challengeId, 'a', NOW + 1)).toEqual({ ok: false, code: 'challenge_replayed' });
  });

  it('an unknown id is unknown', async () => {
    expect(await store.consume('x'.repeat(22), 'a', NOW)).toEqual({ ok: false, code: 'challenge_unknown' });
  });

  it('two racing consumers: exactly one wins', async () => {
    const c = await issue(store);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.consume(c.challengeId, 'a', NOW + 5)));
    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(results.filter((r) => !r.ok && r.code === 'challenge_replayed').length).toBe(7);
  });

  it("another tenant's challenge is unknown to it, and stays usable by its own tenant", async () => {
    const c = await issue(store, NOW, tn('owner'));
    // Presented by another tenant, repeatedly: unknown every time, never replayed or used up.
    for (let i = 0; i < 3; i++) expect(await store.consume(c.challengeId, tn('intruder'), NOW + 10)).toEqual({ ok: false, code: 'challenge_unknown' });
    const own = await store.consume(c.challengeId, tn('owner'), NOW + 20);
    expect(own.ok && Buffer.from(own.challenge).equals(Buffer.from(c.challenge))).toBe(true);
    expect(await store.consume(c.challengeId, tn('intruder'), NOW + 30)).toEqual({ ok: false, code: 'challenge_unknown' });
  });

  it('bounds the outstanding challenges per tenant; using or expiring one frees its place', async () => {
    const t = tn('bounded');
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await issue(store, NOW + i, t, 3));
    expect(await store.outstanding(t, NOW + 10)).toBe(3);
    const refused = await store.issue(t, NOW + 10, 120_000, 3);
    // The oldest expires at NOW + 120_000: the retry delay says so.
    expect(refused).toEqual({ ok: false, code: 'too_many_challenges', retryAfterMs: 120_000 - 10 });
    // Another tenant is not affected.
    expect((await store.issue(tn('other'), NOW + 10, 120_000, 3)).ok).toBe(true);
    // Using one frees a place…
    expect((await store.consume(held[0].challengeId, t, NOW + 11)).ok).toBe(true);
    expect(await store.outstanding(t, NOW + 11)).toBe(2);
    expect((await store.issue(t, NOW + 12, 120_000, 3)).ok).toBe(true);
    expect((await store.issue(t, NOW + 12, 120_000, 3)).ok).toBe(false);
    // …and so does expiry: held[1] and held[2] expire at NOW + 120_001 and + 120_002.
    expect(await store.outstanding(t, NOW + 120_002)).toBe(2);
    expect(await store.outstanding(t, NOW + 120_003)).toBe(1);
    expect((await store.issue(t, NOW + 120_003, 120_000, 3)).ok).toBe(true);
    // A consume by another tenant frees nothing.
    const c = await issue(store, NOW + 120_004, t, 3);
    expect((await store.consume(c.challengeId, tn('other'), NOW + 120_005)).ok).toBe(false);
    expect(await store.outstanding(t, NOW + 120_005)).toBe(3);
    expect((await store.issue(t, NOW + 120_005, 120_000, 3)).ok).toBe(false);
  });
});
