// Change-confirmation benchmark (issue #6): 1,000,000 registered signing certificates re-checked
// after a CRL refresh that revokes 100,000 of them, on the SQL system of record: PGlite (the
// embedded default, in this process) and a PostgreSQL server. Prints the time of the re-check
// (scan, index lookup, changes recorded) and process memory.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/open.js';
import { parseCertificate } from '../src/core/certificate.js';
import { toHex } from '../src/core/der.js';
import { assembleSet } from '../src/core/revocation-assembly.js';
import { loadCrl } from '../src/core/crl-load.js';
import { Platform } from '../src/platform/platform.js';
import { SqlPlatformStore } from '../src/platform/sql-store.js';
import type { PlatformStore, Watch } from '../src/platform/store.js';
import { writeCrl } from '../src/dev/sim/crl-writer.js';
import { makeRoots } from '../src/dev/sim/jlis.js';
import { machine, writeResult } from './harness.js';

const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** Serial with counter c: a fixed prefix, then c (the CRL holds the odd counters below 2×size). */
function serial(c: number, out: Uint8Array): void {
  out[0] = 0x52;
  out[1] = 0x11;
  out[2] = 0x22;
  out[3] = 0x33;
  out[4] = (c / 2 ** 24) & 255;
  out[5] = (c >>> 16) & 255;
  out[6] = (c >>> 8) & 255;
  out[7] = c & 255;
}

const mb = (n: number): number => Math.round(n / 1e6);

export async function benchChange(opts: { watches?: number; revoked?: number } = {}): Promise<Record<string, unknown>> {
  const nWatches = opts.watches ?? 1_000_000;
  const nRevoked = opts.revoked ?? 100_000;
  const now = Date.now();
  const dir = join(tmpdir(), `jpki-bench-change-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const root = makeRoots(now).find((r) => r.label === 'sign-gen3')!;
  const file = join(dir, 'sign.crl');
  writeCrl(file, {
    issuerName: root.name,
    issuerKeyId: root.keyId,
    issuerKey: root.key,
    thisUpdate: now - 60_000,
    nextUpdate: now + 86_400_000,
    crlNumber: 7n,
    bulk: { count: nRevoked, serialLength: 8, serial: (i, out) => serial(i * 2 + 1, out) },
  });
  const loaded = loadCrl(file, [new Uint8Array(readFileSync(file))], [parseCertificate(root.cert)]);
  if (!loaded.ok) throw new Error(loaded.detail);
  const set = assembleSet([loaded.crl], 1, now).set;
  rmSync(dir, { recursive: true, force: true });
  const issuerKeyId = toHex(root.keyId);
  const tenants = ['bank-a', 'bank-b', 'card-c', 'telco-d'];
  const watchOf = (k: number): Watch => {
    const s = new Uint8Array(8);
    serial(k, s);
    return {
      id: `w${k}`,
      tenant: tenants[k % tenants.length],
      conversionId: `cid_${k}`,
      customerRef: null,
      issuerKeyId,
      partitions: [],
      serialHex: toHex(s),
      fingerprint: '',
      status: 'good',
      reason: null,
      registeredAt: now,
      checkedAt: now,
    };
  };
  const logger = pino({ level: 'warn' });
  const runs: Record<string, unknown>[] = [];

  const run = async (name: string, store: PlatformStore, fill: () => Promise<void>): Promise<void> => {
    const t0 = performance.now();
    await fill();
    const fillMs = performance.now() - t0;
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const platform = new Platform(
      store,
      [],
      {
        auditRetentionMs: 86_400_000,
        auditMaxPerTenant: 1_000_000,
        auditFlushMs: 2,
        auditBatch: 512,
        handleKey: Buffer.alloc(32),
        webhook: { attempts: 1, timeoutMs: 1000, policy: { allowHosts: [], allowPrivate: false }, wallClock: Date.now },
      },
      logger,
      () => now + 120_000,
    );
    const r = await platform.recheck(set, `bench-${name}-${now}`, 3_600_000);
    clearInterval(sampler);
    if (!r) throw new Error('re-check claim refused');
    if (r.changed !== Math.min(nRevoked, Math.floor(nWatches / 2))) throw new Error(`expected ${nRevoked} changes, found ${r.changed}`);
    const row = {
      store: name,
      watches: nWatches,
      changed: r.changed,
      fillMs: Math.round(fillMs),
      recheckMs: Math.round(r.ms),
      perSecond: Math.round(r.checked / (r.ms / 1000)),
      rssBeforeMB: mb(rssBefore),
      rssPeakMB: mb(peak),
    };
    runs.push(row);
    console.log(
      `change: ${name.padEnd(8)} ${nWatches.toLocaleString()} watched, ${r.changed.toLocaleString()} changed: re-check ${(r.ms / 1000).toFixed(2)} s (${row.perSecond.toLocaleString()}/s), process RSS ${row.rssBeforeMB} → peak ${row.rssPeakMB} MB (registering took ${(fillMs / 1000).toFixed(1)} s)`,
    );
  };
  // Registering in bulk (10,000 rows a statement): the benchmark is the re-check, not the fill.
  const fill = (db: Database) => async (): Promise<void> => {
    for (let k = 0; k < nWatches; k += 10_000) {
      const ws = Array.from({ length: Math.min(10_000, nWatches - k) }, (_, j) => watchOf(k + j));
      await db.query('INSERT INTO watches (id, tenant, body) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])', [
        ws.map((w) => w.id),
        ws.map((w) => w.tenant),
        ws.map((w) => JSON.stringify(w)),
      ]);
    }
  };

  const lite = await openDatabase({ url: null, dir: ':memory:', poolSize: 1, timeoutMs: 60_000 }, logger);
  try {
    await run('pglite', new SqlPlatformStore(lite, () => now), fill(lite));
  } finally {
    await lite.close();
  }

  const name = `jpki_bench_change_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  try {
    const db = await openDatabase({ url: url.toString(), dir: '', poolSize: 4, timeoutMs: 60_000 }, logger);
    try {
      await run('postgres', new SqlPlatformStore(db, () => now), fill(db));
    } finally {
      await db.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  const result = { benchmark: 'change-confirmation', machine: machine(), watches: nWatches, revoked: nRevoked, runs, at: new Date().toISOString() };
  console.log(`wrote ${writeResult('change', result)}`);
  return result;
}
