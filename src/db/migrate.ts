// Applies the migrations this build knows, in order, each in its own transaction, under an
// advisory lock (nodes starting together wait for each other). Refuses a database whose schema is
// newer than this build: an old binary must not write into a schema it does not understand.
import type { Database } from './database.js';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';

export class SchemaError extends Error {
  override readonly name = 'SchemaError';
}

// pg_advisory_xact_lock key: "jpki" as an int.
const LOCK = 0x6a706b69;

export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<{ from: number; to: number }> {
  const known = migrations.length ? migrations[migrations.length - 1].version : 0;
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const rows = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const from = Number(rows[0]?.v ?? 0);
    if (from > known) throw new SchemaError(`the database schema is at version ${from}, newer than this build knows (${known}); run a build that knows it`);
    for (const m of migrations) {
      if (m.version <= from) continue;
      // One transaction for all pending migrations: a failure leaves the schema as it was.
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    return { from, to: known };
  });
}

export { SCHEMA_VERSION };
