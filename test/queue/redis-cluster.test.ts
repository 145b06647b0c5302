// Queue mode on a real Redis Cluster (three masters started here): the hash-tagged key layout
// (BullMQ's queue in one slot, each bulk job's keys in one slot) lets the API, a worker, the
// challenge store and bulk jobs run unchanged across shards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/redis/keys.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { freePort, clusterDatabase, queueSettings, spawnWorker, until, workerConfig, type WorkerProc } from '../helpers/cluster.js';

const DB = await clusterDatabase();

const servers: ChildProcess[] = [];
let ports: number[] = [];
let t: TestService;
let worker: WorkerProc;
const prefix = `jpkitest${process.pid}rc`;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  ports = [await freePort(), await freePort(), await freePort()];
  for (const port of ports) {
    servers.push(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      ),
    );
  }
  await until(async () => ports.every((p) => spawnSync('redis-cli', ['-p', String(p), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG'), 10_000, 50);
  const made = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
    encoding: 'utf8',
  });
  expect(made.status, made.stdout + made.stderr).toBe(0);
  await until(
    async () => ports.every((p) => spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout.includes('cluster_state:ok')),
    20_000,
    100,
  );
  const settings = {
    ...queueSettings(prefix, DB, ports.map((p) => `redis://127.0.0.1:${p}`).join(',')),
    redis: { url: ports.map((p) => `redis://127.0.0.1:${p}`).join(','), prefix, cluster: true },
  };
  t = await startTestService(settings, { t0: Date.now() - 60_000 });
  worker = await spawnWorker(workerConfig(t, 'rc', settings as ReturnType<typeof queueSettings>));
}, 90_000);

afterAll(async () => {
  await t?.svc.close();
  worker?.child.kill('SIGKILL');
  for (const s of servers) s.kill('SIGKILL');
});

describe('queue mode on a three-master Redis Cluster', () => {
  it('verifies through the queue, with challenges and bulk jobs spread over the shards', async () => {
    await until(async () => (await fetch(`${t.url}/readyz`)).status === 200);
    const ok = await t.post('/v1/verify/auth', t.authBody(t.holder('a20'), await t.challenge()));
    expect(ok.body.verdict.code).toBe('ok');
    const revoked = await t.post('/v1/verify/auth', t.authBody(t.holder('a3'), await t.challenge()));
    expect(revoked.body.verdict).toMatchObject({ code: 'revoked', revocation: { reason: 'affiliationChanged' } });
    // Many callers at once: micro-batched jobs.
    const bodies = await Promise.all(Array.from({ length: 30 }, async (_, i) => t.authBody(t.holder(`a${20 + i}`), await t.challenge())));
    const all = await Promise.all(bodies.map((b) => t.post('/v1/verify/auth', b)));
    expect(all.every((r) => r.body.verdict?.code === 'ok')).toBe(true);

    const ids: string[] = [];
    for (let j = 0; j < 4; j++) {
      const items = await Promise.all(
        Array.from({ length: 5 }, async (_, i) => ({ type: 'auth', ...t.authBody(t.holder(`a${30 + i}`), await t.challenge()) })),
      );
      const created = await t.post('/v1/jobs', { items });
      expect(created.status).toBe(202);
      ids.push(created.body.jobId);
    }
    for (const id of ids) {
      const job = await until(async () => {
        const j = (await (await fetch(`${t.url}/v1/jobs/${id}`, { headers: { 'x-api-key': 'tenant-a-key-0123456789' } })).json()) as {
          state: string;
          results: { verdict: { code: string } }[];
        };
        return j.state === 'completed' ? j : null;
      });
      expect(job.results.map((r) => r.verdict.code)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    }

    // Where the keys went: the queue in the one slot of its tag; the jobs' keys by their own tags,
    // not all on one shard.
    const cluster = new Cluster([{ host: '127.0.0.1', port: ports[0] }]);
    try {
      const keys = redisKeys(prefix);
      const slotOf = async (key: string) => Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
      expect(await slotOf(`${keys.bullPrefix}:verify:id`)).toBe(await slotOf(keys.workers));
      const metaSlots = new Set(await Promise.all(ids.map((id) => slotOf(keys.jobMeta(id)))));
      for (const id of ids) expect(await slotOf(keys.jobResults(id))).toBe(await slotOf(keys.jobMeta(id)));
      expect(metaSlots.size).toBeGreaterThan(1);
      // A tenant's challenges and its outstanding set: one slot (issue and consume are scripts
      // over both); the keys are where the store put them.
      const open = await t.challenge();
      expect(await slotOf(keys.tenantChallenge('a', open.challengeId))).toBe(await slotOf(keys.tenantChallenges('a')));
      expect(await cluster.exists(keys.tenantChallenge('a', open.challengeId))).toBe(1);
      expect(await cluster.zscore(keys.tenantChallenges('a'), open.challengeId)).not.toBeNull();
    } finally {
      cluster.disconnect();
    }
  }, 60_000);
});
