// ECDSA checks against an independent implementation (@noble/curves): curve parameters,
// signatures made by noble verified by the project (over data through OpenSSL, over a digest
// through core/ecdsa.ts), signatures made by the simulated card verified by noble, mutations
// refused by both, strict DER, and the arithmetic's edge cases.
import { createECDH, createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { OID, type HashName, type SignatureScheme } from '../../src/core/algorithms.js';
import { parseSpki } from '../../src/core/certificate.js';
import * as w from '../../src/core/der-writer.js';
import { CURVES, curveByName, parseDerSignature, type Curve } from '../../src/core/ecdsa.js';
import { checkData, checkDigest, ecCurveOfKey, importPublicKey, KeyError } from '../../src/core/signature.js';
import { cardSign, cardSignDigest, ecdsaSignDigest } from '../../src/dev/sim/card.js';
import { rng } from '../../src/dev/sim/people.js';

type Noble = typeof p384;
const CASES: readonly { curve: Curve; noble: Noble; hash: HashName; openssl: string }[] = [
  { curve: curveByName('P-256')!, noble: p256, hash: 'sha256', openssl: 'prime256v1' },
  { curve: curveByName('P-384')!, noble: p384, hash: 'sha384', openssl: 'secp384r1' },
  { curve: curveByName('P-521')!, noble: p521, hash: 'sha512', openssl: 'secp521r1' },
];
const NOBLE_OPTS = { lowS: false, format: 'der' } as const; // OpenSSL makes and accepts high-S signatures

const hex = (n: bigint, size: number): string => n.toString(16).padStart(2 * size, '0');
const H = (hash: HashName, data: Uint8Array): Uint8Array => new Uint8Array(createHash(hash).update(data).digest());

/** A public key point as the project imports it: SPKI (ecPublicKey, named curve). */
function importPoint(curve: Curve, point: Uint8Array): KeyObject {
  return importPublicKey(parseSpki(w.seq(w.seq(w.oid(OID.ecPublicKey), w.oid(curve.oid)), w.bitString(point))));
}

/** Noble's verdict; a parse error counts as a refusal. */
function nobleVerify(noble: Noble, sig: Uint8Array, msg: Uint8Array, pub: Uint8Array, prehash = true): boolean {
  try {
    return noble.verify(sig, msg, pub, { ...NOBLE_OPTS, prehash });
  } catch {
    return false;
  }
}

describe('curve parameters', () => {
  it('match @noble/curves', () => {
    for (const { curve, noble } of CASES) {
      const c = noble.Point.CURVE();
      expect({ p: curve.p, n: curve.n, b: curve.b, gx: curve.gx, gy: curve.gy }, curve.name).toEqual({ p: c.p, n: c.n, b: c.b, gx: c.Gx, gy: c.Gy });
      expect(c.a).toBe(c.p - 3n); // the doubling formula assumes a = −3
    }
  });

  it('match OpenSSL: 1·G is the base point, (n−1)·G its negation', () => {
    for (const { curve, openssl } of CASES) {
      const ecdh = createECDH(openssl);
      ecdh.setPrivateKey(hex(1n, curve.size), 'hex');
      expect(ecdh.getPublicKey('hex')).toBe(`04${hex(curve.gx, curve.size)}${hex(curve.gy, curve.size)}`);
      ecdh.setPrivateKey(hex(curve.n - 1n, curve.size), 'hex');
      expect(ecdh.getPublicKey('hex')).toBe(`04${hex(curve.gx, curve.size)}${hex(curve.p - curve.gy, curve.size)}`);
    }
  });
});

describe('@noble/curves as the oracle', () => {
  for (const { curve, noble, hash, openssl } of CASES) {
    const scheme: SignatureScheme = { kind: 'ecdsa', hash };

    it(`${curve.name}/${hash}: noble's signatures verify in the project, mutated ones fail in both`, () => {
      const r = rng(curve.size);
      for (let i = 0; i < 12; i++) {
        const sk = noble.utils.randomSecretKey();
        // Compressed and uncompressed public keys alike (SEC 1 §2.3.3).
        const pub = noble.getPublicKey(sk, i % 2 === 0);
        const key = importPoint(curve, pub);
        expect(ecCurveOfKey(key)).toBe(curve);
        const msg = randomBytes(1 + Math.floor(r() * 200));
        const sig = noble.sign(msg, sk, NOBLE_OPTS);
        expect(checkData(scheme, key, msg, sig)).toBe('valid');
        expect(checkDigest(scheme, key, H(hash, msg), sig)).toBe('valid');

        // Another message: both refuse.
        const other = Uint8Array.from(msg);
        other[Math.floor(r() * other.length)] ^= 1 << Math.floor(r() * 8);
        expect(nobleVerify(noble, sig, other, pub)).toBe(false);
        expect(checkData(scheme, key, other, sig)).toBe('invalid');
        expect(checkDigest(scheme, key, H(hash, other), sig)).toBe('invalid');

        // One flipped bit anywhere in the signature value: both refuse (as malformed or invalid).
        const bad = Uint8Array.from(sig);
        bad[Math.floor(r() * bad.length)] ^= 1 << Math.floor(r() * 8);
        expect(nobleVerify(noble, bad, msg, pub)).toBe(false);
        expect(checkData(scheme, key, msg, bad)).not.toBe('valid');
        expect(checkDigest(scheme, key, H(hash, msg), bad)).not.toBe('valid');
      }
    });

    it(`${curve.name}/${hash}: the simulated card's signatures verify with noble`, () => {
      for (let i = 0; i < 6; i++) {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: openssl });
        const jwk = publicKey.export({ format: 'jwk' });
        const pub = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
        const msg = randomBytes(64);
        const overData = cardSign(privateKey, msg, hash); // OpenSSL hashes and signs
        const overDigest = cardSignDigest(privateKey, hash, H(hash, msg)); // the card's digest path
        for (const sig of [overData, overDigest]) {
          expect(nobleVerify(noble, sig, msg, pub)).toBe(true);
          expect(nobleVerify(noble, sig, H(hash, msg), pub, false)).toBe(true);
          const bad = Uint8Array.from(sig);
          bad[bad.length - 1] ^= 0x10;
          expect(nobleVerify(noble, bad, msg, pub)).toBe(false);
          expect(checkDigest(scheme, importPoint(curve, pub), H(hash, msg), bad)).toBe('invalid');
        }
      }
    });
  }

  it('the CRL writer can ask for a signature of a fixed DER length', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    for (let i = 0; i < 4; i++) expect(ecdsaSignDigest(privateKey, randomBytes(48), 102)).toHaveLength(102);
  });
});

describe('strict ECDSA-Sig-Value', () => {
  const c = curveByName('P-384')!;
  const sk = p384.utils.randomSecretKey();
  const pub = p384.getPublicKey(sk, false);
  const key = importPoint(c, pub);
  const msg = Buffer.from('strict DER');
  const scheme: SignatureScheme = { kind: 'ecdsa', hash: 'sha384' };
  const good = p384.sign(msg, sk, NOBLE_OPTS);
  const { r, s } = parseDerSignature(c, good).sig!;
  const int = (v: bigint): Uint8Array => w.integer(v);
  const rawInt = (bytes: number[]): Uint8Array => w.tlv(0x02, new Uint8Array(bytes));
  const body = (...parts: Uint8Array[]): Uint8Array => w.concat(parts);
  const long = (content: Uint8Array): Uint8Array => w.concat([Uint8Array.of(0x30, 0x81, content.length), content]);

  const cases: [string, Uint8Array][] = [
    ['trailing octet', w.concat([good, Uint8Array.of(0)])],
    ['long-form length for a short one', long(body(int(r), int(s)))],
    ['indefinite length (BER)', w.concat([Uint8Array.of(0x30, 0x80), body(int(r), int(s)), Uint8Array.of(0, 0)])],
    // One zero octet is needed when r's top bit is set: a superfluous one comes on top of it.
    ['r with a superfluous leading zero', w.seq(rawInt([...(r >> BigInt(8 * c.size - 1) ? [0, 0] : [0]), ...Buffer.from(hex(r, c.size), 'hex')]), int(s))],
    ['negative r', w.seq(rawInt([0x80 | 1, ...Buffer.from(hex(r, c.size), 'hex').subarray(1)]), int(s))],
    ['r = 0', w.seq(int(0n), int(s))],
    ['s = 0', w.seq(int(r), int(0n))],
    ['r = n', w.seq(int(c.n), int(s))],
    ['s = n + s', w.seq(int(r), int(c.n + s))],
    ['a third INTEGER', w.seq(int(r), int(s), int(1n))],
    ['only r', w.seq(int(r))],
    ['a SET, not a SEQUENCE', w.tlv(0x31, body(int(r), int(s)))],
    ['OCTET STRINGs, not INTEGERs', w.seq(w.octets(Buffer.from(hex(r, c.size), 'hex')), w.octets(Buffer.from(hex(s, c.size), 'hex')))],
    ['empty', new Uint8Array(0)],
    ['r‖s (P1363), not DER', Buffer.from(hex(r, c.size) + hex(s, c.size), 'hex')],
  ];

  it('the well-formed value verifies', () => {
    expect(checkData(scheme, key, msg, good)).toBe('valid');
    expect(checkData(scheme, key, msg, w.seq(int(r), int(s)))).toBe('valid');
  });

  for (const [name, sig] of cases) {
    it(`${name}: malformed, and noble refuses it too`, () => {
      expect(checkData(scheme, key, msg, sig)).toBe('malformed');
      expect(checkDigest(scheme, key, H('sha384', msg), sig)).toBe('malformed');
      expect(nobleVerify(p384, sig, msg, pub)).toBe(false);
    });
  }

  it('P1363 values: exactly 2 × 48 octets, r and s in range', () => {
    const p1363 = Buffer.from(hex(r, c.size) + hex(s, c.size), 'hex');
    expect(checkData(scheme, key, msg, p1363, 'p1363')).toBe('valid');
    expect(checkData(scheme, key, msg, p1363.subarray(1), 'p1363')).toBe('malformed');
    expect(checkData(scheme, key, msg, Buffer.from(hex(0n, c.size) + hex(s, c.size), 'hex'), 'p1363')).toBe('malformed');
  });
});

describe('arithmetic edge cases, checked over the digest against noble', () => {
  const c = curveByName('P-384')!;
  const check = (sk: Uint8Array, digest: Uint8Array, hash: HashName): void => {
    const pub = p384.getPublicKey(sk, false);
    const sig = p384.sign(digest, sk, { ...NOBLE_OPTS, prehash: false });
    expect(nobleVerify(p384, sig, digest, pub, false)).toBe(true);
    const key = importPoint(c, pub);
    expect(checkDigest({ kind: 'ecdsa', hash }, key, digest, sig)).toBe('valid');
    const other = Uint8Array.from(digest);
    other[0] ^= 0x80;
    expect(checkDigest({ kind: 'ecdsa', hash }, key, other, sig)).toBe('invalid');
  };
  const sk = p384.utils.randomSecretKey();
  const be = (n: bigint, len: number): Uint8Array => Buffer.from(hex(n, len), 'hex');

  it('a digest of zero (u1 = 0: R = u2·Q alone)', () => check(sk, new Uint8Array(48), 'sha384'));
  it('a digest equal to n (≡ 0 mod n)', () => check(sk, be(c.n, 48), 'sha384'));
  it('a digest above n', () => check(sk, new Uint8Array(48).fill(0xff), 'sha384'));
  it('SHA-512 digests are cut to the leftmost 384 bits', () => check(sk, randomBytes(64), 'sha512'));
  it('SHA-256 digests are shorter than n', () => check(sk, randomBytes(32), 'sha256'));
  it('the key Q = G (the two windowed sums meet the same points)', () => check(be(1n, 48), randomBytes(48), 'sha384'));
  it('the key Q = −G', () => check(be(c.n - 1n, 48), randomBytes(48), 'sha384'));
  it('the key Q = 2·G', () => check(be(2n, 48), randomBytes(48), 'sha384'));

  it('a digest of the wrong length for its hash is refused, not truncated', () => {
    const pub = p384.getPublicKey(sk, false);
    const digest = randomBytes(48);
    const sig = p384.sign(digest, sk, { ...NOBLE_OPTS, prehash: false });
    expect(checkDigest({ kind: 'ecdsa', hash: 'sha384' }, importPoint(c, pub), digest.subarray(0, 47), sig)).toBe('invalid');
  });
});

describe('key import', () => {
  it('accepts P-256, P-384 and P-521 by name and notes the curve', () => {
    for (const { curve, openssl } of CASES) {
      const spki = generateKeyPairSync('ec', { namedCurve: openssl }).publicKey.export({ format: 'der', type: 'spki' });
      expect(ecCurveOfKey(importPublicKey(parseSpki(new Uint8Array(spki))))).toBe(curve);
    }
  });

  it('refuses other named curves and explicit parameters', () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ format: 'der', type: 'spki' });
    expect(() => importPublicKey(parseSpki(new Uint8Array(k1)))).toThrow(KeyError);
    const explicit = generateKeyPairSync('ec', { namedCurve: 'secp384r1', paramEncoding: 'explicit' }).publicKey.export({ format: 'der', type: 'spki' });
    expect(() => importPublicKey(parseSpki(new Uint8Array(explicit)))).toThrow(/named curve/);
  });

  it('refuses a point that is not on the curve', () => {
    const c = CURVES[1];
    const point = Buffer.from(`04${hex(c.gx, c.size)}${hex(c.gy + 1n, c.size)}`, 'hex');
    expect(() => importPoint(c, point)).toThrow(KeyError);
  });
});
