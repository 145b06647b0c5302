// Micro-batching: single requests are gathered into one dispatch (a piscina task, a BullMQ job),
// flushed at `batchSize` items or `batchDelayUs` after the first, because one dispatch per request
// caps far below the crypto (performance-facts.md). A bounded number of pending items gives
// backpressure. One place for this, used by the embedded pool and the queue dispatcher alike.

export interface BatchOptions {
  readonly batchSize: number;
  readonly batchDelayUs: number;
  /** Most items queued or dispatched and not yet settled; beyond it submit() rejects. */
  readonly maxPending: number;
}

/** How a batcher fails a submission, so each user keeps its own typed errors. */
export interface BatchErrors {
  overloaded(maxPending: number): Error;
  closing(): Error;
}

/** Sends one batch; resolves with one result per item, in order, or rejects for the whole batch. */
export type Dispatch<I, R> = (items: I[], batchWaitMs: number) => Promise<R[]>;

interface Pending<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

export class MicroBatcher<I, R> {
  private queue: Pending<I, R>[] = [];
  private firstQueuedAt = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private inFlight = 0;
  private closing = false;

  constructor(
    private readonly opts: BatchOptions,
    private readonly dispatch: Dispatch<I, R>,
    private readonly errors: BatchErrors,
  ) {}

  get pending(): number {
    return this.inFlight;
  }

  submit(item: I): Promise<R> {
    if (this.closing) return Promise.reject(this.errors.closing());
    if (this.inFlight >= this.opts.maxPending) return Promise.reject(this.errors.overloaded(this.opts.maxPending));
    this.inFlight++;
    return new Promise<R>((resolve, reject) => {
      if (this.queue.length === 0) this.firstQueuedAt = performance.now();
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.opts.batchSize) this.flush();
      else if (!this.timer) {
        const us = this.opts.batchDelayUs;
        // Below a millisecond, setImmediate: it still lets every request parsed in this turn of
        // the event loop join the batch.
        this.timer = us < 1000 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), us / 1000);
      }
    });
  }

  /** A batch that arrives whole (a queue job): sent at once by `send`, counted against the same
   *  pending bound as single items. */
  whole(count: number, send: () => Promise<R[]>): Promise<R[]> {
    if (this.closing) return Promise.reject(this.errors.closing());
    if (this.inFlight + count > this.opts.maxPending) return Promise.reject(this.errors.overloaded(this.opts.maxPending));
    this.inFlight += count;
    let sent: Promise<R[]>;
    try {
      sent = send();
    } catch (err) {
      sent = Promise.reject(err as Error);
    }
    return sent.finally(() => {
      this.inFlight -= count;
    });
  }

  /** Dispatches what is queued now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    let sent: Promise<R[]>;
    try {
      sent = this.dispatch(
        batch.map((p) => p.item),
        performance.now() - this.firstQueuedAt,
      );
    } catch (err) {
      sent = Promise.reject(err as Error);
    }
    sent.then(
      (results) => {
        this.inFlight -= batch.length;
        for (let i = 0; i < batch.length; i++) batch[i].resolve(results[i]);
      },
      (err: Error) => {
        this.inFlight -= batch.length;
        for (const p of batch) p.reject(err);
      },
    );
  }

  /** Refuses new items, dispatches the queued ones and waits until every one has settled. */
  async drain(): Promise<void> {
    this.closing = true;
    this.flush();
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
