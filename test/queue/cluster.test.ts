// Queue mode end to end: the API enqueues micro-batches on real Redis, two real worker processes
// verify them; verdicts, readiness, metrics, bulk jobs with webhooks, and tenant isolation.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cardSign } from '../../src/dev/sim/card.js';
import { publishCrls } from '../../src/dev/sim/jlis-crl.js';
import { KEY_B, REVOKED, WEBHOOK_SECRET_A, startTestService, type TestService } from '../helpers/service.js';
import { redisKeys } from '../../src/redis/keys.js';
import { jobItemsOf } from '../../src/queue/codec.js';
import { RESULT_FORMAT, unpackResults } from '../../src/queue/result-codec.js';
import type { ItemResult, VerifyItem } from '../../src/verifier/messages.js';
import { metricValue, clusterDatabase, queueSettings, spawnWorker, until, workerConfig, type WorkerProc } from '../helpers/cluster.js';

const DB = await clusterDatabase();

const prefix = `jpkitest${process.pid}c${Date.now().toString(36)}`;
let t: TestService;
let workers: WorkerProc[] = [];
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });

beforeAll(async () => {
  // Real time: worker processes judge CRL freshness by their own clock.
  t = await startTestService(queueSettings(prefix, DB), { t0: Date.now() - 60_000 });
  // Workers re-read their CRL folder every second, so a new day's CRLs reach them during the test.
  // They read it through a symlink that the test flips to a complete new day at once (as a CRL
  // distributor would): a folder being written to would give them sets of half a day.
  cpSync(join(t.dir, 'crl'), join(t.dir, 'crl-day0'), { recursive: true });
  symlinkSync(join(t.dir, 'crl-day0'), join(t.dir, 'crl-live'));
  const cfg = workerConfig(t, 'worker', queueSettings(prefix, DB), {
    crl: {
      sources: [join(t.dir, 'crl-live')],
      cacheDir: join(t.dir, 'cache-workers'),
      refreshIntervalSec: 1,
      graceSec: 3600,
      retries: 1,
      backoffMs: 0,
    },
  });
  workers = await Promise.all([spawnWorker(cfg), spawnWorker(cfg)]);
}, 60_000);

afterAll(async () => {
  await t?.svc.close();
  for (const w of workers) w.child.kill('SIGKILL');
  const keys = [...(await redis.keys(`{${prefix}}*`)), ...(await redis.keys(`${prefix}:*`))];
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const signatureBody = (id: string, doc = Buffer.from('契約書 queue')) => {
  const h = t.holder(id);
  return {
    certificate: Buffer.from(h.cert).toString('base64'),
    data: doc.toString('base64'),
    signature: Buffer.from(cardSign(t.pki.keys[h.key], doc)).toString('base64'),
  };
};

describe('queue mode with two worker processes', () => {
  it('is ready once workers report live and fresh; the API counts them', async () => {
    const ready = await until(async () => {
      const r = await fetch(`${t.url}/readyz`);
      return r.status === 200 ? ((await r.json()) as { mode: string }) : null;
    });
    expect(ready.mode).toBe('queue');
    const m = await until(async () => {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      return metricValue(text, 'jpki_queue_live_workers') === 2 ? text : null;
    });
    expect(metricValue(m, 'jpki_queue_connected')).toBe(1);
    for (const w of workers) expect((await fetch(`${w.url}/readyz`)).status).toBe(200);
  });

  it('gives the same verdicts as embedded mode: valid, revoked, tampered, replayed', async () => {
    const ch = await t.challenge();
    const ok = await t.post('/v1/verify/auth', t.authBody(t.holder('a20'), ch));
    expect(ok.status).toBe(200);
    expect(ok.body.verdict).toMatchObject({ status: 'valid', code: 'ok' });
    expect(ok.body.certificate.kind).toBe('authentication');
    const again = await t.post('/v1/verify/auth', t.authBody(t.holder('a20'), ch));
    expect(again.body.verdict.code).toBe('challenge_replayed');
    const revoked = await t.post('/v1/verify/auth', t.authBody(t.holder('a1'), await t.challenge()));
    expect(revoked.body.verdict).toMatchObject({ status: 'invalid', code: 'revoked', revocation: { reason: 'keyCompromise' } });
    const tampered = await t.post('/v1/verify/auth', t.authBody(t.holder('a21'), await t.challenge(), true));
    expect(tampered.body.verdict.code).toBe('signature_invalid');
    // 基本4情報 only for the entitled tenant, as in embedded mode.
    const sa = await t.post('/v1/verify/signature', signatureBody('s2'));
    expect(sa.body.verdict.code).toBe('ok');
    expect(sa.body.basicInfo.name).toBeTruthy();
    const sb = await t.post('/v1/verify/signature', signatureBody('s2'), { key: KEY_B });
    expect(sb.body.verdict.code).toBe('ok');
    expect(sb.body.basicInfo).toBeUndefined();
  });

  it('spreads micro-batched jobs over both workers and answers every caller once', async () => {
    const bodies = await Promise.all(Array.from({ length: 40 }, async (_, i) => t.authBody(t.holder(`a${20 + i}`), await t.challenge())));
    const sig = signatureBody('s3');
    const all = await Promise.all([
      ...bodies.map((b) => t.post('/v1/verify/auth', b)),
      ...Array.from({ length: 600 }, () => t.post('/v1/verify/signature', sig)),
    ]);
    expect(all.every((r) => r.status === 200 && r.body.verdict.code === 'ok')).toBe(true);
    const per = await Promise.all(
      workers.map(async (w) => metricValue(await (await fetch(`${w.url}/metrics`)).text(), 'jpki_queue_worker_jobs_total', 'outcome="completed"')),
    );
    for (const n of per) expect(n).toBeGreaterThan(0);
    const m = await (await fetch(`${t.url}/metrics`)).text();
    // 640 requests in fewer jobs: the API batched them.
    expect(metricValue(m, 'jpki_queue_jobs_total', 'outcome="ok"')).toBeLessThan(640);
    expect(metricValue(m, 'jpki_batch_items_sum')).toBeGreaterThan(metricValue(m, 'jpki_batch_items_count'));
    expect(metricValue(m, 'jpki_batch_items_count')).toBe(metricValue(m, 'jpki_queue_jobs_total'));
  }, 30_000);

  it('answers a job from an API older than packed replies (no rf) in JSON, and a current one packed', async () => {
    const { Queue } = await import('bullmq');
    const keys = redisKeys(prefix);
    const h = t.holder('s5');
    const doc = Buffer.from('rolling upgrade');
    const item: VerifyItem = { kind: 'signature', time: Date.now(), cert: h.cert, data: doc, signature: cardSign(t.pki.keys[h.key], doc) };
    const sub = new Redis('redis://127.0.0.1:6379');
    const q = new Queue('verify', { connection: { host: '127.0.0.1', port: 6379 }, prefix: keys.bullPrefix });
    try {
      const channel = keys.replyChannel('old-api');
      const got: Buffer[] = [];
      sub.on('messageBuffer', (_c: Buffer, m: Buffer) => void got.push(m));
      await sub.subscribe(channel);
      await q.add('verify', { ...jobItemsOf([item]), replyTo: channel }, { jobId: 'old-api-1', removeOnComplete: true });
      await q.add('verify', { ...jobItemsOf([item]), replyTo: channel, rf: RESULT_FORMAT }, { jobId: 'new-api-1', removeOnComplete: true });
      await until(async () => got.length === 2);
      const json = got.find((m) => m[0] === '{'.charCodeAt(0))!;
      const old = JSON.parse(json.toString('utf8')) as { jobId: string; results: ItemResult[] };
      expect(old.jobId).toBe('old-api-1');
      const packed = unpackResults(got.find((m) => m !== json)!);
      expect(packed.jobId).toBe('new-api-1');
      expect(packed.results[0].verdict.code).toBe('ok');
      expect(packed.results).toEqual(old.results); // the same answer in either format
    } finally {
      sub.disconnect();
      await q.close();
    }
  });

  it('runs a bulk job on the workers, pages its results, signs its webhook, and hides it from other tenants', async () => {
    const received: { body: string; signature: string }[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-jpki-signature']) });
        res.writeHead(received.length === 1 ? 500 : 204).end(); // the first delivery fails: retried
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    try {
      const sig = signatureBody('s4');
      const items: Record<string, unknown>[] = [];
      for (let i = 0; i < 150; i++) items.push({ type: 'signature', ...sig });
      items.push({ type: 'auth', ...t.authBody(t.holder('a2'), await t.challenge()) }); // revoked (cACompromise)
      items.push({ type: 'signature', ...sig, signature: '!!' }); // malformed
      const used = await t.challenge();
      await t.post('/v1/verify/auth', t.authBody(t.holder('a30'), used));
      items.push({ type: 'auth', ...t.authBody(t.holder('a30'), used) }); // replayed
      const created = await t.post('/v1/jobs', { items, webhook: `http://127.0.0.1:${port}/hook` });
      expect(created.status).toBe(202);
      expect(created.body).toMatchObject({ total: 153, state: 'running' });
      const id = created.body.jobId as string;
      const get = (q: string, key?: string) => fetch(`${t.url}/v1/jobs/${id}${q}`, { headers: { 'x-api-key': key ?? 'tenant-a-key-0123456789' } });
      const done = await until(async () => {
        const j = (await (await get('')).json()) as { state: string };
        return j.state === 'completed' ? j : null;
      });
      expect(done).toMatchObject({ total: 153, done: 153, errors: 1 });
      const page = (await (await get('?offset=140&limit=20')).json()) as { results: any[] };
      expect(page.results).toHaveLength(13);
      expect(page.results[0].verdict.code).toBe('ok');
      expect(page.results[0].basicInfo.name).toBeTruthy(); // tenant a is entitled
      expect(page.results[10].verdict).toMatchObject({ code: 'revoked', revocation: { reason: 'cACompromise' } });
      expect(page.results[11].error.code).toBe('malformed_base64');
      expect(page.results[12].verdict.code).toBe('challenge_replayed');
      // Tenant B cannot see tenant A's job, nor tell it exists.
      const other = await get('', KEY_B);
      expect(other.status).toBe(404);
      expect(((await other.json()) as { code: string }).code).toBe('not_found');
      // The webhook came (after one retry), signed over "t.body" with tenant A's secret.
      await until(async () => received.length >= 2);
      const last = received[received.length - 1];
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(last.signature)!;
      expect(m).toBeTruthy();
      expect(createHmac('sha256', WEBHOOK_SECRET_A).update(`${m[1]}.${last.body}`).digest('hex')).toBe(m[2]);
      expect(JSON.parse(last.body)).toMatchObject({ jobId: id, state: 'completed', total: 153, errors: 1 });
      expect(last.body).not.toContain('basicInfo');
      // Tenant B has no webhook secret: a job asking for a webhook is refused.
      const refused = await t.post('/v1/jobs', { items: [{ type: 'signature', ...sig }], webhook: 'http://127.0.0.1:1/x' }, { key: KEY_B });
      expect(refused.status).toBe(403);
    } finally {
      hook.close();
    }
  }, 40_000);

  it('runs change confirmation on the workers after a CRL refresh, once per CRL set across both', async () => {
    const doc = Buffer.from('contract kept for change confirmation');
    const h = t.holder('s6');
    const w = await t.post('/v1/watches', {
      certificate: Buffer.from(h.cert).toString('base64'),
      data: doc.toString('base64'),
      signature: Buffer.from(cardSign(t.pki.keys[h.key], doc)).toString('base64'),
      customerRef: 'cust-s6',
    });
    expect(w).toMatchObject({ status: 201, body: { status: 'good' } });
    // The next day's CRLs: s6 moved. Both workers load them within a second or two.
    publishCrls({ dir: t.dir, now: Date.now(), day: 1, revokedShare: 0, revoke: { ...REVOKED, s6: 3 } });
    cpSync(join(t.dir, 'crl'), join(t.dir, 'crl-day1'), { recursive: true });
    symlinkSync(join(t.dir, 'crl-day1'), join(t.dir, 'crl-next'));
    renameSync(join(t.dir, 'crl-next'), join(t.dir, 'crl-live')); // atomic flip to the whole new day
    const changes = await until(
      async () => {
        const r = await fetch(`${t.url}/v1/changes`, { headers: { 'x-api-key': 'tenant-a-key-0123456789' } });
        const c = ((await r.json()) as { changes: { watchId: string; reason: string }[] }).changes;
        return c.length ? c : null;
      },
      30_000,
      200,
    );
    expect(changes).toEqual([expect.objectContaining({ watchId: w.body.watchId, reason: 'affiliationChanged', action: 'ask_customer_to_update_details' })]);
    // Both workers swapped to the same set; the claim let only one re-check it.
    await until(
      async () => {
        const n = await Promise.all(workers.map(async (x) => metricValue(await (await fetch(`${x.url}/metrics`)).text(), 'jpki_crl_refreshes_total')));
        return n.every((v) => v >= 2);
      },
      30_000,
      200,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const again = (await (await fetch(`${t.url}/v1/changes`, { headers: { 'x-api-key': 'tenant-a-key-0123456789' } })).json()) as { changes: unknown[] };
    expect(again.changes).toHaveLength(1);
    const checked = await Promise.all(
      workers.map(async (x) => metricValue(await (await fetch(`${x.url}/metrics`)).text(), 'jpki_change_confirmation_seconds_count')),
    );
    expect(checked.reduce((a, b) => a + b, 0)).toBe(2); // one re-check per set: the first set at start, then this one
  }, 60_000);

  it('keeps serials, names and card data out of every worker log', async () => {
    const serial = t.holder('a20').serial;
    for (const w of workers) {
      const out = w.out();
      expect(out).toContain('queue worker started');
      expect(out.toLowerCase()).not.toContain(serial.toLowerCase());
      expect(out).not.toContain('basicInfo');
    }
  });
});
