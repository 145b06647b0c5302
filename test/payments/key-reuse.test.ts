// Found by an attack pass (fixed): the institution's idempotency key was `${tenant}:${idempotencyKey}`, fixed for ever. Once
// the relay's record has expired (payments.idempotencyTtlSec) the same key starts a NEW payment
// at the relay, but the institution still holds its answer for that key (the reference
// institution: 24 h; real ones often longer) and replays it: the relay records and shows
// "approved" for a payment on which no money moved, with another holder's authorizationId.
// The same collision happens at once, across tenants, when a tenant id contains ':'.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstitution, type Institution } from '../../src/dev/institution/server.js';
import { startTestService, type TestService } from '../helpers/service.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY_SHOP = 'attack-shop-key-000001';
const KEY_SHOPX = 'attack-shopx-key-00002';
const SECRET = 'relay-secret-attack-0001';
const prefix = `jpkiattack${process.pid}${Date.now().toString(36)}`;
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
let t: TestService;
let inst: Institution;

beforeAll(async () => {
  inst = await startInstitution({
    id: 'card-y',
    port: 0,
    secret: SECRET,
    pinKey: 'pin-key-unused',
    redisUrl: 'redis://127.0.0.1:6379',
    prefix,
    accounts: [
      { accountRef: '4111111111111111', kind: 'credit', limit: 100_000 },
      { accountRef: '4333333333333333', kind: 'credit', limit: 100_000 },
      { accountRef: '4444444444444444', kind: 'credit', limit: 100_000 },
    ],
  });
  t = await startTestService({
    redis: { url: 'redis://127.0.0.1:6379', prefix, cluster: false },
    tenants: [
      { id: 'shop', apiKeySha256: sha(KEY_SHOP), linkedCards: true },
      // Tenant ids are free text (config.ts accepts any non-empty string).
      { id: 'shop:x', apiKeySha256: sha(KEY_SHOPX), linkedCards: true },
    ],
    payments: {
      institutions: [{ id: 'card-y', endpoint: inst.url, secret: SECRET, timeoutMs: 3000 }],
      circuitFailures: 5,
      circuitOpenMs: 10_000,
      idempotencyTtlSec: 60,
      callMarginMs: 1000,
    },
  });
}, 90_000);

afterAll(async () => {
  await t?.svc.close();
  await inst?.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const used = async (ref: string) => Number(await redis.hget(`${prefix}:inst:{card-y}:acct:${ref}`, 'used'));
const auth = async (id: string, key: string) => t.authBody(t.holder(id), await t.challenge(key));
const enrol = async (id: string, key: string, accountRef: string) => {
  const r = await t.post(
    '/v1/links',
    { ...(await auth(id, key)), customerRef: `cust-${id}`, cards: [{ institution: 'card-y', kind: 'credit', accountRef }] },
    { key },
  );
  expect(r.status).toBe(201);
};
const pay = async (id: string, key: string, body: Record<string, unknown>) =>
  t.post('/v1/payments/authorize', { ...(await auth(id, key)), method: 'credit', currency: 'JPY', terminalId: 'till-1', ...body }, { key });

describe('idempotency key reuse reaches the institution with the old institution key', () => {
  it('after the relay record expired: a new payment (another holder, another card) is "approved" with no money moved', async () => {
    await enrol('a30', KEY_SHOP, '4111111111111111');
    await enrol('a31', KEY_SHOP, '4333333333333333');
    // Day 1: receipt number 0001 of till-1.
    const first = await pay('a30', KEY_SHOP, { amount: 1_000, idempotencyKey: 'till-1-receipt-0001' });
    expect(first.body).toMatchObject({ decision: 'approved', repeat: false });
    expect(await used('4111111111111111')).toBe(1_000);
    // The relay's record expires (idempotencyTtlSec = 60 here; 86 400 by default). The key is free
    // again at the relay: e.g. the till's receipt counter restarts the next day.
    t.clock.now += 61_000;
    const second = await pay('a31', KEY_SHOP, { amount: 5_000, idempotencyKey: 'till-1-receipt-0001' });
    console.log('second payment answer:', JSON.stringify(second.body));
    expect(second.status).toBe(200);
    // What must hold: either money moved for the new payment, or it is not approved.
    const moved = await used('4333333333333333');
    console.log('debited on the second card:', moved);
    if (second.body.decision === 'approved') {
      expect(second.body.authorizationId).not.toBe(first.body.authorizationId); // another holder's authorisation
      expect(moved).toBe(5_000); // before the fix: 0 — approved, nothing charged
    }
  });

  it("tenant 'shop' key 'x:order-0001' and tenant 'shop:x' key 'order-0001' are one institution key", async () => {
    await enrol('a32', KEY_SHOP, '4111111111111111');
    await enrol('a33', KEY_SHOPX, '4444444444444444');
    const a = await pay('a32', KEY_SHOP, { amount: 700, idempotencyKey: 'x:order-0001' });
    expect(a.body).toMatchObject({ decision: 'approved' });
    const before = await used('4444444444444444');
    const b = await pay('a33', KEY_SHOPX, { amount: 9_000, idempotencyKey: 'order-0001' });
    console.log('other tenant answer:', JSON.stringify(b.body));
    if (b.body.decision === 'approved') {
      expect(b.body.authorizationId).not.toBe(a.body.authorizationId); // before the fix: tenant shop's authorisation
      expect((await used('4444444444444444')) - before).toBe(9_000); // before the fix: 0
    }
  });
});
