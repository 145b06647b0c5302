// The ECDSA P-384 generation in queue mode: the API enqueues micro-batches on real Redis (job
// format v3: the hash may be left to the key), a real `jpki-verify worker` process with
// trust.acceptEcdsa verifies them against its CRL feed; sync verifications and a bulk job, beside
// RSA cards.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cardSign, cardSignDigest } from '../../src/dev/sim/card.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { clusterDatabase, queueSettings, spawnWorker, until, workerConfig, type WorkerProc } from '../helpers/cluster.js';

const DB = await clusterDatabase();
const prefix = `jpkitest${process.pid}ec${Date.now().toString(36)}`;
let t: TestService;
let worker: WorkerProc;
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });

beforeAll(async () => {
  // Real time: the worker judges CRL freshness by its own clock. The API node verifies nothing in
  // queue mode: trust.acceptEcdsa is the worker's setting.
  t = await startTestService(queueSettings(prefix, DB), { t0: Date.now() - 60_000, ecdsa: true, acceptEcdsa: false });
  const settings = queueSettings(prefix, DB);
  worker = await spawnWorker(
    workerConfig(t, 'ec-worker', settings, { trust: { roots: [join(t.dir, 'trust')], allowTestHierarchy: false, acceptEcdsa: true } }),
  );
  await until(async () => (await fetch(`${t.url}/readyz`)).status === 200);
}, 60_000);

afterAll(async () => {
  await t?.svc.close();
  worker?.child.kill('SIGKILL');
  const keys = [...(await redis.keys(`{${prefix}}*`)), ...(await redis.keys(`${prefix}:*`))];
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const doc = Buffer.from('契約書 (queue, P-384)');

async function authBody(id: string): Promise<Record<string, string>> {
  const h = t.holder(id);
  const ch = await t.challenge();
  return { certificate: b64(h.cert), challengeId: ch.challengeId, signature: b64(cardSign(t.pki.keys[h.key], ch.challenge)) };
}

describe('queue mode with the ECDSA P-384 generation', () => {
  it('a worker verifies P-384 cards: valid, revoked (gen-4 CRL), tampered, malformed', async () => {
    const ok = await t.post('/v1/verify/auth', await authBody('a-ec0'));
    expect(ok.body.verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { status: 'good' } });
    const revoked = await t.post('/v1/verify/auth', await authBody('a-ec1'));
    expect(revoked.body.verdict).toMatchObject({ code: 'revoked', revocation: { reason: 'keyCompromise' } });
    const body = await authBody('a-ec2');
    const sig = Buffer.from(body.signature, 'base64');
    sig[sig.length - 1] ^= 1;
    expect((await t.post('/v1/verify/auth', { ...body, signature: b64(sig) })).body.verdict.code).toBe('signature_invalid');
    const malformed = await t.post('/v1/verify/auth', { ...(await authBody('a-ec2')), signature: b64(new Uint8Array(96).fill(7)) });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'malformed_signature' } });
    // RSA cards beside them.
    expect((await t.post('/v1/verify/auth', await authBody('a20'))).body.verdict.code).toBe('ok');
  });

  it('document signatures over data and over the SHA-384 digest', async () => {
    const s = t.holder('s-ec0');
    const key = t.pki.keys[s.key];
    const overData = await t.post('/v1/verify/signature', { certificate: b64(s.cert), data: b64(doc), signature: b64(cardSign(key, doc)) });
    expect(overData.body.verdict.code).toBe('ok');
    expect(overData.body.basicInfo.name).toBeTruthy();
    const digest = createHash('sha384').update(doc).digest();
    const overDigest = await t.post('/v1/verify/signature', {
      certificate: b64(s.cert),
      digest: b64(digest),
      digestAlgorithm: 'sha384',
      signature: b64(cardSignDigest(key, 'sha384', digest)),
    });
    expect(overDigest.body.verdict.code).toBe('ok');
  });

  it('a bulk job of P-384 and RSA items completes with the right verdict for each', async () => {
    const items = [];
    for (const id of ['s-ec0', 's-ec1', 's-ec2', 's3']) {
      const h = t.holder(id);
      items.push({ type: 'signature', certificate: b64(h.cert), data: b64(doc), signature: b64(cardSign(t.pki.keys[h.key], doc)) });
    }
    const created = await t.post('/v1/jobs', { items });
    expect(created.status).toBe(202);
    const get = async () => (await fetch(`${t.url}/v1/jobs/${created.body.jobId}`, { headers: { 'x-api-key': 'tenant-a-key-0123456789' } })).json();
    await until(async () => ((await get()) as { state: string }).state === 'completed');
    const page = (await (
      await fetch(`${t.url}/v1/jobs/${created.body.jobId}?offset=0&limit=10`, { headers: { 'x-api-key': 'tenant-a-key-0123456789' } })
    ).json()) as {
      results: { verdict: { code: string; revocation: { reason?: string } } }[];
    };
    expect(page.results.map((r) => r.verdict.code)).toEqual(['ok', 'revoked', 'ok', 'ok']);
    expect(page.results[1].verdict.revocation.reason).toBe('affiliationChanged');
  });
});
