// The SQL store's auto-pipelining: calls made in one event-loop turn run as one statement.
// Concurrent requests are answered by one round trip (one socket write for PostgreSQL, one WASM
// call for PGlite) instead of one each; Redis got the same from ioredis' auto-pipelining.
//
// With `maxInFlight`, at most that many statements run at once; calls arriving meanwhile wait
// and go together in the next one (group commit). Under load a batch then holds what arrived
// during one round trip instead of one turn's few calls: fewer statements, commits and socket
// writes per request, which is what a loaded node pays most for (issue #18).
export class TurnBatcher<I, O> {
  private items: I[] = [];
  private waiters: { resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private inFlight = 0;

  /** `run` answers every item, in order; if it throws, every caller of that batch gets the error. */
  constructor(
    private readonly run: (items: readonly I[]) => Promise<readonly O[]>,
    private readonly max = 256,
    private readonly maxInFlight = Infinity,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.items.push(item);
      this.waiters.push({ resolve, reject });
      if (this.items.length >= this.max && this.inFlight < this.maxInFlight) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.items.length === 0 || this.inFlight >= this.maxInFlight) return; // the one in flight flushes when it ends
    const items = this.items.slice(0, this.max);
    const waiters = this.waiters.slice(0, this.max);
    this.items = this.items.slice(items.length);
    this.waiters = this.waiters.slice(waiters.length);
    this.inFlight++;
    this.run(items)
      .then(
        (outs) => waiters.forEach((w, i) => w.resolve(outs[i])),
        (err: unknown) => waiters.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        this.inFlight--;
        this.flush();
      });
    if (this.items.length > 0) this.flush(); // more than `max` waiting: the rest go too, if allowed
  }
}

/** Indexes of the first item of each key; later items with a key already taken are left out
 *  (a statement cannot upsert one row twice). */
export function firstOfEach<I>(items: readonly I[], key: (i: I) => string): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  items.forEach((it, i) => {
    const k = key(it);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(i);
  });
  return out;
}
