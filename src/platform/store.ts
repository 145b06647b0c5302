// The relay platform's state (共通的PF functions): conversion IDs, serial aliases from J-LIS link
// data, links to customers and their cards, watched signing certificates and their changes, and
// the audit trail and payment idempotency records. One interface over the SQL system of record
// (src/platform/sql-store.ts): PGlite for the embedded default, a PostgreSQL server for nodes that
// share state; one test suite runs on both.
//
// Serials are the subject key here; they are personal data, so they never leave this layer
// except to a tenant in delegate mode.

/** A card or account linked to a customer. `accountRef` is what the institution knows the account
 *  by; it is shown only masked. */
export interface Card {
  readonly id: string;
  readonly institution: string;
  readonly kind: 'credit' | 'debit' | 'bank';
  readonly accountRef: string;
  readonly label: string | null;
}

export interface Link {
  readonly conversionId: string;
  readonly customerRef: string;
  readonly cards: readonly Card[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type WatchStatus = 'good' | 'revoked' | 'unknown';

/** A signing certificate registered for change confirmation (変更確認). */
export interface Watch {
  readonly id: string;
  readonly tenant: string;
  readonly conversionId: string;
  readonly customerRef: string | null;
  /** What the re-check needs, and nothing more: issuer key, partitions, serial (INTEGER hex). */
  readonly issuerKeyId: string;
  readonly partitions: readonly string[];
  readonly serialHex: string;
  readonly fingerprint: string;
  readonly status: WatchStatus;
  readonly reason: string | null;
  readonly registeredAt: number;
  readonly checkedAt: number;
}

export interface Change {
  readonly watchId: string;
  readonly conversionId: string;
  readonly customerRef: string | null;
  readonly from: WatchStatus;
  readonly to: WatchStatus;
  readonly reason: string | null;
  /** affiliationChanged: the 基本4情報 changed; ask the customer to update their details. */
  readonly action: 'ask_customer_to_update_details' | 'stop_using_certificate' | 'none';
  readonly revokedAt: number | null;
  readonly crl: { readonly issuer: string; readonly crlNumber: string | null; readonly thisUpdate: number } | null;
  readonly at: number;
}

export interface AuditRecord {
  readonly at: number;
  readonly route: string;
  readonly code: string;
  /** The certificate as this tenant may know it: its fingerprint for delegate tenants, a
   *  per-tenant handle for proxy tenants (never one identifier across tenants). */
  readonly certificate: string | null;
}

export interface TenantAuditRecord extends AuditRecord {
  readonly tenant: string;
}

/** What the relay sends an institution; recorded before the call so a retry after a crash asks
 *  again for the same account with the same institution idempotency key. */
export interface PaymentCall {
  readonly cardId: string;
  readonly institution: string;
  readonly accountRef: string;
  readonly institutionKey: string;
}

/** A payment's idempotency record, bound to one request (`requestFp`, holder included).
 *  pending: the institution call may be in flight until `callDeadline`; done: `decision` (JSON)
 *  is the answer for good. A key with no record has decided nothing and sent nothing. */
export interface PaymentRecord {
  readonly state: 'pending' | 'done';
  readonly requestFp: string;
  readonly call: PaymentCall | null;
  readonly callDeadline: number | null;
  readonly decision: string | null;
}

/** A page of a per-tenant log; `next` is the cursor for the following page (null at the end). */
export interface Page<T> {
  readonly items: readonly (T & { readonly cursor: string })[];
  readonly next: string | null;
}

export interface PlatformStore {
  /** The tenant's conversion ID for a subject, made (random) on first use when `create`. */
  conversionId(tenant: string, subject: string, create: boolean): Promise<string | null>;
  /** The subject behind a tenant's conversion ID. */
  subjectOf(tenant: string, conversionId: string): Promise<string | null>;
  /** Serial → the serial it continues (renewal: new → old; pair: signing → authentication). */
  aliasOf(serial: string): Promise<string | null>;
  /** The serial a chain of aliases from `serial` ends at (itself when it has none), in one round
   *  trip; at most `maxHops` hops, so a loop still gives one stable answer. */
  rootSerial(serial: string, maxHops: number): Promise<string>;
  /** ID conversion in one round trip: the subject of `serial` (aliases followed, at most
   *  `maxHops`), the tenant's conversion ID for it (made on first use), with `withLink` the
   *  tenant's link for it, and with `payment` that key's record as peekPayment reads it. The hot
   *  path of proxy verifications and payments. */
  resolve(
    tenant: string,
    serial: string,
    maxHops: number,
    withLink: boolean,
    payment?: { readonly key: string; readonly now: number },
  ): Promise<{ conversionId: string; link: Link | null; payment: PaymentRecord | null }>;
  /** Records an alias; false if `serial` already had one (first writer wins). */
  addAlias(serial: string, target: string): Promise<boolean>;

  getLink(tenant: string, conversionId: string): Promise<Link | null>;
  putLink(tenant: string, link: Link): Promise<void>;
  deleteLink(tenant: string, conversionId: string): Promise<boolean>;
  /** Links in a stable order; `cursor` from the previous page. */
  listLinks(tenant: string, cursor: string | null, limit: number): Promise<{ links: Link[]; next: string | null }>;

  putWatch(w: Watch): Promise<void>;
  getWatch(id: string): Promise<Watch | null>;
  deleteWatch(id: string): Promise<boolean>;
  /** Every watch, in pages (for the re-check after each CRL refresh). */
  scanWatches(cursor: string | null, count: number): Promise<{ watches: Watch[]; next: string | null }>;
  countWatches(): Promise<number>;

  appendChange(tenant: string, change: Change): Promise<string>;
  /** A re-check's findings in one go: each watch updated and its change appended to its tenant's
   *  log. Returns the changes' cursors, in order. */
  recordChanges(batch: readonly { readonly watch: Watch; readonly change: Change }[]): Promise<string[]>;
  changes(tenant: string, after: string | null, limit: number): Promise<Page<Change>>;

  /** Appends audit records of any tenants (one statement: the group commit). */
  appendAudit(records: readonly TenantAuditRecord[]): Promise<void>;
  audit(tenant: string, after: string | null, limit: number): Promise<Page<AuditRecord>>;

  /** The key's record, if it has a live one (a done record past its TTL has none). */
  peekPayment(tenant: string, key: string, now: number): Promise<PaymentRecord | null>;
  /** Commits the record `pending` with the call before the institution is asked: for a key
   *  without a live record, or one pending for this request past its deadline (a retry taking
   *  over after a crash or a failed call), in which case the call recorded first is kept and
   *  returned (same account, same institution key). Otherwise the record in the way. */
  startCall(
    tenant: string,
    key: string,
    requestFp: string,
    call: PaymentCall,
    now: number,
    deadline: number,
    ttlMs: number,
  ): Promise<{ call: PaymentCall } | { record: PaymentRecord }>;
  /** The call ended without an answer (timeout, transport error): a retry may ask again at once. */
  endCall(tenant: string, key: string, now: number): Promise<void>;
  /** Commits the decision with its audit record, in one statement. `afterCall`: the decision of
   *  this request's pending call; else a decision made without a call (only for a key without a
   *  live record). The first decision stands: otherwise the record in the way comes back. */
  finishPayment(
    tenant: string,
    key: string,
    requestFp: string,
    decision: string,
    audit: AuditRecord,
    o: { readonly now: number; readonly ttlMs: number; readonly afterCall: boolean },
  ): Promise<{ stored: true } | { record: PaymentRecord }>;

  /** Retention: audit records older than `auditBefore` or beyond `auditMaxPerTenant` per tenant
   *  (the oldest go first), and expired payment records, bulk jobs and claims. */
  prune(now: number, auditBefore: number, auditMaxPerTenant: number): Promise<void>;

  /** Takes a named once-only claim (e.g. "re-check CRL set X"); false if another took it. */
  claim(name: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Serials compared as numbers: J-LIS files and certificates may differ in case and zero padding. */
export function normSerial(hex: string): string {
  return BigInt(`0x${hex}`).toString(16);
}
