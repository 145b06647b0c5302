// Found by an attack pass (fixed): PostgreSQL restarts while a transaction is open. db.transaction()
// (src/db/postgres.ts:78) checks a client out of the pg pool with no 'error' listener; pg-pool
// removes its idle listener on checkout, so the client's "Connection terminated unexpectedly"
// 'error' event is unhandled: the whole API process dies. Bulk-job chunks (src/jobs/sql-store.ts
// record) and change confirmation (recordChanges) run in transactions.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnService, type WorkerProc } from '../helpers/cluster.js';
import { privatePostgres, type PrivatePostgres } from '../helpers/db.js';
import { KEY_A, makeTestPki } from '../helpers/service.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
let pgs: PrivatePostgres;
let svc: WorkerProc;
let pki: ReturnType<typeof makeTestPki>;
beforeAll(async () => {
  pgs = await privatePostgres();
  pki = makeTestPki(Date.now());
  const file = join(pki.dir, 'serve.json');
  writeFileSync(
    file,
    JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      logLevel: 'info',
      trust: { roots: [join(pki.dir, 'trust')], allowTestHierarchy: false },
      crl: {
        sources: [join(pki.dir, 'crl')],
        cacheDir: join(pki.dir, 'cache'),
        refreshIntervalSec: 3600,
        graceSec: 3600,
        retries: 1,
        backoffMs: 0,
      },
      pool: { threads: 1, batchSize: 16, batchDelayUs: 200, maxPending: 20_000, concurrentTasksPerWorker: 2, pathCacheSize: 1000 },
      database: { url: pgs.url, dir: ':memory:', poolSize: 4, timeoutMs: 3000 },
      jobs: { maxItems: 10_000, chunkSize: 1, retentionSec: 86_400, webhookAttempts: 1, webhookTimeoutMs: 1000, maxBodyBytes: 40_960_000 },
      tenants: [{ id: 'a', apiKeySha256: sha(KEY_A) }],
    }),
  );
  svc = await spawnService(file);
}, 120_000);
afterAll(async () => {
  svc?.child.kill('SIGKILL');
  await pgs?.destroy();
});

it('the API process survives a PostgreSQL restart during a bulk job', async () => {
  const h = pki.holder('s1');
  const item = { type: 'signature', certificate: Buffer.from(h.cert).toString('base64'), data: 'aGVsbG8=', signature: Buffer.alloc(256).toString('base64') };
  const sub = await fetch(`${svc.url}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY_A },
    body: JSON.stringify({ items: Array.from({ length: 3000 }, () => item) }),
  });
  expect(sub.status).toBe(202);
  await new Promise((r) => setTimeout(r, 300));
  await pgs.stop('immediate');
  const exit = await Promise.race([svc.exited, new Promise((r) => setTimeout(() => r('alive'), 3000))]);
  console.log(
    'process after the restart:',
    exit,
    svc
      .out()
      .split('\n')
      .filter((l) => /terminated|Error/.test(l))
      .slice(0, 3)
      .join('\n'),
  );
  await pgs.start();
  expect(exit).toBe('alive'); // before the fix: the process exited (code 1) with "Connection terminated unexpectedly"
  expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
}, 120_000);
