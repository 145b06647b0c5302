// API side of queue mode: single requests are micro-batched into BullMQ jobs, and each caller is
// answered when its job's result comes back. Results come back on this node's own pub/sub reply
// channel (default) or through BullMQ QueueEvents; bench/queue.ts measures both.
//
// Every caller gets exactly one answer: the waiter for a job is removed on the first result,
// failure or timeout, so a job that runs twice (its first worker was killed) answers once.
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { TypedError } from '../core/typed-error.js';
import { MicroBatcher } from '../pool/micro-batcher.js';
import type { ItemResult, VerifyItem } from '../verifier/messages.js';
import type { RedisKeys } from '../redis/keys.js';
import type { Config } from '../config/config.js';
import type { CrlSourceStatus, Verifier, VerifierGauges } from '../verifier/verifier.js';
import { jobItemsOf, type ReplyMessage, type VerifyJobData } from './codec.js';
import { RESULT_FORMAT, unpackResults } from './result-codec.js';
import { bullConnection, redisClient, type RedisClient, type RedisSettings } from '../redis/connection.js';

export class QueueError extends TypedError<'queue_unavailable' | 'queue_timeout' | 'job_failed' | 'overloaded' | 'shutting_down'> {
  override readonly name = 'QueueError';
}

/** The API side's share of the `queue` config section, plus where Redis is. */
export type DispatcherOptions = Pick<
  Config['queue'],
  'name' | 'batchSize' | 'batchDelayUs' | 'maxPending' | 'timeoutMs' | 'attempts' | 'backoffMs' | 'resultPath'
> & {
  readonly redis: RedisSettings;
  readonly keys: RedisKeys;
  /** Real time, for the ages of heartbeats other processes wrote. */
  readonly wallClock: () => number;
};

/** What the dispatcher reports (metrics plug in here). */
export interface DispatchObserver {
  batch(size: number, batchWaitMs: number): void;
  job(seconds: number, outcome: 'ok' | 'failed' | 'timeout' | 'unavailable'): void;
}

/** '{': the first byte of a JSON reply. */
const JSON_REPLY = 0x7b;

interface Waiter {
  resolve: (r: ItemResult[]) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  started: number;
}

export class QueueDispatcher implements Verifier {
  /** This node's id: names its reply channel and prefixes its job ids. */
  readonly nodeId = randomBytes(8).toString('hex');
  private readonly queue: Queue;
  private readonly batcher: MicroBatcher<VerifyItem, ItemResult>;
  private readonly waiters = new Map<string, Waiter>();
  private readonly probe: RedisClient;
  private subscriber: RedisClient | null = null;
  private events: QueueEvents | null = null;
  private seq = 0;
  /** Clients handed to BullMQ (Cluster mode), closed here. */
  private readonly owned: RedisClient[] = [];

  private constructor(
    private readonly opts: DispatcherOptions,
    private readonly observer: DispatchObserver,
    private readonly logger: Logger,
  ) {
    const onError = (err: Error): void => logger.warn({ err: { message: err.message } }, 'queue redis error');
    // Fail fast while Redis is down: an add that cannot reach Redis answers 503 at once.
    this.queue = new Queue(opts.name, { connection: bullConnection(opts.redis, 'fail-fast', onError, this.owned), prefix: opts.keys.bullPrefix });
    this.queue.on('error', onError);
    this.probe = redisClient(opts.redis, 'fail-fast', onError);
    this.batcher = new MicroBatcher(opts, (items, waitMs) => this.send(items, waitMs), {
      overloaded: (max) => new QueueError('overloaded', `more than ${max} verifications pending`),
      closing: () => new QueueError('shutting_down', 'the service is shutting down'),
    });
  }

  static async start(opts: DispatcherOptions, observer: DispatchObserver, logger: Logger): Promise<QueueDispatcher> {
    const d = new QueueDispatcher(opts, observer, logger);
    await d.listen();
    return d;
  }

  private async listen(): Promise<void> {
    const onError = (err: Error): void => this.logger.warn({ err: { message: err.message } }, 'queue result channel error');
    if (this.opts.resultPath === 'reply') {
      // ioredis subscribes again by itself after a reconnect.
      const sub = redisClient(this.opts.redis, 'patient', onError);
      sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.onReply(message));
      await sub.subscribe(this.opts.keys.replyChannel(this.nodeId));
      this.subscriber = sub;
    } else {
      const ev = new QueueEvents(this.opts.name, {
        connection: bullConnection(this.opts.redis, 'patient', onError, this.owned),
        prefix: this.opts.keys.bullPrefix,
      });
      ev.on('error', onError);
      ev.on('completed', ({ jobId, returnvalue }) => {
        const results = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as ItemResult[];
        this.settle(jobId, results, null);
      });
      ev.on('failed', ({ jobId, failedReason }) => this.settle(jobId, null, failedReason));
      await ev.waitUntilReady();
      this.events = ev;
    }
    await this.queue.waitUntilReady();
  }

  /** Packed results (result-codec.ts), or JSON: a failure, or results from a worker older than
   *  packed replies. A malformed reply never throws out of here: its job's callers get job_failed
   *  (no verdict is made up), or if even its job id is unreadable, queue_timeout. */
  private onReply(message: Buffer): void {
    if (message[0] !== JSON_REPLY) {
      const into: { jobId?: string } = {};
      try {
        const r = unpackResults(message, into);
        this.settle(r.jobId, r.results, null);
      } catch (err) {
        this.logger.warn({ jobId: into.jobId, err: { message: (err as Error).message } }, 'unreadable packed reply');
        if (into.jobId !== undefined) this.settle(into.jobId, null, `unreadable result: ${(err as Error).message}`);
      }
      return;
    }
    let m: ReplyMessage;
    try {
      m = JSON.parse(message.toString('utf8')) as ReplyMessage;
    } catch {
      this.logger.warn('unreadable reply message dropped');
      return;
    }
    if ('error' in m) this.settle(m.jobId, null, m.error);
    else this.settle(m.jobId, m.results, null);
  }

  private settle(jobId: string, results: ItemResult[] | null, error: string | null): void {
    const w = this.waiters.get(jobId);
    if (!w) return; // not ours, already answered, or timed out: the one answer was given
    this.waiters.delete(jobId);
    clearTimeout(w.timer);
    const seconds = (performance.now() - w.started) / 1000;
    if (results) {
      this.observer.job(seconds, 'ok');
      w.resolve(results);
    } else {
      this.observer.job(seconds, 'failed');
      w.reject(new QueueError('job_failed', `verification job failed after its retries: ${error}`));
    }
  }

  /** True while the queue's Redis connection is up. */
  get connected(): boolean {
    return this.probe.status === 'ready' && (this.subscriber === null || this.subscriber.status === 'ready');
  }

  get pending(): number {
    return this.batcher.pending;
  }

  verify(item: VerifyItem): Promise<ItemResult> {
    if (!this.connected) return Promise.reject(new QueueError('queue_unavailable', 'the verification queue (Redis) is unreachable'));
    return this.batcher.submit(item);
  }

  private send(items: VerifyItem[], batchWaitMs: number): Promise<ItemResult[]> {
    this.observer.batch(items.length, batchWaitMs);
    const jobId = `${this.nodeId}-${(this.seq++).toString(36)}`;
    const started = performance.now();
    const result = new Promise<ItemResult[]>((resolve, reject) => {
      // Registered before the add, so a result that beats the add's reply is not lost.
      const timer = setTimeout(() => {
        if (this.waiters.delete(jobId)) {
          this.observer.job((performance.now() - started) / 1000, 'timeout');
          reject(new QueueError('queue_timeout', `no result within ${this.opts.timeoutMs} ms`));
        }
      }, this.opts.timeoutMs);
      this.waiters.set(jobId, { resolve, reject, timer, started });
    });
    const reply = this.opts.resultPath === 'reply';
    const data: VerifyJobData = {
      ...jobItemsOf(items),
      replyTo: reply ? this.opts.keys.replyChannel(this.nodeId) : '',
      ...(reply ? { rf: RESULT_FORMAT } : {}),
    };
    this.queue
      .add('verify', data, {
        jobId,
        attempts: this.opts.attempts,
        backoff: { type: 'fixed', delay: this.opts.backoffMs },
        // Jobs carry certificates: nothing stays in Redis after the answer (failed jobs are
        // removed by the worker once dead-lettered without their items).
        removeOnComplete: true,
        removeOnFail: false,
      })
      .catch((err: Error) => {
        const w = this.waiters.get(jobId);
        if (!w) return;
        this.waiters.delete(jobId);
        clearTimeout(w.timer);
        this.observer.job((performance.now() - started) / 1000, 'unavailable');
        w.reject(new QueueError('queue_unavailable', `cannot enqueue: ${err.message}`));
      });
    return result;
  }

  /** Counts for readiness and metrics; null while Redis is unreachable. */
  async depth(): Promise<Record<'waiting' | 'active' | 'delayed' | 'failed' | 'deadLetters', number> | null> {
    if (!this.connected) return null;
    try {
      const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      const dead = await this.probe.llen(`${this.opts.keys.bullPrefix}:${this.opts.keys.deadLetterQueue(this.opts.name)}:wait`);
      return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, deadLetters: dead };
    } catch {
      return null;
    }
  }

  /** Worker processes whose heartbeat has not expired, with the status each last reported. */
  async liveWorkers(now: number): Promise<{ id: string; ready: boolean; reasons: string[] }[] | null> {
    if (this.probe.status !== 'ready') return null;
    try {
      const ids = await this.probe.zrangebyscore(this.opts.keys.workers, now, '+inf');
      if (ids.length === 0) return [];
      const statuses = await Promise.all(ids.map((id) => this.probe.get(this.opts.keys.workerStatus(id))));
      return ids.map((id, i) => {
        const s = statuses[i] ? (JSON.parse(statuses[i]!) as { ready: boolean; reasons: string[] }) : { ready: false, reasons: ['no status'] };
        return { id, ready: s.ready, reasons: s.reasons };
      });
    } catch {
      return null;
    }
  }

  async notReady(now: number): Promise<string[]> {
    if (!this.connected) return ['verification queue (Redis) unreachable'];
    const live = await this.liveWorkers(now);
    if (live === null) return ['verification queue (Redis) unreachable'];
    if (live.length === 0) return ['no live queue workers'];
    if (!live.some((w) => w.ready)) return [`no queue worker ready (${live[0].reasons.join('; ')})`];
    return [];
  }

  /** The CRL data lives in the workers: each reports it on its own /readyz. */
  crlStatus(): CrlSourceStatus[] {
    return [];
  }

  async scrape(metrics: VerifierGauges): Promise<void> {
    metrics.queueConnected.set(this.connected ? 1 : 0);
    metrics.poolPending.set(this.pending);
    const d = await this.depth();
    if (d) {
      metrics.queueDepth.set({ state: 'waiting' }, d.waiting);
      metrics.queueDepth.set({ state: 'active' }, d.active);
      metrics.queueDepth.set({ state: 'delayed' }, d.delayed);
      metrics.queueDepth.set({ state: 'failed' }, d.failed);
      metrics.queueDeadLetters.set(d.deadLetters);
    }
    const live = await this.liveWorkers(this.opts.wallClock());
    if (live) metrics.queueLiveWorkers.set(live.length);
  }

  /** The BullMQ queue, for bulk-job chunks (service.ts). */
  get bullQueue(): Queue {
    return this.queue;
  }

  /** Answers what is queued (or times it out), then disconnects. */
  async close(): Promise<void> {
    await this.batcher.drain();
    await this.events?.close();
    this.subscriber?.disconnect();
    await this.queue.close();
    this.probe.disconnect();
    for (const c of this.owned) c.disconnect();
  }
}
