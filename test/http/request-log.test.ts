// Logs as an operator reads them: one JSON line per request with ISO time and level names, the
// route pattern (never the raw URL with its ids), no line for probes and scrapes, and the caller's
// x-request-id honoured and echoed (a new one when absent or not a sane token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_A, startTestService, type TestService } from '../helpers/service.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => t?.svc.close());

const lines = (from: number) =>
  t.logs
    .slice(from)
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('request logs', () => {
  it('one line per request, none for probes and scrapes; ISO time and level names', async () => {
    const from = t.logs.length;
    for (const p of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${t.url}${p}`)).status).toBeLessThan(600);
    const ch = await t.challenge();
    const r = await t.post('/v1/verify/auth', t.authBody(t.holder('a10'), ch));
    expect(r.status).toBe(200);
    const got = await fetch(`${t.url}/v1/links/cv_not_a_real_id_000`, { headers: { 'x-api-key': KEY_A } });
    expect(got.status).toBe(404);
    const requests = lines(from).filter((l) => l.msg === 'request');
    expect(requests.map((l) => `${l.method} ${l.route} ${l.status}`)).toEqual(['POST /v1/challenges 200', 'POST /v1/verify/auth 200', 'GET /v1/links/:id 404']);
    for (const l of requests) {
      expect(l.level).toBe('info');
      expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(l).toMatchObject({ tenant: 'a', reqId: expect.any(String), ms: expect.any(Number) });
    }
    expect(requests[1].outcome).toBe('valid');
    expect(JSON.stringify(lines(from))).not.toContain('cv_not_a_real_id_000'); // the route pattern, not the URL
  });

  it('honours a sane x-request-id and echoes it; replaces one that is not', async () => {
    const from = t.logs.length;
    const mine = await fetch(`${t.url}/v1/challenges`, { method: 'POST', headers: { 'x-api-key': KEY_A, 'x-request-id': 'relay-42.abc:7' } });
    expect(mine.headers.get('x-request-id')).toBe('relay-42.abc:7');
    const odd = await fetch(`${t.url}/v1/challenges`, { method: 'POST', headers: { 'x-api-key': KEY_A, 'x-request-id': 'x'.repeat(200) } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const none = await fetch(`${t.url}/healthz`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const ids = lines(from)
      .filter((l) => l.msg === 'request')
      .map((l) => l.reqId);
    expect(ids).toEqual(['relay-42.abc:7', odd.headers.get('x-request-id')]);
  });
});
