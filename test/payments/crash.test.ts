// Money moves at most once when the relay dies mid-payment: the relay (`jpki-verify serve`, its own
// process, on the PostgreSQL server), a reference institution (its own process), and between them
// a proxy that forwards the authorisation and holds the institution's approval. The relay is
// SIGKILLed while the answer is held, restarted, and the terminal retries with the same key.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptPin } from '../../src/dev/institution/pin.js';
import { REPO_ROOT } from '../conformance/shared.js';
import { clusterDatabase, freePort, spawnService, until, type WorkerProc } from '../helpers/cluster.js';
import { authBodyFor, makeTestPki } from '../helpers/service.js';

const DB = await clusterDatabase();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY = 'crash-test-shop-key-0001';
const SECRET = 'relay-secret-crash-bank-01';
const PIN_KEY = 'terminal-pin-key-crash-bank';
const prefix = `jpkitest${process.pid}crash${Date.now().toString(36)}`;
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
const t0 = Date.now() - 60_000;
const { dir, pki, holder } = makeTestPki(t0);
let bank: ChildProcess;
let bankUrl = '';
let relay: WorkerProc;
let proxy: Server;
let configFile = '';

// The proxy: forwards /authorize to the bank; while `hold` is set it keeps the bank's answer.
let hold = false;
const held: { body: string; res: ServerResponse }[] = [];
const forward = (req: IncomingMessage, res: ServerResponse): void => {
  let body = '';
  req.on('data', (d) => (body += String(d)));
  req.on('end', () => {
    const up = request(
      `${bankUrl}${req.url}`,
      { method: req.method, headers: { 'content-type': 'application/json', 'x-jpki-signature': String(req.headers['x-jpki-signature']) } },
      (answer) => {
        let text = '';
        answer.on('data', (d) => (text += String(d)));
        answer.on('end', () => {
          if (hold) return void held.push({ body: text, res }); // the approval exists; the relay never hears it
          res.writeHead(answer.statusCode!, { 'content-type': 'application/json', 'x-jpki-signature': String(answer.headers['x-jpki-signature']) });
          res.end(text);
        });
      },
    );
    up.end(body);
  });
};

const balance = async () => Number(await redis.hget(`${prefix}:inst:{bank-x}:acct:1111222233334444`, 'balance'));
const bankStats = async () => (await (await fetch(`${bankUrl}/stats`)).json()) as { requests: number; approved: number };
const post = async (path: string, body: unknown) => {
  const r = await fetch(`${relay.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as any, headers: r.headers };
};
const auth = async () => {
  const ch = (await post('/v1/challenges', {})).body;
  return authBodyFor(pki, holder('a30'), { challengeId: ch.challengeId, challenge: Buffer.from(ch.challenge, 'base64') });
};

beforeAll(async () => {
  const bankPort = await freePort();
  const bankFile = join(dir, 'bank.json');
  writeFileSync(
    bankFile,
    JSON.stringify({
      id: 'bank-x',
      port: bankPort,
      secret: SECRET,
      pinKey: PIN_KEY,
      redisUrl: 'redis://127.0.0.1:6379',
      prefix,
      accounts: [{ accountRef: '1111222233334444', kind: 'debit', balance: 10_000, pin: '1234' }],
    }),
  );
  bank = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'institution', '--config', bankFile], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  bank.stdout!.on('data', (d) => (out += String(d)));
  bankUrl = await until(async () => /"url":"(http:[^"]+)"/.exec(out)?.[1], 30_000, 50);
  proxy = createServer(forward);
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  configFile = join(dir, 'relay.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      port: await freePort(),
      logLevel: 'info',
      trust: { roots: [join(dir, 'trust')] },
      crl: { sources: [join(dir, 'crl')], cacheDir: join(dir, 'cache'), retries: 1, backoffMs: 0 },
      pool: { threads: 1 },
      database: { url: DB, poolSize: 4, timeoutMs: 3000 },
      tenants: [{ id: 'shop', apiKeySha256: sha(KEY), linkedCards: true }],
      payments: {
        institutions: [{ id: 'bank-x', endpoint: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`, secret: SECRET, timeoutMs: 1500 }],
        callMarginMs: 300,
      },
    }),
  );
  relay = await spawnService(configFile);
  const enrol = await post('/v1/links', {
    ...(await auth()),
    customerRef: 'cust-30',
    cards: [{ institution: 'bank-x', kind: 'debit', accountRef: '1111222233334444' }],
  });
  expect(enrol.status).toBe(201);
}, 90_000);

afterAll(async () => {
  relay?.child.kill('SIGKILL');
  bank?.kill('SIGTERM');
  for (const h of held) h.res.destroy();
  proxy?.close();
  proxy?.closeAllConnections();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('relay killed mid-payment', () => {
  it('debits once, and the retry with the same key gets the approval the bank made, with its authorizationId', async () => {
    const payment = { method: 'debit', amount: 2_500, currency: 'JPY', terminalId: 'shop-terminal-01', idempotencyKey: 'order-crash-0001' };
    hold = true;
    const inFlight = post('/v1/payments/authorize', { ...(await auth()), ...payment, pinBlock: encryptPin('1234', PIN_KEY) }).then(
      () => 'answered',
      () => 'no answer',
    );
    await until(async () => held.length === 1, 20_000, 10);
    const approval = JSON.parse(held[0].body) as { decision: string; authorizationId: string };
    expect(approval.decision).toBe('approved');
    expect(await balance()).toBe(7_500); // the bank moved the money
    relay.child.kill('SIGKILL');
    await relay.exited;
    expect(await inFlight).toBe('no answer'); // the terminal never heard

    hold = false;
    relay = await spawnService(configFile);
    // Retry as a terminal does: same key, a fresh challenge and card signature, honouring Retry-After.
    let r: Awaited<ReturnType<typeof post>>;
    const inProgress: number[] = [];
    for (let i = 0; ; i++) {
      r = await post('/v1/payments/authorize', { ...(await auth()), ...payment, pinBlock: encryptPin('1234', PIN_KEY) });
      if (r.body.code !== 'idempotency_in_progress') break;
      inProgress.push(Number(r.headers.get('retry-after')));
      expect(i).toBeLessThan(10);
      await new Promise((w) => setTimeout(w, 250));
    }
    expect(inProgress.every((s) => s >= 1)).toBe(true);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ decision: 'approved', authorizationId: approval.authorizationId, idempotencyKey: payment.idempotencyKey });
    expect(await balance()).toBe(7_500); // once
    expect((await bankStats()).approved).toBe(1);
    // The decision is recorded now: a further repeat is answered from the record.
    const again = await post('/v1/payments/authorize', { ...(await auth()), ...payment, pinBlock: encryptPin('1234', PIN_KEY) });
    expect(again.body).toMatchObject({ decision: 'approved', repeat: true, authorizationId: approval.authorizationId });
    expect(await balance()).toBe(7_500);
    // And audited once, with the decision.
    const audit = await (await fetch(`${relay.url}/v1/audit?limit=1000`, { headers: { 'x-api-key': KEY } })).json();
    expect((audit as { records: { code: string }[] }).records.filter((x) => x.code === 'approved:approved')).toHaveLength(1);
  });
});
