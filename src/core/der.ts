// Zero-copy, bounded DER reader. Every element is a view into the input; nothing is copied.
// Malformed input always surfaces as a DerError with a code from DerErrorCode, never as a
// RangeError or a silent misread, because certificates and CRLs arrive from untrusted callers.

export type DerErrorCode =
  | 'truncated' // a length runs past the end of the enclosing element or the input
  | 'bad_length' // a length form DER forbids (e.g. 0xff) or too large to handle
  | 'overlong_length' // long form used where short form fits, or leading zero length octets
  | 'indefinite_length' // 0x80: BER only
  | 'trailing_bytes' // bytes after the element that should have ended the input
  | 'too_deep' // nesting beyond MAX_DEPTH
  | 'wrong_tag' // a different element than the schema requires
  | 'unsupported_tag' // high-tag-number form: never used by X.509, refused rather than guessed
  | 'bad_value'; // the contents violate DER for the type (e.g. non-minimal INTEGER, bad BOOLEAN)

export class DerError extends Error {
  override readonly name = 'DerError';
  constructor(
    readonly code: DerErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(`${code} at offset ${offset}: ${message}`);
  }
}

/** Universal and context tags used by X.509 / CRLs, as the full identifier octet. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  TeletexString: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag byte: [n] primitive or constructed. */
export const ctx = (n: number, constructed: boolean): number => (constructed ? 0xa0 : 0x80) | n;

/** Nesting limit: X.509 needs about 10; 32 leaves room and stops stack-exhaustion inputs. */
export const MAX_DEPTH = 32;

/** One TLV: `start` is the tag octet, [valueStart, end) the contents. */
export interface Element {
  readonly tag: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

/**
 * A cursor over the contents of one constructed element (or a whole input).
 * Readers for children share the same buffer; `depth` bounds recursion.
 */
export class DerReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    readonly depth = 0,
  ) {
    if (depth > MAX_DEPTH) throw new DerError('too_deep', `nesting deeper than ${MAX_DEPTH}`, start);
    this.pos = start;
  }

  /** Reader over a whole buffer that must hold exactly one element. */
  static single(buf: Uint8Array): { reader: DerReader; element: Element } {
    const r = new DerReader(buf);
    const element = r.next();
    r.done();
    return { reader: r, element };
  }

  hasMore(): boolean {
    return this.pos < this.end;
  }

  /** Tag of the next element without consuming it, or -1 at the end. */
  peekTag(): number {
    return this.pos < this.end ? this.buf[this.pos] : -1;
  }

  /** Reads the next TLV header and skips over its contents. */
  next(): Element {
    const buf = this.buf;
    const start = this.pos;
    if (start >= this.end) throw new DerError('truncated', 'expected an element', start);
    const tag = buf[start];
    if ((tag & 0x1f) === 0x1f) throw new DerError('unsupported_tag', 'high-tag-number form', start);
    let p = start + 1;
    if (p >= this.end) throw new DerError('truncated', 'missing length', p);
    const first = buf[p++];
    let len: number;
    if (first < 0x80) {
      len = first;
    } else if (first === 0x80) {
      throw new DerError('indefinite_length', 'indefinite length is BER, not DER', p - 1);
    } else {
      const n = first & 0x7f;
      // 4 octets address 4 GiB, more than any input this reader is given.
      if (n > 4) throw new DerError('bad_length', `${n}-octet length`, p - 1);
      if (p + n > this.end) throw new DerError('truncated', 'length octets cut off', p);
      if (buf[p] === 0) throw new DerError('overlong_length', 'leading zero in length', p);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
      if (len < 0x80) throw new DerError('overlong_length', 'long form for a short length', p - n - 1);
    }
    const end = p + len;
    if (end > this.end) throw new DerError('truncated', `length ${len} runs past the end`, start);
    this.pos = end;
    return { tag, start, valueStart: p, end };
  }

  /** Reads the next element, requiring `tag`. */
  expect(tag: number, what: string): Element {
    const at = this.pos;
    const e = this.next();
    if (e.tag !== tag) {
      throw new DerError('wrong_tag', `${what}: expected tag 0x${hex2(tag)}, got 0x${hex2(e.tag)}`, at);
    }
    return e;
  }

  /** Reads the next element if it has `tag`, else returns null without consuming. */
  optional(tag: number): Element | null {
    return this.peekTag() === tag ? this.next() : null;
  }

  /** A reader over the contents of a constructed element read from this reader. */
  enter(e: Element): DerReader {
    if ((e.tag & 0x20) === 0) throw new DerError('wrong_tag', 'primitive element has no children', e.start);
    return new DerReader(this.buf, e.valueStart, e.end, this.depth + 1);
  }

  /** Reads a SEQUENCE (or another constructed tag) and returns a reader over its contents. */
  sequence(what: string, tag: number = Tag.SEQUENCE): DerReader {
    return this.enter(this.expect(tag, what));
  }

  /** Requires that nothing is left. */
  done(): void {
    if (this.pos !== this.end) throw new DerError('trailing_bytes', `${this.end - this.pos} unexpected bytes`, this.pos);
  }

  value(e: Element): Uint8Array {
    return this.buf.subarray(e.valueStart, e.end);
  }

  raw(e: Element): Uint8Array {
    return this.buf.subarray(e.start, e.end);
  }

  // ---- typed primitives ----

  /** INTEGER contents (two's complement, minimal), validated. */
  integerBytes(what: string, tag: number = Tag.INTEGER): Uint8Array {
    const e = this.expect(tag, what);
    return checkInteger(this.buf, e, what);
  }

  /** Small non-negative INTEGER as a number (versions, path lengths, skip certs). */
  smallInt(what: string, tag: number = Tag.INTEGER): number {
    const v = this.integerBytes(what, tag);
    if (v[0] & 0x80) throw new DerError('bad_value', `${what}: negative`, this.pos);
    if (v.length > 4) throw new DerError('bad_value', `${what}: too large`, this.pos);
    let n = 0;
    for (const b of v) n = n * 256 + b;
    return n;
  }

  boolean(what: string): boolean {
    const e = this.expect(Tag.BOOLEAN, what);
    if (e.end - e.valueStart !== 1) throw new DerError('bad_value', `${what}: BOOLEAN length`, e.start);
    const b = this.buf[e.valueStart];
    if (b === 0xff) return true;
    if (b === 0x00) return false;
    throw new DerError('bad_value', `${what}: BOOLEAN must be 0x00 or 0xff`, e.start);
  }

  null(what: string): void {
    const e = this.expect(Tag.NULL, what);
    if (e.end !== e.valueStart) throw new DerError('bad_value', `${what}: NULL with contents`, e.start);
  }

  /** OBJECT IDENTIFIER as dotted text. */
  oid(what: string): string {
    const e = this.expect(Tag.OID, what);
    return decodeOid(this.buf, e.valueStart, e.end);
  }

  /** BIT STRING contents with the unused-bits count. */
  bitString(what: string, tag: number = Tag.BIT_STRING): { unused: number; bytes: Uint8Array } {
    const e = this.expect(tag, what);
    return checkBitString(this.buf, e, what);
  }

  octetString(what: string, tag: number = Tag.OCTET_STRING): Uint8Array {
    return this.value(this.expect(tag, what));
  }
}

export function checkInteger(buf: Uint8Array, e: Element, what: string): Uint8Array {
  const len = e.end - e.valueStart;
  if (len === 0) throw new DerError('bad_value', `${what}: empty INTEGER`, e.start);
  if (len > 1) {
    const a = buf[e.valueStart];
    const b = buf[e.valueStart + 1];
    if ((a === 0x00 && (b & 0x80) === 0) || (a === 0xff && (b & 0x80) !== 0)) {
      throw new DerError('bad_value', `${what}: non-minimal INTEGER`, e.start);
    }
  }
  return buf.subarray(e.valueStart, e.end);
}

export function checkBitString(buf: Uint8Array, e: Element, what: string): { unused: number; bytes: Uint8Array } {
  const len = e.end - e.valueStart;
  if (len < 1) throw new DerError('bad_value', `${what}: empty BIT STRING`, e.start);
  const unused = buf[e.valueStart];
  if (unused > 7 || (len === 1 && unused !== 0)) throw new DerError('bad_value', `${what}: bad unused-bits count`, e.start);
  const bytes = buf.subarray(e.valueStart + 1, e.end);
  // DER: the unused bits must be zero.
  if (unused && bytes[bytes.length - 1] & ((1 << unused) - 1)) {
    throw new DerError('bad_value', `${what}: unused bits not zero`, e.start);
  }
  return { unused, bytes };
}

export function decodeOid(buf: Uint8Array, start: number, end: number): string {
  if (end <= start) throw new DerError('bad_value', 'empty OBJECT IDENTIFIER', start);
  if (buf[end - 1] & 0x80) throw new DerError('bad_value', 'OBJECT IDENTIFIER ends mid-arc', start);
  let out = '';
  let v = 0;
  let fresh = true;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (fresh && b === 0x80) throw new DerError('bad_value', 'OBJECT IDENTIFIER arc with leading 0x80', i);
    // Arcs above 2^53 cannot be represented exactly; no real OID comes close.
    if (v > 0x1fffffffffff) throw new DerError('bad_value', 'OBJECT IDENTIFIER arc too large', i);
    v = v * 128 + (b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      if (out === '') out = v < 40 ? `0.${v}` : v < 80 ? `1.${v - 40}` : `2.${v - 80}`;
      else out += `.${v}`;
      v = 0;
    }
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex2(n: number): string {
  return HEX[n & 0xff];
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
