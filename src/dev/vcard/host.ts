// A virtual card in its own thread, driven from tests and tools: insert it into a vpcd slot,
// pull it out (now, or when a given command arrives), read what it received and its PIN
// counters.
import { Worker } from 'node:worker_threads';
import type { HolderCardOptions } from './holder-card.js';

export type ThreadSetup = { slot: number } & ({ kind: 'jpki'; pkiDir: string; card: HolderCardOptions } | { kind: 'other' });

type Request = { op: 'insert' } | { op: 'remove' } | { op: 'remove-on'; ins: number; nth: number } | { op: 'state' };
export type HostRequest = { id: number } & Request;

export interface CardState {
  readonly inserted: boolean;
  readonly received: readonly { ins: number; p1: number; p2: number; hasData: boolean; extended: boolean }[];
  readonly triesLeft: { authentication: number; signing: number } | null;
}

export interface VirtualCardHandle {
  insert(): Promise<void>;
  remove(): Promise<void>;
  /** Pull the card out instead of answering the n-th (default first) command with this INS. */
  removeOn(ins: number, nth?: number): Promise<void>;
  state(): Promise<CardState>;
  close(): Promise<void>;
}

function threadWorker(setup: ThreadSetup): Worker {
  const url = new URL(`./thread.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return new Worker(url, { workerData: setup });
  // From the TypeScript sources (tests), register tsx in the thread first.
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, workerData: setup });
}

/** Starts the card's thread and inserts the card (unless `inserted: false`). */
export async function startVirtualCard(setup: ThreadSetup, opts: { inserted?: boolean } = {}): Promise<VirtualCardHandle> {
  const worker = threadWorker(setup);
  let next = 0;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve(m.value);
    else w?.reject(new Error(m.error));
  });
  worker.on('error', (err) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  const call = <T>(req: Request): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...req, id });
    });
  const handle: VirtualCardHandle = {
    insert: () => call({ op: 'insert' }),
    remove: () => call({ op: 'remove' }),
    removeOn: (ins, nth = 1) => call({ op: 'remove-on', ins, nth }),
    state: () => call({ op: 'state' }),
    async close() {
      await call({ op: 'remove' }).catch(() => undefined);
      await worker.terminate();
    },
  };
  if (opts.inserted !== false) await handle.insert();
  return handle;
}
