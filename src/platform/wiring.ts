// Builds the platform for a process, and, where the process holds a CRL feed, runs change
// confirmation after every refresh (and once at start, for the set already loaded).
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { RevocationSet } from '../core/revocation-set.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { installationSecret } from '../db/open.js';
import type { CrlFeed } from '../crl-feed/feed.js';
import { Platform } from './platform.js';
import { SqlPlatformStore } from './sql-store.js';

export async function makePlatform(config: Config, db: Database, logger: Logger, clock: () => number): Promise<Platform> {
  const p = config.platform;
  return new Platform(
    new SqlPlatformStore(db, clock),
    config.tenants,
    {
      auditRetentionMs: p.auditRetentionSec * 1000,
      auditMaxPerTenant: p.auditMaxPerTenant,
      auditFlushMs: p.auditFlushMs,
      auditBatch: p.auditBatch,
      handleKey: await installationSecret(db, 'certificate_handle_key'),
      webhook: { attempts: config.jobs.webhookAttempts, timeoutMs: config.jobs.webhookTimeoutMs, policy: config.webhooks, wallClock: () => Date.now() },
    },
    logger,
    clock,
  );
}

/** What makes two processes' sets the same data: every CRL's issuer, partition, number and date. */
export function setIdentity(set: RevocationSet): string {
  const h = createHash('sha256');
  for (const iss of [...set.issuers()].sort((a, b) => a.keyId.localeCompare(b.keyId))) {
    for (const c of [...iss.crls].sort((a, b) => (a.partition ?? '').localeCompare(b.partition ?? '') || a.thisUpdate - b.thisUpdate)) {
      h.update(`${iss.keyId}|${c.partition ?? ''}|${c.crlNumber ?? ''}|${c.thisUpdate}|${c.deltaOf ?? ''}\n`);
    }
  }
  return h.digest('hex').slice(0, 32);
}

/** Re-checks watched certificates on every new set; one run at a time, the newest set wins. */
export function watchFeed(
  feed: CrlFeed,
  platform: Platform,
  graceMs: number,
  logger: Logger,
  onDone?: (r: { checked: number; changed: number; ms: number }) => void,
): void {
  let running: Promise<void> | null = null;
  let pending: RevocationSet | null = null;
  const run = (set: RevocationSet): void => {
    if (running) {
      pending = set;
      return;
    }
    running = platform
      .recheck(set, setIdentity(set), graceMs)
      .then((r) => {
        if (r) onDone?.(r);
      })
      .catch((err: Error) => logger.error({ reason: err.message }, 'change confirmation re-check failed'))
      .finally(() => {
        running = null;
        const next = pending;
        pending = null;
        if (next) run(next);
      });
  };
  feed.on('swap', run);
  if (feed.set.version > 0) run(feed.set);
}
