// The verifier pool: requests are micro-batched into piscina tasks (flush at `batchSize` items or
// `batchDelayUs` after the first), because one task per request caps far below the crypto
// (performance-facts.md). A bounded number of pending items gives backpressure; a worker that
// dies fails only its own batch, and piscina replaces it.
import { TypedError } from '../core/typed-error.js';
import { Piscina } from 'piscina';
import type { RevocationSetData } from '../core/revocation.js';
import { workerFile } from '../worker-entry.js';
import type { ItemResult, TaskResult, VerifyItem, VerifyTask, WorkerSetup } from './messages.js';

export class PoolError extends TypedError<'overloaded' | 'worker_failed' | 'shutting_down'> {
  override readonly name = 'PoolError';
}

export interface PoolOptions {
  readonly threads: number;
  readonly batchSize: number;
  readonly batchDelayUs: number;
  readonly maxPending: number;
  readonly concurrentTasksPerWorker: number;
  readonly setup: Omit<WorkerSetup, 'module'>;
}

/** What the pool reports as it works (metrics plug in here). */
export interface PoolObserver {
  batch(size: number, batchWaitMs: number): void;
  task(workerMs: number, totalMs: number, cacheHits: number, cacheMisses: number): void;
  failed(items: number, reason: string): void;
}

interface Pending {
  item: VerifyItem;
  resolve: (r: ItemResult) => void;
  reject: (e: Error) => void;
}

const NOOP: PoolObserver = { batch() {}, task() {}, failed() {} };

export class VerifierPool {
  private readonly piscina: Piscina;
  private queue: Pending[] = [];
  private firstQueuedAt = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private inFlight = 0; // items queued here or in tasks not yet settled
  private revocation: RevocationSetData | null = null;
  private closing = false;

  constructor(
    private readonly opts: PoolOptions,
    private readonly observer: PoolObserver = NOOP,
  ) {
    const { url, fromSource } = workerFile('verify');
    const filename = fromSource ? new URL('../workers/tsx-boot.mjs', url).href : url.href;
    this.piscina = new Piscina({
      filename,
      minThreads: opts.threads,
      maxThreads: opts.threads,
      concurrentTasksPerWorker: opts.concurrentTasksPerWorker,
      idleTimeout: Infinity,
      workerData: { ...opts.setup, module: fromSource ? url.href : undefined } satisfies WorkerSetup,
    });
  }

  /** The revocation data for every task from now on (a new version reaches each worker with its
   *  next task; a task never mixes two versions). */
  setRevocation(data: RevocationSetData | null): void {
    this.revocation = data;
  }

  get pending(): number {
    return this.inFlight;
  }

  get utilization(): number {
    return this.piscina.utilization;
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  verify(item: VerifyItem): Promise<ItemResult> {
    if (this.closing) return Promise.reject(new PoolError('shutting_down', 'the service is shutting down'));
    if (this.inFlight >= this.opts.maxPending) return Promise.reject(new PoolError('overloaded', `more than ${this.opts.maxPending} verifications pending`));
    this.inFlight++;
    return new Promise<ItemResult>((resolve, reject) => {
      if (this.queue.length === 0) this.firstQueuedAt = performance.now();
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.opts.batchSize) this.flush();
      else if (!this.timer) {
        const us = this.opts.batchDelayUs;
        this.timer = us < 1000 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), us / 1000);
      }
    });
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const started = performance.now();
    this.observer.batch(batch.length, started - this.firstQueuedAt);
    const task: VerifyTask = { revocation: this.revocation, items: batch.map((p) => p.item) };
    (this.piscina.run(task) as Promise<TaskResult>).then(
      (res) => {
        this.observer.task(res.workerMs, performance.now() - started, res.cacheHits, res.cacheMisses);
        for (let i = 0; i < batch.length; i++) batch[i].resolve(res.results[i]);
        this.inFlight -= batch.length;
      },
      (err: Error) => {
        this.observer.failed(batch.length, err.message);
        const e = new PoolError('worker_failed', `verification worker failed: ${err.message}`);
        for (const p of batch) p.reject(e);
        this.inFlight -= batch.length;
      },
    );
  }

  /** Finishes what is queued, then stops the threads. */
  async close(): Promise<void> {
    this.closing = true;
    this.flush();
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    await this.piscina.close();
  }

  /** For tests of crash recovery: the worker threads themselves. */
  workers(): readonly import('node:worker_threads').Worker[] {
    return this.piscina.threads;
  }
}
