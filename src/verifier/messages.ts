// Messages between the verifier pool (main thread) and workers/verify.ts.
import type { HashName } from '../core/algorithms.js';
import type { BasicFourInfo } from '../core/jpki.js';
import type { RevocationSetData } from '../core/revocation-set.js';
import type { RevocationPolicy, Verdict } from '../core/verdict.js';
import type { CertificateFacts } from '../core/verify.js';

/** `hash`: the digest algorithm the request named; absent, the key's generation decides (SHA-256
 *  for RSA, SHA-384 for ECDSA P-384). */
export type VerifyItem =
  | { kind: 'auth'; time: number; cert: Uint8Array; challenge: Uint8Array; signature: Uint8Array; hash?: HashName }
  | { kind: 'signature'; time: number; cert: Uint8Array; data?: Uint8Array; digest?: Uint8Array; signature: Uint8Array; hash?: HashName };

export interface ItemResult {
  verdict: Verdict;
  certificate: CertificateFacts | null;
  basicInfo?: BasicFourInfo | null;
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
  cacheHits: number;
  cacheMisses: number;
}

/** workerData of every pool thread. */
export interface WorkerSetup {
  trust: Uint8Array[];
  allowTestHierarchy: boolean;
  acceptEcdsa: boolean;
  revocationPolicy: RevocationPolicy;
  graceMs: number;
  pathCacheSize: number;
  /** Source mode only: the TypeScript module the bootstrap loads. */
  module?: string;
}
