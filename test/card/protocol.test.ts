// The card protocol's pure parts: APDU encoding (short and extended), the status-word table and
// the PIN rules. The same code on the real PC/SC stack is in pcsc.test.ts.
import { describe, expect, it } from 'vitest';
import { encodeCommand, parseResponse } from '../../src/card/apdu.js';
import { CARD_ERROR_CODES, CardError } from '../../src/card/errors.js';
import { pinBytes } from '../../src/card/pin.js';
import { STATUS_TABLE, statusError } from '../../src/card/status.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

describe('APDU encoding', () => {
  it('short: case 1, 2 (Le 00 = 256), 3 and 4', () => {
    expect(hex(encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 }))).toBe('00200080');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 256 }))).toBe('00B0000400');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 1, p2: 2, ne: 4 }))).toBe('00B0010204');
    expect(hex(encodeCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(0, 0x0a) }))).toBe('00A4020C02000A');
    expect(hex(encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: Uint8Array.of(1, 2, 3), ne: 256 }))).toBe('802A00800301020300');
  });

  it('extended: on request, or when Lc > 255 or Ne > 256', () => {
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 65536 }))).toBe('00B00004000000');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 300 }))).toBe('00B0000400012C');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 4 }, true))).toBe('00B00004000004');
    expect(hex(encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: Uint8Array.of(9), ne: 65536 }, true))).toBe('802A0080000001090000');
    const big = encodeCommand({ cla: 0, ins: 0x2a, p1: 0, p2: 0, data: new Uint8Array(300) });
    expect(hex(big.subarray(0, 7))).toBe('002A000000012C');
    expect(big.length).toBe(7 + 300);
    expect(hex(encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: Uint8Array.of(0x31) }, true))).toBe('0020008000000131');
  });

  it('refuses what no encoding carries', () => {
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(65536) })).toThrow(CardError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, ne: 65537 })).toThrow(/Ne/);
  });

  it('splits answers into data and status word; a 1-byte answer is bad_response', () => {
    expect(parseResponse(Uint8Array.of(1, 2, 0x90, 0))).toEqual({ data: Uint8Array.of(1, 2), sw: 0x9000 });
    expect(parseResponse(Uint8Array.of(0x63, 0xc2))).toEqual({ data: new Uint8Array(0), sw: 0x63c2 });
    expect(() => parseResponse(Uint8Array.of(0x90))).toThrow(expect.objectContaining({ code: 'bad_response' }));
  });
});

describe('status words', () => {
  // Written out, not derived from the table: the table is what is under test.
  const expected: [number, string, number | undefined][] = [
    [0x63c3, 'wrong_pin', 3],
    [0x63c2, 'wrong_pin', 2],
    [0x63c1, 'wrong_pin', 1],
    [0x63c0, 'pin_blocked', 0],
    [0x6983, 'pin_blocked', 0],
    [0x6982, 'security_status', undefined],
    [0x6984, 'conditions_not_satisfied', undefined],
    [0x6985, 'conditions_not_satisfied', undefined],
    [0x6986, 'conditions_not_satisfied', undefined],
    [0x6981, 'conditions_not_satisfied', undefined],
    [0x6a82, 'file_not_found', undefined],
    [0x6a88, 'file_not_found', undefined],
    [0x6700, 'wrong_length', undefined],
    [0x6c10, 'wrong_length', undefined],
    [0x6b00, 'wrong_parameters', undefined],
    [0x6a86, 'wrong_parameters', undefined],
    [0x6a80, 'wrong_parameters', undefined],
    [0x6d00, 'not_supported', undefined],
    [0x6e00, 'not_supported', undefined],
    [0x6581, 'memory_failure', undefined],
    [0x6f00, 'unexpected_status', undefined],
    [0x6400, 'unexpected_status', undefined],
  ];

  it.each(expected)('%s → %s', (sw, code, triesLeft) => {
    const e = statusError(sw, 'TEST');
    expect(e).toBeInstanceOf(CardError);
    expect(e.code).toBe(code);
    expect(e.sw).toBe(sw);
    expect(e.triesLeft).toBe(triesLeft);
    expect(e.message).toContain(sw.toString(16).toUpperCase().slice(0, 2));
  });

  it('every row of the table is among the cases above, and every code is a CardErrorCode', () => {
    for (const rule of STATUS_TABLE) {
      expect(
        expected.some(([sw]) => (sw & (rule.mask ?? 0xffff)) === rule.sw),
        rule.sw.toString(16),
      ).toBe(true);
      expect(CARD_ERROR_CODES).toContain(rule.code);
    }
  });

  it('a wrong PIN says how many tries remain', () => {
    expect(statusError(0x63c2, 'VERIFY authentication PIN').message).toMatch(/wrong PIN, 2 tries left/);
    expect(statusError(0x63c1, 'VERIFY').message).toMatch(/1 try left/);
  });
});

describe('PIN rules (checked before anything reaches the card)', () => {
  it.each(['0000', '1234', '9876'])('authentication PIN %s is accepted', (pin) => {
    expect(Buffer.from(pinBytes('authentication', pin)).toString('ascii')).toBe(pin);
  });
  it.each(['123', '12345', '12a4', '１２３４', '', ' 123', '123\n'])('authentication PIN %j is refused', (pin) => {
    expect(() => pinBytes('authentication', pin)).toThrow(expect.objectContaining({ code: 'pin_format' }));
  });
  it.each(['ABC123', 'A1B2C3D4E5F6G7H8', '123456', 'ABCDEF'])('signing password %s is accepted', (pw) => {
    expect(Buffer.from(pinBytes('signing', pw)).toString('ascii')).toBe(pw);
  });
  it.each(['ABC12', 'A1B2C3D4E5F6G7H8I', 'abc123', 'ABC-123', 'ABC 123', 'ＡＢＣ１２３'])('signing password %j is refused', (pw) => {
    expect(() => pinBytes('signing', pw)).toThrow(expect.objectContaining({ code: 'pin_format' }));
  });
  it('the refusal names the rule, never the PIN or its length', () => {
    try {
      pinBytes('signing', 'secret7');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toMatch(/secret7|7 char/);
      expect((err as Error).message).toMatch(/6 to 16 upper-case/);
    }
  });
});
