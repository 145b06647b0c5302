// The payment relay end to end: the service over real HTTP, two reference institutions as their
// own processes on real Redis, and a real server that never answers (an institution that hangs).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptPin } from '../../src/dev/institution/pin.js';
import { publishCrls } from '../../src/dev/sim/jlis-crl.js';
import { REPO_ROOT } from '../conformance/shared.js';
import { freePort, until } from '../helpers/cluster.js';
import { REVOKED, T0, startTestService, type TestService } from '../helpers/service.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY_SHOP = 'shop-network-key-000001';
const KEY_ATM = 'atm-network-key-0000002';
const PIN_KEY = { 'bank-x': 'terminal-pin-key-bank-x', 'card-y': 'terminal-pin-key-card-y' };
const SECRET = { 'bank-x': 'relay-secret-bank-x-0001', 'card-y': 'relay-secret-card-y-0002', 'slow-bank': 'relay-secret-slow-00003' };
const prefix = `jpkitest${process.pid}pay${Date.now().toString(36)}`;
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
let t: TestService;
const institutions: { id: string; child: ChildProcess; url: string }[] = [];
let hanging: Server;

const stats = async (id: string) =>
  (await (await fetch(`${institutions.find((i) => i.id === id)!.url}/stats`)).json()) as { requests: number; approved: number };

beforeAll(async () => {
  hanging = createServer(() => undefined); // accepts, never answers
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  const ports = { 'bank-x': await freePort(), 'card-y': await freePort() };
  t = await startTestService({
    platform: { auditRetentionSec: 86_400 },
    redis: { url: 'redis://127.0.0.1:6379', prefix, cluster: false },
    tenants: [
      { id: 'shop', apiKeySha256: sha(KEY_SHOP), linkedCards: true },
      { id: 'atm-net', apiKeySha256: sha(KEY_ATM), linkedCards: true, mode: 'proxy' },
    ],
    payments: {
      institutions: [
        { id: 'bank-x', endpoint: `http://127.0.0.1:${ports['bank-x']}`, secret: SECRET['bank-x'], timeoutMs: 3000 },
        { id: 'card-y', endpoint: `http://127.0.0.1:${ports['card-y']}`, secret: SECRET['card-y'], timeoutMs: 3000 },
        { id: 'slow-bank', endpoint: `http://127.0.0.1:${(hanging.address() as { port: number }).port}`, secret: SECRET['slow-bank'], timeoutMs: 300 },
      ],
      circuitFailures: 2,
      circuitOpenMs: 60_000,
      idempotencyTtlSec: 3600,
    },
  });
  // Each institution is its own process, on the port the relay was configured with.
  const startInstitution = async (id: 'bank-x' | 'card-y', accounts: unknown[]) => {
    const port = ports[id];
    const file = join(t.dir, `${id}.json`);
    writeFileSync(file, JSON.stringify({ id, port, secret: SECRET[id], pinKey: PIN_KEY[id], redisUrl: 'redis://127.0.0.1:6379', prefix, accounts }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'institution', '--config', file], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    const url = await until(async () => /"url":"(http:[^"]+)"/.exec(out)?.[1], 30_000, 50);
    institutions.push({ id, child, url });
  };
  await Promise.all([
    startInstitution('bank-x', [
      { accountRef: '1111222233334444', kind: 'debit', balance: 10_000, pin: '1234' },
      { accountRef: '5555666677778888', kind: 'debit', balance: 1_000, pin: '2468' },
      { accountRef: '0099887766', kind: 'bank', balance: 50_000, pin: '4321' },
    ]),
    startInstitution('card-y', [
      { accountRef: '4111111111111111', kind: 'credit', limit: 30_000 },
      { accountRef: '4222222222222222', kind: 'credit', limit: 5_000 },
      { accountRef: '4333333333333333', kind: 'credit', limit: 100_000 },
    ]),
  ]);
}, 90_000);

afterAll(async () => {
  await t?.svc.close();
  for (const i of institutions) i.child.kill('SIGTERM');
  hanging?.close();
  hanging?.closeAllConnections();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const auth = async (id: string, key: string) => t.authBody(t.holder(id), await t.challenge(key));
const enrol = async (id: string, key: string, cards: unknown[]) => {
  const r = await t.post('/v1/links', { ...(await auth(id, key)), customerRef: `cust-${id}`, cards }, { key });
  expect(r.status).toBe(201);
  return r.body.link;
};
let n = 0;
const pay = async (id: string, key: string, body: Record<string, unknown>) =>
  t.post(
    '/v1/payments/authorize',
    { ...(await auth(id, key)), terminalId: 'shop-terminal-01', currency: 'JPY', idempotencyKey: `pay-${Date.now()}-${n++}`, ...body },
    { key },
  );

describe('payment relay', () => {
  it('credit: approved within the limit, declined over it', async () => {
    await enrol('a20', KEY_SHOP, [{ institution: 'card-y', kind: 'credit', accountRef: '4111111111111111' }]);
    const ok = await pay('a20', KEY_SHOP, { method: 'credit', amount: 12_000 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ decision: 'approved', code: 'approved', institution: 'card-y', card: { masked: '************1111' } });
    expect(ok.body.authorizationId).toMatch(/^card-y-/);
    const over = await pay('a20', KEY_SHOP, { method: 'credit', amount: 20_000 });
    expect(over.body).toMatchObject({ decision: 'declined', code: 'over_limit' });
    expect(JSON.stringify(ok.body)).not.toContain('4111111111111111');
  });

  it('debit: insufficient balance is declined; a wrong PIN is declined; no PIN is an error', async () => {
    await enrol('a21', KEY_SHOP, [{ institution: 'bank-x', kind: 'debit', accountRef: '5555666677778888' }]);
    const poor = await pay('a21', KEY_SHOP, { method: 'debit', amount: 5_000, pinBlock: encryptPin('2468', PIN_KEY['bank-x']) });
    expect(poor.body).toMatchObject({ decision: 'declined', code: 'insufficient_funds', institution: 'bank-x' });
    const wrong = await pay('a21', KEY_SHOP, { method: 'debit', amount: 500, pinBlock: encryptPin('0000', PIN_KEY['bank-x']) });
    expect(wrong.body).toMatchObject({ decision: 'declined', code: 'wrong_pin' });
    const nopin = await pay('a21', KEY_SHOP, { method: 'debit', amount: 500 });
    expect(nopin.body).toMatchObject({ decision: 'error', code: 'pin_required' });
    const good = await pay('a21', KEY_SHOP, { method: 'debit', amount: 500, pinBlock: encryptPin('2468', PIN_KEY['bank-x']) });
    expect(good.body).toMatchObject({ decision: 'approved' });
  });

  it("ATM: the own bank's ATM and another bank's ATM both reach the holder's bank through the relay", async () => {
    const link = await enrol('a22', KEY_ATM, [{ institution: 'bank-x', kind: 'bank', accountRef: '0099887766' }]);
    const before = await stats('bank-x');
    const own = await pay('a22', KEY_ATM, { method: 'atm', amount: 10_000, terminalId: 'bank-x-atm-01', pinBlock: encryptPin('4321', PIN_KEY['bank-x']) });
    expect(own.body).toMatchObject({ decision: 'approved', institution: 'bank-x', conversionId: link.conversionId });
    const other = await pay('a22', KEY_ATM, { method: 'atm', amount: 10_000, terminalId: 'bank-y-atm-07', pinBlock: encryptPin('4321', PIN_KEY['bank-x']) });
    expect(other.body).toMatchObject({ decision: 'approved', institution: 'bank-x' });
    expect((await stats('bank-x')).approved - before.approved).toBe(2);
    expect(Number(await redis.hget(`${prefix}:inst:{bank-x}:acct:0099887766`, 'balance'))).toBe(30_000);
    expect(JSON.stringify(other.body)).not.toContain(t.holder('a22').serial); // proxy tenant
  });

  it('several cards: choose_card, then approved with the chosen card', async () => {
    await enrol('a23', KEY_SHOP, [
      { institution: 'card-y', kind: 'credit', accountRef: '4222222222222222', label: 'gold' },
      { institution: 'card-y', kind: 'credit', accountRef: '4333333333333333', label: 'business' },
    ]);
    const choose = await pay('a23', KEY_SHOP, { method: 'credit', amount: 9_000 });
    expect(choose.body).toMatchObject({ decision: 'choose_card', code: 'choose_card' });
    expect(choose.body.cards.map((c: { label: string }) => c.label).sort()).toEqual(['business', 'gold']);
    const business = choose.body.cards.find((c: { label: string }) => c.label === 'business');
    const paid = await pay('a23', KEY_SHOP, { method: 'credit', amount: 9_000, cardRef: business.id });
    expect(paid.body).toMatchObject({ decision: 'approved', card: { id: business.id, masked: '************3333' } });
    const bogus = await pay('a23', KEY_SHOP, { method: 'credit', amount: 9_000, cardRef: 'card_nope' });
    expect(bogus.body).toMatchObject({ decision: 'error', code: 'unknown_card' });
  });

  it('the documented flow: choose_card, then the same idempotency key with cardRef; its repeat is the same decision', async () => {
    const before = await stats('card-y');
    const body = { method: 'credit', amount: 1_000, currency: 'JPY', terminalId: 'shop-terminal-03', idempotencyKey: 'order-choose-then-pay' };
    const choose = await t.post('/v1/payments/authorize', { ...(await auth('a23', KEY_SHOP)), ...body }, { key: KEY_SHOP });
    expect(choose.body).toMatchObject({ decision: 'choose_card', repeat: false });
    const gold = choose.body.cards.find((c: { label: string }) => c.label === 'gold');
    const paid = await t.post('/v1/payments/authorize', { ...(await auth('a23', KEY_SHOP)), ...body, cardRef: gold.id }, { key: KEY_SHOP });
    expect(paid.body).toMatchObject({ decision: 'approved', repeat: false, card: { id: gold.id } });
    const again = await t.post('/v1/payments/authorize', { ...(await auth('a23', KEY_SHOP)), ...body, cardRef: gold.id }, { key: KEY_SHOP });
    expect(again.body).toMatchObject({ decision: 'approved', repeat: true, authorizationId: paid.body.authorizationId });
    expect((await stats('card-y')).approved - before.approved).toBe(1);
  });

  it('a key reused by another holder, or with a bogus signature, never shows the first decision', async () => {
    await enrol('a27', KEY_SHOP, [{ institution: 'card-y', kind: 'credit', accountRef: '4333333333333333' }]);
    const body = { method: 'credit', amount: 700, currency: 'JPY', terminalId: 'shop-terminal-04', idempotencyKey: 'order-shared-key' };
    const first = await t.post('/v1/payments/authorize', { ...(await auth('a20', KEY_SHOP)), ...body }, { key: KEY_SHOP });
    expect(first.body).toMatchObject({ decision: 'approved', repeat: false });
    // Another holder with the same key and the same payment: a conflict, decided after their own
    // JPKI check, with nothing of the first customer's decision.
    const other = await t.post('/v1/payments/authorize', { ...(await auth('a27', KEY_SHOP)), ...body }, { key: KEY_SHOP });
    expect(other.body).toMatchObject({ decision: 'error', code: 'idempotency_conflict', repeat: false });
    const leaked = JSON.stringify(other.body);
    for (const secret of [first.body.authorizationId, first.body.conversionId, first.body.card.id, first.body.card.masked])
      expect(leaked).not.toContain(secret);
    // The first holder's certificate with a bogus signature: declined by the JPKI check.
    const forged: Record<string, unknown> & { signature: string } = { ...(await auth('a20', KEY_SHOP)), ...body } as never;
    const sig = Buffer.from(forged.signature, 'base64');
    sig[5] ^= 0xff;
    const bogus = await t.post('/v1/payments/authorize', { ...forged, signature: sig.toString('base64') }, { key: KEY_SHOP });
    expect(bogus.body.decision).toBe('declined');
    expect(bogus.body.code).toMatch(/^jpki_/);
    expect(JSON.stringify(bogus.body)).not.toContain(first.body.authorizationId);
    // An unknown challenge with the key: no decision either.
    const replay = await t.post('/v1/payments/authorize', { ...forged, challengeId: 'AAAAAAAAAAAAAAAAAAAAAA' }, { key: KEY_SHOP });
    expect(replay.body).toMatchObject({ decision: 'declined', code: 'jpki_challenge_unknown' });
    // The rightful holder still gets the stored decision.
    const again = await t.post('/v1/payments/authorize', { ...(await auth('a20', KEY_SHOP)), ...body }, { key: KEY_SHOP });
    expect(again.body).toMatchObject({ decision: 'approved', repeat: true, authorizationId: first.body.authorizationId });
  });

  it('a revoked JPKI certificate is declined before the institution is called', async () => {
    await enrol('a24', KEY_SHOP, [{ institution: 'card-y', kind: 'credit', accountRef: '4111111111111111' }]);
    publishCrls({ dir: t.dir, now: T0 + 30_000, day: 1, revokedShare: 0, revoke: { ...REVOKED, a24: 1 } });
    await t.svc.local!.feed!.refresh();
    const before = await stats('card-y');
    const r = await pay('a24', KEY_SHOP, { method: 'credit', amount: 100 });
    expect(r.body).toMatchObject({ decision: 'declined', code: 'jpki_revoked', verdict: { code: 'revoked' } });
    expect((await stats('card-y')).requests).toBe(before.requests);
  });

  it('an institution that does not answer: a clear timeout error, then its circuit opens and calls fail at once', async () => {
    await enrol('a25', KEY_SHOP, [{ institution: 'slow-bank', kind: 'credit', accountRef: '9000000000000001' }]);
    const first = await pay('a25', KEY_SHOP, { method: 'credit', amount: 100 });
    expect(first.body).toMatchObject({ decision: 'error', code: 'institution_timeout', institution: 'slow-bank' });
    expect(first.body.message).toContain('300 ms');
    await pay('a25', KEY_SHOP, { method: 'credit', amount: 100 }); // second failure opens the circuit
    const t0 = Date.now();
    const open = await pay('a25', KEY_SHOP, { method: 'credit', amount: 100 });
    expect(open.body).toMatchObject({ decision: 'error', code: 'institution_unavailable' });
    expect(Date.now() - t0).toBeLessThan(250);
    const m = await (await fetch(`${t.url}/metrics`)).text();
    expect(m).toContain('jpki_institution_circuit_open{institution="slow-bank"} 1');
  });

  it('the same idempotency key twice gives one decision and moves money once', async () => {
    await enrol('a26', KEY_SHOP, [{ institution: 'bank-x', kind: 'debit', accountRef: '1111222233334444' }]);
    const body = {
      method: 'debit',
      amount: 2_500,
      currency: 'JPY',
      terminalId: 'shop-terminal-02',
      idempotencyKey: 'order-778899-payment',
      pinBlock: encryptPin('1234', PIN_KEY['bank-x']),
    };
    const a = await t.post('/v1/payments/authorize', { ...(await auth('a26', KEY_SHOP)), ...body }, { key: KEY_SHOP });
    const b = await t.post('/v1/payments/authorize', { ...(await auth('a26', KEY_SHOP)), ...body }, { key: KEY_SHOP });
    expect(a.body).toMatchObject({ decision: 'approved', repeat: false });
    expect(b.body).toMatchObject({ decision: 'approved', repeat: true, authorizationId: a.body.authorizationId });
    expect(Number(await redis.hget(`${prefix}:inst:{bank-x}:acct:1111222233334444`, 'balance'))).toBe(7_500);
    const other = await t.post('/v1/payments/authorize', { ...(await auth('a26', KEY_SHOP)), ...body, amount: 9 }, { key: KEY_SHOP });
    expect(other.body).toMatchObject({ decision: 'error', code: 'idempotency_conflict' });
  });

  it('never logs or stores a PIN block, and audits every decision', async () => {
    const block = encryptPin('8642', PIN_KEY['bank-x']);
    await pay('a21', KEY_SHOP, { method: 'debit', amount: 10, pinBlock: block });
    const logs = t.logs.join('');
    expect(logs).not.toContain(block);
    expect(logs).not.toContain('1111222233334444');
    // Nowhere in the system of record either: every text column of every table.
    const tables = await t.svc.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    for (const { table_name } of tables) {
      const rows = await t.svc.db.query(`SELECT * FROM ${table_name}`);
      expect(JSON.stringify(rows), table_name).not.toContain(block);
    }
    const all = await redis.keys(`${prefix}:*`);
    for (const k of all) {
      const type = await redis.type(k);
      const dump =
        type === 'string'
          ? await redis.get(k)
          : type === 'hash'
            ? JSON.stringify(await redis.hgetall(k))
            : type === 'stream'
              ? JSON.stringify(await redis.xrange(k, '-', '+'))
              : '';
      expect(dump ?? '', k).not.toContain(block);
    }
    const audit = (await (await fetch(`${t.url}/v1/audit?limit=1000`, { headers: { 'x-api-key': KEY_SHOP } })).json()) as {
      records: { route: string; code: string }[];
    };
    const codes = audit.records.filter((r) => r.route === '/v1/payments/authorize').map((r) => r.code);
    for (const c of [
      'approved:approved',
      'declined:over_limit',
      'declined:insufficient_funds',
      'choose_card:choose_card',
      'declined:jpki_revoked',
      'error:institution_timeout',
    ])
      expect(codes).toContain(c);
  });
});
