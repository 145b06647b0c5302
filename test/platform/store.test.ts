// The platform stores behind one interface: the same suite on memory and on real Redis.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryPlatformStore } from '../../src/platform/memory-store.js';
import { RedisPlatformStore } from '../../src/platform/redis-store.js';
import type { Change, Link, PlatformStore, Watch } from '../../src/platform/store.js';
import { redisKeys } from '../../src/redis-keys.js';

const prefix = `jpkitest${process.pid}s${Date.now().toString(36)}`;
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const clock = { now: 1_000_000 };
const stores: [string, () => PlatformStore][] = [
  ['memory', () => new MemoryPlatformStore(() => clock.now)],
  ['redis', () => new RedisPlatformStore(redis, redisKeys(`${prefix}${Math.random().toString(36).slice(2, 6)}`))],
];

const link = (cid: string, ref: string): Link => ({ conversionId: cid, customerRef: ref, cards: [{ id: 'c1', institution: 'bank', kind: 'bank', accountRef: '12345678', label: null }], createdAt: 1, updatedAt: 2 });
const watch = (id: string, tenant: string): Watch => ({ id, tenant, conversionId: 'cid', customerRef: null, issuerKeyId: 'ab', partitions: ['p'], serialHex: '0102', fingerprint: 'f', status: 'good', reason: null, registeredAt: 1, checkedAt: 1 });
const change = (n: number): Change => ({ watchId: `w${n}`, conversionId: 'cid', customerRef: null, from: 'good', to: 'revoked', reason: 'superseded', action: 'stop_using_certificate', revokedAt: n, crl: null, at: n });

describe.each(stores)('%s platform store', (_name, make) => {
  const s = make();

  it('makes one random conversion ID per tenant and subject, and maps it back', async () => {
    expect(await s.conversionId('a', 'ff01', false)).toBeNull();
    const a = await s.conversionId('a', 'ff01', true);
    expect(a).toMatch(/^cid_[A-Za-z0-9_-]{22}$/);
    expect(await s.conversionId('a', 'ff01', true)).toBe(a);
    const b = await s.conversionId('b', 'ff01', true);
    expect(b).not.toBe(a); // unlinkable across tenants
    expect(await s.subjectOf('a', a!)).toBe('ff01');
    expect(await s.subjectOf('b', a!)).toBeNull();
    const many = await Promise.all(Array.from({ length: 50 }, () => s.conversionId('c', 'race', true)));
    expect(new Set(many).size).toBe(1); // concurrent first uses agree
  });

  it('keeps the first alias of a serial', async () => {
    expect(await s.addAlias('new1', 'old1')).toBe(true);
    expect(await s.addAlias('new1', 'other')).toBe(false);
    expect(await s.aliasOf('new1')).toBe('old1');
    expect(await s.aliasOf('old1')).toBeNull();
  });

  it('stores, lists (all pages), and deletes links per tenant', async () => {
    for (let i = 0; i < 25; i++) await s.putLink('a', link(`cid_${String(i).padStart(3, '0')}`, `r${i}`));
    await s.putLink('b', link('cid_b', 'rb'));
    expect((await s.getLink('a', 'cid_003'))?.customerRef).toBe('r3');
    expect(await s.getLink('b', 'cid_003')).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: { links: Link[]; next: string | null } = await s.listLinks('a', cursor, 10);
      seen.push(...p.links.map((l) => l.customerRef));
      cursor = p.next;
    } while (cursor);
    expect(new Set(seen).size).toBe(25);
    expect(seen).not.toContain('rb');
    expect(await s.deleteLink('a', 'cid_003')).toBe(true);
    expect(await s.deleteLink('a', 'cid_003')).toBe(false);
  });

  it('stores and scans watches', async () => {
    for (let i = 0; i < 30; i++) await s.putWatch(watch(`w${i}`, i % 2 ? 'a' : 'b'));
    expect(await s.countWatches()).toBe(30);
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const p: { watches: Watch[]; next: string | null } = await s.scanWatches(cursor, 7);
      for (const w of p.watches) ids.add(w.id);
      cursor = p.next;
    } while (cursor);
    expect(ids.size).toBe(30);
    await s.putWatch({ ...watch('w1', 'a'), status: 'revoked' });
    expect((await s.getWatch('w1'))?.status).toBe('revoked');
    expect(await s.deleteWatch('w1')).toBe(true);
    expect(await s.getWatch('w1')).toBeNull();
  });

  it('pages changes and the audit trail from a cursor, per tenant, and prunes the audit by time', async () => {
    for (let i = 1; i <= 5; i++) await s.appendChange('a', change(i));
    await s.appendChange('b', change(99));
    const first = await s.changes('a', null, 3);
    expect(first.items.map((c) => c.watchId)).toEqual(['w1', 'w2', 'w3']);
    const rest = await s.changes('a', first.next, 3);
    expect(rest.items.map((c) => c.watchId)).toEqual(['w4', 'w5']);
    expect(rest.next).toBeNull();
    expect((await s.changes('a', rest.items[1].cursor, 3)).items).toEqual([]);
    await s.appendAudit('a', [{ at: 10, route: '/v1/verify/auth', code: 'ok', fingerprint: 'f1' }, { at: 20, route: '/v1/verify/auth', code: 'revoked', fingerprint: 'f2' }]);
    const audit = await s.audit('a', null, 10);
    expect(audit.items.map((x) => x.code)).toEqual(['ok', 'revoked']);
    expect((await s.audit('b', null, 10)).items).toEqual([]);
    await s.pruneAudit('a', Date.now() + 60_000); // Redis prunes by append time, memory by `at`
    expect((await s.audit('a', null, 10)).items).toEqual([]);
  });

  it('keeps at most the configured number of audit records per tenant, dropping the oldest', async () => {
    const small = _name === 'memory' ? new MemoryPlatformStore(() => clock.now, 100) : new RedisPlatformStore(redis, redisKeys(`${prefix}cap`), 100);
    for (let i = 0; i < 5; i++) await small.appendAudit('cap', Array.from({ length: 100 }, (_, j) => ({ at: i * 100 + j, route: '/v1/verify/auth', code: 'ok', fingerprint: null })));
    const kept = (await small.audit('cap', null, 1000)).items;
    expect(kept.length).toBeGreaterThanOrEqual(100);
    expect(kept.length).toBeLessThan(500); // Redis trims approximately (whole nodes)
    expect(kept[kept.length - 1].at).toBe(499); // the newest stay
  });

  it('grants a claim once until it expires', async () => {
    expect(await s.claim('recheck:x', 60_000)).toBe(true);
    expect(await s.claim('recheck:x', 60_000)).toBe(false);
    expect(await s.claim('recheck:y', 60_000)).toBe(true);
  });
});
