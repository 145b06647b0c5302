// How many jobs a worker process holds at once. BullMQ hands a job to whichever worker asks first,
// and a worker asks until it holds `concurrency` jobs: with a fixed high concurrency the first
// worker to ask takes every waiting job, and behind a single pool thread they wait while another
// worker's thread idles. So a worker holds enough items to keep each pool task slot busy with one
// task queued behind it, counted in jobs of the size it has been seeing; the configured
// concurrency is the ceiling (it still rules when jobs are single items).

export interface IntakeOptions {
  /** queue.concurrency: never more jobs than this. */
  readonly max: number;
  /** Pool threads × tasks per thread: never fewer jobs. */
  readonly minJobs: number;
  /** Items worth holding: two pool batches per task slot. */
  readonly items: number;
}

export class JobIntake {
  /** Moving average of items per synchronous job (weight 1/5 on the newest). */
  private avg: number | null = null;
  /** Bulk chunks being run: each holds its own place, on top of the synchronous jobs, so a
   *  synchronous caller never waits in Redis behind a chunk of thousands of items. */
  private bulk = 0;

  constructor(private readonly o: IntakeOptions) {}

  /** Jobs to hold now. */
  get concurrency(): number {
    const sync = this.avg === null ? this.o.max : Math.ceil(this.o.items / Math.max(1, this.avg));
    return Math.min(this.o.max, Math.max(this.o.minJobs, sync) + this.bulk);
  }

  /** A synchronous job of `items` items was taken. */
  observe(items: number): number {
    this.avg = this.avg === null ? items : this.avg * 0.8 + items * 0.2;
    return this.concurrency;
  }

  /** A bulk chunk started (+1) or ended (-1). */
  bulkChunk(delta: 1 | -1): number {
    this.bulk += delta;
    return this.concurrency;
  }
}

export function intakeFor(pool: { threads: number; batchSize: number; concurrentTasksPerWorker: number }, concurrency: number): JobIntake {
  const slots = pool.threads * pool.concurrentTasksPerWorker;
  return new JobIntake({ max: concurrency, minJobs: Math.min(concurrency, slots), items: slots * pool.batchSize * 2 });
}
