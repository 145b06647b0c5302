// The relay platform's state (共通的PF functions): conversion IDs, serial aliases from J-LIS link
// data, links to customers and their cards, watched signing certificates and their changes, and
// the audit trail. One interface, two stores (memory for the embedded default, Redis for nodes
// that share state), one shared test suite.
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

export type IdempotentState = { readonly state: 'new' } | { readonly state: 'pending' | 'done'; readonly fingerprint: string; readonly response: string | null };

export interface AuditRecord {
  readonly at: number;
  readonly route: string;
  readonly code: string;
  readonly fingerprint: string | null;
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

  appendAudit(tenant: string, records: readonly AuditRecord[]): Promise<void>;
  audit(tenant: string, after: string | null, limit: number): Promise<Page<AuditRecord>>;
  /** Drops audit records older than `before` (retention). */
  pruneAudit(tenant: string, before: number): Promise<void>;

  /** Starts an idempotent operation: 'new' (this caller runs it), or what an earlier call with the
   *  same key left: still 'pending', or 'done' with its response. `fingerprint` tells a repeat
   *  from a different request reusing the key. */
  beginIdempotent(tenant: string, key: string, fingerprint: string, ttlMs: number): Promise<IdempotentState>;
  finishIdempotent(tenant: string, key: string, fingerprint: string, response: string, ttlMs: number): Promise<void>;
  /** Forgets a pending key (the operation failed in a way the caller may retry). */
  releaseIdempotent(tenant: string, key: string): Promise<void>;

  /** Takes a named once-only claim (e.g. "re-check CRL set X"); false if another took it. */
  claim(name: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Serials compared as numbers: J-LIS files and certificates may differ in case and zero padding. */
export function normSerial(hex: string): string {
  return BigInt(`0x${hex}`).toString(16);
}
