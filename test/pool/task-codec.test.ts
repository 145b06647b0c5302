import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { VerifyItem } from '../../src/pool/messages.js';
import { packItems, unpackItems } from '../../src/pool/task-codec.js';

const bytes = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

describe('packed pool tasks', () => {
  it('round-trips auth, data-signature and digest-signature items, byte for byte', () => {
    // Views into a larger buffer, as decoded request fields are: only their own bytes travel.
    const slab = bytes(4096);
    const items: VerifyItem[] = [
      { kind: 'auth', time: 1_764_000_000_123, cert: slab.subarray(100, 1300), challenge: bytes(32), signature: bytes(256), hash: 'sha256' },
      { kind: 'signature', time: 1_700_000_000_000, cert: bytes(1400), data: bytes(0), signature: bytes(256), hash: 'sha1' },
      { kind: 'signature', time: 0, cert: bytes(1), digest: bytes(64), signature: bytes(512), hash: 'sha512' },
      { kind: 'auth', time: 5.5, cert: new Uint8Array(0), challenge: bytes(1), signature: new Uint8Array(0), hash: 'sha384' },
    ];
    const packed = packItems(items);
    const back = unpackItems(packed);
    expect(back).toHaveLength(items.length);
    back.forEach((b, i) => {
      const a = items[i];
      expect(b.kind).toBe(a.kind);
      expect(b.time).toBe(a.time);
      expect(b.hash).toBe(a.hash);
      expect(Buffer.from(b.cert).equals(Buffer.from(a.cert))).toBe(true);
      expect(Buffer.from(b.signature).equals(Buffer.from(a.signature))).toBe(true);
      if (a.kind === 'auth') expect(Buffer.from((b as typeof a).challenge).equals(Buffer.from(a.challenge))).toBe(true);
      else {
        const bs = b as typeof a;
        expect(bs.digest === undefined).toBe(a.digest === undefined);
        expect(Buffer.from(bs.digest ?? bs.data!).equals(Buffer.from(a.digest ?? a.data!))).toBe(true);
      }
    });
    // Exactly the items' bytes plus fixed headers: a view does not drag its slab along.
    const payload = items.reduce((n, it) => n + it.cert.length + it.signature.length + (it.kind === 'auth' ? it.challenge.length : (it.digest ?? it.data!).length), 0);
    expect(packed.byteLength).toBe(4 + items.length * (12 + 3 * 4) + payload);
  });

  it('packs an empty batch', () => {
    expect(unpackItems(packItems([]))).toEqual([]);
  });
});
