// PostgreSQL over `pg`: a pool of connections to a shared server (every API node and worker).
import pg from 'pg';
import { storeFailure, type Database, type Queryable, type Row } from './database.js';

export interface PostgresOptions {
  readonly url: string;
  /** The url user's password when it is not in the url (a container secret, say). */
  readonly password?: string | null;
  readonly poolSize: number;
  /** A query waits at most this long for a connection, and runs at most this long. */
  readonly timeoutMs: number;
}

/** The url with the password in it: pg lets a connection string's (empty) password override a
 *  separate one, so the password travels inside the url, percent-encoded. */
export function connectionUrl(url: string, password: string | null | undefined): string {
  if (!password) return url;
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export async function openPostgres(o: PostgresOptions, onPoolError: (err: Error) => void): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: connectionUrl(o.url, o.password),
    max: o.poolSize,
    connectionTimeoutMillis: o.timeoutMs,
    query_timeout: o.timeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'jpki-verify',
  });
  // An idle client that loses its server emits here; without a listener it would crash the process.
  pool.on('error', onPoolError);
  const run = async <T extends Row>(q: Queryable | pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]): Promise<T[]> => {
    try {
      return ((await (q as pg.Pool).query(text, params as unknown[])) as pg.QueryResult<T>).rows;
    } catch (err) {
      throw storeFailure(err);
    }
  };
  const db: Database = {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    exec: async (script) => void (await run(pool, script)),
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw storeFailure(err);
      }
      let broken = false;
      // A checked-out client has no pool listener: its connection dying mid-transaction would be
      // an unhandled 'error' event, which ends the process. Handled here; the query fails instead.
      const onError = (err: Error): void => {
        broken = true;
        onPoolError(err);
      };
      client.on('error', onError);
      try {
        await run(client, 'BEGIN');
        const out = await fn({ query: (text, params) => run(client, text, params), exec: async (script) => void (await run(client, script)) });
        await run(client, 'COMMIT');
        return out;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // the connection is gone: do not hand it to the next caller
        }
        throw err; // driver errors were mapped where they happened; the caller's own pass through
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async ping(timeoutMs) {
      await Promise.race([
        run(pool, 'SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(storeFailure(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs).unref()),
      ]);
    },
    close: () => pool.end(),
  };
  await db.ping(o.timeoutMs);
  return db;
}
