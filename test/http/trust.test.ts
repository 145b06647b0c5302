// Tenancy and what the public endpoints say: a challenge works only for the tenant it was issued
// to (HTTP, every route that consumes one); /readyz names no file or URL; the CRL sources are at
// GET /v1/operator/crl and the root generations at /v1/operator/trust for operators only; /metrics carries tenant ids only when enabled.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0, startTestService, type TestService } from '../helpers/service.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const KEYS = { alpha: 'alpha-key-0123456789abc', beta: 'beta-key-0123456789abc', op: 'op-key-0123456789abcdef', shop: 'shop-key-0123456789abcd' };
const tenants = [
  { id: 'alpha-bank', apiKeySha256: sha(KEYS.alpha), linkedCards: true },
  { id: 'beta-card', apiKeySha256: sha(KEYS.beta), linkedCards: true },
  { id: 'op-platform', apiKeySha256: sha(KEYS.op), operator: true },
  { id: 'rl-shop', apiKeySha256: sha(KEYS.shop), rateLimit: { perSecond: 1, burst: 1 } },
];
const IDS = tenants.map((x) => x.id);

let t: TestService;
let labelled: TestService;

beforeAll(async () => {
  [t, labelled] = await Promise.all([startTestService({ tenants }), startTestService({ tenants, metrics: { tenantLabels: true } })]);
});
afterAll(async () => {
  await Promise.all([t.svc.close(), labelled.svc.close()]);
});

const get = (s: TestService, path: string, key?: string) => fetch(`${s.url}${path}`, { headers: key ? { 'x-api-key': key } : {} });

describe('a challenge belongs to the tenant it was issued to', () => {
  it('presented by another tenant: challenge_unknown (never valid), and it stays usable by its own tenant', async () => {
    const ch = await t.challenge(KEYS.alpha);
    const body = t.authBody(t.holder('a10'), ch);
    const stolen = await t.post('/v1/verify/auth', body, { key: KEYS.beta });
    expect(stolen).toMatchObject({ status: 200, body: { verdict: { status: 'invalid', code: 'challenge_unknown' } } });
    // Through the batch and the bulk-job routes too.
    const batch = await t.post('/v1/verify/batch', { items: [{ type: 'auth', ...body }] }, { key: KEYS.beta });
    expect(batch.body.results[0].verdict).toMatchObject({ status: 'invalid', code: 'challenge_unknown' });
    const identify = await t.post('/v1/links/identify', body, { key: KEYS.beta });
    expect(identify.body).toMatchObject({ verdict: { code: 'challenge_unknown' }, next: 'rejected' });
    const job = await t.post('/v1/jobs', { items: [{ type: 'auth', ...body }] }, { key: KEYS.beta });
    expect(job.status).toBe(202);
    let results: { verdict?: { code: string } }[] = [];
    for (let i = 0; i < 100 && !results[0]; i++) {
      results = ((await (await get(t, `/v1/jobs/${job.body.jobId}`, KEYS.beta)).json()) as { results: typeof results }).results;
      if (!results[0]) await new Promise((r) => setTimeout(r, 20));
    }
    expect(results[0].verdict!.code).toBe('challenge_unknown');
    // The rightful tenant still can, once.
    expect((await t.post('/v1/verify/auth', body, { key: KEYS.alpha })).body.verdict).toMatchObject({ status: 'valid', code: 'ok' });
    expect((await t.post('/v1/verify/auth', body, { key: KEYS.alpha })).body.verdict.code).toBe('challenge_replayed');
    // And after its use, another tenant still learns nothing (unknown, not replayed).
    expect((await t.post('/v1/verify/auth', body, { key: KEYS.beta })).body.verdict.code).toBe('challenge_unknown');
  });
});

describe('public endpoints say little', () => {
  it('/readyz: status and mode; its 503 reasons name no file or URL', async () => {
    expect(t.config.crl.sources[0]).toContain('/'); // CRL files are configured, by path
    const ok = await get(t, '/readyz');
    const okText = await ok.text();
    expect(ok.status).toBe(200);
    expect(JSON.parse(okText)).toEqual({ status: 'ready', mode: 'embedded' });
    expect(okText).not.toContain('/');
    t.clock.now = T0 + 3 * 86_400_000; // CRLs stale
    const stale = await get(t, '/readyz');
    const staleText = await stale.text();
    t.clock.now = T0 + 60_000;
    expect(stale.status).toBe(503);
    const body = JSON.parse(staleText) as { code: string; message: string };
    expect(body).toEqual({ code: 'not_ready', message: expect.stringContaining('CRL') });
    expect(staleText).not.toContain('/');
    expect(staleText).not.toContain(t.dir);
  });

  it('GET /v1/operator/crl: 401 without a key, 403 for a tenant, the sources and dates for an operator', async () => {
    const none = await get(t, '/v1/operator/crl');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'unauthorized' });
    const tenant = await get(t, '/v1/operator/crl', KEYS.alpha);
    expect(tenant.status).toBe(403);
    expect(await tenant.json()).toMatchObject({ code: 'forbidden' });
    const op = await get(t, '/v1/operator/crl', KEYS.op);
    expect(op.status).toBe(200);
    const r = (await op.json()) as { mode: string; crl: { source: string; thisUpdate?: string; nextUpdate?: string; crlNumber?: string }[] };
    expect(r.mode).toBe('embedded');
    expect(r.crl.length).toBeGreaterThan(0);
    for (const c of r.crl) {
      expect(c.source.startsWith(t.config.crl.sources[0])).toBe(true);
      expect(c.thisUpdate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('GET /v1/operator/trust: the root generations per hierarchy, for operators only', async () => {
    expect((await get(t, '/v1/operator/trust')).status).toBe(401);
    expect((await get(t, '/v1/operator/trust', KEYS.alpha)).status).toBe(403);
    const op = await get(t, '/v1/operator/trust', KEYS.op);
    expect(op.status).toBe(200);
    const r = (await op.json()) as {
      mode: string;
      anchors: { hierarchy: string; generation: number; key: string; fingerprint: string }[];
      generations: { signing: number[]; authentication: number[] };
      warnings: string[];
    };
    expect(r.mode).toBe('embedded');
    // The simulated J-LIS: three RSA generations and the ECDSA P-384 one in each hierarchy, nothing missing.
    expect(r.generations.signing).toHaveLength(4);
    expect(r.generations.authentication).toEqual(r.generations.signing);
    expect(r.anchors).toHaveLength(8);
    const newest = Math.max(...r.generations.signing);
    for (const a of r.anchors) {
      expect(a).toMatchObject({ key: a.generation === newest ? 'EC P-384' : 'RSA 2048', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
    expect(r.warnings).toEqual([]);
  });

  it('/metrics: no tenant id by default ("all"); tenant ids when metrics.tenantLabels is on', async () => {
    for (const s of [t, labelled]) {
      // Two requests in a burst of 1: one refused by the rate limit.
      await s.post('/v1/challenges', {}, { key: KEYS.shop });
      await s.post('/v1/challenges', {}, { key: KEYS.shop });
    }
    const plain = await (await get(t, '/metrics')).text();
    expect(plain).toMatch(/jpki_rate_limited_total\{tenant="all"\} [1-9]/);
    for (const id of IDS) expect(plain, id).not.toContain(id);
    const withIds = await (await get(labelled, '/metrics')).text();
    expect(withIds).toMatch(/jpki_rate_limited_total\{tenant="rl-shop"\} [1-9]/);
    expect(withIds).not.toMatch(/jpki_rate_limited_total\{tenant="all"\}/);
  });

  it('the OpenAPI document lists the operator routes', async () => {
    const doc = (await (await get(t, '/openapi.json')).json()) as {
      paths: Record<string, { get?: { security?: unknown; responses: Record<string, unknown> } }>;
    };
    for (const [route, operationId] of [
      ['/v1/operator/crl', 'operatorCrl'],
      ['/v1/operator/trust', 'operatorTrust'],
    ])
      expect(doc.paths[route].get, route).toMatchObject({
        operationId,
        security: [{ apiKey: [] }, { bearer: [] }],
        responses: { '200': expect.anything(), '401': expect.anything(), '403': expect.anything() },
      });
  });
});
