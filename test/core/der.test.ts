import { describe, expect, it } from 'vitest';
import { DerError, DerReader, MAX_DEPTH, Tag, decodeOid, type DerErrorCode } from '../../src/core/der.js';
import * as w from '../../src/core/der-writer.js';

const b = (...x: number[]): Uint8Array => new Uint8Array(x);

function code(fn: () => unknown): DerErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    expect(err).toBeInstanceOf(DerError);
    return (err as DerError).code;
  }
}

describe('DER reader', () => {
  it('reads a TLV without copying', () => {
    const buf = b(0x04, 0x03, 1, 2, 3);
    const r = new DerReader(buf);
    const v = r.octetString('x');
    expect([...v]).toEqual([1, 2, 3]);
    expect(v.buffer).toBe(buf.buffer); // a view, not a copy
    expect(v.byteOffset).toBe(2);
    r.done();
  });

  it('reads long-form lengths', () => {
    const body = new Uint8Array(300).fill(7);
    const r = new DerReader(w.octets(body));
    expect(r.octetString('x').length).toBe(300);
  });

  it.each<[string, Uint8Array, DerErrorCode]>([
    ['empty input', b(), 'truncated'],
    ['missing length', b(0x30), 'truncated'],
    ['length past end', b(0x04, 0x05, 1, 2), 'truncated'],
    ['length octets cut off', b(0x04, 0x82, 0x01), 'truncated'],
    ['indefinite length', b(0x30, 0x80, 0, 0), 'indefinite_length'],
    ['long form for short length', b(0x04, 0x81, 0x05, 1, 2, 3, 4, 5), 'overlong_length'],
    ['leading zero length octet', b(0x04, 0x82, 0x00, 0x85, ...new Array(0x85).fill(0)), 'overlong_length'],
    ['5-octet length', b(0x04, 0x85, 1, 0, 0, 0, 0), 'bad_length'],
    ['high tag number form', b(0x1f, 0x81, 0x01, 0x00), 'unsupported_tag'],
  ])('rejects %s', (_, input, want) => {
    expect(code(() => new DerReader(input).next())).toBe(want);
  });

  it('rejects trailing bytes', () => {
    expect(code(() => DerReader.single(b(0x05, 0x00, 0x00)))).toBe('trailing_bytes');
  });

  it('rejects the wrong tag', () => {
    expect(code(() => new DerReader(b(0x04, 0x00)).expect(Tag.SEQUENCE, 'x'))).toBe('wrong_tag');
  });

  it('bounds nesting depth', () => {
    let inner: Uint8Array = b(0x05, 0x00);
    for (let i = 0; i < MAX_DEPTH + 2; i++) inner = w.seq(inner);
    const walk = (): void => {
      let r = new DerReader(inner);
      for (;;) {
        if (r.peekTag() !== Tag.SEQUENCE) return;
        r = r.sequence('s');
      }
    };
    expect(code(walk)).toBe('too_deep');
  });

  it.each<[string, Uint8Array]>([
    ['empty INTEGER', b(0x02, 0x00)],
    ['non-minimal positive INTEGER', b(0x02, 0x02, 0x00, 0x01)],
    ['non-minimal negative INTEGER', b(0x02, 0x02, 0xff, 0x80)],
  ])('rejects %s', (_, input) => {
    expect(code(() => new DerReader(input).integerBytes('i'))).toBe('bad_value');
  });

  it('accepts minimal INTEGERs, including a needed leading zero', () => {
    expect([...new DerReader(b(0x02, 0x02, 0x00, 0x80)).integerBytes('i')]).toEqual([0, 0x80]);
    expect(new DerReader(b(0x02, 0x01, 0x05)).smallInt('i')).toBe(5);
    expect(code(() => new DerReader(b(0x02, 0x01, 0xff)).smallInt('i'))).toBe('bad_value');
  });

  it('BOOLEAN must be DER (0x00 or 0xff)', () => {
    expect(new DerReader(b(0x01, 0x01, 0xff)).boolean('b')).toBe(true);
    expect(code(() => new DerReader(b(0x01, 0x01, 0x01)).boolean('b'))).toBe('bad_value');
    expect(code(() => new DerReader(b(0x01, 0x02, 0, 0)).boolean('b'))).toBe('bad_value');
  });

  it('BIT STRING unused bits must be in range and zero', () => {
    expect(new DerReader(b(0x03, 0x02, 0x01, 0x80)).bitString('x').unused).toBe(1);
    expect(code(() => new DerReader(b(0x03, 0x02, 0x01, 0x81)).bitString('x'))).toBe('bad_value');
    expect(code(() => new DerReader(b(0x03, 0x02, 0x08, 0x00)).bitString('x'))).toBe('bad_value');
    expect(code(() => new DerReader(b(0x03, 0x00)).bitString('x'))).toBe('bad_value');
  });

  it('decodes OIDs and rejects malformed ones', () => {
    const o = w.oid('1.2.392.200149.8.5.5.1');
    expect(decodeOid(o, 2, o.length)).toBe('1.2.392.200149.8.5.5.1');
    expect(new DerReader(w.oid('2.5.29.32.0')).oid('x')).toBe('2.5.29.32.0');
    expect(code(() => decodeOid(b(0x2a, 0x86), 0, 2))).toBe('bad_value'); // ends mid-arc
    expect(code(() => decodeOid(b(0x2a, 0x80, 0x01), 0, 3))).toBe('bad_value'); // leading 0x80
    expect(code(() => decodeOid(b(), 0, 0))).toBe('bad_value');
  });

  it('NULL must be empty', () => {
    expect(code(() => new DerReader(b(0x05, 0x01, 0x00)).null('n'))).toBe('bad_value');
  });
});
