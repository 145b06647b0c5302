// Opens the configured system of record and brings its schema up to this build's version:
// a PostgreSQL server when `database.url` is set (several nodes), else PGlite in `database.dir`.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

/** In-memory databases (`database.dir: ":memory:"`, for tests) start from one migrated template
 *  per process: a fresh PGlite runs initdb (seconds), a copy of the template loads in ~0.3 s. */
let memoryTemplate: Promise<Blob> | null = null;

async function memoryDatabase(): Promise<Database> {
  memoryTemplate ??= (async () => {
    const t = await openPglite(null);
    await migrate(t);
    const blob = await t.dump();
    await t.close();
    return blob;
  })();
  return openPglite(null, await memoryTemplate);
}

/** `database` of the configuration; the password is optional for callers that put it in the url. */
export type DatabaseSettings = Omit<Config['database'], 'password'> & { readonly password?: string | null };

export async function openDatabase(c: DatabaseSettings, logger: Logger): Promise<Database> {
  const db = c.url
    ? await openPostgres({ url: c.url, password: c.password ?? null, poolSize: c.poolSize, timeoutMs: c.timeoutMs }, (err) =>
        logger.warn({ reason: err.message }, 'database connection lost'),
      )
    : c.dir === ':memory:'
      ? await memoryDatabase()
      : await openPglite(c.dir);
  try {
    const m = await migrate(db);
    if (m.from !== m.to) logger.info({ from: m.from, to: m.to, kind: db.kind }, 'database schema migrated');
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** An installation-wide secret, made once (first writer wins) and the same on every node. */
export async function installationSecret(db: Database, name: string): Promise<Buffer> {
  await db.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32).toString('base64')]);
  const r = await db.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
  return Buffer.from(r[0].value, 'base64');
}
