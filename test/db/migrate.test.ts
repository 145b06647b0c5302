// Migrations: applied once in order, concurrently safe, and a newer schema is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openPostgres } from '../../src/db/postgres.js';
import { migrate, SchemaError } from '../../src/db/migrate.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/open.js';
import { openPglite } from '../../src/db/pglite.js';
import { StoreError } from '../../src/db/store-error.js';
import { freshPostgresDatabase, testDatabaseConfig } from '../helpers/db.js';

describe('migrations on PostgreSQL', () => {
  let fresh: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    fresh = await freshPostgresDatabase('mig');
  });
  afterAll(() => fresh.drop());

  it('apply once, in one go, even when several nodes start together', async () => {
    const dbs = await Promise.all([1, 2, 3].map(() => openPostgres({ url: fresh.url, poolSize: 2, timeoutMs: 3000 }, () => undefined)));
    const runs = await Promise.all(dbs.map((db) => migrate(db)));
    expect(runs.filter((r) => r.from === 0)).toHaveLength(1); // one applied; the others found it done
    expect(runs.every((r) => r.to === SCHEMA_VERSION)).toBe(true);
    const rows = await dbs[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await Promise.all(dbs.map((db) => db.close()));
  });

  it('refuse a schema newer than this build, naming both versions', async () => {
    const db = await openPostgres({ url: fresh.url, poolSize: 1, timeoutMs: 3000 }, () => undefined);
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    await expect(migrate(db)).rejects.toThrow(SchemaError);
    await expect(migrate(db)).rejects.toThrow(/version 999, newer than this build knows \(1\)/);
    await db.close();
    await expect(openDatabase(testDatabaseConfig(fresh.url), pino({ level: 'silent' }))).rejects.toThrow(SchemaError);
  });

  it('roll back a failing migration whole', async () => {
    const other = await freshPostgresDatabase('mig2');
    const db = await openPostgres({ url: other.url, poolSize: 1, timeoutMs: 3000 }, () => undefined);
    const bad = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, name: 'broken', sql: 'CREATE TABLE half (a int); SELECT no_such_function();' }];
    await expect(migrate(db, bad)).rejects.toThrow(/no_such_function/);
    expect((await db.query("SELECT to_regclass('public.half') AS t"))[0].t).toBeNull();
    expect((await db.query("SELECT to_regclass('public.links') AS t"))[0].t).toBeNull(); // nothing half-applied
    await db.close();
    await other.drop();
  });

  it('report an unreachable server as store_unavailable', async () => {
    await expect(openPostgres({ url: 'postgres://root@127.0.0.1:1/none', poolSize: 1, timeoutMs: 500 }, () => undefined)).rejects.toThrow(StoreError);
  });
});

describe('migrations on PGlite', () => {
  it('bring a fresh in-process database to the current schema', async () => {
    const db = await openPglite(null);
    expect(await migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(await migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    await db.close();
  });
});
