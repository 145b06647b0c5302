// Platform state in Redis (with AOF on in production: links and conversion IDs are records, not
// caches). Per-tenant data sits under the tenant's hash tag; changes and the audit trail are
// Redis streams, whose ids are the paging cursors.
import type { RedisKeys } from '../redis-keys.js';
import type { RedisClient } from '../queue/connection.js';
import { guarded } from '../store-error.js';
import { newConversionId } from './memory-store.js';
import type { AuditRecord, Change, IdempotentState, Link, Page, PlatformStore, Watch } from './store.js';

// KEYS: s2c, c2s. ARGV: subject, new id. The existing id, or the new one once stored.
const CONVERSION_ID = `
local cid = redis.call('HGET', KEYS[1], ARGV[1])
if cid then return cid end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return ARGV[2]
`;

type WithScript = { jpkiConversionId(s2c: string, c2s: string, subject: string, cid: string): Promise<string> };

export class RedisPlatformStore implements PlatformStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly auditMax = 1_000_000,
  ) {
    redis.defineCommand('jpkiConversionId', { numberOfKeys: 2, lua: CONVERSION_ID });
  }

  private g<T>(op: () => Promise<T>): Promise<T> {
    return guarded('platform store', op);
  }

  conversionId(tenant: string, subject: string, create: boolean): Promise<string | null> {
    return this.g(async () => {
      if (!create) return this.redis.hget(this.keys.tenantS2c(tenant), subject);
      return (this.redis as unknown as WithScript).jpkiConversionId(this.keys.tenantS2c(tenant), this.keys.tenantC2s(tenant), subject, newConversionId());
    });
  }

  subjectOf(tenant: string, conversionId: string): Promise<string | null> {
    return this.g(() => this.redis.hget(this.keys.tenantC2s(tenant), conversionId));
  }

  aliasOf(serial: string): Promise<string | null> {
    return this.g(() => this.redis.get(this.keys.alias(serial)));
  }

  addAlias(serial: string, target: string): Promise<boolean> {
    return this.g(async () => (await this.redis.set(this.keys.alias(serial), target, 'NX')) === 'OK');
  }

  getLink(tenant: string, conversionId: string): Promise<Link | null> {
    return this.g(async () => {
      const v = await this.redis.hget(this.keys.tenantLinks(tenant), conversionId);
      return v ? (JSON.parse(v) as Link) : null;
    });
  }

  putLink(tenant: string, link: Link): Promise<void> {
    return this.g(async () => {
      await this.redis.hset(this.keys.tenantLinks(tenant), link.conversionId, JSON.stringify(link));
    });
  }

  deleteLink(tenant: string, conversionId: string): Promise<boolean> {
    return this.g(async () => (await this.redis.hdel(this.keys.tenantLinks(tenant), conversionId)) === 1);
  }

  listLinks(tenant: string, cursor: string | null, limit: number): Promise<{ links: Link[]; next: string | null }> {
    return this.g(async () => {
      // HSCAN's COUNT is a hint: a page may be a little larger or smaller than asked.
      const [next, flat] = await this.redis.hscan(this.keys.tenantLinks(tenant), cursor ?? '0', 'COUNT', limit);
      const links: Link[] = [];
      for (let i = 1; i < flat.length; i += 2) links.push(JSON.parse(flat[i]) as Link);
      return { links, next: next === '0' ? null : next };
    });
  }

  putWatch(w: Watch): Promise<void> {
    return this.g(async () => {
      await this.redis.hset(this.keys.watches, w.id, JSON.stringify(w));
    });
  }

  getWatch(id: string): Promise<Watch | null> {
    return this.g(async () => {
      const v = await this.redis.hget(this.keys.watches, id);
      return v ? (JSON.parse(v) as Watch) : null;
    });
  }

  deleteWatch(id: string): Promise<boolean> {
    return this.g(async () => (await this.redis.hdel(this.keys.watches, id)) === 1);
  }

  scanWatches(cursor: string | null, count: number): Promise<{ watches: Watch[]; next: string | null }> {
    return this.g(async () => {
      const [next, flat] = await this.redis.hscan(this.keys.watches, cursor ?? '0', 'COUNT', count);
      const watches: Watch[] = [];
      for (let i = 1; i < flat.length; i += 2) watches.push(JSON.parse(flat[i]) as Watch);
      return { watches, next: next === '0' ? null : next };
    });
  }

  countWatches(): Promise<number> {
    return this.g(() => this.redis.hlen(this.keys.watches));
  }

  appendChange(tenant: string, change: Change): Promise<string> {
    return this.g(async () => (await this.redis.xadd(this.keys.tenantChanges(tenant), '*', 'c', JSON.stringify(change)))!);
  }

  recordChanges(batch: readonly { readonly watch: Watch; readonly change: Change }[]): Promise<string[]> {
    return this.g(async () => {
      if (batch.length === 0) return [];
      // One pipeline per page of findings: a refresh that revokes 100k watched certificates is
      // hundreds of round trips, not 200k.
      const p = this.redis.pipeline();
      for (const { watch, change } of batch) {
        p.hset(this.keys.watches, watch.id, JSON.stringify(watch));
        p.xadd(this.keys.tenantChanges(watch.tenant), '*', 'c', JSON.stringify(change));
      }
      const res = (await p.exec()) ?? [];
      const ids: string[] = [];
      for (let i = 0; i < res.length; i++) {
        const [err, v] = res[i];
        if (err) throw err;
        if (i % 2 === 1) ids.push(v as string);
      }
      return ids;
    });
  }

  changes(tenant: string, after: string | null, limit: number): Promise<Page<Change>> {
    return this.g(() => this.readStream<Change>(this.keys.tenantChanges(tenant), after, limit));
  }

  appendAudit(tenant: string, records: readonly AuditRecord[]): Promise<void> {
    return this.g(async () => {
      const p = this.redis.pipeline();
      // MAXLEN ~: Redis trims whole nodes, so a stream may briefly hold a few more.
      for (const r of records) p.xadd(this.keys.tenantAudit(tenant), 'MAXLEN', '~', this.auditMax, '*', 'c', JSON.stringify(r));
      await p.exec();
    });
  }

  audit(tenant: string, after: string | null, limit: number): Promise<Page<AuditRecord>> {
    return this.g(() => this.readStream<AuditRecord>(this.keys.tenantAudit(tenant), after, limit));
  }

  pruneAudit(tenant: string, before: number): Promise<void> {
    // Stream ids start with their append time in ms: MINID drops everything older.
    return this.g(async () => {
      await this.redis.xtrim(this.keys.tenantAudit(tenant), 'MINID', before);
    });
  }

  private async readStream<T>(key: string, after: string | null, limit: number): Promise<Page<T>> {
    const rows = await this.redis.xrange(key, after ? `(${after}` : '-', '+', 'COUNT', limit + 1);
    const items = rows.slice(0, limit).map(([id, fields]) => ({ ...(JSON.parse(fields[1]) as T), cursor: id }));
    return { items, next: rows.length > limit ? items[items.length - 1].cursor : null };
  }

  beginIdempotent(tenant: string, key: string, fingerprint: string, ttlMs: number): Promise<IdempotentState> {
    return this.g(async () => {
      const k = this.keys.tenantIdempotency(tenant, key);
      // SET NX … GET: one round trip that either takes the key or returns what holds it.
      const prev = (await this.redis.call('SET', k, JSON.stringify({ fingerprint, response: null }), 'PX', ttlMs, 'NX', 'GET')) as string | null;
      if (prev === null) return { state: 'new' };
      const e = JSON.parse(prev) as { fingerprint: string; response: string | null };
      return { state: e.response === null ? 'pending' : 'done', fingerprint: e.fingerprint, response: e.response };
    });
  }

  finishIdempotent(tenant: string, key: string, fingerprint: string, response: string, ttlMs: number): Promise<void> {
    return this.g(async () => {
      await this.redis.set(this.keys.tenantIdempotency(tenant, key), JSON.stringify({ fingerprint, response }), 'PX', ttlMs);
    });
  }

  releaseIdempotent(tenant: string, key: string): Promise<void> {
    return this.g(async () => {
      await this.redis.del(this.keys.tenantIdempotency(tenant, key));
    });
  }

  claim(name: string, ttlMs: number): Promise<boolean> {
    return this.g(async () => (await this.redis.set(this.keys.claim(name), '1', 'PX', ttlMs, 'NX')) === 'OK');
  }

  async close(): Promise<void> {
    // The client belongs to the caller.
  }
}
