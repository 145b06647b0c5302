import { describe, expect, it } from 'vitest';
import { REMOVE_FROM_CRL, RevocationIndexBuilder } from '../../src/core/revocation-index.js';
import { rng } from '../../src/dev/sim/people.js';

type Entry = { serial: Uint8Array; at: number; reason: number; ref: number };

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Minimal two's-complement INTEGER contents from random bytes. */
function minimal(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && ((b[i] === 0 && !(b[i + 1] & 0x80)) || (b[i] === 0xff && b[i + 1] & 0x80))) i++;
  return b.subarray(i);
}

/** The oracle: the last entry for a serial wins; removeFromCRL deletes. */
function linear(entries: Entry[]): Map<string, Entry> {
  const m = new Map<string, Entry>();
  for (const e of entries) {
    if (e.reason === REMOVE_FROM_CRL) m.delete(hex(e.serial));
    else m.set(hex(e.serial), e);
  }
  return m;
}

function build(entries: Entry[]) {
  const b = new RevocationIndexBuilder(16);
  for (const e of entries) b.add(e.serial, 0, e.serial.length, e.at, e.reason, e.ref);
  return b.build();
}

function check(entries: Entry[], queries: Uint8Array[]): void {
  const idx = build(entries);
  const oracle = linear(entries);
  expect(idx.size).toBe(oracle.size);
  let hits = 0;
  for (const q of queries) {
    const want = oracle.get(hex(q));
    const i = idx.find(q);
    if (!want) {
      expect(i, `false positive for ${hex(q)}`).toBe(-1);
      continue;
    }
    hits++;
    expect(i, `missed ${hex(q)}`).toBeGreaterThanOrEqual(0);
    expect(hex(idx.serialAt(i))).toBe(hex(q));
    expect(idx.reasonAt(i)).toBe(want.reason);
    expect(idx.revokedAtMs(i)).toBe(Math.floor(want.at / 1000) * 1000);
    expect(idx.crlRefAt(i)).toBe(want.ref);
  }
  expect(hits).toBeGreaterThan(0);
}

describe('revocation index equals a linear scan', () => {
  it('100,000 random queries over random serials of mixed widths (incl. negative and 20-octet)', () => {
    const r = rng(5);
    const entries: Entry[] = [];
    const all: Uint8Array[] = [];
    for (let i = 0; i < 50_000; i++) {
      const len = 1 + Math.floor(r() * 20);
      const raw = new Uint8Array(len);
      for (let j = 0; j < len; j++) raw[j] = Math.floor(r() * 256);
      const serial = Uint8Array.from(minimal(raw));
      all.push(serial);
      entries.push({ serial, at: 1_600_000_000_000 + Math.floor(r() * 1e11), reason: [0, 1, 3, 4, 5, 6][i % 6], ref: i % 5 });
    }
    const queries: Uint8Array[] = [];
    for (let i = 0; i < 100_000; i++) {
      if (i % 2) queries.push(all[Math.floor(r() * all.length)]);
      else {
        const len = 1 + Math.floor(r() * 20);
        const raw = new Uint8Array(len);
        for (let j = 0; j < len; j++) raw[j] = Math.floor(r() * 256);
        queries.push(Uint8Array.from(minimal(raw)));
      }
    }
    check(entries, queries);
  });

  it('dense sequential serials (rank-ordered bloom) and a neighbour-heavy query mix', () => {
    const entries: Entry[] = [];
    const serial = (n: number): Uint8Array => Uint8Array.from([0x52, 0x11, 0x22, 0x33, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    for (let i = 0; i < 60_000; i++) entries.push({ serial: serial(2 * i + 1), at: 1_700_000_000_000, reason: 3, ref: 0 });
    const queries: Uint8Array[] = [];
    for (let i = 0; i < 100_000; i++) queries.push(serial(i + 1000)); // odd ones are present
    check(entries, queries);
  });

  it('skewed serials (crowded prefix buckets, hashed bloom) still answer exactly', () => {
    const r = rng(9);
    const entries: Entry[] = [];
    const s = (a: number, b: number): Uint8Array => minimal(Uint8Array.from([1, a, 0, 0, 0, b >>> 8, b & 255]));
    for (let i = 0; i < 20_000; i++) entries.push({ serial: s(i % 3, i), at: 1_700_000_000_000, reason: 1, ref: 1 });
    const queries = Array.from({ length: 100_000 }, () => s(Math.floor(r() * 4), Math.floor(r() * 40_000)));
    check(entries, queries);
  });

  it('later entries win and removeFromCRL deletes (delta over base)', () => {
    const a = Uint8Array.from([0x10, 0x01]);
    const b = Uint8Array.from([0x10, 0x02]);
    const c = Uint8Array.from([0x10, 0x03]);
    const entries: Entry[] = [
      { serial: a, at: 1e12, reason: 6, ref: 0 }, // base: on hold
      { serial: b, at: 1e12, reason: 3, ref: 0 },
      { serial: a, at: 2e12, reason: REMOVE_FROM_CRL, ref: 1 }, // delta: hold released
      { serial: c, at: 2e12, reason: 1, ref: 1 }, // delta: newly revoked
      { serial: b, at: 3e12, reason: 1, ref: 1 }, // delta: reason changed
    ];
    const idx = build(entries);
    expect(idx.size).toBe(2);
    expect(idx.find(a)).toBe(-1);
    expect(idx.reasonAt(idx.find(b))).toBe(1);
    expect(idx.crlRefAt(idx.find(c))).toBe(1);
    check(entries, [a, b, c]);
  });

  it('keeps -1 and 255 apart, and handles an empty index', () => {
    const idx = build([{ serial: Uint8Array.from([0xff]), at: 0, reason: 0, ref: 0 }]);
    expect(idx.find(Uint8Array.from([0xff]))).toBe(0);
    expect(idx.find(Uint8Array.from([0x00, 0xff]))).toBe(-1);
    expect(build([]).find(Uint8Array.from([1]))).toBe(-1);
  });

  it('lives in a SharedArrayBuffer another thread can map without copying', () => {
    const idx = build([{ serial: Uint8Array.from([7]), at: 5000, reason: 4, ref: 2 }]);
    expect(idx.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
