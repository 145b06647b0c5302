// The wire format of queue jobs. BullMQ stores job data as JSON, so the packed items travel as
// base64; a version field lets a worker refuse a job from a newer API instead of misreading it.
import { TypedError } from '../core/typed-error.js';
import type { ItemResult, VerifyItem } from '../verifier/messages.js';
import { countPacked, packItems, unpackItems } from '../pool/task-codec.js';

/** 3: an item's hash may be absent (the key's generation decides: ECDSA P-384 cards). 4: each item
 *  carries its revocation plan (task-codec.ts). A v2 or v3 job is a v4 job whose plans are all 0,
 *  CRL_PLAN (the CRL decides, fail closed), so workers read them while an older API drains. */
export const JOB_VERSION = 4;
const READABLE_VERSIONS: readonly unknown[] = [2, 3, 4];

/** The items of a job: packed as for the pool (pool/task-codec.ts), base64 in the JSON BullMQ
 *  stores. One string instead of three per item, and a worker hands the decoded buffer to its pool
 *  as one task. `n` is the item count (the dead-letter record keeps the count, not the items). */
export interface JobItems {
  v: number;
  n: number;
  p: string;
}

/** A synchronous micro-batch: results go back to the API node `replyTo` (reply path). `rf`: the
 *  reply format that node reads, RESULT_FORMAT (result-codec.ts); absent, a node from before packed
 *  replies that reads JSON only, so a worker answers each API node of a rolling upgrade in kind. */
export interface VerifyJobData extends JobItems {
  replyTo: string;
  rf?: number;
}

/** A chunk of an async bulk job: results go into the job's store. `index[i]` is the position of
 *  item i in the job as submitted. */
export interface BulkChunkData extends JobItems {
  bulkId: string;
  chunk: number;
  index: number[];
}

/** What a reply channel carries: the results of one job, or why it failed for good. */
export type ReplyMessage = { jobId: string; results: ItemResult[] } | { jobId: string; error: string };

export class JobDataError extends TypedError<'bad_version' | 'bad_item'> {
  override readonly name = 'JobDataError';
}

/** The versioned, packed form of `items` for a job. */
export function jobItemsOf(items: readonly VerifyItem[]): JobItems {
  return { v: JOB_VERSION, n: items.length, p: Buffer.from(packItems(items)).toString('base64') };
}

/** A job's items as a packed buffer the pool takes as is, checked end to end; a JobDataError
 *  (that no retry can cure) otherwise. */
export function jobPacked(data: { v?: unknown; n?: unknown; p?: unknown }): { packed: ArrayBuffer; count: number } {
  if (!READABLE_VERSIONS.includes(data.v))
    throw new JobDataError('bad_version', `job format ${JSON.stringify(data.v)}, this worker reads ${READABLE_VERSIONS.join(' and ')}`);
  if (typeof data.p !== 'string') throw new JobDataError('bad_item', 'job has no items');
  const b = Buffer.from(data.p, 'base64');
  // Transferred to a pool thread: a small Buffer may be a view of a shared slab, so it is copied.
  const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
  const packed = own ? (b.buffer as ArrayBuffer) : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  const count = countPacked(packed);
  if (count === null || count !== data.n) throw new JobDataError('bad_item', 'job items are malformed');
  return { packed, count };
}

/** A job's items as VerifyItems. */
export function jobItems(data: { v?: unknown; n?: unknown; p?: unknown }): VerifyItem[] {
  return unpackItems(jobPacked(data).packed);
}
