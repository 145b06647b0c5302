// The platform store (the SQL system of record): the same suite on PGlite and on the real
// PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { SqlPlatformStore } from '../../src/platform/sql-store.js';
import type { Change, Link, PaymentCall, Watch } from '../../src/platform/store.js';
import { openTestDatabase } from '../helpers/db.js';

const clock = { now: 1_000_000 };
const link = (cid: string, ref: string): Link => ({
  conversionId: cid,
  customerRef: ref,
  cards: [{ id: 'c1', institution: 'bank', kind: 'bank', accountRef: '12345678', label: null }],
  createdAt: 1,
  updatedAt: 2,
});
const watch = (id: string, tenant: string): Watch => ({
  id,
  tenant,
  conversionId: 'cid',
  customerRef: null,
  issuerKeyId: 'ab',
  partitions: ['p'],
  serialHex: '0102',
  fingerprint: 'f',
  status: 'good',
  reason: null,
  registeredAt: 1,
  checkedAt: 1,
});
const change = (n: number): Change => ({
  watchId: `w${n}`,
  conversionId: 'cid',
  customerRef: null,
  from: 'good',
  to: 'revoked',
  reason: 'superseded',
  action: 'stop_using_certificate',
  revokedAt: n,
  crl: null,
  at: n,
});
const call: PaymentCall = { cardId: 'card_1', institution: 'bank', accountRef: '4111', institutionKey: 'a:k1' };

describe.each(['pglite', 'postgres'] as const)('%s platform store', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  let s: SqlPlatformStore;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
    s = new SqlPlatformStore(db, () => clock.now);
  });
  afterAll(() => close());

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

  it('keeps the first alias of a serial and follows chains to their root, bounded', async () => {
    expect(await s.addAlias('new1', 'old1')).toBe(true);
    expect(await s.addAlias('new1', 'other')).toBe(false);
    expect(await s.aliasOf('new1')).toBe('old1');
    expect(await s.aliasOf('old1')).toBeNull();
    await s.addAlias('newer1', 'new1');
    expect(await s.rootSerial('newer1', 16)).toBe('old1');
    expect(await s.rootSerial('lonely', 16)).toBe('lonely');
    await s.addAlias('loopA', 'loopB');
    await s.addAlias('loopB', 'loopA');
    expect(['loopA', 'loopB']).toContain(await s.rootSerial('loopA', 16)); // a loop still ends
    expect(await s.rootSerial('loopA', 16)).toBe(await s.rootSerial('loopA', 16));
  });

  it('resolves a serial to its conversion ID (through aliases) and link in one go, agreeing under races', async () => {
    const first = await s.resolve('r', 'renewed2', 16, true);
    expect(first).toEqual({ conversionId: expect.stringMatching(/^cid_/), link: null, payment: null });
    expect(await s.resolve('r', 'renewed2', 16, false)).toEqual(first);
    await s.addAlias('renewed3', 'renewed2'); // a renewal continues the old serial
    expect((await s.resolve('r', 'renewed3', 16, true)).conversionId).toBe(first.conversionId);
    await s.putLink('r', link(first.conversionId, 'cust-r'));
    expect((await s.resolve('r', 'renewed3', 16, true)).link?.customerRef).toBe('cust-r');
    expect((await s.resolve('r', 'renewed3', 16, false)).link).toBeNull(); // not asked for
    expect((await s.resolve('other', 'renewed3', 16, true)).conversionId).not.toBe(first.conversionId);
    const many = await Promise.all(Array.from({ length: 40 }, () => s.resolve('race2', 'same-serial', 16, true)));
    expect(new Set(many.map((m) => m.conversionId)).size).toBe(1);
  });

  it("reads a payment key's record with the link, in the same statement, as peekPayment does", async () => {
    const t = clock.now;
    const pay = (key: string, now = t) => s.resolve('rp', 'pay-serial', 16, true, { key, now });
    expect((await pay('rp-k1')).payment).toBeNull();
    await s.startCall('rp', 'rp-k1', 'fp', call, t, t + 5000, 1000);
    const [got, again, other] = await Promise.all([pay('rp-k1'), pay('rp-k1', t + 99_999), pay('rp-k2')]); // one statement
    expect(got.payment).toEqual(await s.peekPayment('rp', 'rp-k1', t));
    expect(again.payment).toMatchObject({ state: 'pending' }); // pending never expires
    expect(other.payment).toBeNull();
    expect(other.conversionId).toBe(got.conversionId);
    const audit = { at: t, route: 'r', code: 'c', certificate: null };
    await s.finishPayment('rp', 'rp-k1', 'fp', '{"d":1}', audit, { now: t, ttlMs: 1000, afterCall: true });
    expect((await pay('rp-k1')).payment).toMatchObject({ state: 'done', decision: '{"d":1}' });
    expect((await pay('rp-k1', t + 2000)).payment).toBeNull(); // past its TTL, as peekPayment
    expect(await s.peekPayment('rp', 'rp-k1', t + 2000)).toBeNull();
  });

  it('stores, lists (all pages), and deletes links per tenant', async () => {
    for (let i = 0; i < 25; i++) await s.putLink('a', link(`cid_${String(i).padStart(3, '0')}`, `r${i}`));
    await s.putLink('b', link('cid_b', 'rb'));
    expect((await s.getLink('a', 'cid_003'))?.customerRef).toBe('r3');
    expect((await s.getLink('a', 'cid_003'))?.cards[0].accountRef).toBe('12345678');
    expect(await s.getLink('b', 'cid_003')).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: { links: Link[]; next: string | null } = await s.listLinks('a', cursor, 10);
      expect(p.links.length).toBeLessThanOrEqual(10);
      seen.push(...p.links.map((l) => l.customerRef));
      cursor = p.next;
    } while (cursor);
    expect(seen.length).toBe(25);
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

  it('records a page of changes with their watches, and pages changes per tenant from a cursor', async () => {
    for (let i = 1; i <= 3; i++) await s.appendChange('a', change(i));
    const cursors = await s.recordChanges([
      { watch: { ...watch('w2', 'a'), status: 'revoked' }, change: change(4) },
      { watch: { ...watch('w4', 'a'), status: 'revoked' }, change: change(5) },
    ]);
    expect(cursors).toHaveLength(2);
    expect((await s.getWatch('w4'))?.status).toBe('revoked');
    await s.appendChange('b', change(99));
    const first = await s.changes('a', null, 3);
    expect(first.items.map((c) => c.watchId)).toEqual(['w1', 'w2', 'w3']);
    const rest = await s.changes('a', first.next, 3);
    expect(rest.items.map((c) => c.watchId)).toEqual(['w4', 'w5']);
    expect(rest.items.map((c) => c.cursor)).toEqual(cursors);
    expect(rest.next).toBeNull();
    expect((await s.changes('a', rest.items[1].cursor, 3)).items).toEqual([]);
    expect((await s.changes('a', 'not-a-cursor', 3)).items).toEqual([]);
  });

  it('appends audit records of several tenants in one go, pages them, and prunes by time and count', async () => {
    await s.appendAudit([
      { tenant: 'aud', at: 10, route: '/v1/verify/auth', code: 'ok', certificate: 'f1' },
      { tenant: 'aud2', at: 15, route: '/v1/verify/auth', code: 'ok', certificate: null },
      { tenant: 'aud', at: 20, route: '/v1/verify/auth', code: 'revoked', certificate: 'f2' },
    ]);
    const audit = await s.audit('aud', null, 10);
    expect(audit.items.map((x) => [x.code, x.certificate, x.at])).toEqual([
      ['ok', 'f1', 10],
      ['revoked', 'f2', 20],
    ]);
    expect((await s.audit('aud2', null, 10)).items).toHaveLength(1);
    expect((await s.audit('nobody', null, 10)).items).toEqual([]);
    for (let i = 0; i < 5; i++)
      await s.appendAudit(
        Array.from({ length: 100 }, (_, j) => ({ tenant: 'cap', at: 1000 + i * 100 + j, route: '/v1/verify/auth', code: 'ok', certificate: null })),
      );
    await s.prune(clock.now, 15, 100);
    const kept = (await s.audit('cap', null, 1000)).items;
    expect(kept).toHaveLength(100);
    expect(kept[0].at).toBe(1400); // the newest stay
    expect((await s.audit('aud', null, 10)).items.map((x) => x.at)).toEqual([20]); // older than 15 went
  });

  it('commits a call pending before it is made, lets a retry take it over only past its deadline, and keeps the first decision', async () => {
    const t = clock.now;
    const o = (afterCall: boolean, now = t) => ({ now, ttlMs: 60_000, afterCall });
    const audit = (code: string) => ({ at: t, route: '/v1/payments/authorize', code, certificate: 'h1' });
    expect(await s.peekPayment('a', 'k1', t)).toBeNull();
    expect(await s.startCall('a', 'k1', 'fp1', call, t, t + 5000, 60_000)).toEqual({ call });
    expect(await s.peekPayment('a', 'k1', t)).toEqual({ state: 'pending', requestFp: 'fp1', call, callDeadline: t + 5000, decision: null });
    // Another request with the key meets the record bound to the first.
    expect(await s.startCall('a', 'k1', 'fp2', call, t + 9000, t + 14_000, 60_000)).toMatchObject({ record: { requestFp: 'fp1', state: 'pending' } });
    // The same key under another tenant is another record.
    expect(await s.startCall('b', 'k1', 'fpb', call, t, t + 5000, 60_000)).toEqual({ call });
    // While the call may be in flight nobody else takes it…
    expect(await s.startCall('a', 'k1', 'fp1', { ...call, cardId: 'other' }, t + 1000, t + 6000, 60_000)).toMatchObject({ record: { state: 'pending' } });
    // …past its deadline a retry takes it over with the call first recorded.
    expect(await s.startCall('a', 'k1', 'fp1', { ...call, cardId: 'other', accountRef: '9999' }, t + 5000, t + 10_000, 60_000)).toEqual({ call });
    // Another request cannot finish it, nor decide without a call over it.
    expect(await s.finishPayment('a', 'k1', 'fp2', '{"decision":"approved"}', audit('x'), o(true))).toMatchObject({ record: { requestFp: 'fp1' } });
    expect(await s.finishPayment('a', 'k1', 'fp1', '{"decision":"declined"}', audit('x'), o(false))).toMatchObject({ record: { state: 'pending' } });
    const d1 = JSON.stringify({ decision: 'approved', authorizationId: 'x1' });
    const before = (await s.audit('a', null, 1000)).items.length;
    expect(await s.finishPayment('a', 'k1', 'fp1', d1, audit('approved:approved'), o(true))).toEqual({ stored: true });
    expect((await s.audit('a', null, 1000)).items.length).toBe(before + 1); // with its audit record
    // A slower run that finishes later does not overwrite it, and adds no audit record.
    expect(await s.finishPayment('a', 'k1', 'fp1', '{"decision":"declined"}', audit('declined:x'), o(true))).toEqual({
      record: { state: 'done', requestFp: 'fp1', call, callDeadline: t + 10_000, decision: d1 },
    });
    expect((await s.audit('a', null, 1000)).items.length).toBe(before + 1);
    expect(await s.startCall('a', 'k1', 'fp1', call, t + 50_000, t + 55_000, 60_000)).toMatchObject({ record: { state: 'done', decision: d1 } });
  });

  it('decides without a call only for a free key; lets a failed call be asked again; never expires a pending payment', async () => {
    const t = clock.now;
    const audit = { at: t, route: 'r', code: 'c', certificate: null };
    expect(await s.finishPayment('a', 'k3', 'fp', '{"decision":"declined"}', audit, { now: t, ttlMs: 1000, afterCall: false })).toEqual({ stored: true });
    expect(await s.finishPayment('a', 'k3', 'fp', '{"decision":"other"}', audit, { now: t, ttlMs: 1000, afterCall: false })).toMatchObject({
      record: { state: 'done', decision: '{"decision":"declined"}' },
    });
    // Past its TTL a done record is gone for the key, which then starts afresh.
    expect(await s.peekPayment('a', 'k3', t + 2000)).toBeNull();
    expect(await s.startCall('a', 'k3', 'fp9', call, t + 2000, t + 3000, 1000)).toEqual({ call });
    expect(await s.peekPayment('a', 'k3', t + 2000)).toMatchObject({ state: 'pending', requestFp: 'fp9', decision: null });

    await s.startCall('a', 'k2', 'fp', call, t, t + 5000, 1000);
    await s.endCall('a', 'k2', t + 100);
    expect(await s.startCall('a', 'k2', 'fp', call, t + 100, t + 5100, 1000)).toEqual({ call });
    // Long past its TTL, the pending record is still bound (the institution may have acted).
    await s.prune(t + 10_000, 0, 1_000_000);
    expect(await s.peekPayment('a', 'k2', t + 10_000)).toMatchObject({ state: 'pending', requestFp: 'fp' });
    expect(await s.startCall('a', 'k2', 'other', call, t + 10_000, t + 15_000, 1000)).toMatchObject({ record: { requestFp: 'fp' } });
  });

  it('lets exactly one of many concurrent retries take an expired call', async () => {
    const t = clock.now;
    await s.startCall('a', 'k4', 'fp', call, t, t + 10, 60_000);
    const takes = await Promise.all(Array.from({ length: 20 }, () => s.startCall('a', 'k4', 'fp', call, t + 20, t + 5000, 60_000)));
    expect(takes.filter((x) => 'call' in x)).toHaveLength(1);
  });

  it('answers calls made in one turn with one statement each, a key taken once however often it comes', async () => {
    const t = clock.now;
    const keys = Array.from({ length: 10 }, (_, i) => `batch-${i}`);
    const starts = await Promise.all(keys.flatMap((k) => [0, 1, 2].map(() => s.startCall('bt', k, 'fp', call, t, t + 5000, 60_000))));
    expect(starts.filter((x) => 'call' in x)).toHaveLength(10);
    expect(starts.filter((x) => 'record' in x).every((x) => 'record' in x && x.record.state === 'pending')).toBe(true);
    const before = (await s.audit('bt', null, 1000)).items.length;
    const o = { now: t, ttlMs: 60_000, afterCall: true };
    const fins = await Promise.all(
      keys.flatMap((k, i) =>
        [0, 1].map((j) => s.finishPayment('bt', k, 'fp', JSON.stringify({ i, j }), { at: t, route: 'r', code: `c${i}`, certificate: null }, o)),
      ),
    );
    expect(fins.filter((x) => 'stored' in x)).toHaveLength(10);
    expect((await s.audit('bt', null, 1000)).items.length - before).toBe(10); // one record per decision
    const peeks = await Promise.all(keys.map((k) => s.peekPayment('bt', k, t)));
    expect(peeks.every((p) => p?.state === 'done')).toBe(true);
    const free = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        s.finishPayment('bt', `nocall-${i % 3}`, 'fp', '{"d":1}', { at: t, route: 'r', code: 'n', certificate: null }, { ...o, afterCall: false }),
      ),
    );
    expect(free.filter((x) => 'stored' in x)).toHaveLength(3);
  });

  it("commits a turn's pending records and decisions in one statement; a start of a key decided in that turn goes after it", async () => {
    const t = clock.now;
    let statements = 0;
    const counted = new SqlPlatformStore({ ...db, query: (text, params) => (statements++, db.query(text, params)) }, () => clock.now);
    const o = { now: t, ttlMs: 60_000, afterCall: true };
    const audit = (code: string) => ({ at: t, route: 'r', code, certificate: null });
    await Promise.all(['w1', 'w2', 'w3'].map((k) => counted.startCall('wm', k, 'fp', call, t, t + 5000, 60_000)));
    const before = (await s.audit('wm', null, 1000)).items.length;
    statements = 0;
    const [d1, d2, s4, s5, s3] = await Promise.all([
      counted.finishPayment('wm', 'w1', 'fp', '{"d":1}', audit('a1'), o),
      counted.finishPayment('wm', 'w2', 'fp', '{"d":2}', audit('a2'), o),
      counted.startCall('wm', 'w4', 'fp', call, t, t + 5000, 60_000),
      counted.startCall('wm', 'w5', 'fp', call, t, t + 5000, 60_000),
      // A retry of w3 would take it over past its deadline, but its decision lands first.
      counted.startCall('wm', 'w3', 'fp', call, t + 9000, t + 14_000, 60_000),
      counted.finishPayment('wm', 'w3', 'fp', '{"d":3}', audit('a3'), o),
    ]);
    expect([d1, d2, s4, s5]).toEqual([{ stored: true }, { stored: true }, { call }, { call }]);
    expect(s3).toMatchObject({ record: { state: 'done', decision: '{"d":3}' } });
    expect(statements).toBe(3); // the turn's writes; then the start that waited, and the record in its way
    expect((await s.audit('wm', null, 1000)).items.length - before).toBe(3);
  });

  it('fails every payment of a batch whose statement fails, and writes none of them', async () => {
    const t = clock.now;
    const o = { now: t, ttlMs: 60_000, afterCall: true };
    await s.startCall('fb', 'f1', 'fp', call, t, t + 5000, 60_000);
    const before = (await s.audit('fb', null, 1000)).items.length;
    const outs = await Promise.allSettled([
      s.finishPayment('fb', 'f1', 'fp', '{"decision":"approved"}', { at: t, route: 'r', code: 'approved:approved', certificate: null }, o),
      s.startCall('fb', 'f2', 'fp', call, t, t + 5000, 60_000),
      // A value the database cannot hold (NUL) fails the whole statement.
      s.startCall('fb', 'f3', 'fp\0', call, t, t + 5000, 60_000),
    ]);
    expect(outs.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await s.peekPayment('fb', 'f1', t)).toMatchObject({ state: 'pending', decision: null }); // no decision without its audit record
    expect(await s.peekPayment('fb', 'f2', t)).toBeNull(); // not pending: the institution is never asked
    expect((await s.audit('fb', null, 1000)).items.length).toBe(before);
  });

  it('grants a claim once until it expires', async () => {
    expect(await s.claim('recheck:x', 60_000)).toBe(true);
    expect(await s.claim('recheck:x', 60_000)).toBe(false);
    expect(await s.claim('recheck:y', 60_000)).toBe(true);
    clock.now += 60_001;
    expect(await s.claim('recheck:x', 60_000)).toBe(true);
  });
});
