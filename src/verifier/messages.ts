// Messages between the verifier pool (main thread) and workers/verify.ts.
import type { HashName } from '../core/algorithms.js';
import type { BasicFourInfo } from '../core/jpki.js';
import type { RevocationSetData } from '../core/revocation-set.js';
import type { OcspPending, RevocationPlan } from '../core/revocation-plan.js';
import type { Verdict } from '../core/verdict.js';
import type { CertificateFacts } from '../core/verify.js';

/** One verification. `hash`: the digest algorithm the request named; absent, the key's generation
 *  decides (SHA-256 for RSA, SHA-384 for ECDSA P-384). `revocation`: which source decides
 *  (resolved per tenant and route by verifier/revocation-policy.ts); absent: CRL_PLAN. */
export type VerifyItem =
  | { kind: 'auth'; time: number; cert: Uint8Array; challenge: Uint8Array; signature: Uint8Array; hash?: HashName; revocation?: RevocationPlan }
  | {
      kind: 'signature';
      time: number;
      cert: Uint8Array;
      data?: Uint8Array;
      digest?: Uint8Array;
      signature: Uint8Array;
      hash?: HashName;
      revocation?: RevocationPlan;
    };

export interface ItemResult {
  verdict: Verdict;
  certificate: CertificateFacts | null;
  basicInfo?: BasicFourInfo | null;
  /** From a pool worker only: OCSP must decide; the verifier settles it before anyone sees it. */
  pending?: OcspPending;
}

export interface VerifyTask {
  /** The revocation data every item of this task is checked against (shared buffers). */
  revocation: RevocationSetData | null;
  /** The items, packed by task-codec.ts and transferred (not cloned). */
  packed: ArrayBuffer;
}

export interface TaskResult {
  results: ItemResult[];
  workerMs: number;
  lookups: CacheLookups;
}

/** A task's cache lookups: the thread's own path cache, then the table every thread shares. */
export interface CacheLookups {
  pathHits: number;
  pathMisses: number;
  verifiedHits: number;
  verifiedMisses: number;
}

/** workerData of every pool thread. */
export interface WorkerSetup {
  trust: Uint8Array[];
  allowTestHierarchy: boolean;
  acceptEcdsa: boolean;
  graceMs: number;
  pathCacheSize: number;
  /** The verified-certificate table every thread shares (core/verified-table.ts), or null. */
  verified: SharedArrayBuffer | null;
  /** Source mode only: the TypeScript module the bootstrap loads. */
  module?: string;
}
