// The SQL store's auto-pipelining: calls made in one event-loop turn run as one statement.
// Concurrent requests are answered by one round trip (one socket write for PostgreSQL, one WASM
// call for PGlite) instead of one each; Redis got the same from ioredis' auto-pipelining.
export class TurnBatcher<I, O> {
  private items: I[] = [];
  private waiters: { resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  /** `run` answers every item, in order; if it throws, every caller of that batch gets the error. */
  constructor(
    private readonly run: (items: readonly I[]) => Promise<readonly O[]>,
    private readonly max = 256,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.items.push(item);
      this.waiters.push({ resolve, reject });
      if (this.items.length >= this.max) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.items.length === 0) return;
    const items = this.items;
    const waiters = this.waiters;
    this.items = [];
    this.waiters = [];
    this.run(items).then(
      (outs) => waiters.forEach((w, i) => w.resolve(outs[i])),
      (err: unknown) => waiters.forEach((w) => w.reject(err)),
    );
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
