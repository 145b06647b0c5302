// The verifier pool: requests are micro-batched (micro-batcher.ts) into piscina tasks. A worker
// that dies fails only its own batch, and piscina replaces it.
import { TypedError } from '../core/typed-error.js';
import { Piscina } from 'piscina';
import type { RevocationSetData } from '../core/revocation-set.js';
import { workerFile } from './threads.js';
import { MicroBatcher } from './micro-batcher.js';
import type { CacheLookups, ItemResult, TaskResult, VerifyItem, VerifyTask, WorkerSetup } from '../verifier/messages.js';
import { packItems } from './task-codec.js';

export class PoolError extends TypedError<'overloaded' | 'worker_failed' | 'shutting_down'> {
  override readonly name = 'PoolError';
}

export interface PoolOptions {
  readonly threads: number;
  readonly batchSize: number;
  readonly batchDelayUs: number;
  readonly maxPending: number;
  readonly concurrentTasksPerWorker: number;
  /** 0: V8's default. */
  readonly youngGenerationMb?: number;
  readonly setup: Omit<WorkerSetup, 'module'>;
}

/** What the pool reports as it works (metrics plug in here). */
export interface PoolObserver {
  batch(size: number, batchWaitMs: number): void;
  task(workerMs: number, totalMs: number, lookups: CacheLookups): void;
  failed(items: number, reason: string): void;
}

const NOOP: PoolObserver = { batch() {}, task() {}, failed() {} };

export class VerifierPool {
  private readonly piscina: Piscina;
  private readonly batcher: MicroBatcher<VerifyItem, ItemResult>;
  private revocation: RevocationSetData | null = null;

  constructor(
    opts: PoolOptions,
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
      ...(opts.youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: opts.youngGenerationMb } } : {}),
      workerData: { ...opts.setup, module: fromSource ? url.href : undefined } satisfies WorkerSetup,
    });
    this.batcher = new MicroBatcher(opts, (items, waitMs) => this.runTask(items, waitMs), {
      overloaded: (max) => new PoolError('overloaded', `more than ${max} verifications pending`),
      closing: () => new PoolError('shutting_down', 'the service is shutting down'),
    });
  }

  /** The revocation data for every task from now on (a new version reaches each worker with its
   *  next task; a task never mixes two versions). */
  setRevocation(data: RevocationSetData | null): void {
    this.revocation = data;
  }

  get pending(): number {
    return this.batcher.pending;
  }

  get utilization(): number {
    return this.piscina.utilization;
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  verify(item: VerifyItem): Promise<ItemResult> {
    return this.batcher.submit(item);
  }

  /** Items already packed (task-codec.ts) and checked (`countPacked`), as a queue job brings
   *  them: one task, no per-item bookkeeping. The buffer is transferred. */
  verifyPacked(packed: ArrayBuffer, count: number): Promise<ItemResult[]> {
    return this.batcher.whole(count, () => this.runPacked(packed, count, 0));
  }

  private runTask(items: VerifyItem[], batchWaitMs: number): Promise<ItemResult[]> {
    return this.runPacked(packItems(items), items.length, batchWaitMs);
  }

  private async runPacked(packed: ArrayBuffer, count: number, batchWaitMs: number): Promise<ItemResult[]> {
    this.observer.batch(count, batchWaitMs);
    const started = performance.now();
    const task: VerifyTask = { revocation: this.revocation, packed };
    try {
      const res = (await this.piscina.run(task, { transferList: [packed] })) as TaskResult;
      this.observer.task(res.workerMs, performance.now() - started, res.lookups);
      return res.results;
    } catch (err) {
      this.observer.failed(count, (err as Error).message);
      throw new PoolError('worker_failed', `verification worker failed: ${(err as Error).message}`);
    }
  }

  /** Finishes what is queued, then stops the threads. */
  async close(): Promise<void> {
    await this.batcher.drain();
    await this.piscina.close();
  }

  /** For tests of crash recovery: the worker threads themselves. */
  workers(): readonly import('node:worker_threads').Worker[] {
    return this.piscina.threads;
  }
}
