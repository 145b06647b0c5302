// Minimal DER writer: builds certificates and CRLs for the simulated J-LIS and for tests that need
// hand-made (including deliberately broken) structures. Values are Uint8Arrays joined once.
import { Tag } from './der.js';

export type Der = Uint8Array;

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export function concat(parts: readonly Der[]): Der {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function tlv(tag: number, ...content: Der[]): Der {
  const body = content.length === 1 ? content[0] : concat(content);
  const head = [tag, ...lengthBytes(body.length)];
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

export const seq = (...c: Der[]): Der => tlv(Tag.SEQUENCE, ...c);
export const set = (...c: Der[]): Der => tlv(Tag.SET, ...c);
export const explicit = (n: number, ...c: Der[]): Der => tlv(0xa0 | n, ...c);
export const implicit = (n: number, value: Der, constructed = false): Der => tlv((constructed ? 0xa0 : 0x80) | n, value);
export const octets = (b: Der): Der => tlv(Tag.OCTET_STRING, b);
export const nullValue = (): Der => new Uint8Array([0x05, 0x00]);
export const bool = (v: boolean): Der => new Uint8Array([0x01, 0x01, v ? 0xff : 0x00]);
export const utf8 = (s: string): Der => tlv(Tag.UTF8String, new TextEncoder().encode(s));
export const printable = (s: string): Der => tlv(Tag.PrintableString, new TextEncoder().encode(s));
export const ia5 = (s: string): Der => tlv(Tag.IA5String, new TextEncoder().encode(s));
export const bitString = (b: Der, unused = 0): Der => tlv(Tag.BIT_STRING, new Uint8Array([unused]), b);

/** INTEGER from a non-negative bigint/number, or from raw two's-complement contents. */
export function integer(v: bigint | number | Der): Der {
  if (v instanceof Uint8Array) return tlv(Tag.INTEGER, v);
  let n = BigInt(v);
  if (n < 0n) throw new RangeError('negative INTEGER: pass raw contents');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(Tag.INTEGER, new Uint8Array(bytes));
}

export function enumerated(v: number): Der {
  return tlv(Tag.ENUMERATED, new Uint8Array([v]));
}

export function oid(dotted: string): Der {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [];
  const push = (v: number): void => {
    const tmp = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) tmp.unshift(0x80 | (v & 0x7f));
    bytes.push(...tmp);
  };
  push(arcs[0] * 40 + arcs[1]);
  for (const a of arcs.slice(2)) push(a);
  return tlv(Tag.OID, new Uint8Array(bytes));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function timeText(ms: number, fourDigitYear: boolean): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  return `${fourDigitYear ? pad(y, 4) : pad(y % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(ms: number): Der {
  const y = new Date(ms).getUTCFullYear();
  if (y >= 1950 && y < 2050) return tlv(Tag.UTCTime, new TextEncoder().encode(timeText(ms, false)));
  return tlv(Tag.GeneralizedTime, new TextEncoder().encode(timeText(ms, true)));
}

/** A Name from [type OID, value, string tag?] triples, most significant first, one per RDN. */
export function name(rdns: readonly (readonly [string, string, ('utf8' | 'printable')?])[]): Der {
  return seq(...rdns.map(([type, value, kind]) => set(seq(oid(type), kind === 'printable' ? printable(value) : utf8(value)))));
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue } */
export function extension(id: string, critical: boolean, value: Der): Der {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

/** KeyUsage / ReasonFlags style named BIT STRING from bit numbers, minimal DER form. */
export function namedBits(bits: readonly number[]): Der {
  if (bits.length === 0) return bitString(new Uint8Array(0));
  const max = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[b >> 3] |= 0x80 >> (b & 7);
  const unused = 7 - (max & 7);
  return bitString(bytes, unused);
}
