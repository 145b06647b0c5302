// Bulk jobs in Redis (queue mode): workers on any machine record chunk results, any API node
// answers GET /v1/jobs/:id. A job's three keys share a hash tag (one Cluster slot), so recording a
// chunk is one atomic script: counted once however often the chunk runs.
import type { RedisClient } from '../queue/connection.js';
import type { RedisKeys } from '../redis-keys.js';
import { guarded } from '../store-error.js';
import type { BulkJobRecord, ChunkResults, JobStore } from './store.js';

// KEYS: meta, results, chunks. ARGV: chunk, errors, now, then index/json pairs.
// Returns -1 gone, 0 duplicate, 1 recorded, 2 completed.
const RECORD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SADD', KEYS[3], ARGV[1]) == 0 then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('PEXPIRE', KEYS[3], ttl)
local n = 0
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  n = n + 1
end
if n > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
redis.call('HINCRBY', KEYS[1], 'errors', ARGV[2])
local done = redis.call('HINCRBY', KEYS[1], 'done', n)
if done >= tonumber(redis.call('HGET', KEYS[1], 'total')) and redis.call('HGET', KEYS[1], 'state') ~= 'completed' then
  redis.call('HSET', KEYS[1], 'state', 'completed', 'completedAt', ARGV[3])
  return 2
end
return 1
`;

type Recorder = { jpkiRecordChunk(meta: string, results: string, chunks: string, ...args: (string | number)[]): Promise<number> };

export class RedisJobStore implements JobStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionSec: number,
  ) {
    redis.defineCommand('jpkiRecordChunk', { numberOfKeys: 3, lua: RECORD });
  }

  async create(r: Pick<BulkJobRecord, 'id' | 'tenant' | 'total' | 'createdAt' | 'webhook'>, known: ChunkResults): Promise<void> {
    const meta = this.keys.jobMeta(r.id);
    await guarded('job store', () =>
      this.redis
        .multi()
        .hset(meta, { tenant: r.tenant, total: r.total, done: 0, errors: 0, state: 'running', createdAt: r.createdAt, webhook: r.webhook ?? '' })
        .expire(meta, this.retentionSec)
        .exec(),
    );
    await this.record(r.id, -1, known, r.createdAt);
  }

  async record(jobId: string, chunk: number, results: ChunkResults, now: number): Promise<'recorded' | 'duplicate' | 'completed' | 'gone'> {
    const args: (string | number)[] = [chunk, results.filter((x) => x[2]).length, now];
    for (const [i, json] of results) args.push(i, json);
    const k = this.keys;
    const code = await guarded('job store', () => (this.redis as unknown as Recorder).jpkiRecordChunk(k.jobMeta(jobId), k.jobResults(jobId), k.jobChunks(jobId), ...args));
    return (['gone', 'duplicate', 'recorded', 'completed'] as const)[code + 1];
  }

  async get(jobId: string): Promise<BulkJobRecord | null> {
    const h = await guarded('job store', () => this.redis.hgetall(this.keys.jobMeta(jobId)));
    if (!h.tenant) return null;
    return {
      id: jobId,
      tenant: h.tenant,
      total: Number(h.total),
      done: Number(h.done),
      errors: Number(h.errors),
      state: h.state === 'completed' ? 'completed' : 'running',
      createdAt: Number(h.createdAt),
      completedAt: h.completedAt ? Number(h.completedAt) : null,
      webhook: h.webhook || null,
    };
  }

  async results(jobId: string, offset: number, limit: number): Promise<(string | null)[]> {
    const fields: string[] = [];
    for (let i = offset; i < offset + limit; i++) fields.push(String(i));
    if (fields.length === 0) return [];
    return guarded('job store', () => this.redis.hmget(this.keys.jobResults(jobId), ...fields));
  }

  async close(): Promise<void> {
    // The client belongs to the caller.
  }
}
