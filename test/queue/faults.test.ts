// Queue-mode faults, with real worker processes and real Redis: a worker SIGKILLed mid-job (its
// jobs stall and run again on another worker, each counted once), SIGTERM drains, jobs that fail
// every attempt go to the dead-letter queue, and a Redis restart gives 503s, then recovery.
import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { cardSign } from '../../src/dev/sim/card.js';
import { redisKeys } from '../../src/redis/keys.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { freePort, metricValue, clusterDatabase, queueSettings, spawnWorker, until, workerConfig, type WorkerProc } from '../helpers/cluster.js';

const DB = await clusterDatabase();

const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  redis.disconnect();
});

function uniquePrefix(tag: string): string {
  return `jpkitest${process.pid}${tag}${Date.now().toString(36)}`;
}

async function dropKeys(prefix: string): Promise<void> {
  const keys = [...(await redis.keys(`{${prefix}}*`)), ...(await redis.keys(`${prefix}:*`))];
  if (keys.length) await redis.del(...keys);
}

function signatureBody(t: TestService, id: string): Record<string, string> {
  const h = t.holder(id);
  const doc = Buffer.from(`faults ${id}`);
  return {
    certificate: Buffer.from(h.cert).toString('base64'),
    data: doc.toString('base64'),
    signature: Buffer.from(cardSign(t.pki.keys[h.key], doc)).toString('base64'),
  };
}

const activeJobs = (prefix: string): Promise<number> => redis.llen(`{${prefix}}:verify:active`);

describe('queue faults', () => {
  it('a worker SIGKILLed mid-job: its jobs run again on another worker; every caller gets one answer and each chunk counts once', async () => {
    const prefix = uniquePrefix('k');
    // One big bulk chunk and no path cache make the killed worker's job last long enough to be
    // caught active; the short lock lets the stalled check find it within seconds.
    const settings = queueSettings(prefix, DB);
    const t = await startTestService(
      { ...settings, jobs: { maxItems: 10_000, chunkSize: 4096, retentionSec: 3600, webhookAttempts: 1, webhookTimeoutMs: 1000 } },
      { t0: Date.now() - 60_000 },
    );
    cleanups.push(
      () => t.svc.close(),
      () => dropKeys(prefix),
    );
    const cfg = workerConfig(t, 'slow', settings, {
      pool: { threads: 1, batchSize: 16, batchDelayUs: 200, maxPending: 20_000, concurrentTasksPerWorker: 1, pathCacheSize: 0 },
    });
    const first = await spawnWorker(cfg);
    cleanups.push(() => void first.child.kill('SIGKILL'));

    const body = signatureBody(t, 's1');
    const created = await t.post('/v1/jobs', { items: Array.from({ length: 3000 }, () => ({ type: 'signature', ...body })) });
    expect(created.status).toBe(202);
    await until(async () => (await activeJobs(prefix)) >= 1, 20_000, 2);
    // Synchronous callers now queue behind the bulk chunk in the same worker.
    const sync = Array.from({ length: 40 }, () => t.post('/v1/verify/signature', body));
    await until(async () => (await activeJobs(prefix)) >= 2, 5_000, 2).catch(() => undefined);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null); // killed by the signal, no clean exit

    const second = await spawnWorker(cfg);
    cleanups.push(() => void second.child.kill('SIGKILL'));
    const answers = await Promise.all(sync);
    for (const a of answers) expect(a).toMatchObject({ status: 200, body: { verdict: { code: 'ok' } } });
    const job = await until(
      async () => {
        const r = await fetch(`${t.url}/v1/jobs/${created.body.jobId}`, { headers: { 'x-api-key': 'tenant-a-key-0123456789' } });
        const j = (await r.json()) as { state: string; done: number; total: number };
        return j.state === 'completed' ? j : null;
      },
      40_000,
      100,
    );
    expect(job).toMatchObject({ total: 3000, done: 3000, errors: 0 });
    // The second worker found the first one's jobs stalled and put them back.
    const m = await (await fetch(`${second.url}/metrics`)).text();
    expect(metricValue(m, 'jpki_queue_stalled_total')).toBeGreaterThanOrEqual(1);
    expect(second.out()).toContain('stalled job put back');

    // SIGTERM: the worker stops taking jobs, finishes the active one, then exits 0.
    const again = await t.post('/v1/jobs', { items: Array.from({ length: 3000 }, () => ({ type: 'signature', ...body })) });
    await until(async () => (await activeJobs(prefix)) >= 1, 20_000, 2);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const j2 = (await (await fetch(`${t.url}/v1/jobs/${again.body.jobId}`, { headers: { 'x-api-key': 'tenant-a-key-0123456789' } })).json()) as {
      state: string;
      done: number;
    };
    expect(j2).toMatchObject({ state: 'completed', done: 3000 });
    expect(second.out()).toContain('queue worker stopped');
    // Its heartbeat is withdrawn at once: the API sees no live worker and is not ready.
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { message: string }).message).toContain('no live queue workers');
  }, 120_000);

  it('a job that fails every attempt goes to the dead-letter queue with its reason; its callers get job_failed', async () => {
    const prefix = uniquePrefix('d');
    const settings = queueSettings(prefix, DB, undefined, { attempts: 3, backoffMs: 20, batchDelayUs: 20_000 });
    const t = await startTestService(settings, { t0: Date.now() - 60_000 });
    cleanups.push(
      () => t.svc.close(),
      () => dropKeys(prefix),
    );
    // A worker whose pool takes at most 10 items: a 20-item job is refused on every attempt.
    const w = await spawnWorker(
      workerConfig(t, 'tiny', settings, {
        pool: { threads: 1, batchSize: 16, batchDelayUs: 200, maxPending: 10, concurrentTasksPerWorker: 1, pathCacheSize: 100 },
      }),
    );
    cleanups.push(() => void w.child.kill('SIGKILL'));
    // 20 items in one batch request join one micro-batch, so one 20-item job: refused every time.
    const body = signatureBody(t, 's2');
    const batch = await t.post('/v1/verify/batch', { items: Array.from({ length: 20 }, () => ({ type: 'signature', ...body })) });
    expect(batch).toMatchObject({ status: 503, body: { code: 'job_failed' } });
    expect(batch.headers.get('retry-after')).toBe('1');
    expect(batch.body.message).toContain('pending');

    // A job no worker can read (a newer format) fails at once, without retries.
    const keys = redisKeys(prefix);
    const q = new Queue('verify', { connection: { host: '127.0.0.1', port: 6379 }, prefix: keys.bullPrefix });
    await q.add('verify', { v: 99, replyTo: '', items: [] }, { jobId: 'from-the-future', attempts: 3 });
    await q.close();

    const dead = new Queue(keys.deadLetterQueue('verify'), { connection: { host: '127.0.0.1', port: 6379 }, prefix: keys.bullPrefix });
    cleanups.push(() => dead.close());
    const entries = await until(async () => {
      const jobs = await dead.getJobs(['wait']);
      return jobs.some((j) => j.id === 'from-the-future') ? jobs : null;
    });
    const refused = entries.find((j) => j.id !== 'from-the-future')!;
    expect(refused.data).toMatchObject({ queue: 'verify', name: 'verify', attempts: 3 });
    expect(refused.data.reason).toMatch(/pending/);
    expect(refused.data.items).toBe(20); // a count: the certificates are not kept
    const future = entries.find((j) => j.id === 'from-the-future')!;
    expect(future.data).toMatchObject({ attempts: 1 });
    expect(future.data.reason).toMatch(/bad_version/);
    // The failed originals are gone from the queue (they held certificates): each is removed just
    // after its dead letter is written, so the last one may still be on its way out.
    await until(async () => (await redis.zcard(`{${prefix}}:verify:failed`)) === 0, 5_000);
    const m = await (await fetch(`${t.url}/metrics`)).text();
    expect(metricValue(m, 'jpki_queue_dead_letters')).toBe(entries.length);
    expect(metricValue(await (await fetch(`${w.url}/metrics`)).text(), 'jpki_queue_worker_jobs_total', 'outcome="dead_lettered"')).toBe(entries.length);
  }, 60_000);

  it('Redis restarted: the API answers 503 during the outage and recovers without a restart', async () => {
    const port = await freePort();
    let server = await startRedis(port);
    cleanups.push(() => void server.kill('SIGKILL'));
    const url = `redis://127.0.0.1:${port}`;
    const prefix = uniquePrefix('r');
    const settings = queueSettings(prefix, DB, url, { timeoutMs: 5_000 });
    const t = await startTestService(settings, { t0: Date.now() - 60_000 });
    cleanups.push(() => t.svc.close());
    const w: WorkerProc = await spawnWorker(workerConfig(t, 'r', settings));
    cleanups.push(() => void w.child.kill('SIGKILL'));
    const verify = async () => t.post('/v1/verify/auth', t.authBody(t.holder('a30'), await t.challenge()));
    await until(async () => (await fetch(`${t.url}/readyz`)).status === 200);
    expect((await verify()).body.verdict.code).toBe('ok');

    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    const t0 = Date.now();
    const down = await t.post('/v1/challenges', {});
    expect(down.status).toBe(503);
    expect(down.body.code).toBe('store_unavailable');
    const sig = await t.post('/v1/verify/signature', signatureBody(t, 's3'));
    expect(sig.status).toBe(503);
    expect(sig.body.code).toBe('queue_unavailable');
    expect(Date.now() - t0).toBeLessThan(3_000); // answered at once, not after a timeout
    expect((await fetch(`${t.url}/readyz`)).status).toBe(503);

    server = await startRedis(port);
    cleanups.push(() => void server.kill('SIGKILL'));
    // Same API, same worker: both reconnect; the worker's next heartbeat makes the API ready.
    await until(async () => (await fetch(`${t.url}/readyz`)).status === 200, 30_000, 100);
    const back = await verify();
    expect(back.status).toBe(200);
    expect(back.body.verdict.code).toBe('ok');
    expect((await t.post('/v1/verify/signature', signatureBody(t, 's3'))).body.verdict.code).toBe('ok');
  }, 90_000);
});

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined); // refused until the server listens
  await until(
    async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        probe.disconnect();
        return false;
      }
    },
    10_000,
    50,
  );
  probe.disconnect();
  return child;
}
