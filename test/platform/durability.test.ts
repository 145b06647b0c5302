// Durability and fail-closed storage, with real servers stopped and started under the service:
// the system of record survives Redis restarts and service restarts; while PostgreSQL is down
// callers get 503 store_unavailable (never a 200 without its audit record) and readiness is 503.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, until } from '../helpers/cluster.js';
import { privatePostgres } from '../helpers/db.js';
import { KEY_A, startTestService, type TestService } from '../helpers/service.js';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const enrol = async (t: TestService, id: string) => {
  const r = await t.post('/v1/links', {
    ...t.authBody(t.holder(id), await t.challenge()),
    customerRef: `cust-${id}`,
    cards: [{ institution: 'bank-x', kind: 'debit', accountRef: '0012345678' }],
  });
  expect(r.status).toBe(201);
  return r.body.link.conversionId as string;
};
const getLink = async (t: TestService, cid: string) => fetch(`${t.url}/v1/links/${cid}`, { headers: { 'x-api-key': KEY_A } });
const auditCount = async (t: TestService) =>
  ((await (await fetch(`${t.url}/v1/audit?limit=1000`, { headers: { 'x-api-key': KEY_A } })).json()) as { records: unknown[] }).records.length;

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await until(
    async () => {
      const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    },
    10_000,
    50,
  );
  return child;
}

describe('durability', () => {
  it('the embedded default (PGlite in a folder) keeps links, conversion IDs and the audit trail across restarts', async () => {
    const dbDir = join(mkdtempSync(join(tmpdir(), 'jpki-db-')), 'db');
    const first = await startTestService({ database: { url: null, dir: dbDir, poolSize: 1, timeoutMs: 3000 } });
    cleanups.push(() => first.svc.close());
    const cid = await enrol(first, 'a31');
    const audited = await auditCount(first);
    expect(audited).toBeGreaterThan(0);
    await first.svc.close();
    const second = await startTestService({
      database: { url: null, dir: dbDir, poolSize: 1, timeoutMs: 3000 },
      trust: first.config.trust,
      crl: first.config.crl,
    });
    cleanups.push(() => second.svc.close());
    const again = await getLink(second, cid);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { customerRef: string }).customerRef).toBe('cust-a31');
    expect(await auditCount(second)).toBe(audited);
  }, 60_000);

  it('a Redis restart without persistence loses only challenges: links and audit stay; readiness follows Redis', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    cleanups.push(() => void redis.kill('SIGKILL'));
    const t = await startTestService({
      challenge: { ttlSec: 120, store: 'redis' },
      redis: { url: `redis://127.0.0.1:${port}`, prefix: `dur${process.pid}`, cluster: false },
    });
    cleanups.push(() => t.svc.close());
    const cid = await enrol(t, 'a32');
    const audited = await auditCount(t);
    // Load through the outage: challenge, card signature, verification, over and over.
    const outcomes: string[] = [];
    let stop = false;
    const load = async (): Promise<void> => {
      while (!stop) {
        const ch = await t.post('/v1/challenges', {});
        if (ch.status !== 200) {
          outcomes.push(`challenge ${ch.status} ${ch.body.code}`);
          await new Promise((w) => setTimeout(w, 20));
          continue;
        }
        const r = await t.post(
          '/v1/verify/auth',
          t.authBody(t.holder('a33'), { challengeId: ch.body.challengeId, challenge: Buffer.from(ch.body.challenge, 'base64') }),
        );
        outcomes.push(`verify ${r.status} ${r.body.code ?? r.body.verdict?.code}`);
      }
    };
    const running = Promise.all([load(), load(), load()]);
    await until(async () => outcomes.length >= 30, 10_000, 10);
    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
    // Readiness follows as soon as the client sees the socket gone (on a loaded machine, not in
    // the same instant as the kill).
    let ready = await fetch(`${t.url}/readyz`);
    await until(async () => (ready = await fetch(`${t.url}/readyz`)).status === 503, 5_000, 20);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { message: string }).message).toContain('challenge store (Redis) unreachable');
    const ch = await t.post('/v1/challenges', {});
    expect(ch.status).toBe(503);
    expect(ch.body.code).toBe('store_unavailable');
    expect(ch.headers.get('retry-after')).toBeTruthy();
    await until(async () => outcomes.some((o) => o.startsWith('challenge 503')), 10_000, 10);
    redis = await startRedis(port); // empty: nothing was kept
    await until(async () => (await fetch(`${t.url}/readyz`)).status === 200, 20_000, 100);
    const settled = outcomes.length;
    await until(async () => outcomes.length >= settled + 30, 20_000, 10);
    stop = true;
    await running;
    // Every caller got a verdict or a typed 503 (a challenge consumed as Redis went away is
    // challenge_unknown or store_unavailable), never a 500; and the load recovered by itself.
    const kinds = new Set(outcomes.map((o) => o.replace(/ \d+$/, '')));
    expect(
      [...kinds].filter(
        (k) => !['verify 200 ok', 'challenge 503 store_unavailable', 'verify 503 store_unavailable', 'verify 200 challenge_unknown'].includes(k),
      ),
    ).toEqual([]);
    expect(outcomes.slice(-20).every((o) => o === 'verify 200 ok')).toBe(true);
    expect((await getLink(t, cid)).status).toBe(200);
    expect(await auditCount(t)).toBeGreaterThanOrEqual(audited);
    // The same holder keeps the same conversion ID after the restart.
    const who = await t.post('/v1/links/identify', t.authBody(t.holder('a32'), await t.challenge()));
    expect(who.body.conversionId).toBe(cid);
  }, 60_000);

  it('PostgreSQL stopped and restarted under load: 200 only with its audit record, else 503 store_unavailable; then recovery', async () => {
    const pg = await privatePostgres();
    cleanups.push(() => pg.destroy());
    const t = await startTestService({ database: { url: pg.url, dir: ':memory:', poolSize: 4, timeoutMs: 1000 } });
    cleanups.push(() => t.svc.close());
    // Challenges are issued ahead (memory store), so the load only needs the database for audit.
    const bodies = await Promise.all(Array.from({ length: 600 }, async (_, i) => t.authBody(t.holder(`a${40 + (i % 15)}`), await t.challenge())));
    const outcomes: { status: number; code: string; phase: string }[] = [];
    let phase = 'up';
    let next = 0;
    const load = async (): Promise<void> => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const seen = phase;
        const r = await t.post('/v1/verify/auth', body);
        outcomes.push({ status: r.status, code: r.body.code ?? r.body.verdict?.code, phase: seen });
        await new Promise((w) => setTimeout(w, 5));
      }
    };
    const running = Promise.all(Array.from({ length: 6 }, load));
    await until(async () => outcomes.length >= 60, 20_000, 10);
    phase = 'down';
    await pg.stop('fast');
    await until(async () => outcomes.filter((o) => o.status === 503).length >= 20, 20_000, 10);
    // Readiness follows as soon as the client sees the socket gone (on a loaded machine, not in
    // the same instant as the kill).
    let ready = await fetch(`${t.url}/readyz`);
    await until(async () => (ready = await fetch(`${t.url}/readyz`)).status === 503, 5_000, 20);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { message: string }).message).toContain('database unreachable');
    phase = 'restarted';
    await pg.start();
    await running;
    await until(async () => (await fetch(`${t.url}/readyz`)).status === 200, 20_000, 100);

    const bad = outcomes.filter((o) => !(o.status === 200 && o.code === 'ok') && !(o.status === 503 && o.code === 'store_unavailable'));
    expect(bad).toEqual([]); // never a 500, never another answer
    expect(outcomes.filter((o) => o.phase === 'up' && o.status === 200).length).toBeGreaterThanOrEqual(60);
    expect(outcomes.filter((o) => o.status === 503).length).toBeGreaterThanOrEqual(20);
    expect(outcomes.slice(-50).every((o) => o.status === 200)).toBe(true); // recovered, no restart
    // Nothing acknowledged was lost: every 200 has its record (a commit whose ack was lost may
    // add a record to a request that failed, never the other way round).
    const rows = await t.svc.db.query<{ n: string }>("SELECT count(*) AS n FROM audit WHERE tenant = 'a' AND route = '/v1/verify/auth' AND code = 'ok'");
    expect(Number(rows[0].n)).toBeGreaterThanOrEqual(outcomes.filter((o) => o.status === 200).length);
  }, 120_000);
});
