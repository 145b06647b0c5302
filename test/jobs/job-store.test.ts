// The bulk-job stores behind one interface: the same suite on memory and on real Redis.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryJobStore } from '../../src/jobs/memory-store.js';
import { RedisJobStore } from '../../src/jobs/redis-store.js';
import type { JobStore } from '../../src/jobs/store.js';
import { redisKeys } from '../../src/redis-keys.js';

const prefix = `jpkitest${process.pid}j${Date.now().toString(36)}`;
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const clock = { now: 1_000_000 };
const stores: [string, () => JobStore][] = [
  ['memory', () => new MemoryJobStore(60_000, () => clock.now)],
  ['redis', () => new RedisJobStore(redis, redisKeys(prefix), 60)],
];

describe.each(stores)('%s job store', (_name, make) => {
  const store = make();
  const id = () => `job${Math.random().toString(36).slice(2)}`;

  it('records known results at creation and chunks once each, completing exactly once', async () => {
    const j = id();
    await store.create({ id: j, tenant: 'a', total: 5, createdAt: 1, webhook: null }, [[4, '{"error":{"code":"malformed_base64"}}', true]]);
    expect(await store.get(j)).toMatchObject({ tenant: 'a', total: 5, done: 1, errors: 1, state: 'running', completedAt: null });
    expect(await store.record(j, 0, [[0, '"r0"', false], [1, '"r1"', false]], 10)).toBe('recorded');
    // The same chunk again (its worker died after recording): not counted twice.
    expect(await store.record(j, 0, [[0, '"r0"', false], [1, '"r1"', false]], 11)).toBe('duplicate');
    expect((await store.get(j))!.done).toBe(3);
    expect(await store.record(j, 1, [[2, '"r2"', false], [3, '"r3"', false]], 12)).toBe('completed');
    expect(await store.get(j)).toMatchObject({ done: 5, errors: 1, state: 'completed', completedAt: 12 });
    expect(await store.results(j, 0, 5)).toEqual(['"r0"', '"r1"', '"r2"', '"r3"', '{"error":{"code":"malformed_base64"}}']);
    expect(await store.results(j, 3, 1)).toEqual(['"r3"']);
  });

  it('answers null for unknown jobs and gone for chunks of unknown jobs', async () => {
    expect(await store.get('nope')).toBeNull();
    expect(await store.record('nope', 0, [[0, '"x"', false]], 1)).toBe('gone');
  });

  it('shows nulls for results not in yet', async () => {
    const j = id();
    await store.create({ id: j, tenant: 'b', total: 3, createdAt: 1, webhook: 'http://x/y' }, []);
    await store.record(j, 2, [[1, '"mid"', false]], 2);
    expect(await store.results(j, 0, 3)).toEqual([null, '"mid"', null]);
    expect((await store.get(j))!.webhook).toBe('http://x/y');
  });
});

describe('job retention', () => {
  it('memory: a job is gone after the retention time', async () => {
    const s = new MemoryJobStore(1000, () => clock.now);
    await s.create({ id: 'old', tenant: 'a', total: 1, createdAt: clock.now, webhook: null }, []);
    clock.now += 1001;
    expect(await s.get('old')).toBeNull();
  });

  it('redis: every key of a job carries the retention TTL', async () => {
    const keys = redisKeys(prefix);
    const s = new RedisJobStore(redis, keys, 60);
    await s.create({ id: 'ttl', tenant: 'a', total: 2, createdAt: 1, webhook: null }, []);
    await s.record('ttl', 0, [[0, '"a"', false]], 2);
    for (const k of [keys.jobMeta('ttl'), keys.jobResults('ttl'), keys.jobChunks('ttl')]) {
      const ttl = await redis.ttl(k);
      expect(ttl, k).toBeGreaterThan(50);
      expect(ttl, k).toBeLessThanOrEqual(60);
    }
  });
});
