// The verified-certificate table through the running service: with no per-thread path cache, a
// repeat holder is served from the table the pool threads share (one RSA verify), and what the
// table serves is still judged against the CRLs. Also: the pool's young-generation setting reaches its threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService({
    pool: {
      threads: 2,
      batchSize: 16,
      batchDelayUs: 200,
      maxPending: 5000,
      concurrentTasksPerWorker: 2,
      pathCacheSize: 0,
      verifiedEntries: 1024,
      youngGenerationMb: 8,
    },
  });
});
afterAll(async () => t?.svc.close());

async function auth(id: string): Promise<string> {
  const r = await t.post('/v1/verify/auth', t.authBody(t.holder(id), await t.challenge()));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body as { verdict: { code: string } }).verdict.code;
}

async function lookups(): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const read = (result: string): number => Number(new RegExp(`jpki_verified_table_lookups_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? NaN);
  return { hit: read('hit'), miss: read('miss') };
}

describe('the verified-certificate table in the pool', () => {
  it('repeat holders are served from the shared table; revoked ones are never recorded and stay refused', async () => {
    const before = await lookups();
    expect(before).toEqual({ hit: 0, miss: 0 });
    for (let i = 0; i < 5; i++) expect(await auth('a10')).toBe('ok');
    for (let i = 0; i < 3; i++) expect(await auth('a1')).toBe('revoked');
    const after = await lookups();
    expect(after.hit).toBe(4); // the first a10 was checked in full, the next four were not
    expect(after.miss).toBe(1 + 3); // a10 once, a1 every time
  });

  it('pool.youngGenerationMb reaches every worker thread', () => {
    const threads = t.svc.local!.pool.workers();
    expect(threads.length).toBe(2);
    for (const w of threads) expect(w.resourceLimits?.maxYoungGenerationSizeMb).toBe(8);
  });
});
