// Timeouts and limits over real sockets: a slow body is cut off with 408 request_timeout while
// the server keeps serving others; a connection that never sends headers is closed; a 40 MB
// body without a key is refused before it is read; jobs.maxBodyBytes bounds POST /v1/jobs; a
// tenant's outstanding challenges are bounded (429 too_many_challenges, Retry-After).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_A, KEY_B, startTestService, type TestService } from '../helpers/service.js';
import { head, metricSum, parseResponse } from '../helpers/raw-http.js';

let t: TestService;
let port: number;

beforeAll(async () => {
  t = await startTestService({
    limits: { requestTimeoutMs: 1000, headersTimeoutMs: 500 },
    challenge: { ttlSec: 120, store: 'memory', maxOutstandingPerTenant: 5 },
    jobs: { maxBodyBytes: 64 * 1024 },
  });
  port = Number(new URL(t.url).port);
});
afterAll(async () => {
  await t.svc.close();
});

/** Opens a socket, runs `drive` on it, and resolves with what came back and when it closed. */
function watch(drive: (s: ReturnType<typeof connect>) => void): Promise<{ data: string; ms: number; written: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = connect(port, '127.0.0.1');
    let data = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => (data += d));
    s.on('error', () => undefined);
    s.on('close', () => resolve({ data, ms: performance.now() - t0, written: s.bytesWritten }));
    drive(s);
  });
}

describe('timeouts', () => {
  it('a body sent one byte every 5 s is cut off with 408 request_timeout; others are served meanwhile', async () => {
    let timer: NodeJS.Timeout | undefined;
    const slow = watch((s) => {
      s.write(
        head('POST', '/v1/verify/auth', { 'x-api-key': KEY_A, 'content-type': 'application/json', 'content-length': '1000', connection: 'keep-alive' }).replace(
          /\r\n\r\n$/,
          '\r\n\r\n',
        ),
      );
      s.write('{');
      timer = setInterval(() => s.writable && s.write(' '), 5000);
    });
    // Meanwhile the server answers others at once.
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(500);
    const r = await slow;
    clearInterval(timer);
    // requestTimeoutMs 1000, checked every headersTimeoutMs/4: closed well before the next byte.
    expect(r.ms).toBeLessThan(3000);
    expect(r.ms).toBeGreaterThan(900);
    const res = parseResponse(r.data);
    expect(res).toMatchObject({ status: 408, body: { code: 'request_timeout' } });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('headers that never finish: 408 within headersTimeoutMs, then closed', async () => {
    const r = await watch((s) => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
    expect(r.ms).toBeLessThan(2000);
    expect(parseResponse(r.data)).toMatchObject({ status: 408, body: { code: 'request_timeout' } });
  });

  it('a connection that sends nothing is closed', async () => {
    const r = await watch(() => undefined);
    expect(r.ms).toBeLessThan(3000);
  });
});

describe('bodies', () => {
  it('a 40 MB body without a key: 401 after the headers, before the body is read; the connection closes', async () => {
    const size = 40 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let answeredAfter = -1;
    const r = await watch((s) => {
      s.write(head('POST', '/v1/jobs', { 'content-type': 'application/json', 'content-length': String(size), connection: 'keep-alive' }));
      let sent = 0;
      s.once('data', () => (answeredAfter = s.bytesWritten));
      // Keep sending as fast as the socket takes it, until the server closes it.
      const pump = (): void => {
        while (sent < size && s.writable) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
      };
      setTimeout(pump, 50); // the answer comes before any body byte is sent
    });
    expect(parseResponse(r.data)).toMatchObject({ status: 401, body: { code: 'unauthorized' }, headers: { connection: 'close' } });
    expect(answeredAfter).toBeGreaterThan(0);
    expect(answeredAfter).toBeLessThan(1024); // the headers only
    // The server hung up instead of reading (let alone buffering) 40 MB.
    expect(r.written).toBeLessThan(size / 2);
  });

  it('refused before the body: a chunked body of unknown length closes the connection; a small one keeps it', async () => {
    const chunked = await watch((s) =>
      s.write('POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"items": [     \r\n'),
    );
    expect(parseResponse(chunked.data)).toMatchObject({ status: 401, headers: { connection: 'close' } });
    // Two requests on one connection: the small refused body is drained and the next one served.
    const both = await watch((s) => s.write(head('POST', '/v1/challenges', { connection: 'keep-alive' }, '{}') + head('GET', '/healthz')));
    expect(parseResponse(both.data)).toMatchObject({ status: 401, headers: { connection: 'keep-alive' } });
    expect(both.data).toMatch(/HTTP\/1\.1 401[\s\S]*HTTP\/1\.1 200[\s\S]*"status":"ok"/);
  });

  it('POST /v1/jobs takes at most jobs.maxBodyBytes, with a key', async () => {
    const items = Array.from({ length: 40 }, () => ({ type: 'auth', certificate: 'A'.repeat(2000), challengeId: 'A'.repeat(22), signature: 'AA==' }));
    const r = await t.post('/v1/jobs', { items });
    expect(r).toMatchObject({ status: 413, body: { code: 'body_too_large', message: expect.stringContaining(String(64 * 1024)) } });
  });
});

describe('outstanding challenges per tenant', () => {
  it('beyond challenge.maxOutstandingPerTenant: 429 too_many_challenges with Retry-After; other tenants unaffected; using one frees a place', async () => {
    const issued = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.post('/v1/challenges', {}, { key: KEY_A });
      expect(r.status).toBe(200);
      issued.push(r.body);
    }
    const refused = await t.post('/v1/challenges', {}, { key: KEY_A });
    expect(refused).toMatchObject({ status: 429, body: { code: 'too_many_challenges' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(100); // TTL 120 s
    expect((await t.post('/v1/challenges', {}, { key: KEY_B })).status).toBe(200);
    // Used (even with a wrong signature): its place is free again.
    const h = t.holder('a10');
    const used = await t.post('/v1/verify/auth', t.authBody(h, { challengeId: issued[0].challengeId, challenge: Buffer.from(issued[0].challenge, 'base64') }));
    expect(used.body.verdict.code).toBe('ok');
    expect((await t.post('/v1/challenges', {}, { key: KEY_A })).status).toBe(200);
    expect((await t.post('/v1/challenges', {}, { key: KEY_A })).status).toBe(429);
    // Expiry frees them all.
    t.clock.now += 121_000;
    expect((await t.post('/v1/challenges', {}, { key: KEY_A })).status).toBe(200);
    t.clock.now -= 121_000;
    const m = await (await fetch(`${t.url}/metrics`)).text();
    expect(metricSum(m, 'jpki_verdicts_total', 'code="too_many_challenges"')).toBeGreaterThanOrEqual(2);
  });
});

describe('keep-alive', () => {
  it('serves several requests on one connection', async () => {
    const r = await watch((s) => s.write(head('GET', '/healthz', { connection: 'keep-alive' }) + head('GET', '/readyz')));
    expect(r.data).toMatch(/HTTP\/1\.1 200[\s\S]*"status":"ok"[\s\S]*HTTP\/1\.1 200[\s\S]*"status":"ready"/);
  });
});
