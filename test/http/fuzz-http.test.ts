// Bad input over HTTP: mutated bodies on every route get a verdict or a typed 4xx, never a 500,
// and the service still verifies afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODES } from '../../src/contract/codes.js';
import { rng } from '../../src/dev/sim/people.js';
import { startTestService, type TestService } from '../helpers/service.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t.svc.close();
});

const junk = (r: () => number): unknown => {
  const pick = Math.floor(r() * 10);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 1e12) - 5e11;
    case 2:
      return r() < 0.5;
    case 3:
      return [1, 'a', {}];
    case 4:
      return { nested: { deeper: 'x' } };
    case 5:
      return '';
    case 6:
      return Buffer.from(Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256))).toString('base64');
    case 7:
      return 'é'.repeat(Math.floor(r() * 50));
    case 8:
      return '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    default:
      return 'A'.repeat(Math.floor(r() * 3000));
  }
};

describe('HTTP fuzz', () => {
  it('400 mutated requests: always a verdict or a typed error from the table, never a 500', async () => {
    const r = rng(99);
    const h = t.holder('a10');
    const codes = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const ch = await t.challenge();
      const good: Record<string, unknown> = t.authBody(h, ch);
      const route = ['/v1/verify/auth', '/v1/verify/signature', '/v1/verify/batch'][i % 3];
      let body: Record<string, unknown> = route === '/v1/verify/signature' ? { certificate: good.certificate, data: 'AAAA', signature: good.signature } : good;
      if (route === '/v1/verify/batch') body = { items: [{ type: 'auth', ...good }] };
      const target = route === '/v1/verify/batch' ? (body.items as Record<string, unknown>[])[0] : body;
      const keys = Object.keys(target);
      // 1–3 mutations: replace, delete or add a field.
      for (let m = 0; m < 1 + Math.floor(r() * 3); m++) {
        const k = keys[Math.floor(r() * keys.length)];
        const op = r();
        if (op < 0.6) target[k] = junk(r);
        else if (op < 0.8) delete target[k];
        else target[`x${m}`] = junk(r);
      }
      const res = await t.post(route, body);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      const code = res.body.verdict?.code ?? res.body.code ?? res.body.results?.[0]?.verdict?.code ?? res.body.results?.[0]?.error?.code;
      expect(CODES, `${route} → ${JSON.stringify(res.body).slice(0, 200)}`).toHaveProperty(code);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // The mutations reached real checks, not just the schema.
    expect(codes.size).toBeGreaterThanOrEqual(4);
    // And the service is intact.
    const ok = await t.post('/v1/verify/auth', t.authBody(h, await t.challenge()));
    expect(ok.body.verdict.code).toBe('ok');
    expect(t.svc.local!.pool.threads).toBe(2);
  });

  it('raw garbage bodies and headers', async () => {
    for (const raw of ['', '[]', '"x"', '{"items":', '\u0000\u0001', '{"certificate":{"$ne":1}}', 'null']) {
      const res = await t.post('/v1/verify/auth', null, { raw });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(CODES).toHaveProperty(res.body.code);
    }
  });
});
