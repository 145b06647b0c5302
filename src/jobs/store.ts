// Where async bulk jobs (POST /v1/jobs) keep their state and results: in memory (embedded mode)
// or in Redis (queue mode, where workers record results). One interface, one shared test suite.

export interface BulkJobRecord {
  readonly id: string;
  readonly tenant: string;
  readonly total: number;
  /** Items with a result so far. */
  readonly done: number;
  /** Items whose result is an error object rather than a verdict. */
  readonly errors: number;
  readonly state: 'running' | 'completed';
  readonly createdAt: number;
  readonly completedAt: number | null;
  readonly webhook: string | null;
}

/** Results of one chunk: item index → result JSON. */
export type ChunkResults = readonly (readonly [index: number, json: string, isError: boolean])[];

export interface JobStore {
  /** A new job, with the results known at submission (items that failed to decode) as chunk -1. */
  create(record: Pick<BulkJobRecord, 'id' | 'tenant' | 'total' | 'createdAt' | 'webhook'>, known: ChunkResults): Promise<void>;
  /** Records a chunk's results once (a chunk that runs twice counts once). 'completed' the first
   *  time the job has every result; 'gone' if the job has expired. */
  record(jobId: string, chunk: number, results: ChunkResults, now: number): Promise<'recorded' | 'duplicate' | 'completed' | 'gone'>;
  get(jobId: string): Promise<BulkJobRecord | null>;
  /** Items still without a result in the tenant's running (unexpired) jobs. */
  pendingItems(tenant: string): Promise<number>;
  /** Result JSON for indexes offset…offset+limit-1 (null where none yet). */
  results(jobId: string, offset: number, limit: number): Promise<(string | null)[]>;
  close(): Promise<void>;
}
