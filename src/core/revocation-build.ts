// Load policy for a refresh: per source, the newly fetched candidate CRL or the last good one,
// then one set from what was chosen. The shell reads the files; everything decided here takes
// `now` as a parameter.
import type { LoadOptions, LoadResult, LoadedCrl } from './crl-load.js';
import type { CrlRejection } from './crl-rejections.js';
import { assembleSet } from './revocation-assembly.js';
import { CRL_CLOCK_SKEW_MS, latestThisUpdate } from './revocation-freshness.js';
import type { CrlMeta, RevocationSet } from './revocation-set.js';

/** One CRL source as a refresh sees it. F names a file the way the shell does (a path). */
export interface CrlSource<F> {
  readonly id: string;
  /** A newly fetched CRL to try first. */
  readonly candidate?: F;
  /** The last CRL accepted from this source, used when the candidate is refused or absent. */
  readonly lastGood?: F;
  /** What the last accepted CRL said: the candidate may not go back in time or number. */
  readonly previous?: Pick<CrlMeta, 'thisUpdate' | 'crlNumber'> | null;
}

/** A file the shell could not read (it has the error code and message). */
export interface Unreadable {
  readonly ok: false;
  readonly rejection: 'unreadable';
  readonly detail: string;
}

/** Reads one file and loads it with loadCrl and the options given; read failures come back as
 *  Unreadable, never thrown. The only I/O in a refresh, supplied by the shell. */
export type CrlLoader<F> = (sourceId: string, file: F, opts: LoadOptions) => LoadResult | Unreadable;

export interface SourceOutcome {
  readonly id: string;
  readonly used: 'candidate' | 'lastGood' | 'none';
  /** Why the candidate (or, with used 'none', the last good file too) was refused. */
  readonly rejection?: CrlRejection | 'unreadable';
  readonly detail?: string;
  readonly meta?: { thisUpdate: number; nextUpdate: number | null; crlNumber: string | null; entries: number };
}

export interface RefreshPolicy {
  /** Clock skew allowed for a CRL's thisUpdate ahead of `now`; CRL_CLOCK_SKEW_MS (5 min) default. */
  readonly skewMs?: number;
}

/**
 * Which CRL a source contributes. The candidate first, refused if it goes back against
 * `previous` or is dated beyond now + skew; then the last good file, which was accepted before
 * and so gets no rollback check against itself (but the same skew bound). The rejection reported
 * is the candidate's, else the last good file's.
 */
export function chooseCrl<F>(
  source: CrlSource<F>,
  load: CrlLoader<F>,
  now: number,
  policy: RefreshPolicy = {},
): { crl: LoadedCrl | null; outcome: SourceOutcome } {
  const notAfter = latestThisUpdate(now, policy.skewMs ?? CRL_CLOCK_SKEW_MS);
  let rejection: SourceOutcome['rejection'];
  let detail: string | undefined;
  let used: SourceOutcome['used'] = 'none';
  let crl: LoadedCrl | null = null;
  if (source.candidate) {
    const r = load(source.id, source.candidate, { previous: source.previous, notAfter });
    if (r.ok) {
      crl = r.crl;
      used = 'candidate';
    } else {
      rejection = r.rejection;
      detail = r.detail;
    }
  }
  if (!crl && source.lastGood) {
    const r = load(source.id, source.lastGood, { previous: null, notAfter });
    if (r.ok) {
      crl = r.crl;
      used = 'lastGood';
    } else if (!rejection) {
      rejection = r.rejection;
      detail = r.detail;
    }
  }
  const meta = crl
    ? { thisUpdate: crl.info.thisUpdate, nextUpdate: crl.info.nextUpdate, crlNumber: crl.info.crlNumber, entries: crl.info.entryCount }
    : undefined;
  return { crl, outcome: { id: source.id, used, rejection, detail, meta } };
}

/** A refresh: one CRL chosen per source, one set assembled (stamped `now`); a delta whose base
 *  is not in the set is dropped and its source reported as using nothing. */
export function buildRevocation<F>(
  sources: readonly CrlSource<F>[],
  load: CrlLoader<F>,
  version: number,
  now: number,
  policy: RefreshPolicy = {},
): { set: RevocationSet; outcomes: SourceOutcome[] } {
  const loaded: LoadedCrl[] = [];
  const outcomes: SourceOutcome[] = [];
  for (const s of sources) {
    const { crl, outcome } = chooseCrl(s, load, now, policy);
    if (crl) loaded.push(crl);
    outcomes.push(outcome);
  }
  const { set, dropped } = assembleSet(loaded, version, now);
  for (const d of dropped) {
    const i = outcomes.findIndex((o) => o.id === d.sourceId);
    if (i >= 0) outcomes[i] = { ...outcomes[i], used: 'none', rejection: d.rejection, detail: 'delta CRL without a matching base CRL' };
  }
  return { set, outcomes };
}
