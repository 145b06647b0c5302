// Platform state in memory (embedded mode): lost on restart, like the rest of the embedded state.
import { randomBytes } from 'node:crypto';
import type { AuditRecord, Change, IdempotentState, Link, Page, PlatformStore, Watch } from './store.js';

interface TenantState {
  s2c: Map<string, string>;
  c2s: Map<string, string>;
  links: Map<string, Link>;
  changes: { seq: number; change: Change }[];
  audit: { seq: number; record: AuditRecord }[];
}

export const newConversionId = (): string => `cid_${randomBytes(16).toString('base64url')}`;

export class MemoryPlatformStore implements PlatformStore {
  private readonly tenants = new Map<string, TenantState>();
  private readonly aliases = new Map<string, string>();
  private readonly watches = new Map<string, Watch>();
  private readonly claims = new Map<string, number>();
  /** Watch ids in insertion order, for scanning by position; rebuilt only when ids come or go. */
  private watchIds: string[] | null = null;
  private seq = 0;

  constructor(
    private readonly clock: () => number,
    private readonly auditMax = 1_000_000,
  ) {}

  private t(tenant: string): TenantState {
    let s = this.tenants.get(tenant);
    if (!s) this.tenants.set(tenant, (s = { s2c: new Map(), c2s: new Map(), links: new Map(), changes: [], audit: [] }));
    return s;
  }

  async conversionId(tenant: string, subject: string, create: boolean): Promise<string | null> {
    const s = this.t(tenant);
    let cid = s.s2c.get(subject) ?? null;
    if (!cid && create) {
      cid = newConversionId();
      s.s2c.set(subject, cid);
      s.c2s.set(cid, subject);
    }
    return cid;
  }

  async subjectOf(tenant: string, conversionId: string): Promise<string | null> {
    return this.t(tenant).c2s.get(conversionId) ?? null;
  }

  async aliasOf(serial: string): Promise<string | null> {
    return this.aliases.get(serial) ?? null;
  }

  async addAlias(serial: string, target: string): Promise<boolean> {
    if (this.aliases.has(serial)) return false;
    this.aliases.set(serial, target);
    return true;
  }

  async getLink(tenant: string, conversionId: string): Promise<Link | null> {
    return this.t(tenant).links.get(conversionId) ?? null;
  }

  async putLink(tenant: string, link: Link): Promise<void> {
    this.t(tenant).links.set(link.conversionId, link);
  }

  async deleteLink(tenant: string, conversionId: string): Promise<boolean> {
    return this.t(tenant).links.delete(conversionId);
  }

  async listLinks(tenant: string, cursor: string | null, limit: number): Promise<{ links: Link[]; next: string | null }> {
    const ids = [...this.t(tenant).links.keys()].sort();
    const from = cursor ? ids.findIndex((id) => id > cursor) : 0;
    if (from < 0) return { links: [], next: null };
    const page = ids.slice(from, from + limit);
    return { links: page.map((id) => this.t(tenant).links.get(id)!), next: from + limit < ids.length ? page[page.length - 1] : null };
  }

  async putWatch(w: Watch): Promise<void> {
    if (!this.watches.has(w.id)) this.watchIds = null;
    this.watches.set(w.id, w);
  }

  async getWatch(id: string): Promise<Watch | null> {
    return this.watches.get(id) ?? null;
  }

  async deleteWatch(id: string): Promise<boolean> {
    this.watchIds = null;
    return this.watches.delete(id);
  }

  async scanWatches(cursor: string | null, count: number): Promise<{ watches: Watch[]; next: string | null }> {
    const ids = (this.watchIds ??= [...this.watches.keys()]);
    const from = cursor ? Number(cursor) : 0;
    const watches: Watch[] = [];
    for (let i = from; i < Math.min(ids.length, from + count); i++) {
      const w = this.watches.get(ids[i]);
      if (w) watches.push(w);
    }
    return { watches, next: from + count < ids.length ? String(from + count) : null };
  }

  async countWatches(): Promise<number> {
    return this.watches.size;
  }

  async appendChange(tenant: string, change: Change): Promise<string> {
    const seq = ++this.seq;
    this.t(tenant).changes.push({ seq, change });
    return String(seq);
  }

  async recordChanges(batch: readonly { readonly watch: Watch; readonly change: Change }[]): Promise<string[]> {
    const out: string[] = [];
    for (const { watch, change } of batch) {
      await this.putWatch(watch);
      out.push(await this.appendChange(watch.tenant, change));
    }
    return out;
  }

  async changes(tenant: string, after: string | null, limit: number): Promise<Page<Change>> {
    return page(this.t(tenant).changes.map((c) => [c.seq, c.change] as const), after, limit);
  }

  async appendAudit(tenant: string, records: readonly AuditRecord[]): Promise<void> {
    const s = this.t(tenant);
    for (const record of records) s.audit.push({ seq: ++this.seq, record });
    if (s.audit.length > this.auditMax) s.audit = s.audit.slice(s.audit.length - this.auditMax);
  }

  async audit(tenant: string, after: string | null, limit: number): Promise<Page<AuditRecord>> {
    return page(this.t(tenant).audit.map((c) => [c.seq, c.record] as const), after, limit);
  }

  async pruneAudit(tenant: string, before: number): Promise<void> {
    const s = this.t(tenant);
    s.audit = s.audit.filter((a) => a.record.at >= before);
  }

  private readonly idem = new Map<string, { fingerprint: string; response: string | null; until: number }>();

  async beginIdempotent(tenant: string, key: string, fingerprint: string, ttlMs: number): Promise<IdempotentState> {
    const k = `${tenant}\u0000${key}`;
    const now = this.clock();
    const e = this.idem.get(k);
    if (e && e.until > now) return { state: e.response === null ? 'pending' : 'done', fingerprint: e.fingerprint, response: e.response };
    this.idem.set(k, { fingerprint, response: null, until: now + ttlMs });
    return { state: 'new' };
  }

  async finishIdempotent(tenant: string, key: string, fingerprint: string, response: string, ttlMs: number): Promise<void> {
    this.idem.set(`${tenant}\u0000${key}`, { fingerprint, response, until: this.clock() + ttlMs });
  }

  async releaseIdempotent(tenant: string, key: string): Promise<void> {
    this.idem.delete(`${tenant}\u0000${key}`);
  }

  async claim(name: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const until = this.claims.get(name);
    if (until !== undefined && until > now) return false;
    this.claims.set(name, now + ttlMs);
    return true;
  }

  async close(): Promise<void> {}
}

function page<T>(rows: readonly (readonly [number, T])[], after: string | null, limit: number): Page<T> {
  const from = after ? Number(after) : 0;
  const items = rows.filter(([seq]) => seq > from).slice(0, limit).map(([seq, v]) => ({ ...v, cursor: String(seq) }));
  const last = items.length ? Number(items[items.length - 1].cursor) : from;
  return { items, next: rows.some(([seq]) => seq > last) ? String(last) : null };
}
