// When revocation data counts as current. Two rules, both against a time passed in:
//  - stale: past the CRL's nextUpdate by more than a grace (lookups answer 'stale', the feed
//    reports not fresh);
//  - not yet valid: a CRL whose thisUpdate lies further ahead of `now` than the clock skew allowed.

/** Grace after nextUpdate before data counts as stale. J-LIS replaces its CRLs over minutes, not
 *  at the instant nextUpdate names; one hour covers that with room. The default of the
 *  `crl.graceSec` setting (config.ts), which overrides it. */
export const DEFAULT_STALE_GRACE_MS = 3_600_000;

/** Clock skew allowed between this host and a CRL issuer: a CRL dated up to this far in the
 *  future is accepted. 5 minutes, the leeway OpenSSL applies to OCSP thisUpdate/nextUpdate by
 *  default (apps/ocsp.c MAX_VALIDITY_PERIOD, `-validity_period`); the same figure Kerberos
 *  (RFC 4120 §1.6) assumes for host clocks. */
export const CRL_CLOCK_SKEW_MS = 300_000;

/** Stale: a nextUpdate is given and `time` is past it by more than `graceMs`. Exactly at
 *  nextUpdate + grace the data is still current. */
export function isStale(nextUpdate: number | null, time: number, graceMs: number): boolean {
  return nextUpdate !== null && time > nextUpdate + graceMs;
}

/** The latest thisUpdate a CRL loaded at `now` may carry (LoadOptions.notAfter). */
export function latestThisUpdate(now: number, skewMs: number = CRL_CLOCK_SKEW_MS): number {
  return now + skewMs;
}
