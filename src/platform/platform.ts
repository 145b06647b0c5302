// The relay platform functions over a PlatformStore: ID conversion (ID変換), linking (紐付管理),
// renewals from J-LIS link data, change confirmation (変更確認) and the audit trail.
//
// Subjects: a person is known by the serial their chain of certificates started from. J-LIS link
// data adds aliases (a renewed serial → the one it renews; a signing serial → its authentication
// serial), so a customer keeps one conversion ID, and one set of links, across renewals.
import { changeView } from './change-view.js';
import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { lookupStatus } from '../core/revocation-lookup.js';
import type { RevocationSet } from '../core/revocation-set.js';
import type { CertificateFacts } from '../core/verify.js';
import type { TenantConfig } from '../config/config.js';
import { deliverWebhook, type WebhookOptions } from '../net/webhook.js';
import type { LinkRecord } from './link-data.js';
import {
  normSerial,
  type Card,
  type Change,
  type Link,
  type PaymentRecord,
  type PlatformStore,
  type TenantAuditRecord,
  type Watch,
  type WatchStatus,
} from './store.js';

export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  constructor(
    readonly code: 'already_linked' | 'not_found' | 'forbidden',
    message: string,
  ) {
    super(message);
  }
}

/** Certificate facts as a tenant may see them: proxy tenants get a conversion ID and a
 *  per-tenant certificate handle, never a serial or the global fingerprint. */
export type PublicFacts = Omit<CertificateFacts, 'serial' | 'fingerprint'> & { serial?: string; fingerprint?: string; handle?: string; conversionId: string };

export interface CardInput {
  readonly institution: string;
  readonly kind: Card['kind'];
  readonly accountRef: string;
  readonly label?: string | null;
}

export interface CardView {
  readonly id: string;
  readonly institution: string;
  readonly kind: Card['kind'];
  readonly label?: string;
  readonly masked: string;
}

/** A card as answers show it: the account reference masked, no label when it has none. */
export function cardView(c: Pick<Card, 'id' | 'institution' | 'kind' | 'label' | 'accountRef'>): CardView {
  return { id: c.id, institution: c.institution, kind: c.kind, ...(c.label !== null && { label: c.label }), masked: maskRef(c.accountRef) };
}

export interface LinkView {
  readonly conversionId: string;
  readonly customerRef: string;
  readonly cards: CardView[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly serial?: string;
}

/** Account references are shown with all but the last four characters hidden. */
export function maskRef(ref: string): string {
  return `${'*'.repeat(Math.max(4, ref.length - 4))}${ref.slice(-4)}`;
}

const MAX_ALIAS_HOPS = 16;
const RECHECK_PAGE = 2000;

export interface PlatformOptions {
  readonly auditRetentionMs: number;
  readonly auditMaxPerTenant: number;
  /** Audit records are group-committed, one batch at a time; each request waits for its batch.
   *  After a commit that took c ms the next waits min(auditFlushMs, 9c) — so committing audit
   *  takes at most ~10% of the database's time — or goes at once if that pause has passed (a
   *  request at low load waits one commit) or `auditBatch` records are waiting. */
  readonly auditFlushMs: number;
  readonly auditBatch: number;
  /** Installation secret (from the database) keying proxy tenants' certificate handles. */
  readonly handleKey: Buffer;
  readonly webhook: WebhookOptions;
}

interface AuditWaiter {
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export class Platform {
  private readonly tenants: Map<string, TenantConfig>;
  private auditBuffer: TenantAuditRecord[] = [];
  private auditWaiters: AuditWaiter[] = [];
  private auditTimer: NodeJS.Timeout | null = null;
  /** The batch being committed: one at a time, so batches grow with the load instead of
   *  queueing statements (PGlite runs one at a time anyway). */
  private committing: Promise<void> | null = null;
  private lastCommitEnd = 0;
  private lastCommitMs = 0;
  private lastPrune = 0;

  constructor(
    readonly store: PlatformStore,
    tenants: readonly TenantConfig[],
    private readonly opts: PlatformOptions,
    private readonly logger: Logger,
    private readonly clock: () => number,
  ) {
    this.tenants = new Map(tenants.map((t) => [t.id, t]));
  }

  // ---- ID conversion ----

  /** The tenant's conversion ID for the subject a serial's chain of renewals and pairings started
   *  from (a longer chain, or a loop, stops after MAX_ALIAS_HOPS: still one stable answer). */
  async conversionId(tenant: TenantConfig, serial: string): Promise<string> {
    return (await this.store.resolve(tenant.id, normSerial(serial), MAX_ALIAS_HOPS, false)).conversionId;
  }

  /** Facts for a response: delegate tenants get the serial and a conversion ID, proxy tenants
   *  only the conversion ID. */
  async publicFacts(tenant: TenantConfig, facts: CertificateFacts | null): Promise<PublicFacts | null> {
    if (!facts) return null;
    const conversionId = await this.conversionId(tenant, facts.serial);
    const { serial, fingerprint, ...rest } = facts;
    if (tenant.mode === 'delegate') return { ...rest, serial, fingerprint, conversionId };
    // Validity to the second is a quasi-identifier (two services could join a holder on it):
    // proxy tenants get the dates only.
    return {
      ...rest,
      notBefore: rest.notBefore.slice(0, 10),
      notAfter: rest.notAfter.slice(0, 10),
      handle: this.certificateHandle(tenant, fingerprint),
      conversionId,
    };
  }

  /** How a tenant may name a certificate: delegate tenants its fingerprint; proxy tenants an
   *  HMAC of it keyed by the installation secret and their tenant id, so two proxy tenants (or a
   *  tenant and the outside world) cannot join their records on it. */
  certificateHandle(tenant: TenantConfig, fingerprint: string): string {
    if (tenant.mode === 'delegate') return fingerprint;
    return `h_${createHmac('sha256', this.opts.handleKey).update(`${tenant.id}\0${fingerprint}`).digest('base64url').slice(0, 32)}`;
  }

  // ---- linking (紐付管理) ----

  private view(tenant: TenantConfig, link: Link, serial?: string): LinkView {
    return {
      conversionId: link.conversionId,
      customerRef: link.customerRef,
      cards: link.cards.map(cardView),
      createdAt: new Date(link.createdAt).toISOString(),
      updatedAt: new Date(link.updatedAt).toISOString(),
      ...(tenant.mode === 'delegate' && serial ? { serial } : {}),
    };
  }

  /** Links a verified authentication's subject to the tenant's customer and cards. Enrolling the
   *  same customer again adds cards; another customer on the same subject is refused. */
  async enrol(tenant: TenantConfig, facts: CertificateFacts, customerRef: string, cards: readonly CardInput[]): Promise<LinkView> {
    const cid = await this.conversionId(tenant, facts.serial);
    const now = this.clock();
    const existing = await this.store.getLink(tenant.id, cid);
    if (existing && existing.customerRef !== customerRef)
      throw new PlatformError('already_linked', 'this certificate holder is linked to another customer of this tenant; unlink first');
    const added: Card[] = cards.map((c) => ({
      id: `card_${randomBytes(9).toString('base64url')}`,
      institution: c.institution,
      kind: c.kind,
      accountRef: c.accountRef,
      label: c.label ?? null,
    }));
    const kept = (existing?.cards ?? []).filter((c) => !added.some((a) => a.institution === c.institution && a.accountRef === c.accountRef));
    const link: Link = { conversionId: cid, customerRef, cards: [...kept, ...added], createdAt: existing?.createdAt ?? now, updatedAt: now };
    await this.store.putLink(tenant.id, link);
    return this.view(tenant, link, facts.serial);
  }

  /** The link of a verified authentication's subject, if any (with its cards: several → the
   *  caller asks the holder to choose). */
  async identify(
    tenant: TenantConfig,
    facts: CertificateFacts,
    payment?: { readonly key: string; readonly now: number },
  ): Promise<{ conversionId: string; link: LinkView | null; cards: Card[]; payment: PaymentRecord | null }> {
    const { conversionId: cid, link, payment: record } = await this.store.resolve(tenant.id, normSerial(facts.serial), MAX_ALIAS_HOPS, true, payment);
    return { conversionId: cid, link: link ? this.view(tenant, link, facts.serial) : null, cards: link ? [...link.cards] : [], payment: record };
  }

  async getLink(tenant: TenantConfig, conversionId: string): Promise<LinkView | null> {
    const link = await this.store.getLink(tenant.id, conversionId);
    return link ? this.view(tenant, link, tenant.mode === 'delegate' ? ((await this.store.subjectOf(tenant.id, conversionId)) ?? undefined) : undefined) : null;
  }

  async listLinks(tenant: TenantConfig, cursor: string | null, limit: number): Promise<{ links: LinkView[]; next: string | null }> {
    const r = await this.store.listLinks(tenant.id, cursor, limit);
    return { links: r.links.map((l) => this.view(tenant, l)), next: r.next };
  }

  unlink(tenant: TenantConfig, conversionId: string): Promise<boolean> {
    return this.store.deleteLink(tenant.id, conversionId);
  }

  // ---- renewals: J-LIS link data ----

  /** Applies link data: a renewal makes the new serial continue the old one; a pair makes the
   *  signing serial continue the authentication serial. Already-known records are skipped. */
  async importLinkData(records: readonly LinkRecord[]): Promise<{ renewals: number; pairs: number; skipped: number; conflicts: number }> {
    const out = { renewals: 0, pairs: 0, skipped: 0, conflicts: 0 };
    for (const r of records) {
      const [from, to] = r.type === 'renewal' ? [normSerial(r.to), normSerial(r.from)] : [normSerial(r.from), normSerial(r.to)];
      // A serial already used on its own (its card was used before the link data arrived) keeps
      // the conversion IDs it has; the import says how many.
      for (const t of this.tenants.values()) if (await this.store.conversionId(t.id, from, false)) out.conflicts++;
      if (!(await this.store.addAlias(from, to))) out.skipped++;
      else if (r.type === 'renewal') out.renewals++;
      else out.pairs++;
    }
    this.logger.info(out, 'J-LIS link data imported');
    return out;
  }

  // ---- change confirmation (変更確認) ----

  async watch(tenant: TenantConfig, w: Omit<Watch, 'id' | 'tenant' | 'conversionId' | 'registeredAt' | 'checkedAt'>, serial: string): Promise<Watch> {
    const now = this.clock();
    const watch: Watch = {
      ...w,
      id: `w_${randomBytes(12).toString('base64url')}`,
      tenant: tenant.id,
      conversionId: await this.conversionId(tenant, serial),
      registeredAt: now,
      checkedAt: now,
    };
    await this.store.putWatch(watch);
    return watch;
  }

  async unwatch(tenant: TenantConfig, id: string): Promise<boolean> {
    const w = await this.store.getWatch(id);
    if (!w || w.tenant !== tenant.id) return false;
    return this.store.deleteWatch(id);
  }

  async getWatch(tenant: TenantConfig, id: string): Promise<Watch | null> {
    const w = await this.store.getWatch(id);
    return w && w.tenant === tenant.id ? w : null;
  }

  /**
   * Re-checks every watched certificate against a new revocation set; records each change of
   * status (with its reason and CRL) and tells the tenant. Stale or missing CRL data is not a
   * change: the last known status stands until data arrives. Runs once per set across processes
   * (a claim on the set's identity).
   */
  async recheck(set: RevocationSet, identity: string, graceMs: number): Promise<{ checked: number; changed: number; ms: number } | null> {
    if (!(await this.store.claim(`recheck:${identity}`, 24 * 3_600_000))) return null;
    const t0 = performance.now();
    const now = this.clock();
    let checked = 0;
    let changed = 0;
    let cursor: string | null = null;
    do {
      const page: { watches: Watch[]; next: string | null } = await this.store.scanWatches(cursor, RECHECK_PAGE);
      const found: { watch: Watch; change: Change }[] = [];
      for (const w of page.watches) {
        checked++;
        const st = lookupStatus(set, w.issuerKeyId, w.partitions, Buffer.from(w.serialHex, 'hex'), now, graceMs);
        if (st.status !== 'good' && st.status !== 'revoked') continue;
        const reason = st.status === 'revoked' ? (st.reason ?? 'unspecified') : null;
        if (st.status === w.status && reason === w.reason) continue;
        changed++;
        const change: Change = {
          watchId: w.id,
          conversionId: w.conversionId,
          customerRef: w.customerRef,
          from: w.status,
          to: st.status,
          reason,
          action: actionFor(st.status, reason),
          revokedAt: st.status === 'revoked' ? (st.revokedAt ?? null) : null,
          crl: st.source ? { issuer: st.source.issuer, crlNumber: st.source.crlNumber, thisUpdate: st.source.thisUpdate } : null,
          at: now,
        };
        found.push({ watch: { ...w, status: st.status, reason, checkedAt: now }, change });
      }
      const cursors = await this.store.recordChanges(found);
      found.forEach((f, i) => this.notify(f.watch.tenant, f.change, cursors[i]));
      cursor = page.next;
    } while (cursor);
    const ms = performance.now() - t0;
    this.logger.info({ checked, changed, ms: Math.round(ms) }, 'change confirmation re-check done');
    return { checked, changed, ms };
  }

  changes(tenant: TenantConfig, after: string | null, limit: number) {
    return this.store.changes(tenant.id, after, limit);
  }

  private notify(tenantId: string, change: Change, cursor: string): void {
    const t = this.tenants.get(tenantId);
    if (!t?.webhookUrl || !t.webhookSecret) return;
    deliverWebhook(t.webhookUrl, t.webhookSecret, { type: 'certificate_status_changed', cursor, change: changeView(change) }, this.opts.webhook).catch(
      (err: Error) => this.logger.warn({ tenant: tenantId, reason: err.message }, 'change webhook failed; the change stays in the pull API'),
    );
  }

  // ---- audit trail ----

  /** Appends a verification or decision to the tenant's audit trail. Resolves once the record is
   *  committed (group commit, paced as PlatformOptions.auditFlushMs says); rejects with
   *  StoreError when it could not be, so the caller fails the request instead of answering 200
   *  without its record. */
  audit(tenant: TenantConfig, route: string, code: string, fingerprint: string | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.auditBuffer.push({
        tenant: tenant.id,
        at: this.clock(),
        route,
        code,
        certificate: fingerprint === null ? null : this.certificateHandle(tenant, fingerprint),
      });
      this.auditWaiters.push({ resolve, reject });
      if (this.auditBuffer.length >= this.opts.auditBatch) this.commitAudit();
      else this.scheduleAudit();
    });
  }

  /** Starts committing what is buffered, unless a batch is committing: then the next batch starts
   *  when it ends, with everything that arrived meanwhile. */
  private commitAudit(): void {
    if (this.auditTimer) clearTimeout(this.auditTimer);
    this.auditTimer = null;
    if (this.committing || this.auditBuffer.length === 0) return;
    const batch = this.auditBuffer;
    const waiters = this.auditWaiters;
    this.auditBuffer = [];
    this.auditWaiters = [];
    this.committing = this.store.appendAudit(batch).then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (err: unknown) => {
        this.logger.error({ records: batch.length, reason: (err as Error).message }, 'audit batch not committed; its requests fail');
        for (const w of waiters) w.reject(err);
      },
    );
    const t0 = performance.now();
    void this.committing.finally(() => {
      this.committing = null;
      this.lastCommitEnd = performance.now();
      this.lastCommitMs = this.lastCommitEnd - t0;
      if (this.auditBuffer.length >= this.opts.auditBatch) this.commitAudit();
      else if (this.auditBuffer.length) this.scheduleAudit();
    });
    this.maybePrune();
  }

  /** The next commit, after the pause the last one earned (0: this turn's records, at once). */
  private scheduleAudit(): void {
    if (this.auditTimer || this.committing) return; // a commit is due or running: it takes these
    const pause = Math.min(this.opts.auditFlushMs, 9 * this.lastCommitMs);
    const wait = Math.max(0, this.lastCommitEnd + pause - performance.now());
    this.auditTimer = setTimeout(() => this.commitAudit(), wait);
  }

  /** Resolves once everything buffered now has been committed (or has failed). */
  async flushAudit(): Promise<void> {
    for (;;) {
      if (this.committing) await this.committing;
      else if (this.auditBuffer.length) this.commitAudit();
      else return;
    }
  }

  /** Retention, at most once a minute, off the request path. */
  private maybePrune(): void {
    const now = this.clock();
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    this.store
      .prune(now, now - this.opts.auditRetentionMs, this.opts.auditMaxPerTenant)
      .catch((err: Error) => this.logger.warn({ reason: err.message }, 'retention prune failed; retried in a minute'));
  }

  async readAudit(tenant: TenantConfig, after: string | null, limit: number) {
    await this.flushAudit();
    return this.store.audit(tenant.id, after, limit);
  }

  async close(): Promise<void> {
    await this.flushAudit();
  }
}

function actionFor(status: WatchStatus, reason: string | null): Change['action'] {
  if (status !== 'revoked') return 'none';
  return reason === 'affiliationChanged' ? 'ask_customer_to_update_details' : 'stop_using_certificate';
}
