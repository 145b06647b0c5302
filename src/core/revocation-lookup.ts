// The status of one serial in a revocation set, and the hot-path checker built on it.
import type { Certificate } from './certificate.js';
import { REASONS } from './crl.js';
import { distributionPointNames } from './distribution-point.js';
import type { RevocationChecker } from './path.js';
import { DEFAULT_STALE_GRACE_MS, isStale } from './revocation-freshness.js';
import { keyIdOf, type CrlMeta, type RevocationSet } from './revocation-set.js';
import type { CrlSource, RevocationStatus, RevocationReason } from './verdict.js';

export function reasonName(code: number): RevocationReason {
  return (REASONS[code] ?? 'unspecified') as RevocationReason;
}

/** What a CRL lookup answers: a status and the CRL it rests on. */
export type CrlStatus = Omit<RevocationStatus, 'source'> & { readonly source?: CrlSource };

export function sourceOf(m: CrlMeta): CrlSource {
  return { kind: 'crl', issuer: m.issuer, crlNumber: m.crlNumber, thisUpdate: m.thisUpdate, nextUpdate: m.nextUpdate };
}

/** Partition names (dirName distribution points) a certificate says its status is published in. */
export function partitionsOf(cert: Certificate): string[] {
  const out: string[] = [];
  for (const dp of cert.extensions.crlDistributionPoints ?? []) {
    for (const n of distributionPointNames(dp, cert.issuer) ?? []) if (n.kind === 'dir') out.push(n.name.key);
  }
  return out;
}

export interface IndexCheckerOptions {
  /** Past nextUpdate by more than this, data is stale (DEFAULT_STALE_GRACE_MS, 1 h). */
  readonly graceMs?: number;
}

/**
 * The hot-path checker: the certificate's issuer key picks the index, its distribution point
 * picks the partition CRL that must cover it (or a full CRL does), the serial is looked up.
 * `current` is read once per check, so a concurrent swap never mixes two sets.
 */
export class IndexRevocationChecker implements RevocationChecker {
  private readonly graceMs: number;

  constructor(
    private readonly current: () => RevocationSet,
    opts: IndexCheckerOptions = {},
  ) {
    this.graceMs = opts.graceMs ?? DEFAULT_STALE_GRACE_MS;
  }

  check(cert: Certificate, issuer: Certificate, time: number): CrlStatus {
    return lookupStatus(this.current(), keyIdOf(issuer), partitionsOf(cert), cert.serial, time, this.graceMs);
  }

  /** The set answering now: a swap changes it, so cached paths are re-checked (core/verify.ts). */
  get dataVersion(): string {
    return this.current().identity;
  }
}

/**
 * The status of one serial in a set: the issuer key picks the index, the certificate's partitions
 * pick the CRL that must cover it (or a full CRL does). Also used without the certificate at hand,
 * from the few facts change confirmation keeps per registered certificate.
 */
export function lookupStatus(
  set: RevocationSet,
  issuerKeyId: string,
  partitions: readonly string[],
  serial: Uint8Array,
  time: number,
  graceMs: number,
): CrlStatus {
  const iss = set.issuer(issuerKeyId);
  if (!iss) return { status: 'unknown' };
  let base: CrlMeta | undefined;
  for (const c of iss.crls) {
    if (c.deltaOf !== null) continue;
    if (c.partition === null || partitions.includes(c.partition)) {
      if (!base || c.thisUpdate > base.thisUpdate) base = c;
    }
  }
  if (!base) return { status: 'unknown' };
  // The newest delta over this base, if any, is the data actually used.
  let used = base;
  for (const c of iss.crls) if (c.deltaOf !== null && c.thisUpdate > used.thisUpdate && c.partition === base.partition) used = c;
  const i = iss.index.find(serial);
  if (i >= 0) {
    const m = iss.crls[iss.index.crlRefAt(i)] ?? used;
    return { status: 'revoked', reason: reasonName(iss.index.reasonAt(i)), revokedAt: iss.index.revokedAtMs(i), source: sourceOf(m) };
  }
  if (isStale(used.nextUpdate, time, graceMs)) return { status: 'stale', source: sourceOf(used) };
  return { status: 'good', source: sourceOf(used) };
}
