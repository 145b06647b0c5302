// Webhook SSRF, against real listening servers: with webhooks.allowPrivate false, a job's webhook
// to 127.0.0.1, [::1] or 169.254.169.254 is refused at submit (400 bad_request naming why), and
// one to a host NAME that resolves to loopback is refused at send time, after DNS (no request
// reaches the listener; the log names no URL or query string). With allowPrivate true the same
// webhooks are delivered.
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/net/address-policy.js';
import { deliverWebhook, WebhookRefused } from '../../src/net/webhook.js';
import { WEBHOOK_SECRET_A, startTestService, type TestService } from '../helpers/service.js';

/** A name (not a literal, not "localhost") that resolves to this machine's non-public addresses. */
const HOST = hostname().toLowerCase();
const TOKEN = 'SEKRET-token-4711';
const hits: { server: string; path: string; body: string; signature: string }[] = [];
const servers: Server[] = [];
let p4 = 0;
let p6 = 0;
let strict: TestService;
let open: TestService;

async function listen(name: string, host: string): Promise<number> {
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      hits.push({ server: name, path: req.url ?? '', body, signature: String(req.headers['x-jpki-signature']) });
      res.writeHead(204).end();
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, host, r));
  return (s.address() as { port: number }).port;
}

const webhooks = (allowPrivate: boolean) => ({ allowHosts: ['127.0.0.1', '[::1]', HOST, '169.254.169.254'], allowPrivate });
const jobs = { webhookAttempts: 1, webhookTimeoutMs: 1000 };
// Answered at submit (it does not decode): the job completes at once and its webhook goes.
const items = [{ type: 'auth', certificate: 'AA==', challengeId: 'A'.repeat(22), signature: '!!' }];

beforeAll(async () => {
  const addrs = await lookup(HOST, { all: true });
  // The send-time test needs a name that resolves to loopback/private addresses only.
  expect(addrs.length, `${HOST} resolves`).toBeGreaterThan(0);
  for (const a of addrs) expect(classifyAddress(a.address), `${HOST} → ${a.address}`).not.toBe('public');
  p4 = await listen('v4', '127.0.0.1');
  p6 = await listen('v6', '::1');
  [strict, open] = await Promise.all([startTestService({ webhooks: webhooks(false), jobs }), startTestService({ webhooks: webhooks(true), jobs })]);
});
afterAll(async () => {
  await Promise.all([strict?.svc.close(), open?.svc.close()]);
  for (const s of servers) s.close();
});

const until = async <T>(f: () => T | undefined | null | false, ms = 5000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const logLine = (t: TestService, jobId: string, msg: string) => t.logs.find((l) => l.includes(jobId) && l.includes(msg));

describe('webhooks.allowPrivate false', () => {
  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${p4}/v4`, /loopback/],
    ['[::1]', () => `http://[::1]:${p6}/v6`, /loopback/],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', /metadata/],
    ['decimal 127.0.0.1', () => `http://2130706433:${p4}/v4`, /loopback/],
    ['hex 127.0.0.1', () => `http://0x7f.1:${p4}/v4`, /loopback/],
    ['IPv4-mapped', () => `https://[::ffff:127.0.0.1]:${p4}/v4`, /loopback/],
    ['plain http elsewhere', () => 'http://hooks.example.com/x', /plain http/],
  ])('%s: 400 bad_request at submit, and nothing is called', async (_n, url, why) => {
    const before = hits.length;
    const r = await strict.post('/v1/jobs', { items, webhook: url() });
    expect(r).toMatchObject({ status: 400, body: { code: 'bad_request', message: expect.stringMatching(why) } });
    await new Promise((res) => setTimeout(res, 100));
    expect(hits.length).toBe(before);
  });

  it(`a name (${HOST}) resolving to loopback: accepted, then refused at send time after DNS; the log has no URL or query string`, async () => {
    const before = hits.length;
    const r = await strict.post('/v1/jobs', { items, webhook: `http://${HOST}:${p4}/named?token=${TOKEN}` });
    expect(r.status).toBe(202);
    const line = await until(() => logLine(strict, r.body.jobId, 'webhook failed'));
    expect(JSON.parse(line)).toMatchObject({ refused: true, reason: expect.stringMatching(/loopback/) });
    await new Promise((res) => setTimeout(res, 200));
    expect(hits.length).toBe(before);
    const all = strict.logs.join('');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(`/named`);
  });
});

describe('webhooks.allowPrivate true', () => {
  const verify = (h: { body: string; signature: string }) => {
    const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(h.signature)!;
    expect(createHmac('sha256', WEBHOOK_SECRET_A).update(`${ts}.${h.body}`).digest('hex')).toBe(mac);
  };
  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${p4}/v4-open`, 'v4'],
    ['[::1]', () => `http://[::1]:${p6}/v6-open`, 'v6'],
    [HOST, () => `http://${HOST}:${p4}/named-open?token=${TOKEN}`, 'v4'],
  ])('%s: delivered, signed', async (_n, url, server) => {
    const r = await open.post('/v1/jobs', { items, webhook: url() });
    expect(r.status).toBe(202);
    const path = new URL(url()).pathname;
    const hit = await until(() => hits.find((h) => h.path.startsWith(path)));
    expect(hit.server).toBe(server);
    expect(JSON.parse(hit.body)).toMatchObject({ jobId: r.body.jobId, state: 'completed', total: 1, errors: 1 });
    verify(hit);
  });

  it('169.254.169.254: accepted and attempted (it fails here: nothing listens there), not refused', async () => {
    const r = await open.post('/v1/jobs', { items, webhook: 'http://169.254.169.254/latest/meta-data/' });
    expect(r.status).toBe(202);
    const line = await until(() => logLine(open, r.body.jobId, 'webhook failed'), 5000);
    expect(JSON.parse(line)).toMatchObject({ refused: false });
  });
});

describe('deliverWebhook', () => {
  it('checks the policy at every delivery: a refused resolution rejects with WebhookRefused, naming no URL', async () => {
    const before = hits.length;
    const err = await deliverWebhook(
      `http://${HOST}:${p4}/direct?token=${TOKEN}`,
      's',
      { x: 1 },
      { attempts: 3, timeoutMs: 1000, backoffMs: 1, policy: webhooks(false), wallClock: Date.now },
    ).catch((e: Error) => e);
    expect(err).toBeInstanceOf(WebhookRefused);
    expect((err as Error).message).not.toContain(TOKEN);
    expect((err as Error).message).not.toContain('/direct');
    expect(hits.length).toBe(before);
    expect(
      await deliverWebhook(`http://${HOST}:${p4}/direct-open`, 's', { x: 1 }, { attempts: 1, timeoutMs: 1000, policy: webhooks(true), wallClock: Date.now }),
    ).toBe(1);
  });

  it('follows no redirect', async () => {
    const p = await listen('redirector', '127.0.0.1');
    servers[servers.length - 1].removeAllListeners('request');
    servers[servers.length - 1].on('request', (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${p4}/redirected` }).end());
    const err = await deliverWebhook(`http://127.0.0.1:${p}/r`, 's', {}, { attempts: 1, timeoutMs: 1000, policy: webhooks(true), wallClock: Date.now }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toMatch(/HTTP 302/);
    expect(hits.some((h) => h.path === '/redirected')).toBe(false);
  });
});
