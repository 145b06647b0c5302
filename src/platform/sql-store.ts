// The platform's system of record in SQL (PostgreSQL, or PGlite for the embedded default): the
// same statements on both. Paging cursors are row sequence numbers; ids are random.
import { randomBytes } from 'node:crypto';
import { ms, msOrNull, type Database } from '../db/database.js';
import { TurnBatcher, firstOfEach } from '../db/turn-batcher.js';
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

const recordOf = (r: PaymentRow): PaymentRecord => ({
  state: r.state,
  requestFp: r.request_fp,
  call: callOf(r),
  callDeadline: msOrNull(r.call_deadline),
  decision: jsonText(r.decision),
});

const callOf = (r: Pick<PaymentRow, 'card_id' | 'institution' | 'account_ref' | 'institution_key'>): PaymentCall | null =>
  r.card_id && r.institution && r.account_ref && r.institution_key
    ? { cardId: r.card_id, institution: r.institution, accountRef: r.account_ref, institutionKey: r.institution_key }
    : null;

/** jsonb comes back parsed from both drivers; the relay keeps decisions as JSON text. */
const jsonText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** The serial an alias chain from `serial` ends at, at most `hops` hops (a loop still ends): one
 *  query over serial_aliases, for one serial or inside a LATERAL join over many. */
const aliasRoot = (serial: string, hops: string): string => `
  WITH RECURSIVE chain (s, depth) AS (
    SELECT ${serial}, 0
    UNION ALL
    SELECT a.target, chain.depth + 1 FROM serial_aliases a JOIN chain ON a.serial = chain.s WHERE chain.depth < ${hops}
  )
  SELECT s FROM chain ORDER BY depth DESC LIMIT 1`;

const linkOf = (r: Record<string, unknown>): Link => ({
  conversionId: r.conversion_id as string,
  customerRef: r.customer_ref as string,
  cards: (typeof r.cards === 'string' ? JSON.parse(r.cards) : r.cards) as Link['cards'],
  createdAt: ms(r.created_at),
  updatedAt: ms(r.updated_at),
});

const bodyOf = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

interface ResolveItem {
  readonly tenant: string;
  readonly serial: string;
  readonly maxHops: number;
  readonly withLink: boolean;
  readonly payment: { readonly key: string; readonly now: number } | null;
}

type Resolved = { conversionId: string; link: Link | null; payment: PaymentRecord | null };

interface StartItem {
  readonly tenant: string;
  readonly key: string;
  readonly requestFp: string;
  readonly call: PaymentCall;
  readonly now: number;
  readonly deadline: number;
  readonly ttlMs: number;
}

interface FinishItem {
  readonly tenant: string;
  readonly key: string;
  readonly requestFp: string;
  readonly decision: string;
  readonly audit: AuditRecord;
  readonly now: number;
  readonly ttlMs: number;
}

type Started = { call: PaymentCall } | { record: PaymentRecord };
type Finished = { stored: true } | { record: PaymentRecord };
/** A pending record to commit before the call, or a decision after it. */
type WriteItem = { readonly start: StartItem } | { readonly finish: FinishItem };

const keyOf = (i: { readonly tenant: string; readonly key: string }): string => `${i.tenant}\0${i.key}`;

/** A decision's parameters, in finishing statements' order. */
const finishParams = (f: readonly FinishItem[]): unknown[] => [
  f.map((i) => i.tenant),
  f.map((i) => i.key),
  f.map((i) => i.requestFp),
  f.map((i) => i.decision),
  f.map((i) => i.now),
  f.map((i) => i.now + i.ttlMs),
  f.map((i) => i.audit.at),
  f.map((i) => i.audit.route),
  f.map((i) => i.audit.code),
  f.map((i) => i.audit.certificate),
];

export class SqlPlatformStore implements PlatformStore {
  // The hot path's statements, one per event-loop turn for all concurrent requests.
  private readonly resolver: TurnBatcher<ResolveItem, Resolved>;
  private readonly peeker: TurnBatcher<{ tenant: string; key: string; now: number }, PaymentRecord | null>;
  private readonly writer: TurnBatcher<WriteItem, Started | Finished>;
  private readonly finisherNoCall: TurnBatcher<FinishItem, Finished>;

  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
  ) {
    // Statements of one kind in flight at once, the next batch filling meanwhile: PGlite runs
    // one at a time anyway; PostgreSQL overlaps two, so one commits while the other is sent.
    const inFlight = db.kind === 'pglite' ? 1 : 2;
    this.resolver = new TurnBatcher((items) => this.resolveMany(items), 256, inFlight);
    this.peeker = new TurnBatcher((items) => this.peekMany(items), 256, inFlight);
    this.writer = new TurnBatcher((items) => this.writeMany(items), 256, inFlight);
    this.finisherNoCall = new TurnBatcher((items) => this.finishNoCall(items), 256, inFlight);
  }

  async conversionId(tenant: string, subject: string, create: boolean): Promise<string | null> {
    const found = await this.db.query<{ conversion_id: string }>('SELECT conversion_id FROM conversion_ids WHERE tenant = $1 AND subject = $2', [
      tenant,
      subject,
    ]);
    if (found.length || !create) return found[0]?.conversion_id ?? null;
    const made = await this.db.query<{ conversion_id: string }>(
      'INSERT INTO conversion_ids (tenant, subject, conversion_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, subject) DO NOTHING RETURNING conversion_id',
      [tenant, subject, newConversionId(), this.clock()],
    );
    if (made.length) return made[0].conversion_id;
    // Another caller made it first (its insert committed while ours waited): theirs stands.
    return (await this.db.query<{ conversion_id: string }>('SELECT conversion_id FROM conversion_ids WHERE tenant = $1 AND subject = $2', [tenant, subject]))[0]
      .conversion_id;
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
    const r = await this.db.query<{ s: string }>(aliasRoot('$1::text', '$2'), [serial, maxHops]);
    return r[0].s;
  }

  resolve(tenant: string, serial: string, maxHops: number, withLink: boolean, payment?: { readonly key: string; readonly now: number }): Promise<Resolved> {
    return this.resolver.push({ tenant, serial, maxHops, withLink, payment: payment ?? null });
  }

  /** ID conversion for every request of this turn: one statement reads each serial's root
   *  (aliases followed), conversion ID, link and payment record (as peekMany reads it); a second
   *  makes the conversion IDs of first uses. */
  private async resolveMany(items: readonly ResolveItem[]): Promise<Resolved[]> {
    const rows = await this.db.query<PaymentRow>(
      `SELECT q.n, r.s AS subject, c.conversion_id, l.customer_ref, l.cards, l.created_at, l.updated_at,
         p.state, p.request_fp, p.card_id, p.institution, p.account_ref, p.institution_key, p.call_deadline, p.decision
       FROM unnest($1::text[], $2::text[], $3::boolean[], $4::integer[], $5::text[], $6::bigint[]) WITH ORDINALITY AS q(tenant, serial, with_link, hops, pkey, now, n)
       CROSS JOIN LATERAL (${aliasRoot('q.serial', 'q.hops')}) r
       LEFT JOIN conversion_ids c ON c.tenant = q.tenant AND c.subject = r.s
       LEFT JOIN links l ON q.with_link AND l.tenant = q.tenant AND l.conversion_id = c.conversion_id
       LEFT JOIN payments p ON p.tenant = q.tenant AND p.idempotency_key = q.pkey AND (p.state = 'pending' OR p.expires_at >= q.now)
       ORDER BY q.n`,
      [
        items.map((i) => i.tenant),
        items.map((i) => i.serial),
        items.map((i) => i.withLink),
        items.map((i) => i.maxHops),
        items.map((i) => i.payment?.key ?? null),
        items.map((i) => i.payment?.now ?? null),
      ],
    );
    const out = rows.map((r) => ({
      conversionId: (r.conversion_id as string | null) ?? null,
      subject: r.subject as string,
      link: r.customer_ref === null || r.customer_ref === undefined ? null : linkOf(r),
      payment: r.state === null || r.state === undefined ? null : recordOf(r),
    }));
    const unmade = out.map((_, i) => i).filter((i) => out[i].conversionId === null);
    const missing = firstOfEach(unmade, (i) => `${items[i].tenant}\0${out[i].subject}`).map((k) => ({ i: unmade[k], o: out[unmade[k]] }));
    if (missing.length) {
      // First uses: made here; a concurrent maker's ID wins (ON CONFLICT), so read them back.
      const tenants = missing.map((m) => items[m.i].tenant);
      const subjects = missing.map((m) => m.o.subject);
      await this.db.query(
        'INSERT INTO conversion_ids (tenant, subject, conversion_id, created_at) SELECT t, s, c, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(t, s, c) ON CONFLICT (tenant, subject) DO NOTHING',
        [tenants, subjects, missing.map(() => newConversionId()), this.clock()],
      );
      const made = await this.db.query<{ tenant: string; subject: string; conversion_id: string }>(
        'SELECT c.tenant, c.subject, c.conversion_id FROM unnest($1::text[], $2::text[]) AS u(t, s) JOIN conversion_ids c ON c.tenant = u.t AND c.subject = u.s',
        [tenants, subjects],
      );
      const byKey = new Map(made.map((m) => [`${m.tenant}\0${m.subject}`, m.conversion_id]));
      out.forEach((o, i) => {
        if (o.conversionId === null) o.conversionId = byKey.get(`${items[i].tenant}\0${o.subject}`) ?? null;
      });
    }
    return out.map((o) => {
      if (o.conversionId === null) throw new Error('conversion ID neither found nor made');
      return { conversionId: o.conversionId, link: o.link, payment: o.payment };
    });
  }

  async addAlias(serial: string, target: string): Promise<boolean> {
    const r = await this.db.query(
      'INSERT INTO serial_aliases (serial, target, created_at) VALUES ($1, $2, $3) ON CONFLICT (serial) DO NOTHING RETURNING serial',
      [serial, target, this.clock()],
    );
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
    const rows = await this.db.query('SELECT * FROM links WHERE tenant = $1 AND conversion_id > $2 ORDER BY conversion_id LIMIT $3', [
      tenant,
      cursor ?? '',
      limit + 1,
    ]);
    const links = rows.slice(0, limit).map(linkOf);
    return { links, next: rows.length > limit ? links[links.length - 1].conversionId : null };
  }

  async putWatch(w: Watch): Promise<void> {
    await this.db.query('INSERT INTO watches (id, tenant, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body', [
      w.id,
      w.tenant,
      JSON.stringify(w),
    ]);
  }

  async getWatch(id: string): Promise<Watch | null> {
    const r = await this.db.query<{ body: unknown }>('SELECT body FROM watches WHERE id = $1', [id]);
    return r.length ? bodyOf<Watch>(r[0].body) : null;
  }

  async deleteWatch(id: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM watches WHERE id = $1 RETURNING id', [id])).length === 1;
  }

  async scanWatches(cursor: string | null, count: number): Promise<{ watches: Watch[]; next: string | null }> {
    const rows = await this.db.query<{ id: string; body: unknown }>('SELECT id, body FROM watches WHERE id > $1 ORDER BY id LIMIT $2', [
      cursor ?? '',
      count + 1,
    ]);
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
    return this.page<Change>('SELECT seq, body FROM changes WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3', tenant, after, limit, (r) =>
      bodyOf<Change>(r.body),
    );
  }

  async appendAudit(records: readonly TenantAuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.query(
      'INSERT INTO audit (tenant, at, route, code, certificate) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])',
      [records.map((r) => r.tenant), records.map((r) => r.at), records.map((r) => r.route), records.map((r) => r.code), records.map((r) => r.certificate)],
    );
  }

  audit(tenant: string, after: string | null, limit: number): Promise<Page<AuditRecord>> {
    return this.page<AuditRecord>(
      'SELECT seq, at, route, code, certificate FROM audit WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      tenant,
      after,
      limit,
      (r) => ({
        at: ms(r.at),
        route: r.route as string,
        code: r.code as string,
        certificate: (r.certificate as string | null) ?? null,
      }),
    );
  }

  private async page<T>(sql: string, tenant: string, after: string | null, limit: number, map: (r: Record<string, unknown>) => T): Promise<Page<T>> {
    const from = after === null ? 0 : /^\d{1,18}$/.test(after) ? after : null;
    if (from === null) return { items: [], next: null }; // a cursor we never gave out
    const rows = await this.db.query(sql, [tenant, from, limit + 1]);
    const items = rows.slice(0, limit).map((r) => ({ ...map(r), cursor: String(r.seq) }));
    return { items, next: rows.length > limit ? items[items.length - 1].cursor : null };
  }

  peekPayment(tenant: string, key: string, now: number): Promise<PaymentRecord | null> {
    // A plain read: a request that ends without a call or a decision (choose_card, pin_required …)
    // writes nothing, and the common path pays two commits (pending, then done), not three.
    return this.peeker.push({ tenant, key, now });
  }

  private async peekMany(items: readonly { tenant: string; key: string; now: number }[]): Promise<(PaymentRecord | null)[]> {
    const rows = await this.db.query<PaymentRow & { n: unknown }>(
      `SELECT q.n, p.* FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS q(tenant, key, now, n)
       JOIN payments p ON p.tenant = q.tenant AND p.idempotency_key = q.key AND (p.state = 'pending' OR p.expires_at >= q.now)`,
      [items.map((i) => i.tenant), items.map((i) => i.key), items.map((i) => i.now)],
    );
    const out: (PaymentRecord | null)[] = items.map(() => null);
    for (const r of rows) out[Number(r.n) - 1] = recordOf(r);
    return out;
  }

  startCall(
    tenant: string,
    key: string,
    requestFp: string,
    call: PaymentCall,
    now: number,
    deadline: number,
    ttlMs: number,
  ): Promise<{ call: PaymentCall } | { record: PaymentRecord }> {
    return this.writer.push({ start: { tenant, key, requestFp, call, now, deadline, ttlMs } }) as Promise<Started>;
  }

  async endCall(tenant: string, key: string, now: number): Promise<void> {
    await this.db.query("UPDATE payments SET call_deadline = $3, updated_at = $3 WHERE tenant = $1 AND idempotency_key = $2 AND state = 'pending'", [
      tenant,
      key,
      now,
    ]);
  }

  finishPayment(
    tenant: string,
    key: string,
    requestFp: string,
    decision: string,
    audit: AuditRecord,
    o: { readonly now: number; readonly ttlMs: number; readonly afterCall: boolean },
  ): Promise<{ stored: true } | { record: PaymentRecord }> {
    const item = { tenant, key, requestFp, decision, audit, now: o.now, ttlMs: o.ttlMs };
    return o.afterCall ? (this.writer.push({ finish: item }) as Promise<Finished>) : this.finisherNoCall.push(item);
  }

  /** The pending records and the decisions after a call of this turn, in one statement: one
   *  transaction, one commit for all of them (a failure fails every payment of the turn, none
   *  half-written). A start for a key that a decision of this turn finishes goes in a second
   *  statement after it: one statement must not write a row twice. */
  private async writeMany(items: readonly WriteItem[]): Promise<(Started | Finished)[]> {
    const finishing = new Set(items.flatMap((it) => ('finish' in it ? [keyOf(it.finish)] : [])));
    const now = items.map((it) => 'finish' in it || !finishing.has(keyOf(it.start)));
    const out = await this.writeStatement(items.filter((_, i) => now[i]));
    const later = items.filter((_, i) => !now[i]);
    const after = later.length ? await this.writeStatement(later) : [];
    let a = 0;
    let b = 0;
    return items.map((_, i) => (now[i] ? out[a++] : after[b++]));
  }

  private async writeStatement(items: readonly WriteItem[]): Promise<(Started | Finished)[]> {
    const starts = items.flatMap((it) => ('start' in it ? [it.start] : []));
    const finishes = items.flatMap((it) => ('finish' in it ? [it.finish] : []));
    // One row is written once per statement: the first item of each key; the rest meet its record.
    const s = firstOfEach(starts, keyOf).map((i) => starts[i]);
    const f = firstOfEach(finishes, keyOf).map((i) => finishes[i]);
    const keep = (col: string) => `${col} = CASE WHEN payments.state = 'pending' THEN payments.${col} ELSE EXCLUDED.${col} END`;
    const rows = await this.db.query<{ op: string; t: string; k: string } & Pick<PaymentRow, 'card_id' | 'institution' | 'account_ref' | 'institution_key'>>(
      // Started: the key had no live record (none, or done past its TTL), or was pending for this
      // request past its deadline: then the first call's account and institution key are kept.
      // Done: only the request's own pending record (a slower run that lost the race stores
      // nothing), with its audit record.
      `WITH started AS (
         INSERT INTO payments (tenant, idempotency_key, request_fp, state, card_id, institution, account_ref, institution_key, call_deadline, created_at, updated_at, expires_at)
         SELECT t, k, fp, 'pending', card, inst, acct, ikey, deadline, now, now, expires
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[])
           AS u(t, k, fp, card, inst, acct, ikey, deadline, now, expires)
         ON CONFLICT (tenant, idempotency_key) DO UPDATE SET request_fp = EXCLUDED.request_fp, state = 'pending', decision = NULL,
           ${keep('card_id')}, ${keep('institution')}, ${keep('account_ref')}, ${keep('institution_key')}, ${keep('created_at')}, ${keep('expires_at')},
           call_deadline = EXCLUDED.call_deadline, updated_at = EXCLUDED.updated_at
         WHERE (payments.state = 'pending' AND payments.request_fp = EXCLUDED.request_fp AND payments.call_deadline <= EXCLUDED.updated_at)
            OR (payments.state = 'done' AND payments.expires_at < EXCLUDED.updated_at)
         RETURNING tenant, idempotency_key, card_id, institution, account_ref, institution_key
       ),
       done AS (
         UPDATE payments p SET state = 'done', decision = u.decision, updated_at = u.now, expires_at = greatest(p.expires_at, u.expires)
         FROM unnest($11::text[], $12::text[], $13::text[], $14::jsonb[], $15::bigint[], $16::bigint[], $17::bigint[], $18::text[], $19::text[], $20::text[])
           AS u(t, k, fp, decision, now, expires, at, route, code, cert)
         WHERE p.tenant = u.t AND p.idempotency_key = u.k AND p.request_fp = u.fp AND p.state = 'pending'
         RETURNING u.*
       ),
       audited AS (INSERT INTO audit (tenant, at, route, code, certificate) SELECT t, at, route, code, cert FROM done RETURNING seq)
       SELECT 's' AS op, tenant AS t, idempotency_key AS k, card_id, institution, account_ref, institution_key FROM started
       UNION ALL SELECT 'f', t, k, NULL, NULL, NULL, NULL FROM done`,
      [
        s.map((i) => i.tenant),
        s.map((i) => i.key),
        s.map((i) => i.requestFp),
        s.map((i) => i.call.cardId),
        s.map((i) => i.call.institution),
        s.map((i) => i.call.accountRef),
        s.map((i) => i.call.institutionKey),
        s.map((i) => i.deadline),
        s.map((i) => i.now),
        s.map((i) => i.now + i.ttlMs),
        ...finishParams(f),
      ],
    );
    const taken = new Map(rows.filter((r) => r.op === 's').map((r) => [`${r.t}\0${r.k}`, callOf(r)!]));
    const stored = new Set(rows.filter((r) => r.op === 'f').map((r) => `${r.t}\0${r.k}`));
    const sFirst = new Set(s);
    const fFirst = new Set(f);
    return Promise.all(
      items.map(async (it): Promise<Started | Finished> => {
        if ('start' in it) {
          const call = sFirst.has(it.start) ? taken.get(keyOf(it.start)) : undefined;
          return call ? { call } : { record: await this.current(it.start.tenant, it.start.key) };
        }
        const done = fFirst.has(it.finish) && stored.has(keyOf(it.finish));
        return done ? { stored: true } : { record: await this.current(it.finish.tenant, it.finish.key) };
      }),
    );
  }

  /** Decisions made without a call, each with its audit record, in one statement: only a key
   *  with no live record takes the decision. */
  private async finishNoCall(items: readonly FinishItem[]): Promise<Finished[]> {
    const first = firstOfEach(items, keyOf);
    const f = first.map((i) => items[i]);
    const input = `unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[])
         AS u(t, k, fp, decision, now, expires, at, route, code, cert)`;
    const rows = await this.db.query<{ t: string; k: string }>(
      `WITH done AS (
         INSERT INTO payments AS p (tenant, idempotency_key, request_fp, state, decision, created_at, updated_at, expires_at)
         SELECT t, k, fp, 'done', decision, now, now, expires FROM ${input}
         ON CONFLICT (tenant, idempotency_key) DO UPDATE SET request_fp = EXCLUDED.request_fp, decision = EXCLUDED.decision, card_id = NULL, institution = NULL,
           account_ref = NULL, institution_key = NULL, call_deadline = NULL, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, expires_at = EXCLUDED.expires_at
         WHERE p.state = 'done' AND p.expires_at < EXCLUDED.updated_at
         RETURNING p.tenant AS t, p.idempotency_key AS k
       ),
       audited AS (INSERT INTO audit (tenant, at, route, code, certificate) SELECT u.t, u.at, u.route, u.code, u.cert FROM done JOIN ${input} ON u.t = done.t AND u.k = done.k RETURNING seq)
       SELECT t, k FROM done`,
      finishParams(f),
    );
    const stored = new Set(rows.map((r) => `${r.t}\0${r.k}`));
    const firstSet = new Set(first);
    return Promise.all(
      items.map(async (it, i) => (firstSet.has(i) && stored.has(keyOf(it)) ? ({ stored: true } as const) : { record: await this.current(it.tenant, it.key) })),
    );
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
