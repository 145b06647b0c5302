// Databases for tests: PGlite in memory, a fresh database on the machine's PostgreSQL server
// (127.0.0.1:5432; a suite that cannot reach it fails, never skips), and a private PostgreSQL
// server of the test's own (initdb on a free port) for tests that stop and restart it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/open.js';
import { pino } from 'pino';

export const PG_ADMIN_URL = process.env.JPKI_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const silent = pino({ level: 'silent' });

/** A new, empty database on the shared server; its URL, and a drop for afterAll. */
export async function freshPostgresDatabase(label = 't'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `jpki_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const testDatabaseConfig = (url: string | null) => ({ url, dir: ':memory:', poolSize: 8, timeoutMs: 3000 });

export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<{ db: Database; close: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase(testDatabaseConfig(null), silent);
    return { db, close: () => db.close() };
  }
  const fresh = await freshPostgresDatabase();
  const db = await openDatabase(testDatabaseConfig(fresh.url), silent);
  return {
    db,
    async close() {
      await db.close();
      await fresh.drop();
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const BIN = '/usr/lib/postgresql/15/bin';

/** A PostgreSQL server of the test's own, run as the postgres user (it refuses root). */
export interface PrivatePostgres {
  readonly url: string;
  readonly port: number;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function privatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-'));
  chmodSync(dir, 0o700);
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dir, uid, gid);
  const asPg = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  asPg(`${BIN}/initdb`, ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'root', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    proc = spawn(
      'runuser',
      ['-u', 'postgres', '--', `${BIN}/postgres`, '-D', join(dir, 'data'), '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      try {
        const c = new pg.Client({ connectionString: `postgres://root@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 500 });
        await c.connect();
        await c.end();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('private PostgreSQL did not start');
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    try {
      asPg(`${BIN}/pg_ctl`, ['-D', join(dir, 'data'), '-m', mode, '-w', 'stop']);
    } catch {
      /* already stopped */
    }
    proc = null;
  };
  await start();
  return {
    url: `postgres://root@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    async destroy() {
      await stop('immediate');
      void proc;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
