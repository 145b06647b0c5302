// The wire format of queue jobs. BullMQ stores job data as JSON, so byte fields travel as
// base64; a version field lets a worker refuse a job from a newer API instead of misreading it.
import type { HashName } from '../core/algorithms.js';
import { TypedError } from '../core/typed-error.js';
import type { ItemResult, VerifyItem } from '../pool/messages.js';

export const JOB_VERSION = 1;

/** One item on the wire: k = kind, t = time, c = certificate, x = challenge, s = signature,
 *  d = data, g = digest, h = hash. Short names: a 64-item job is ~130 KB either way, mostly DER. */
export interface WireItem {
  k: 'a' | 's';
  t: number;
  c: string;
  s: string;
  h: HashName;
  x?: string;
  d?: string;
  g?: string;
}

/** A synchronous micro-batch: results go back to the API node `replyTo` (reply path). */
export interface VerifyJobData {
  v: number;
  replyTo: string;
  items: WireItem[];
}

/** A chunk of an async bulk job: results go into the job's store. `index[i]` is the position of
 *  `items[i]` in the job as submitted. */
export interface BulkChunkData {
  v: number;
  bulkId: string;
  chunk: number;
  index: number[];
  items: WireItem[];
}

/** What a reply channel carries: the results of one job, or why it failed for good. */
export type ReplyMessage = { jobId: string; results: ItemResult[] } | { jobId: string; error: string };

export class JobDataError extends TypedError<'bad_version' | 'bad_item'> {
  override readonly name = 'JobDataError';
}

const b64 = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

export function encodeItem(it: VerifyItem): WireItem {
  if (it.kind === 'auth') return { k: 'a', t: it.time, c: b64(it.cert), x: b64(it.challenge), s: b64(it.signature), h: it.hash };
  const w: WireItem = { k: 's', t: it.time, c: b64(it.cert), s: b64(it.signature), h: it.hash };
  if (it.digest) w.g = b64(it.digest);
  else w.d = b64(it.data ?? new Uint8Array(0));
  return w;
}

export function decodeItem(w: WireItem): VerifyItem {
  if (typeof w !== 'object' || w === null || typeof w.c !== 'string' || typeof w.s !== 'string' || typeof w.t !== 'number') {
    throw new JobDataError('bad_item', 'job item lacks certificate, signature or time');
  }
  if (w.k === 'a') {
    if (typeof w.x !== 'string') throw new JobDataError('bad_item', 'auth item lacks its challenge');
    return { kind: 'auth', time: w.t, cert: bytes(w.c), challenge: bytes(w.x), signature: bytes(w.s), hash: w.h };
  }
  if (w.k === 's') {
    return w.g !== undefined
      ? { kind: 'signature', time: w.t, cert: bytes(w.c), digest: bytes(w.g), signature: bytes(w.s), hash: w.h }
      : { kind: 'signature', time: w.t, cert: bytes(w.c), data: bytes(w.d ?? ''), signature: bytes(w.s), hash: w.h };
  }
  throw new JobDataError('bad_item', `unknown item kind ${JSON.stringify(w.k)}`);
}

/** The items of a job, or a JobDataError that no retry can cure. */
export function jobItems(data: { v?: unknown; items?: unknown }): VerifyItem[] {
  if (data.v !== JOB_VERSION) throw new JobDataError('bad_version', `job format ${JSON.stringify(data.v)}, this worker reads ${JOB_VERSION}`);
  if (!Array.isArray(data.items)) throw new JobDataError('bad_item', 'job has no items');
  return (data.items as WireItem[]).map(decodeItem);
}
