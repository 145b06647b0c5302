// PGlite: PostgreSQL compiled to WASM, in this process. The embedded default keeps its data in a
// folder (var/db), so `npm start` keeps links, audit and payments across restarts; tests may run
// it in memory (no folder). One process only: several nodes need a PostgreSQL server.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { storeFailure, type Database, type Row } from './database.js';

export interface PgliteDatabase extends Database {
  /** The data folder as a tarball (a template for more in-memory databases). */
  dump(): Promise<Blob>;
}

/** `dir` null: in memory (tests), starting from `template` (a dumped data folder) when given. */
export async function openPglite(dir: string | null, template?: Blob): Promise<PgliteDatabase> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pg = dir ? new PGlite(dir) : new PGlite(template ? { loadDataDir: template } : {});
  await pg.waitReady;
  const wrap = async <T extends Row>(op: () => Promise<{ rows: T[] }>): Promise<T[]> => {
    try {
      return (await op()).rows;
    } catch (err) {
      throw storeFailure(err);
    }
  };
  return {
    kind: 'pglite',
    query: <T extends Row>(text: string, params?: readonly unknown[]) => wrap<T>(() => pg.query<T>(text, params as unknown[])),
    exec: async (script) => void (await wrap(async () => ({ rows: await pg.exec(script) }))),
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          query: <T extends Row>(text: string, params?: readonly unknown[]) => wrap<T>(() => tx.query<T>(text, params as unknown[])),
          exec: async (script) => void (await wrap(async () => ({ rows: await tx.exec(script) }))),
        }),
      ),
    async ping() {
      if (pg.closed) throw storeFailure(new Error('database closed'));
    },
    close: () => pg.close(),
    dump: () => pg.dumpDataDir('none'),
  };
}
