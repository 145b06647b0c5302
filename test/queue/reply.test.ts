// The API side of the reply channel on real Redis, with no worker: the test plays the worker. A
// packed reply answers its callers; a malformed one fails its job's callers with job_failed (no
// verdict made up) and never takes the dispatcher down; a JSON reply from a worker older than
// packed replies still answers; and every job asks for the packed format (rf), so a new worker
// answers it packed while an old API (no rf) still gets JSON.
import { randomBytes } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { verdict } from '../../src/core/verdict.js';
import { redisKeys } from '../../src/redis/keys.js';
import { QueueDispatcher, QueueError } from '../../src/queue/dispatcher.js';
import { jobItems, type VerifyJobData } from '../../src/queue/codec.js';
import { RESULT_FORMAT, packResults } from '../../src/queue/result-codec.js';
import type { ItemResult, VerifyItem } from '../../src/verifier/messages.js';
import { until } from '../helpers/cluster.js';

const URL = 'redis://127.0.0.1:6379';
const prefix = `jpkitest${process.pid}rp${Date.now().toString(36)}`;
const keys = redisKeys(prefix);
const redis = new Redis(URL, { maxRetriesPerRequest: 1 });
const outcomes: string[] = [];

const dispatcher = await QueueDispatcher.start(
  {
    name: 'verify',
    batchSize: 4,
    batchDelayUs: 0,
    maxPending: 100,
    timeoutMs: 10_000,
    attempts: 1,
    backoffMs: 0,
    resultPath: 'reply',
    redis: { url: URL, cluster: false },
    keys,
    wallClock: Date.now,
  },
  { batch() {}, job: (_s, outcome) => void outcomes.push(outcome) },
  pino({ level: 'silent' }),
);
const queue = new Queue('verify', { connection: { host: '127.0.0.1', port: 6379 }, prefix: keys.bullPrefix });

afterAll(async () => {
  await dispatcher.close();
  await queue.close();
  const found = [...(await redis.keys(`{${prefix}}*`)), ...(await redis.keys(`${prefix}:*`))];
  if (found.length) await redis.del(...found);
  redis.disconnect();
});

const item = (): VerifyItem => ({ kind: 'auth', time: 1, cert: randomBytes(100), challenge: randomBytes(32), signature: randomBytes(256) });
const result = (n: number): ItemResult => ({
  verdict: verdict('ok', -1, 'checks out', { checked: false }),
  certificate: { kind: 'authentication', serial: n.toString(16), fingerprint: 'ff', notBefore: 'a', notAfter: 'b', issuerGeneration: 2023 },
});

/** The one waiting job the dispatcher added (the test is its worker), removed from the queue. */
async function takeJob(): Promise<Job<VerifyJobData>> {
  const job = await until(async () => (await queue.getJobs(['wait']))[0] ?? null, 5_000, 5);
  await job.remove();
  return job as Job<VerifyJobData>;
}

describe('reply channel (API side)', () => {
  it('answers callers from a packed reply; the job asks for packed replies', async () => {
    const answers = Promise.all([dispatcher.verify(item()), dispatcher.verify(item())]);
    const job = await takeJob();
    expect(job.data.rf).toBe(RESULT_FORMAT);
    expect(job.data.replyTo).toBe(keys.replyChannel(dispatcher.nodeId));
    expect(jobItems(job.data)).toHaveLength(2);
    await redis.publish(job.data.replyTo, packResults(job.id!, [result(1), result(2)]));
    expect((await answers).map((r) => r.certificate?.serial)).toEqual(['1', '2']);
  });

  it('a malformed packed reply fails its callers with job_failed, and the dispatcher goes on', async () => {
    const answer = dispatcher.verify(item());
    const job = await takeJob();
    const good = packResults(job.id!, [result(3)]);
    // Cut short after the job id and string table: the job id is readable, the results are not.
    await redis.publish(job.data.replyTo, good.subarray(0, good.length - 3));
    const err = await answer.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueError);
    expect(err).toMatchObject({ code: 'job_failed' });
    expect((err as Error).message).toMatch(/unreadable result/);
    // Garbage whose job id cannot be read is dropped (its callers would time out); then the
    // dispatcher still answers the next job.
    await redis.publish(job.data.replyTo, Buffer.from([RESULT_FORMAT, 200]));
    await redis.publish(job.data.replyTo, Buffer.from([99, 1, 2, 3]));
    await redis.publish(job.data.replyTo, packResults(job.id!, [result(3)])); // answered already: ignored
    const next = dispatcher.verify(item());
    const job2 = await takeJob();
    await redis.publish(job2.data.replyTo, packResults(job2.id!, [result(4)]));
    expect((await next).certificate?.serial).toBe('4');
    expect(outcomes).toContain('failed');
  });

  it('reads a JSON reply (a worker from before packed replies) and a JSON failure', async () => {
    const a = dispatcher.verify(item());
    const jobA = await takeJob();
    await redis.publish(jobA.data.replyTo, JSON.stringify({ jobId: jobA.id, results: [result(5)] }));
    expect((await a).certificate?.serial).toBe('5');
    const b = dispatcher.verify(item());
    const jobB = await takeJob();
    await redis.publish(jobB.data.replyTo, JSON.stringify({ jobId: jobB.id, error: 'pool overloaded' }));
    await expect(b).rejects.toMatchObject({ code: 'job_failed' });
  });
});
