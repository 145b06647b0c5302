// Simulated J-LIS CRLs, written as DER straight to a file: entry sizes are computed first, so the
// headers can be written before the entries stream out, hashed as they go, and signed at the end.
// 10 million entries take seconds and never sit in memory whole.
import { createHash, type KeyObject } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import * as d from '../../core/der-writer.js';
import { EXT } from '../../core/extensions.js';
import { CRL_EXT } from '../../core/crl.js';
import { cardSignDigest, ecdsaSignDigest } from './card.js';
import { signatureAlgorithmOf } from './issue.js';
import { rng } from './people.js';

/** Reason mix of a J-LIS-like CRL: moves and name changes (異動) dominate, then renewals,
 *  suspensions of lost cards, compromise. `null` = no reasonCode extension (unspecified). */
export const REASON_MIX: readonly (readonly [number | null, number])[] = [
  [3, 0.55], // affiliationChanged
  [4, 0.2], // superseded
  [6, 0.12], // certificateHold
  [1, 0.05], // keyCompromise
  [5, 0.05], // cessationOfOperation
  [null, 0.03], // unspecified (omitted, as RFC 5280 recommends)
];

export function pickReason(r: () => number): number | null {
  let x = r();
  for (const [reason, p] of REASON_MIX) {
    if (x < p) return reason;
    x -= p;
  }
  return REASON_MIX[0][0];
}

export interface CrlEntrySpec {
  serial: Uint8Array; // INTEGER contents
  revokedAt: number;
  reason: number | null;
}

export interface CrlSpec {
  readonly issuerName: Uint8Array; // DER Name
  readonly issuerKeyId: Uint8Array;
  readonly issuerKey: KeyObject; // private: RSA (sha256WithRSAEncryption) or EC (ecdsa-with-SHA384)
  readonly thisUpdate: number;
  readonly nextUpdate: number;
  readonly crlNumber: bigint;
  /** Partition: IDP with this directoryName as its fullName. */
  readonly partitionName?: Uint8Array;
  /** Delta CRL over this base CRL number. */
  readonly deltaOf?: bigint;
  /** Entries named explicitly (test holders), written first. */
  readonly entries?: readonly CrlEntrySpec[];
  /** Bulk entries: serial i is written into `out` (length `serialLength`). */
  readonly bulk?: { count: number; serialLength: number; serial: (i: number, out: Uint8Array) => void; seed?: number };
  /** Corrupt the signature (for tests of refused CRLs). */
  readonly badSignature?: boolean;
}

const reasonExt = (reason: number): Uint8Array => d.seq(d.seq(d.oid(CRL_EXT.reasonCode), d.octets(d.enumerated(reason))));
const REASON_EXT = Array.from({ length: 11 }, (_, i) => (i === 7 ? null : reasonExt(i)));

function entryDer(serial: Uint8Array, revokedAt: number, reason: number | null): Uint8Array {
  const parts = [d.integer(serial), d.time(revokedAt)];
  if (reason !== null) parts.push(REASON_EXT[reason]!);
  return d.seq(...parts);
}

function lengthOfLength(n: number): number {
  return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;
}

function headerBytes(tag: number, len: number): Uint8Array {
  // d.tlv would copy the content; here only the header is wanted.
  const out: number[] = [tag];
  if (len < 0x80) out.push(len);
  else {
    const b: number[] = [];
    for (let v = len; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
    out.push(0x80 | b.length, ...b);
  }
  return new Uint8Array(out);
}

/** Encodes bulk entries straight into an output buffer: no allocation per entry, dates formatted
 *  from a per-day cache (10 million entries in seconds). Serials must be minimal DER contents. */
class BulkEntryEncoder {
  private readonly days = new Map<number, Uint8Array>();
  constructor(private readonly serialLength: number) {}

  private day(ms: number): Uint8Array {
    const day = Math.floor(ms / 86_400_000);
    let b = this.days.get(day);
    if (!b) {
      const t = new Date(day * 86_400_000);
      const txt = `${String(t.getUTCFullYear() % 100).padStart(2, '0')}${String(t.getUTCMonth() + 1).padStart(2, '0')}${String(t.getUTCDate()).padStart(2, '0')}`;
      b = new TextEncoder().encode(txt);
      this.days.set(day, b);
    }
    return b;
  }

  /** Returns the number of bytes written at out[o]. */
  encode(out: Uint8Array, o: number, serial: Uint8Array, ms: number, reason: number | null): number {
    const sl = this.serialLength;
    const ext = reason === null ? null : REASON_EXT[reason]!;
    const body = 2 + sl + 15 + (ext ? ext.length : 0);
    let p = o;
    out[p++] = 0x30;
    out[p++] = body; // < 128 for any serial of ≤ 20 octets
    out[p++] = 0x02;
    out[p++] = sl;
    out.set(serial, p);
    p += sl;
    out[p++] = 0x17;
    out[p++] = 13;
    out.set(this.day(ms), p);
    p += 6;
    const secs = Math.floor((ms % 86_400_000) / 1000);
    const hh = Math.floor(secs / 3600);
    const mm = Math.floor((secs % 3600) / 60);
    const ss = secs % 60;
    out[p++] = 0x30 + Math.floor(hh / 10);
    out[p++] = 0x30 + (hh % 10);
    out[p++] = 0x30 + Math.floor(mm / 10);
    out[p++] = 0x30 + (mm % 10);
    out[p++] = 0x30 + Math.floor(ss / 10);
    out[p++] = 0x30 + (ss % 10);
    out[p++] = 0x5a;
    if (ext) {
      out.set(ext, p);
      p += ext.length;
    }
    return p - o;
  }
}

/** Octets of the signature value, known before signing: the headers are written first. RSA: the
 *  modulus size. ECDSA: the DER form with r and s of exactly the curve's size (the signer draws
 *  nonces until it gets one; about one in four does). */
function signatureLength(key: KeyObject): number {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType !== 'ec') return Math.ceil((details.modulusLength ?? 2048) / 8);
  const size = { prime256v1: 32, secp384r1: 48, secp521r1: 66 }[details.namedCurve ?? ''];
  if (!size) throw new Error(`CRL signing key on an unsupported curve (${details.namedCurve})`);
  const body = 2 * (2 + size);
  return (body < 0x80 ? 2 : 3) + body;
}

/** Writes a CRL to `path`; returns its size and entry count. */
export function writeCrl(path: string, spec: CrlSpec): { bytes: number; entries: number } {
  const explicit = (spec.entries ?? []).map((e) => entryDer(e.serial, e.revokedAt, e.reason));
  const bulk = spec.bulk;
  const seed = bulk?.seed ?? 99;
  // Pass 1: sizes. Every bulk entry has the same serial length; only the reason varies.
  const serialTlv = bulk ? d.integer(new Uint8Array(bulk.serialLength)).length : 0;
  const timeTlv = d.time(spec.thisUpdate).length;
  const entryLen = (reason: number | null): number => {
    const body = serialTlv + timeTlv + (reason === null ? 0 : REASON_EXT[reason]!.length);
    return 1 + lengthOfLength(body) + body;
  };
  let entriesLen = explicit.reduce((n, e) => n + e.length, 0);
  if (bulk) {
    const r = rng(seed);
    for (let i = 0; i < bulk.count; i++) {
      entriesLen += entryLen(pickReason(r));
      r(); // the date draw of pass 2
    }
  }
  const crlExts = [
    d.extension(EXT.authorityKeyIdentifier, false, d.seq(d.implicit(0, spec.issuerKeyId))),
    d.extension(CRL_EXT.cRLNumber, false, d.integer(spec.crlNumber)),
    ...(spec.deltaOf !== undefined ? [d.extension(CRL_EXT.deltaCRLIndicator, true, d.integer(spec.deltaOf))] : []),
    ...(spec.partitionName
      ? [d.extension(CRL_EXT.issuingDistributionPoint, true, d.seq(d.explicit(0, d.implicit(0, d.explicit(4, spec.partitionName), true))))]
      : []),
  ];
  const { algorithm: sigAlg, hash: hashName } = signatureAlgorithmOf(spec.issuerKey);
  const head = d.concat([d.integer(1), sigAlg, spec.issuerName, d.time(spec.thisUpdate), d.time(spec.nextUpdate)]);
  const extsTlv = d.explicit(0, d.seq(...crlExts));
  const revokedHeader = entriesLen > 0 ? headerBytes(0x30, entriesLen) : new Uint8Array(0);
  const tbsLen = head.length + revokedHeader.length + entriesLen + extsTlv.length;
  const tbsHeader = headerBytes(0x30, tbsLen);
  const sigLen = signatureLength(spec.issuerKey);
  const sigTlvLen = 1 + lengthOfLength(sigLen + 1) + sigLen + 1; // BIT STRING: unused-bits octet, then the signature
  const outerLen = tbsHeader.length + tbsLen + sigAlg.length + sigTlvLen;

  const fd = openSync(path, 'w');
  const hash = createHash(hashName);
  let written = 0;
  const CHUNK = 1 << 20;
  const buf = new Uint8Array(CHUNK);
  let used = 0;
  const flush = (): void => {
    if (used) writeSync(fd, buf, 0, used);
    written += used;
    used = 0;
  };
  const put = (b: Uint8Array, hashed: boolean): void => {
    if (hashed) hash.update(b);
    if (used + b.length > buf.length) flush();
    if (b.length > buf.length) {
      writeSync(fd, b);
      written += b.length;
      return;
    }
    buf.set(b, used);
    used += b.length;
  };
  try {
    put(headerBytes(0x30, outerLen), false);
    put(tbsHeader, true);
    put(head, true);
    put(revokedHeader, true);
    for (const e of explicit) put(e, true);
    if (bulk) {
      // Pass 2: the same draws as pass 1, written straight into the chunk buffer.
      const r = rng(seed);
      const serial = new Uint8Array(bulk.serialLength);
      const span = Math.max(1, spec.thisUpdate - Date.UTC(2016, 0, 1));
      const enc = new BulkEntryEncoder(bulk.serialLength);
      for (let i = 0; i < bulk.count; i++) {
        const reason = pickReason(r);
        const revokedAt = spec.thisUpdate - Math.floor(r() * span);
        bulk.serial(i, serial);
        if (used + 64 > buf.length) flush();
        const n = enc.encode(buf, used, serial, revokedAt, reason);
        hash.update(buf.subarray(used, used + n));
        used += n;
      }
    }
    put(extsTlv, true);
    const digest = hash.digest();
    const sig = spec.issuerKey.asymmetricKeyType === 'ec' ? ecdsaSignDigest(spec.issuerKey, digest, sigLen) : cardSignDigest(spec.issuerKey, hashName, digest);
    if (spec.badSignature) sig[sig.length - 1] ^= 1;
    put(sigAlg, false);
    put(d.bitString(sig), false);
    flush();
  } finally {
    closeSync(fd);
  }
  return { bytes: written, entries: explicit.length + (bulk?.count ?? 0) };
}
