// A short PostgreSQL outage while an embedded-mode bulk job runs (found by an attack pass, fixed):
// a chunk whose results could not be recorded was dropped and the job stayed `running` for ever.
// Recording is now retried until the store is back, and the job completes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { privatePostgres, testDatabaseConfig, type PrivatePostgres } from '../helpers/db.js';
import { startTestService, type TestService } from '../helpers/service.js';

let pgs: PrivatePostgres;
let t: TestService;
beforeAll(async () => {
  pgs = await privatePostgres();
  t = await startTestService({
    database: testDatabaseConfig(pgs.url),
    jobs: { maxItems: 10_000, chunkSize: 1, retentionSec: 86_400, webhookAttempts: 1, webhookTimeoutMs: 1000, maxBodyBytes: 40_960_000 },
  });
}, 300_000);
afterAll(async () => {
  await t?.svc.close().catch(() => undefined);
  await pgs?.destroy();
});

const job = async (id: string) =>
  (await (await fetch(`${t.url}/v1/jobs/${id}?limit=1`, { headers: { 'x-api-key': 'tenant-a-key-0123456789' } })).json()) as {
    state: string;
    done: number;
    total: number;
    code?: string;
  };

it('a job running across a 1 s database outage completes once the database is back', async () => {
  const h = t.holder('s1');
  const item = { type: 'signature', certificate: Buffer.from(h.cert).toString('base64'), data: 'aGVsbG8=', signature: Buffer.alloc(256).toString('base64') };
  const sub = await t.post('/v1/jobs', { items: Array.from({ length: 3000 }, () => item) });
  expect(sub.status).toBe(202);
  await new Promise((r) => setTimeout(r, 300));
  const before = await job(sub.body.jobId);
  await pgs.stop('immediate');
  await new Promise((r) => setTimeout(r, 1000));
  await pgs.start();
  // The database is back: the job must finish. The defect was a job stuck `running` for ever, so
  // the wait lasts while it makes progress (a loaded machine is slow, not stuck) and gives up
  // after 15 s without any.
  let last = await job(sub.body.jobId).catch(() => null);
  let progressAt = Date.now();
  while (last?.state !== 'completed' && Date.now() - progressAt < 15_000) {
    await new Promise((r) => setTimeout(r, 500));
    const next = await job(sub.body.jobId).catch(() => null);
    if ((next?.done ?? 0) > (last?.done ?? 0)) progressAt = Date.now();
    last = next ?? last;
  }
  const stable = await job(sub.body.jobId);
  expect(before.state).toBe('running'); // the outage really hit a running job
  expect(stable).toMatchObject({ state: 'completed', done: 3000 });
}, 300_000);
