// The system of record's one interface: PostgreSQL (a shared server, `pg`) or PGlite (PostgreSQL
// in WASM, in-process, for the embedded default). Both run the same migrations and the same SQL.
// Connection-level failures become StoreError (503 store_unavailable); SQL errors stay errors.
import { StoreError, StoreInputError } from './store-error.js';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements, without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

// SQLSTATE classes that mean "the database is not there right now", not "the query is wrong":
// 08 connection exception, 53 insufficient resources, 57P operator intervention (shutdown,
// crash recovery), 58 system error; and a serialization failure or deadlock (40001, 40P01), which
// a retry of the whole request can clear.
const UNAVAILABLE = /^(08|53|57P|58|40001|40P01)/;

/** Maps an error from a driver call to StoreError when it says the database is unreachable
 *  (an unavailable SQLSTATE, or no SQLSTATE at all: a socket or protocol failure). */
export function storeFailure(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const e = err as { code?: unknown; message?: string };
  const sqlstate = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : null;
  // Class 22, data exception: a value the database cannot hold (NUL in text, a bad escape).
  if (sqlstate?.startsWith('22')) return new StoreInputError('bad_request', 'a text field holds a character the store cannot keep (such as NUL)');
  if (sqlstate !== null && !UNAVAILABLE.test(sqlstate)) return err;
  return new StoreError('store_unavailable', `database unreachable: ${e.message ?? String(err)}`);
}

/** Milliseconds (bigint columns) read back as numbers, whatever the driver hands out. */
export const ms = (v: unknown): number => Number(v);
export const msOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
