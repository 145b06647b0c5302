// CRL feed: fetches CRLs from files, folders and http(s) URLs on an interval, keeps the last good
// copy of each on disk, builds the revocation index in a worker thread and swaps it in whole.
// A failed download, a corrupt CRL, a bad signature or a rollback keeps the last good data.
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Certificate } from '../core/certificate.js';
import { RevocationSet, type CrlMeta } from '../core/revocation-set.js';
import { DEFAULT_STALE_GRACE_MS, isStale } from '../core/revocation-freshness.js';
import { spawnWorker } from '../pool/threads.js';
import type { BuildRequest, BuildResponse, BuildSource, SourceOutcome } from './messages.js';

export interface FeedConfig {
  /** CRL files, folders of *.crl files, or http(s) URLs. */
  readonly sources: readonly string[];
  /** Where last-good copies and the feed state live. */
  readonly cacheDir: string;
  readonly refreshIntervalMs: number;
  /** Download attempts per refresh and the first backoff (doubling). */
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly fetchTimeoutMs?: number;
  /** Past nextUpdate by more than this, a source is stale (readiness turns false). */
  readonly graceMs?: number;
}

export interface SourceStatus {
  readonly id: string;
  readonly kind: 'file' | 'url';
  lastAttempt: number | null;
  lastSuccess: number | null;
  lastFailure: number | null;
  failureReason: string | null;
  failures: number;
  etag: string | null;
  lastModified: string | null;
  fileStamp: string | null; // mtime:size of a file source at its last fetch
  meta: SourceOutcome['meta'] | null;
}

interface PersistedState {
  sources: Record<string, Omit<SourceStatus, 'id' | 'kind'>>;
}

export interface FeedEvents {
  swap: [set: RevocationSet];
  refreshed: [outcomes: readonly SourceOutcome[], ms: number];
  error: [err: Error];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class CrlFeed extends EventEmitter<FeedEvents> {
  private current: RevocationSet = RevocationSet.empty();
  private readonly state = new Map<string, SourceStatus>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private version = 0;
  private readonly cacheDir: string;
  /** Names this feed's temporary files apart from another process's in the same folder. */
  private readonly tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly indexes = new Map<string, string[]>();
  private catchUpTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: FeedConfig,
    private readonly anchors: readonly Certificate[],
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.cacheDir = resolve(config.cacheDir);
    mkdirSync(this.cacheDir, { recursive: true });
    this.loadState();
  }

  /** The revocation data in force; read once per request. */
  get set(): RevocationSet {
    return this.current;
  }

  /** First refresh (awaited), then one every refreshIntervalMs. */
  async start(): Promise<void> {
    await this.refresh().catch((err: Error) => this.emit('error', err));
    this.timer = setInterval(() => {
      this.refresh().catch((err: Error) => this.emit('error', err));
    }, this.config.refreshIntervalMs);
    this.timer.unref();
    this.catchUp(0);
  }

  /** While some source has never loaded (its server was not up yet, say), try again sooner than
   *  the refresh interval: 2 s, 4 s, 8 s … up to the interval. */
  private catchUp(attempt: number): void {
    if (!this.timer) return;
    const missing = this.status().length === 0 || this.status().some((s) => !s.meta);
    if (!missing) return;
    const delay = Math.min(2_000 * 2 ** attempt, this.config.refreshIntervalMs);
    this.catchUpTimer = setTimeout(() => {
      this.refresh()
        .catch((err: Error) => this.emit('error', err))
        .finally(() => this.catchUp(attempt + 1));
    }, delay);
    this.catchUpTimer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.timer = null;
    this.catchUpTimer = null;
  }

  /** One refresh; concurrent calls share it. */
  refresh(): Promise<void> {
    if (!this.running) this.running = this.doRefresh().finally(() => (this.running = null));
    return this.running;
  }

  status(): SourceStatus[] {
    return [...this.state.values()].map((s) => ({ ...s }));
  }

  /** Fresh: every source has data whose nextUpdate (plus grace) is still ahead. */
  fresh(at = this.now()): boolean {
    const grace = this.config.graceMs ?? DEFAULT_STALE_GRACE_MS;
    const all = this.status();
    return all.length > 0 && all.every((s) => s.meta && !isStale(s.meta.nextUpdate, at, grace));
  }

  // ---- internals ----

  /** A source URL ending in "/" is an index: a JSON array of CRL URLs (absolute or relative), as
   *  a distribution point listing its partition CRLs. The last list read stands while the index
   *  is unreachable. */
  private async indexed(url: string): Promise<string[]> {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const list = (await res.json()) as unknown;
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new Error('not a JSON array of URLs');
      const urls = list.map((x) => new URL(x, url).href).filter((u) => /^https?:\/\//i.test(u));
      this.indexes.set(url, urls);
      return urls;
    } catch (err) {
      this.emit('error', new Error(`CRL index ${url}: ${(err as Error).message}`));
      return this.indexes.get(url) ?? [];
    }
  }

  /** Each source's id (stable: state, metrics and the cache are keyed by it) and, for a file in a
   *  folder, the path to read: the folder's real path, resolved once per refresh, so a folder
   *  swapped by a symlink mid-refresh (a new day's set) is read whole from one side or the other. */
  private async sourceIds(): Promise<{ id: string; kind: 'file' | 'url'; path?: string }[]> {
    const out: { id: string; kind: 'file' | 'url'; path?: string }[] = [];
    for (const s of this.config.sources) {
      if (/^https?:\/\/.*\/$/i.test(s)) for (const u of await this.indexed(s)) out.push({ id: u, kind: 'url' });
      else if (/^https?:\/\//i.test(s)) out.push({ id: s, kind: 'url' });
      else {
        const p = resolve(s);
        if (existsSync(p) && statSync(p).isDirectory()) {
          const real = realpathSync(p);
          for (const f of readdirSync(real)
            .filter((x) => x.endsWith('.crl'))
            .sort())
            out.push({ id: join(p, f), kind: 'file', path: join(real, f) });
        } else out.push({ id: p, kind: 'file' });
      }
    }
    return out;
  }

  private fileFor(id: string, suffix: 'crl' | 'candidate'): string {
    // Candidates are private to this feed: several processes may share one cache folder (two
    // queue workers on a machine), and each renames only its own files into the shared last-good.
    const ext = suffix === 'crl' ? 'crl' : `candidate-${this.tag}`;
    return join(this.cacheDir, `${createHash('sha256').update(id).digest('hex').slice(0, 24)}.${ext}`);
  }

  private statusOf(id: string, kind: 'file' | 'url'): SourceStatus {
    let s = this.state.get(id);
    if (!s) {
      s = {
        id,
        kind,
        lastAttempt: null,
        lastSuccess: null,
        lastFailure: null,
        failureReason: null,
        failures: 0,
        etag: null,
        lastModified: null,
        fileStamp: null,
        meta: null,
      };
      this.state.set(id, s);
    }
    return s;
  }

  private async doRefresh(): Promise<void> {
    const ids = await this.sourceIds();
    const known = new Set(ids.map((x) => x.id));
    for (const id of [...this.state.keys()]) if (!known.has(id)) this.state.delete(id);
    const sources: BuildSource[] = [];
    let candidates = 0;
    await Promise.all(
      ids.map(async ({ id, kind, path }) => {
        const st = this.statusOf(id, kind);
        st.lastAttempt = this.now();
        const cand = this.fileFor(id, 'candidate');
        rmSync(cand, { force: true });
        let fetched = false;
        try {
          fetched = kind === 'url' ? await this.fetchUrl(st, cand) : this.fetchFile(st, cand, path ?? id);
        } catch (err) {
          this.fail(st, `fetch: ${(err as Error).message}`);
        }
        if (fetched) candidates++;
        const lastGood = this.fileFor(id, 'crl');
        sources.push({
          id,
          candidate: fetched ? cand : undefined,
          lastGood: existsSync(lastGood) ? lastGood : undefined,
          previous: st.meta ? { thisUpdate: st.meta.thisUpdate, crlNumber: st.meta.crlNumber } : null,
        });
      }),
    );
    // Nothing new and an index already built: the data in force stays.
    if (candidates === 0 && this.current.version > 0) {
      this.saveState();
      return;
    }
    sources.sort((a, b) => a.id.localeCompare(b.id));
    const res = await this.build({ type: 'build', version: ++this.version, now: this.now(), anchors: this.anchors.map((a) => a.der), sources });
    if (res.type === 'error') throw new Error(`revocation build failed: ${res.message}`);
    for (const o of res.outcomes) {
      const st = this.state.get(o.id)!;
      const cand = this.fileFor(o.id, 'candidate');
      if (o.used === 'candidate') {
        renameSync(cand, this.fileFor(o.id, 'crl'));
        st.lastSuccess = this.now();
        st.failureReason = null;
        st.failures = 0;
        st.meta = o.meta ?? null;
      } else {
        rmSync(cand, { force: true });
        if (o.rejection) this.fail(st, `${o.rejection}${o.detail ? `: ${o.detail}` : ''}`);
        if (o.used === 'none') st.meta = null;
      }
    }
    this.current = RevocationSet.fromData(res.data);
    this.saveState();
    this.emit('refreshed', res.outcomes, res.ms);
    this.emit('swap', this.current);
  }

  private fail(st: SourceStatus, reason: string): void {
    st.lastFailure = this.now();
    st.failureReason = reason;
    st.failures++;
  }

  /** A file source is a candidate when its mtime or size changed since the last fetch. It is
   *  copied first, so an edit during the build cannot tear it. */
  private fetchFile(st: SourceStatus, cand: string, path: string): boolean {
    const s = statSync(path);
    const stamp = `${s.mtimeMs}:${s.size}`;
    if (stamp === st.fileStamp && existsSync(this.fileFor(st.id, 'crl'))) return false;
    copyFileSync(path, cand);
    st.fileStamp = stamp;
    return true;
  }

  /** Conditional GET with retries and doubling backoff; true when a new body was saved. The
   *  validators of a refused body are kept too: the same bad bytes are not fetched again, and a
   *  corrected CRL comes with a new ETag. */
  private async fetchUrl(st: SourceStatus, cand: string): Promise<boolean> {
    const attempts = Math.max(1, this.config.retries ?? 3);
    let delay = this.config.backoffMs ?? 500;
    let last: Error | null = null;
    for (let i = 0; i < attempts; i++) {
      try {
        const headers: Record<string, string> = {};
        const haveCopy = existsSync(this.fileFor(st.id, 'crl'));
        if (haveCopy && st.etag) headers['if-none-match'] = st.etag;
        if (haveCopy && st.lastModified) headers['if-modified-since'] = st.lastModified;
        const res = await fetch(st.id, { headers, signal: AbortSignal.timeout(this.config.fetchTimeoutMs ?? 30_000) });
        if (res.status === 304) return false;
        if (res.status !== 200 || !res.body) throw new Error(`HTTP ${res.status}`);
        await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), createWriteStream(cand));
        st.etag = res.headers.get('etag');
        st.lastModified = res.headers.get('last-modified');
        return true;
      } catch (err) {
        last = err as Error;
        if (i + 1 < attempts) {
          await sleep(delay);
          delay *= 2;
        }
      }
    }
    throw last ?? new Error('download failed');
  }

  private build(req: BuildRequest): Promise<BuildResponse> {
    return new Promise((resolvePromise, reject) => {
      const w = spawnWorker('revocation-build');
      w.once('message', (m: BuildResponse) => {
        resolvePromise(m);
        void w.terminate();
      });
      w.once('error', reject);
      w.once('exit', (code) => {
        if (code !== 0) reject(new Error(`build worker exited with code ${code}`));
      });
      w.postMessage(req);
    });
  }

  private stateFile(): string {
    return join(this.cacheDir, 'feed-state.json');
  }

  private loadState(): void {
    if (!existsSync(this.stateFile())) return;
    try {
      const s = JSON.parse(readFileSync(this.stateFile(), 'utf8')) as PersistedState;
      for (const [id, v] of Object.entries(s.sources)) this.state.set(id, { id, kind: /^https?:/i.test(id) ? 'url' : 'file', ...v });
    } catch {
      // A damaged state file only costs a full re-fetch.
    }
  }

  private saveState(): void {
    const out: PersistedState = { sources: {} };
    for (const s of this.state.values()) {
      const { id, kind: _kind, ...rest } = s;
      out.sources[id] = rest;
    }
    const tmp = `${this.stateFile()}.tmp-${this.tag}`;
    writeFileSync(tmp, JSON.stringify(out, null, 1));
    renameSync(tmp, this.stateFile());
  }
}

export type { CrlMeta };
