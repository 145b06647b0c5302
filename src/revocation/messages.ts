// Messages between the CRL feed (main thread) and the build worker (workers/revocation-build.ts).
import type { CrlMeta, RevocationSetData } from '../core/revocation-set.js';
import type { CrlRejection } from '../core/crl-rejections.js';

export interface BuildSource {
  readonly id: string;
  /** A newly fetched CRL to try first. */
  readonly candidate?: string;
  /** The last CRL accepted from this source, used when the candidate is refused or absent. */
  readonly lastGood?: string;
  /** What the last accepted CRL said: the candidate may not go back in time or number. */
  readonly previous?: Pick<CrlMeta, 'thisUpdate' | 'crlNumber'> | null;
}

export interface BuildRequest {
  readonly type: 'build';
  readonly version: number;
  readonly now: number;
  readonly anchors: readonly Uint8Array[];
  readonly sources: readonly BuildSource[];
}

export interface SourceOutcome {
  readonly id: string;
  readonly used: 'candidate' | 'lastGood' | 'none';
  /** Why the candidate (or, with used 'none', the last good file too) was refused. */
  readonly rejection?: CrlRejection | 'unreadable';
  readonly detail?: string;
  readonly meta?: { thisUpdate: number; nextUpdate: number | null; crlNumber: string | null; entries: number };
}

export type BuildResponse =
  | { readonly type: 'built'; readonly data: RevocationSetData; readonly outcomes: readonly SourceOutcome[]; readonly ms: number }
  | { readonly type: 'error'; readonly message: string };
