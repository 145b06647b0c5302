// A batch of verify items packed into one ArrayBuffer that is transferred to the worker, not
// cloned: structured clone of 32 items costs a dozen ArrayBuffer copies (a pooled Buffer's view
// clones its whole 8 KiB slab), and was the largest single cost of dispatch on the main thread.
// Layout per item: kind u8, hash u8 (index in HASHES, or NO_HASH: the key's generation decides),
// field count u8, revocation plan u8 (core/revocation-plan.ts encodePlan; 0 is CRL_PLAN), time f64,
// then each field as u32 length + bytes. Fields: auth = cert, challenge, signature; signature = cert, signature,
// data | digest (a flag in the kind byte says which).
import type { HashName } from '../core/algorithms.js';
import { CRL_PLAN, decodePlan, encodePlan } from '../core/revocation-plan.js';
import type { VerifyItem } from '../verifier/messages.js';

const HASHES: readonly HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];
const NO_HASH = 0xff;
const AUTH = 0;
const SIG_DATA = 1;
const SIG_DIGEST = 2;
const HEAD = 12;

function fieldsOf(it: VerifyItem): Uint8Array[] {
  if (it.kind === 'auth') return [it.cert, it.challenge, it.signature];
  return [it.cert, it.signature, it.digest ?? it.data ?? new Uint8Array(0)];
}

/** Packs items into one buffer (to be transferred). */
export function packItems(items: readonly VerifyItem[]): ArrayBuffer {
  let size = 4;
  for (const it of items) {
    size += HEAD;
    for (const f of fieldsOf(it)) size += 4 + f.byteLength;
  }
  const buf = new ArrayBuffer(size);
  const dv = new DataView(buf);
  const bytes = new Uint8Array(buf);
  dv.setUint32(0, items.length, true);
  let o = 4;
  for (const it of items) {
    const fields = fieldsOf(it);
    dv.setUint8(o, it.kind === 'auth' ? AUTH : it.digest ? SIG_DIGEST : SIG_DATA);
    const hash = it.hash === undefined ? NO_HASH : HASHES.indexOf(it.hash);
    if (hash < 0) throw new TypeError(`no packed code for hash ${String(it.hash)}`);
    dv.setUint8(o + 1, hash);
    dv.setUint8(o + 2, fields.length);
    dv.setUint8(o + 3, encodePlan(it.revocation ?? CRL_PLAN));
    dv.setFloat64(o + 4, it.time, true);
    o += HEAD;
    for (const f of fields) {
      dv.setUint32(o, f.byteLength, true);
      bytes.set(f, o + 4);
      o += 4 + f.byteLength;
    }
  }
  return buf;
}

/** Checks a packed buffer from elsewhere (a queue job) end to end and returns its item count;
 *  null if it is not exactly a sequence of well-formed items. */
export function countPacked(buf: ArrayBuffer): number | null {
  if (buf.byteLength < 4) return null;
  const dv = new DataView(buf);
  const n = dv.getUint32(0, true);
  let o = 4;
  for (let i = 0; i < n; i++) {
    if (o + HEAD > buf.byteLength) return null;
    const kind = dv.getUint8(o);
    const hash = dv.getUint8(o + 1);
    if (kind > SIG_DIGEST || (hash >= HASHES.length && hash !== NO_HASH) || dv.getUint8(o + 2) !== 3 || !decodePlan(dv.getUint8(o + 3))) return null;
    if (!Number.isFinite(dv.getFloat64(o + 4, true))) return null;
    o += HEAD;
    for (let k = 0; k < 3; k++) {
      if (o + 4 > buf.byteLength) return null;
      o += 4 + dv.getUint32(o, true);
      if (o > buf.byteLength) return null;
    }
  }
  return o === buf.byteLength ? n : null;
}

/** The items of a packed buffer; byte fields are views into it (no copies). */
export function unpackItems(buf: ArrayBuffer): VerifyItem[] {
  const dv = new DataView(buf);
  const n = dv.getUint32(0, true);
  const items: VerifyItem[] = new Array(n);
  let o = 4;
  for (let i = 0; i < n; i++) {
    const kind = dv.getUint8(o);
    const h = dv.getUint8(o + 1);
    const hash = h === NO_HASH ? undefined : HASHES[h];
    const count = dv.getUint8(o + 2);
    const revocation = decodePlan(dv.getUint8(o + 3)) ?? CRL_PLAN;
    const time = dv.getFloat64(o + 4, true);
    o += HEAD;
    const f: Uint8Array[] = [];
    for (let k = 0; k < count; k++) {
      const len = dv.getUint32(o, true);
      f.push(new Uint8Array(buf, o + 4, len));
      o += 4 + len;
    }
    if (kind === AUTH) items[i] = { kind: 'auth', time, hash, cert: f[0], challenge: f[1], signature: f[2], revocation };
    else if (kind === SIG_DIGEST) items[i] = { kind: 'signature', time, hash, cert: f[0], signature: f[1], digest: f[2], revocation };
    else items[i] = { kind: 'signature', time, hash, cert: f[0], signature: f[1], data: f[2], revocation };
  }
  return items;
}
