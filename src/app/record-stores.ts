// The system of record as a process uses it, built the same way by an API node and a queue
// worker: the database (migrated), the platform over it, the bulk-job store, and what bulk jobs
// need to record and audit results. One place for the order of opening and of closing.
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/open.js';
import type { BulkJobsDeps } from '../jobs/bulk-jobs.js';
import { SqlJobStore } from '../jobs/sql-store.js';
import type { Metrics } from '../ops/metrics.js';
import type { Platform } from '../platform/platform.js';
import { presenter, type Presenter } from '../platform/present.js';
import { makePlatform } from '../platform/wiring.js';

export interface RecordStores {
  readonly db: Database;
  readonly platform: Platform;
  readonly present: Presenter;
  /** Everything BulkJobs needs but where its chunks run. */
  readonly bulkDeps: Omit<BulkJobsDeps, 'runner'>;
  /** 'database unreachable' while it does not answer; empty otherwise. */
  notReady(): Promise<string[]>;
  /** Commits what is buffered (audit), then closes the database. */
  close(): Promise<void>;
}

export async function openRecordStores(config: Config, logger: Logger, metrics: Metrics, clock: () => number): Promise<RecordStores> {
  const db = await openDatabase(config.database, logger);
  const platform = await makePlatform(config, db, logger, clock);
  const present = presenter(platform);
  const store = new SqlJobStore(db, config.jobs.retentionSec * 1000, clock);
  return {
    db,
    platform,
    present,
    bulkDeps: {
      store,
      opts: { ...config.jobs, webhooks: config.webhooks },
      tenants: config.tenants,
      logger,
      present,
      audit: (t: TenantConfig, code: string, fp: string | null) => platform.audit(t, '/v1/jobs', code, fp),
      countVerdict: (code) => metrics.verdicts.inc({ kind: 'verdict', code }),
      clock,
      wallClock: () => Date.now(),
    },
    async notReady() {
      return db.ping(1000).then(
        () => [],
        () => ['database unreachable'],
      );
    },
    async close() {
      await store.close();
      await platform.close();
      await db.close();
    },
  };
}
