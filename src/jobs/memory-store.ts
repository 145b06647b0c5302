// Bulk jobs in memory (embedded mode): lost on restart, like the rest of the embedded state.
import type { BulkJobRecord, ChunkResults, JobStore } from './store.js';

interface Entry {
  record: BulkJobRecord;
  results: Map<number, string>;
  chunks: Set<number>;
  expiresAt: number;
}

export class MemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, Entry>();

  constructor(
    private readonly retentionMs: number,
    private readonly clock: () => number,
  ) {}

  private sweep(): void {
    const now = this.clock();
    for (const [id, e] of this.jobs) if (e.expiresAt <= now) this.jobs.delete(id);
  }

  async create(r: Pick<BulkJobRecord, 'id' | 'tenant' | 'total' | 'createdAt' | 'webhook'>, known: ChunkResults): Promise<void> {
    this.sweep();
    const record: BulkJobRecord = { ...r, done: 0, errors: 0, state: 'running', completedAt: null };
    this.jobs.set(r.id, { record, results: new Map(), chunks: new Set(), expiresAt: this.clock() + this.retentionMs });
    await this.record(r.id, -1, known, r.createdAt);
  }

  async record(jobId: string, chunk: number, results: ChunkResults, now: number): Promise<'recorded' | 'duplicate' | 'completed' | 'gone'> {
    const e = this.jobs.get(jobId);
    if (!e || e.expiresAt <= this.clock()) return 'gone';
    if (e.chunks.has(chunk)) return 'duplicate';
    e.chunks.add(chunk);
    for (const [i, json] of results) e.results.set(i, json);
    const done = e.record.done + results.length;
    const errors = e.record.errors + results.filter((x) => x[2]).length;
    const completes = done >= e.record.total && e.record.state !== 'completed';
    e.record = { ...e.record, done, errors, state: completes ? 'completed' : e.record.state, completedAt: completes ? now : e.record.completedAt };
    return completes ? 'completed' : 'recorded';
  }

  async get(jobId: string): Promise<BulkJobRecord | null> {
    const e = this.jobs.get(jobId);
    return e && e.expiresAt > this.clock() ? e.record : null;
  }

  async results(jobId: string, offset: number, limit: number): Promise<(string | null)[]> {
    const e = this.jobs.get(jobId);
    if (!e) return [];
    const out: (string | null)[] = [];
    for (let i = offset; i < Math.min(offset + limit, e.record.total); i++) out.push(e.results.get(i) ?? null);
    return out;
  }

  async close(): Promise<void> {
    this.jobs.clear();
  }
}
