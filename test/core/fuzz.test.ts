// Mutated and random DER must never crash, hang or throw an untyped error: the parser throws only
// CertificateError, and the verifier never throws at all. Seeded, so a failure reproduces.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertificateError, parseCertificate, pemBlocks } from '../../src/core/certificate.js';
import { verifyAuthentication, verifyDocumentSignature } from '../../src/core/verify.js';
import { rng } from '../../src/dev/sim/people.js';
import { CONFORMANCE, JPKI_ROOTS } from '../conformance/shared.js';
import { NOW, makeTestPki } from '../helpers/pki.js';

const CASES = 20_000;
const pki = makeTestPki();

function seeds(): Uint8Array[] {
  const out = [pki.issue({ purpose: 'signing' }).der, pki.issue({ purpose: 'authentication' }).der];
  for (const f of readdirSync(JPKI_ROOTS).filter((x) => x.endsWith('.pem'))) out.push(pemBlocks(readFileSync(join(JPKI_ROOTS, f), 'utf8'), 'CERTIFICATE')[0]);
  const pk = join(CONFORMANCE, 'pkits', 'certs');
  for (const f of readdirSync(pk).slice(0, 40)) out.push(new Uint8Array(readFileSync(join(pk, f))));
  return out;
}

/** One random mutation: bit flip, byte set, insert, delete, truncate, or a length octet poked. */
function mutate(r: () => number, src: Uint8Array): Uint8Array {
  const b = Uint8Array.from(src);
  const at = Math.floor(r() * b.length);
  switch (Math.floor(r() * 6)) {
    case 0:
      b[at] ^= 1 << Math.floor(r() * 8);
      return b;
    case 1:
      b[at] = Math.floor(r() * 256);
      return b;
    case 2:
      return Uint8Array.from([...b.subarray(0, at), Math.floor(r() * 256), ...b.subarray(at)]);
    case 3:
      return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
    case 4:
      return b.subarray(0, at);
    default: {
      // Poke a plausible length octet: right after a byte that looks like a tag.
      const tags = [0x30, 0x31, 0x02, 0x03, 0x04, 0x06, 0xa0, 0xa3];
      for (let i = at; i < b.length - 1; i++) {
        if (tags.includes(b[i])) {
          b[i + 1] = [0x80, 0x81, 0x84, 0x85, 0xff, 0x00, 0x7f][Math.floor(r() * 7)];
          break;
        }
      }
      return b;
    }
  }
}

describe('fuzz: mutated and random DER', () => {
  it(`${CASES} mutations parse or fail with CertificateError, and verification never throws`, () => {
    const r = rng(20261124);
    const pool = seeds();
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < CASES; i++) {
      const src = pool[i % pool.length];
      let input = mutate(r, src);
      if (r() < 0.3) input = mutate(r, input); // sometimes two mutations
      try {
        parseCertificate(input);
        parsed++;
      } catch (err) {
        if (!(err instanceof CertificateError)) throw new Error(`case ${i}: untyped ${(err as Error).name}: ${(err as Error).message}`);
        rejected++;
      }
      if (i % 10 === 0) {
        // The full verifier on the same input: a verdict, never an exception.
        const v = verifyAuthentication(
          { certificate: input, challenge: new Uint8Array(32), signature: new Uint8Array(256), time: NOW },
          { anchors: pki.anchors },
        );
        expect(v.verdict.status).not.toBe('valid');
        const s = verifyDocumentSignature({ certificate: input, data: new Uint8Array(1), signature: new Uint8Array(256), time: NOW }, { anchors: pki.anchors });
        expect(s.verdict.status).not.toBe('valid');
      }
    }
    expect(parsed + rejected).toBe(CASES);
    expect(rejected).toBeGreaterThan(CASES / 4); // the mutations really do break things
  });

  it('random bytes and random TLV soup never throw untyped errors', () => {
    const r = rng(7);
    for (let i = 0; i < 5000; i++) {
      const len = Math.floor(r() * 200);
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = Math.floor(r() * 256);
      if (len > 2 && r() < 0.5) {
        b[0] = 0x30;
        b[1] = len - 2 < 128 ? len - 2 : 0x7f;
      }
      try {
        parseCertificate(b);
      } catch (err) {
        expect(err).toBeInstanceOf(CertificateError);
      }
    }
  });
});
