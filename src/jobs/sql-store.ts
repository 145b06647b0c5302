// Bulk jobs in the SQL system of record: any API node answers GET /v1/jobs/:id, any worker records
// chunk results. A chunk is counted once however often it runs: its row in bulk_job_chunks is
// inserted in the same transaction as its results and the counters.
import { ms, msOrNull, type Database } from '../db/database.js';
import type { BulkJobRecord, ChunkResults, JobStore } from './store.js';

export class SqlJobStore implements JobStore {
  constructor(
    private readonly db: Database,
    private readonly retentionMs: number,
    private readonly clock: () => number,
  ) {}

  async create(r: Pick<BulkJobRecord, 'id' | 'tenant' | 'total' | 'createdAt' | 'webhook'>, known: ChunkResults): Promise<void> {
    await this.db.query("INSERT INTO bulk_jobs (id, tenant, total, state, created_at, webhook, expires_at) VALUES ($1, $2, $3, 'running', $4, $5, $6)", [
      r.id,
      r.tenant,
      r.total,
      r.createdAt,
      r.webhook,
      this.clock() + this.retentionMs,
    ]);
    await this.record(r.id, -1, known, r.createdAt);
  }

  record(jobId: string, chunk: number, results: ChunkResults, now: number): Promise<'recorded' | 'duplicate' | 'completed' | 'gone'> {
    return this.db.transaction(async (tx) => {
      // The job row is locked first: chunks of one job finishing together count in turn.
      const job = await tx.query<{ total: number; state: string }>('SELECT total, state FROM bulk_jobs WHERE id = $1 AND expires_at > $2 FOR UPDATE', [
        jobId,
        this.clock(),
      ]);
      if (job.length === 0) return 'gone';
      const fresh = await tx.query('INSERT INTO bulk_job_chunks (job_id, chunk) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING chunk', [jobId, chunk]);
      if (fresh.length === 0) return 'duplicate';
      if (results.length) {
        await tx.query('INSERT INTO bulk_job_results (job_id, idx, result) SELECT $1, * FROM unnest($2::integer[], $3::text[]) ON CONFLICT DO NOTHING', [
          jobId,
          results.map((x) => x[0]),
          results.map((x) => x[1]),
        ]);
      }
      const errors = results.filter((x) => x[2]).length;
      const after = await tx.query<{ done: number; state: string }>(
        `UPDATE bulk_jobs SET done = done + $2, errors = errors + $3,
           state = CASE WHEN done + $2 >= total THEN 'completed' ELSE state END,
           completed_at = CASE WHEN done + $2 >= total AND state <> 'completed' THEN $4 ELSE completed_at END
         WHERE id = $1 RETURNING done, state`,
        [jobId, results.length, errors, now],
      );
      return after[0].state === 'completed' && job[0].state !== 'completed' ? 'completed' : 'recorded';
    });
  }

  async get(jobId: string): Promise<BulkJobRecord | null> {
    const r = await this.db.query('SELECT * FROM bulk_jobs WHERE id = $1 AND expires_at > $2', [jobId, this.clock()]);
    if (r.length === 0) return null;
    const j = r[0];
    return {
      id: j.id as string,
      tenant: j.tenant as string,
      total: Number(j.total),
      done: Number(j.done),
      errors: Number(j.errors),
      state: j.state === 'completed' ? 'completed' : 'running',
      createdAt: ms(j.created_at),
      completedAt: msOrNull(j.completed_at),
      webhook: (j.webhook as string | null) ?? null,
    };
  }

  async pendingItems(tenant: string): Promise<number> {
    const r = await this.db.query<{ n: unknown }>(
      "SELECT coalesce(sum(total - done), 0) AS n FROM bulk_jobs WHERE tenant = $1 AND state = 'running' AND expires_at > $2",
      [tenant, this.clock()],
    );
    return Number(r[0].n);
  }

  async results(jobId: string, offset: number, limit: number): Promise<(string | null)[]> {
    const job = await this.get(jobId);
    if (!job) return [];
    const end = Math.min(offset + limit, job.total);
    if (end <= offset) return [];
    const rows = await this.db.query<{ idx: number; result: string }>('SELECT idx, result FROM bulk_job_results WHERE job_id = $1 AND idx >= $2 AND idx < $3', [
      jobId,
      offset,
      end,
    ]);
    const out: (string | null)[] = new Array(end - offset).fill(null);
    for (const r of rows) out[Number(r.idx) - offset] = r.result;
    return out;
  }

  async close(): Promise<void> {
    // The database belongs to the caller.
  }
}
