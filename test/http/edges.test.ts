// Input, tenancy and audit edges found by an attack pass (fixed), on one embedded service (PGlite)
// with two proxy tenants.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/cluster.js';
import { rawRequest } from '../helpers/raw-http.js';
import { KEY_A, KEY_B, WEBHOOK_SECRET_A, startTestService, type TestService } from '../helpers/service.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
let t: TestService;
let port: number;
beforeAll(async () => {
  t = await startTestService({
    tenants: [
      { id: 'a', apiKeySha256: sha(KEY_A), basicInfo: true, webhookSecret: WEBHOOK_SECRET_A, linkedCards: true, mode: 'proxy' },
      { id: 'b', apiKeySha256: sha(KEY_B), basicInfo: false, linkedCards: true, mode: 'proxy' },
    ],
    jobs: { maxItems: 100, chunkSize: 8, retentionSec: 3600, webhookAttempts: 1, webhookTimeoutMs: 1000, maxBodyBytes: 1_000_000, maxPendingItemsPerTenant: 5 },
  });
  port = Number(new URL(t.url).port);
});
afterAll(async () => t?.svc.close());

const get = async (path: string, key = KEY_A) => {
  const r = await fetch(`${t.url}${path}`, { headers: { 'x-api-key': key } });
  return { status: r.status, body: (await r.json().catch(() => null)) as any };
};

describe('a NUL character in a string field is a typed 400, not a 500', () => {
  it('GET /v1/links?cursor=%00 → 400 bad_request', async () => {
    const r = await rawRequest(port, `GET /v1/links?cursor=%00 HTTP/1.1\r\nHost: x\r\nx-api-key: ${KEY_A}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(400);
  });

  it('POST /v1/links with customerRef "x\\u0000y" → 400 bad_request', async () => {
    const r = await t.post('/v1/links', { ...t.authBody(t.holder('a40'), await t.challenge()), customerRef: 'x\u0000y' });
    expect(r.status).toBe(400);
  });

  it('POST /v1/links with a card accountRef containing \\u0000 → 400 bad_request (jsonb refuses \\u0000)', async () => {
    const r = await t.post('/v1/links', {
      ...t.authBody(t.holder('a41'), await t.challenge()),
      customerRef: 'c41',
      cards: [{ institution: 'x', kind: 'credit', accountRef: '12\u000034' }],
    });
    expect(r.status).toBe(400);
  });
});

describe('proxy tenants cannot join holders on validity times', () => {
  it('see notBefore / notAfter to the day only (to the second they are a per-certificate join key)', async () => {
    const seen = async (id: string, key: string) =>
      (await t.post('/v1/verify/auth', t.authBody(t.holder(id), await t.challenge(key)), { key })).body.certificate;
    const x = { a: await seen('a42', KEY_A), b: await seen('a42', KEY_B) };
    expect(x.a.conversionId).not.toBe(x.b.conversionId);
    expect(x.a.handle).not.toBe(x.b.handle);
    for (const c of [x.a, x.b]) {
      expect(c.notBefore).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(c.notAfter).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(c.fingerprint).toBeUndefined();
      expect(c.serial).toBeUndefined();
    }
  });
});

describe('bulk jobs are audited like any verification', () => {
  it('a completed POST /v1/jobs item has its record in GET /v1/audit', async () => {
    const before = (await get('/v1/audit?limit=1000')).body.records.length;
    const item = { type: 'auth', ...t.authBody(t.holder('a44'), await t.challenge()) };
    const sub = await t.post('/v1/jobs', { items: [item] });
    expect(sub.status).toBe(202);
    const done = await until(async () => {
      const j = await get(`/v1/jobs/${sub.body.jobId}`);
      return j.body.state === 'completed' ? j.body : null;
    });
    expect(done.results[0].verdict.status).toBe('valid');
    const audit = (await get('/v1/audit?limit=1000')).body.records;
    expect(audit.slice(before).some((r: { code: string }) => r.code === 'ok')).toBe(true);
  });
});

describe("a tenant's waiting bulk work is bounded", () => {
  it('POST /v1/jobs beyond jobs.maxPendingItemsPerTenant is 429 too_many_jobs, before any challenge is used', async () => {
    // Four items of tenant b already wait in a running job.
    await t.svc.db.query("INSERT INTO bulk_jobs (id, tenant, total, state, created_at, expires_at) VALUES ('waiting-b', 'b', 4, 'running', 1, $1)", [
      Date.now() + 3_600_000,
    ]);
    const ch = await t.challenge(KEY_B);
    const two = [
      { type: 'auth', ...t.authBody(t.holder('a45'), ch) },
      { type: 'auth', ...t.authBody(t.holder('a46'), await t.challenge(KEY_B)) },
    ];
    const refused = await t.post('/v1/jobs', { items: two }, { key: KEY_B });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('too_many_jobs');
    expect(refused.headers.get('retry-after')).toBe('5');
    // The refused request used no challenge: the first one still verifies.
    const r = await t.post('/v1/verify/auth', t.authBody(t.holder('a45'), ch), { key: KEY_B });
    expect(r.body.verdict.code).toBe('ok');
    // One item fits; another tenant is not held back by b's work.
    expect((await t.post('/v1/jobs', { items: [{ type: 'auth', ...t.authBody(t.holder('a47'), await t.challenge(KEY_B)) }] }, { key: KEY_B })).status).toBe(
      202,
    );
    expect(
      (
        await t.post('/v1/jobs', {
          items: two.map(() => ({ type: 'auth', ...t.authBody(t.holder('a48'), { challengeId: 'AAAAAAAAAAAAAAAAAAAAAA', challenge: Buffer.alloc(32) }) })),
        })
      ).status,
    ).toBe(202);
  });
});
