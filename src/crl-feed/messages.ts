// Messages between the CRL feed (main thread) and the build worker (workers/revocation-build.ts).
import type { RevocationSetData } from '../core/revocation-set.js';
import type { CrlSource, SourceOutcome } from '../core/revocation-build.js';

/** One source: file paths of the candidate and last good CRL (the core's CrlSource). */
export type BuildSource = CrlSource<string>;

export interface BuildRequest {
  readonly type: 'build';
  readonly version: number;
  readonly now: number;
  readonly anchors: readonly Uint8Array[];
  readonly sources: readonly BuildSource[];
}

/** Which CRL a source contributed and why others were refused (decided in the core). */
export type { SourceOutcome };

export type BuildResponse =
  | { readonly type: 'built'; readonly data: RevocationSetData; readonly outcomes: readonly SourceOutcome[]; readonly ms: number }
  | { readonly type: 'error'; readonly message: string };
