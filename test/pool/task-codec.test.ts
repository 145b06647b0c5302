import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { VerifyItem } from '../../src/verifier/messages.js';
import { countPacked, packItems, unpackItems } from '../../src/pool/task-codec.js';
import { JOB_VERSION, JobDataError, jobItems, jobItemsOf, jobPacked } from '../../src/queue/codec.js';
import { CRL_PLAN } from '../../src/core/revocation-plan.js';

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
      // No hash named: the key's generation decides (an ECDSA P-384 card's DER signature here).
      { kind: 'auth', time: 6, cert: bytes(700), challenge: bytes(32), signature: bytes(103) },
      { kind: 'signature', time: 7, cert: bytes(800), digest: bytes(48), signature: bytes(102) },
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
    const payload = items.reduce(
      (n, it) => n + it.cert.length + it.signature.length + (it.kind === 'auth' ? it.challenge.length : (it.digest ?? it.data!).length),
      0,
    );
    expect(packed.byteLength).toBe(4 + items.length * (12 + 3 * 4) + payload);
  });

  it('packs an empty batch', () => {
    expect(unpackItems(packItems([]))).toEqual([]);
  });
});

describe('queue job items', () => {
  const items: VerifyItem[] = [
    { kind: 'auth', time: 1, cert: bytes(1200), challenge: bytes(32), signature: bytes(256), hash: 'sha256' },
    { kind: 'signature', time: 2, cert: bytes(1300), digest: bytes(32), signature: bytes(256), hash: 'sha256' },
  ];

  it('travel as one base64 string with their count, and come back whole', () => {
    const data = jobItemsOf(items);
    expect(data).toMatchObject({ v: JOB_VERSION, n: 2 });
    expect(typeof data.p).toBe('string');
    const { packed, count } = jobPacked(JSON.parse(JSON.stringify(data)));
    expect(count).toBe(2);
    expect(countPacked(packed)).toBe(2);
    const back = jobItems(data);
    expect(Buffer.from(back[1].cert).equals(Buffer.from(items[1].cert))).toBe(true);
  });

  it('refuses other versions and malformed or miscounted payloads with a JobDataError', () => {
    const good = jobItemsOf(items);
    const raw = Buffer.from(good.p, 'base64');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, v: 1 }, /format 1/],
      [{ v: JOB_VERSION, n: 0 }, /no items/],
      [{ ...good, n: 3 }, /malformed/],
      [{ ...good, p: raw.subarray(0, raw.length - 1).toString('base64') }, /malformed/], // truncated
      [{ ...good, p: Buffer.concat([raw, Buffer.alloc(1)]).toString('base64') }, /malformed/], // trailing byte
      [{ ...good, p: Buffer.from([9, 0, 0, 0]).toString('base64'), n: 9 }, /malformed/], // count beyond the data
      [{ ...good, p: 'not base64 at all' }, /malformed/],
    ];
    for (const [data, msg] of cases) {
      expect(() => jobPacked(data)).toThrow(JobDataError);
      expect(() => jobPacked(data)).toThrow(msg);
    }
    const badHash = Buffer.from(raw);
    badHash[5] = 7; // the first item's hash index
    expect(() => jobPacked({ ...good, p: badHash.toString('base64') })).toThrow(/malformed/);
    const noHash = Buffer.from(raw);
    noHash[5] = 0xff; // "the key decides": readable
    expect(jobItems({ ...good, p: noHash.toString('base64') })[0].hash).toBeUndefined();
  });

  it('reads v2 jobs (from an API still draining during an upgrade): the same layout, a hash always named', () => {
    expect(jobItems({ ...jobItemsOf(items), v: 2 })).toHaveLength(2);
  });

  it("carries each item's revocation plan; a byte no plan encodes to is malformed; v3 jobs read as CRL_PLAN", () => {
    const plan = { mode: 'crl+ocsp', policy: 'soft-fail', escalate: true } as const;
    const data = jobItemsOf([{ ...items[0], revocation: plan }, items[1]]);
    const back = jobItems(data);
    expect(back[0].revocation).toEqual(plan);
    expect(back[1].revocation).toEqual(CRL_PLAN);
    const raw = Buffer.from(data.p, 'base64');
    raw[4 + 3] = 0x33; // the first item's plan byte
    expect(() => jobPacked({ ...data, p: raw.toString('base64') })).toThrow(/malformed/);
    expect(jobItems({ ...jobItemsOf(items), v: 3 }).map((x) => x.revocation)).toEqual([CRL_PLAN, CRL_PLAN]);
  });

  it('refuses to pack a hash it has no code for', () => {
    expect(() => packItems([{ ...items[0], hash: 'md5' as never }])).toThrow(/no packed code/);
  });
});
