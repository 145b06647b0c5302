// The platform's system of record in SQL (PostgreSQL, or PGlite for the embedded default): the
// same statements on both. Paging cursors are row sequence numbers; ids are random.
import { randomBytes } from 'node:crypto';
import { ms, msOrNull, type Database } from '../db/database.js';
import type { AuditRecord, Change, Link, Page, PaymentCall, PaymentRecord, PlatformStore, TenantAuditRecord, Watch } from './store.js';

export const newConversionId = (): string => `cid_${randomBytes(16).toString('base64url')}`;

interface PaymentRow {
  state: PaymentRecord['state'];
  request_fp: string;
  card_id: string | null;
  institution: string | null;
  account_ref: string | null;
  institution_key: string | null;
  call_deadline: unknown;
  decision: unknown;
  [k: string]: unknown;
}

const recordOf = (r: PaymentRow): PaymentRecord => ({ state: r.state, requestFp: r.request_fp, call: callOf(r), callDeadline: msOrNull(r.call_deadline), decision: jsonText(r.decision) });

const callOf = (r: Pick<PaymentRow, 'card_id' | 'institution' | 'account_ref' | 'institution_key'>): PaymentCall | null =>
  r.card_id && r.institution && r.account_ref && r.institution_key ? { cardId: r.card_id, institution: r.institution, accountRef: r.account_ref, institutionKey: r.institution_key } : null;

/** jsonb comes back parsed from both drivers; the relay keeps decisions as JSON text. */
const jsonText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

const linkOf = (r: Record<string, unknown>): Link => ({
  conversionId: r.conversion_id as string,
  customerRef: r.customer_ref as string,
  cards: (typeof r.cards === 'string' ? JSON.parse(r.cards) : r.cards) as Link['cards'],
  createdAt: ms(r.created_at),
  updatedAt: ms(r.updated_at),
});

const bodyOf = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export class SqlPlatformStore implements PlatformStore {
  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
  ) {}

  async conversionId(tenant: string, subject: string, create: boolean): Promise<string | null> {
    const found = await this.db.query<{ conversion_id: string }>('SELECT conversion_id FROM conversion_ids WHERE tenant = $1 AND subject = $2', [tenant, subject]);
    if (found.length || !create) return found[0]?.conversion_id ?? null;
    const made = await this.db.query<{ conversion_id: string }>(
      'INSERT INTO conversion_ids (tenant, subject, conversion_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, subject) DO NOTHING RETURNING conversion_id',
      [tenant, subject, newConversionId(), this.clock()],
    );
    if (made.length) return made[0].conversion_id;
    // Another caller made it first (its insert committed while ours waited): theirs stands.
    return (await this.db.query<{ conversion_id: string }>('SELECT conversion_id FROM conversion_ids WHERE tenant = $1 AND subject = $2', [tenant, subject]))[0].conversion_id;
  }

  async subjectOf(tenant: string, conversionId: string): Promise<string | null> {
    const r = await this.db.query<{ subject: string }>('SELECT subject FROM conversion_ids WHERE tenant = $1 AND conversion_id = $2', [tenant, conversionId]);
    return r[0]?.subject ?? null;
  }

  async aliasOf(serial: string): Promise<string | null> {
    const r = await this.db.query<{ target: string }>('SELECT target FROM serial_aliases WHERE serial = $1', [serial]);
    return r[0]?.target ?? null;
  }

  async rootSerial(serial: string, maxHops: number): Promise<string> {
    const r = await this.db.query<{ s: string }>(
      `WITH RECURSIVE chain (s, depth) AS (
         SELECT $1::text, 0
         UNION ALL
         SELECT a.target, c.depth + 1 FROM serial_aliases a JOIN chain c ON a.serial = c.s WHERE c.depth < $2
       )
       SELECT s FROM chain ORDER BY depth DESC LIMIT 1`,
      [serial, maxHops],
    );
    return r[0].s;
  }

  async resolve(tenant: string, serial: string, maxHops: number, withLink: boolean): Promise<{ conversionId: string; link: Link | null }> {
    // One statement: the alias chain, the conversion ID (inserted on first use; an existing one
    // comes from the table, a new one from the INSERT's RETURNING), and the link.
    const rows = await this.db.query(
      `WITH RECURSIVE chain (s, depth) AS (
         SELECT $2::text, 0
         UNION ALL
         SELECT a.target, c.depth + 1 FROM serial_aliases a JOIN chain c ON a.serial = c.s WHERE c.depth < $3
       ),
       root AS (SELECT s FROM chain ORDER BY depth DESC LIMIT 1),
       found AS (SELECT x.conversion_id FROM conversion_ids x JOIN root ON x.tenant = $1 AND x.subject = root.s),
       made AS (
         INSERT INTO conversion_ids (tenant, subject, conversion_id, created_at)
         SELECT $1, root.s, $4, $5 FROM root WHERE NOT EXISTS (SELECT 1 FROM found)
         ON CONFLICT (tenant, subject) DO NOTHING RETURNING conversion_id
       ),
       cid AS (SELECT conversion_id FROM found UNION ALL SELECT conversion_id FROM made)
       SELECT cid.conversion_id, l.customer_ref, l.cards, l.created_at, l.updated_at
       FROM cid LEFT JOIN links l ON $6 AND l.tenant = $1 AND l.conversion_id = cid.conversion_id`,
      [tenant, serial, maxHops, newConversionId(), this.clock(), withLink],
    );
    if (rows.length === 0) {
      // Another caller made the conversion ID between our read and our insert: read theirs.
      const subject = await this.rootSerial(serial, maxHops);
      const conversionId = (await this.conversionId(tenant, subject, true))!;
      return { conversionId, link: withLink ? await this.getLink(tenant, conversionId) : null };
    }
    const r = rows[0];
    return { conversionId: r.conversion_id as string, link: r.customer_ref === null || r.customer_ref === undefined ? null : linkOf(r) };
  }

  async addAlias(serial: string, target: string): Promise<boolean> {
    const r = await this.db.query('INSERT INTO serial_aliases (serial, target, created_at) VALUES ($1, $2, $3) ON CONFLICT (serial) DO NOTHING RETURNING serial', [serial, target, this.clock()]);
    return r.length === 1;
  }

  async getLink(tenant: string, conversionId: string): Promise<Link | null> {
    const r = await this.db.query('SELECT * FROM links WHERE tenant = $1 AND conversion_id = $2', [tenant, conversionId]);
    return r.length ? linkOf(r[0]) : null;
  }

  async putLink(tenant: string, link: Link): Promise<void> {
    await this.db.query(
      `INSERT INTO links (tenant, conversion_id, customer_ref, cards, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant, conversion_id) DO UPDATE SET customer_ref = EXCLUDED.customer_ref, cards = EXCLUDED.cards, updated_at = EXCLUDED.updated_at`,
      [tenant, link.conversionId, link.customerRef, JSON.stringify(link.cards), link.createdAt, link.updatedAt],
    );
  }

  async deleteLink(tenant: string, conversionId: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM links WHERE tenant = $1 AND conversion_id = $2 RETURNING conversion_id', [tenant, conversionId])).length === 1;
  }

  async listLinks(tenant: string, cursor: string | null, limit: number): Promise<{ links: Link[]; next: string | null }> {
    const rows = await this.db.query('SELECT * FROM links WHERE tenant = $1 AND conversion_id > $2 ORDER BY conversion_id LIMIT $3', [tenant, cursor ?? '', limit + 1]);
    const links = rows.slice(0, limit).map(linkOf);
    return { links, next: rows.length > limit ? links[links.length - 1].conversionId : null };
  }

  async putWatch(w: Watch): Promise<void> {
    await this.db.query('INSERT INTO watches (id, tenant, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body', [w.id, w.tenant, JSON.stringify(w)]);
  }

  async getWatch(id: string): Promise<Watch | null> {
    const r = await this.db.query<{ body: unknown }>('SELECT body FROM watches WHERE id = $1', [id]);
    return r.length ? bodyOf<Watch>(r[0].body) : null;
  }

  async deleteWatch(id: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM watches WHERE id = $1 RETURNING id', [id])).length === 1;
  }

  async scanWatches(cursor: string | null, count: number): Promise<{ watches: Watch[]; next: string | null }> {
    const rows = await this.db.query<{ id: string; body: unknown }>('SELECT id, body FROM watches WHERE id > $1 ORDER BY id LIMIT $2', [cursor ?? '', count + 1]);
    const watches = rows.slice(0, count).map((r) => bodyOf<Watch>(r.body));
    return { watches, next: rows.length > count ? rows[count - 1].id : null };
  }

  async countWatches(): Promise<number> {
    return Number((await this.db.query<{ n: unknown }>('SELECT count(*) AS n FROM watches'))[0].n);
  }

  async appendChange(tenant: string, change: Change): Promise<string> {
    const r = await this.db.query<{ seq: unknown }>('INSERT INTO changes (tenant, body) VALUES ($1, $2) RETURNING seq', [tenant, JSON.stringify(change)]);
    return String(r[0].seq);
  }

  async recordChanges(batch: readonly { readonly watch: Watch; readonly change: Change }[]): Promise<string[]> {
    if (batch.length === 0) return [];
    // One transaction per page of findings: each watch's new status lands with its change.
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO watches (id, tenant, body) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
         ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body`,
        [batch.map((b) => b.watch.id), batch.map((b) => b.watch.tenant), batch.map((b) => JSON.stringify(b.watch))],
      );
      const rows = await tx.query<{ seq: unknown }>(
        'INSERT INTO changes (tenant, body) SELECT x.tenant, x.body FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS x(tenant, body, n) ORDER BY n RETURNING seq',
        [batch.map((b) => b.watch.tenant), batch.map((b) => JSON.stringify(b.change))],
      );
      return rows.map((r) => String(r.seq)).sort((a, b) => Number(a) - Number(b));
    });
  }

  changes(tenant: string, after: string | null, limit: number): Promise<Page<Change>> {
    return this.page<Change>('SELECT seq, body FROM changes WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3', tenant, after, limit, (r) => bodyOf<Change>(r.body));
  }

  async appendAudit(records: readonly TenantAuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.query(
      'INSERT INTO audit (tenant, at, route, code, certificate) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])',
      [records.map((r) => r.tenant), records.map((r) => r.at), records.map((r) => r.route), records.map((r) => r.code), records.map((r) => r.certificate)],
    );
  }

  audit(tenant: string, after: string | null, limit: number): Promise<Page<AuditRecord>> {
    return this.page<AuditRecord>('SELECT seq, at, route, code, certificate FROM audit WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3', tenant, after, limit, (r) => ({
      at: ms(r.at),
      route: r.route as string,
      code: r.code as string,
      certificate: (r.certificate as string | null) ?? null,
    }));
  }

  private async page<T>(sql: string, tenant: string, after: string | null, limit: number, map: (r: Record<string, unknown>) => T): Promise<Page<T>> {
    const from = after === null ? 0 : /^\d{1,18}$/.test(after) ? after : null;
    if (from === null) return { items: [], next: null }; // a cursor we never gave out
    const rows = await this.db.query(sql, [tenant, from, limit + 1]);
    const items = rows.slice(0, limit).map((r) => ({ ...map(r), cursor: String(r.seq) }));
    return { items, next: rows.length > limit ? items[items.length - 1].cursor : null };
  }

  async peekPayment(tenant: string, key: string, now: number): Promise<PaymentRecord | null> {
    // A plain read: a request that ends without a call or a decision (choose_card, pin_required …)
    // writes nothing, and the common path pays two commits (pending, then done), not three.
    const rows = await this.db.query<PaymentRow>("SELECT * FROM payments WHERE tenant = $1 AND idempotency_key = $2 AND (state = 'pending' OR expires_at >= $3)", [tenant, key, now]);
    return rows.length ? recordOf(rows[0]) : null;
  }

  async startCall(tenant: string, key: string, requestFp: string, call: PaymentCall, now: number, deadline: number, ttlMs: number): Promise<{ call: PaymentCall } | { record: PaymentRecord }> {
    // Taken when the key has no live record (none, or done past its TTL), or is pending for this
    // request past its deadline: then the first call's account and institution key are kept.
    const keep = (col: string) => `${col} = CASE WHEN payments.state = 'pending' THEN payments.${col} ELSE EXCLUDED.${col} END`;
    const rows = await this.db.query<PaymentRow>(
      `INSERT INTO payments (tenant, idempotency_key, request_fp, state, card_id, institution, account_ref, institution_key, call_deadline, created_at, updated_at, expires_at)
       VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $9, $10)
       ON CONFLICT (tenant, idempotency_key) DO UPDATE SET request_fp = EXCLUDED.request_fp, state = 'pending', decision = NULL,
         ${keep('card_id')}, ${keep('institution')}, ${keep('account_ref')}, ${keep('institution_key')}, ${keep('created_at')}, ${keep('expires_at')},
         call_deadline = EXCLUDED.call_deadline, updated_at = EXCLUDED.updated_at
       WHERE (payments.state = 'pending' AND payments.request_fp = EXCLUDED.request_fp AND payments.call_deadline <= $9)
          OR (payments.state = 'done' AND payments.expires_at < $9)
       RETURNING *`,
      [tenant, key, requestFp, call.cardId, call.institution, call.accountRef, call.institutionKey, deadline, now, now + ttlMs],
    );
    if (rows.length) return { call: callOf(rows[0])! };
    return { record: await this.current(tenant, key) };
  }

  async endCall(tenant: string, key: string, now: number): Promise<void> {
    await this.db.query("UPDATE payments SET call_deadline = $3, updated_at = $3 WHERE tenant = $1 AND idempotency_key = $2 AND state = 'pending'", [tenant, key, now]);
  }

  async finishPayment(
    tenant: string,
    key: string,
    requestFp: string,
    decision: string,
    audit: AuditRecord,
    o: { readonly now: number; readonly ttlMs: number; readonly afterCall: boolean },
  ): Promise<{ stored: true } | { record: PaymentRecord }> {
    // One statement, so one transaction: the decision and its audit record land together or not
    // at all. After a call: only this request's pending record turns done (a slower run that
    // lost the race stores nothing). Without a call: only a key with no live record takes it.
    // $6 (the expiry) only matters to a new record; typed so both variants prepare.
    const write = o.afterCall
      ? `UPDATE payments SET state = 'done', decision = $4, updated_at = $5, expires_at = greatest(expires_at, $6::bigint)
         WHERE tenant = $1 AND idempotency_key = $2 AND request_fp = $3 AND state = 'pending' RETURNING tenant`
      : `INSERT INTO payments (tenant, idempotency_key, request_fp, state, decision, created_at, updated_at, expires_at) VALUES ($1, $2, $3, 'done', $4, $5, $5, $6)
         ON CONFLICT (tenant, idempotency_key) DO UPDATE SET request_fp = EXCLUDED.request_fp, decision = EXCLUDED.decision, card_id = NULL, institution = NULL,
           account_ref = NULL, institution_key = NULL, call_deadline = NULL, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, expires_at = EXCLUDED.expires_at
         WHERE payments.state = 'done' AND payments.expires_at < $5
         RETURNING tenant`;
    const rows = await this.db.query<{ wrote: unknown }>(
      `WITH done AS (${write}),
       audited AS (INSERT INTO audit (tenant, at, route, code, certificate) SELECT $1, $7, $8, $9, $10 FROM done RETURNING seq)
       SELECT count(*) AS wrote FROM audited`,
      [tenant, key, requestFp, decision, o.now, o.now + o.ttlMs, audit.at, audit.route, audit.code, audit.certificate],
    );
    if (Number(rows[0].wrote) === 1) return { stored: true };
    return { record: await this.current(tenant, key) };
  }

  private async current(tenant: string, key: string): Promise<PaymentRecord> {
    const rows = await this.db.query<PaymentRow>('SELECT * FROM payments WHERE tenant = $1 AND idempotency_key = $2', [tenant, key]);
    if (!rows.length) throw new Error(`payment record ${tenant}/${key} vanished`); // never deleted while live
    return recordOf(rows[0]);
  }

  async prune(now: number, auditBefore: number, auditMaxPerTenant: number): Promise<void> {
    await this.db.query('DELETE FROM audit WHERE at < $1', [auditBefore]);
    await this.db.query(
      `DELETE FROM audit a USING (
         SELECT tenant, (SELECT seq FROM audit x WHERE x.tenant = t.tenant ORDER BY seq DESC OFFSET $1 LIMIT 1) AS upto FROM (SELECT DISTINCT tenant FROM audit) t
       ) cut
       WHERE a.tenant = cut.tenant AND cut.upto IS NOT NULL AND a.seq <= cut.upto`,
      [auditMaxPerTenant],
    );
    await this.db.query("DELETE FROM payments WHERE expires_at < $1 AND state <> 'pending'", [now]);
    await this.db.query('DELETE FROM bulk_jobs WHERE expires_at < $1', [now]);
    await this.db.query('DELETE FROM claims WHERE expires_at < $1', [now]);
  }

  async claim(name: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const r = await this.db.query(
      'INSERT INTO claims (name, expires_at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE claims.expires_at < $3 RETURNING name',
      [name, now + ttlMs, now],
    );
    return r.length === 1;
  }

  async close(): Promise<void> {
    // The database belongs to the caller.
  }
}
