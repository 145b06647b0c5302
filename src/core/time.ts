// X.509 times (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ and GeneralizedTime YYYYMMDDHHMMSSZ,
// both with seconds, "Z" and no fractions. Values are epoch milliseconds (whole seconds).
import { DerError, Tag, type DerReader, type Element } from './der.js';

function digits(buf: Uint8Array, from: number, count: number, at: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = buf[i] - 0x30;
    if (c < 0 || c > 9) throw new DerError('bad_value', 'time has a non-digit', at);
    n = n * 10 + c;
  }
  return n;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Decodes a UTCTime or GeneralizedTime element to epoch milliseconds. */
export function decodeTime(buf: Uint8Array, e: Element): number {
  const len = e.end - e.valueStart;
  let p = e.valueStart;
  let year: number;
  if (e.tag === Tag.UTCTime) {
    if (len !== 13) throw new DerError('bad_value', 'UTCTime must be YYMMDDHHMMSSZ', e.start);
    const yy = digits(buf, p, 2, e.start);
    year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 §4.1.2.5.1
    p += 2;
  } else if (e.tag === Tag.GeneralizedTime) {
    if (len !== 15) throw new DerError('bad_value', 'GeneralizedTime must be YYYYMMDDHHMMSSZ', e.start);
    year = digits(buf, p, 4, e.start);
    p += 4;
  } else {
    throw new DerError('wrong_tag', 'expected UTCTime or GeneralizedTime', e.start);
  }
  const month = digits(buf, p, 2, e.start);
  const day = digits(buf, p + 2, 2, e.start);
  const hour = digits(buf, p + 4, 2, e.start);
  const minute = digits(buf, p + 6, 2, e.start);
  const second = digits(buf, p + 8, 2, e.start);
  if (buf[p + 10] !== 0x5a) throw new DerError('bad_value', 'time must end in Z', e.start);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1] || (month === 2 && day === 29 && !leap) || hour > 23 || minute > 59 || second > 59) {
    throw new DerError('bad_value', 'time out of range', e.start);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export function readTime(r: DerReader, what: string): number {
  const at = r.pos;
  const e = r.next();
  try {
    return decodeTime(r.buf, e);
  } catch (err) {
    if (err instanceof DerError) throw new DerError(err.code, `${what}: ${err.message}`, at);
    throw err;
  }
}

/** Validity comparisons work in whole seconds: a validation time is floored first (see limbo
 *  rfc5280::validity::*-fractional). */
export function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
