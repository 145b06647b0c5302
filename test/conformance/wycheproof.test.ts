// Wycheproof signature vectors: no `invalid` vector may ever be accepted, every `valid` one must be.
// Policy for `acceptable` vectors (documented in README "Signature policy"): rejected; the only
// one is a PKCS#1 DigestInfo without the NULL parameter, which JPKI cards never produce.
// ECDSA DER vectors run twice: over the message (OpenSSL) and over its digest (core/ecdsa.ts, the
// BigInt path the card's digest and streamed CRLs take). Every ecdsa_* file present runs; the
// ECDSA P-384/SHA-384 file of the JPKI profile is not in ../shared/conformance today (see summary).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HashName, SignatureScheme } from '../../src/core/algorithms.js';
import { parseSpki } from '../../src/core/certificate.js';
import { checkDigest, importPublicKey, verifyData, verifyRsaPkcs1Digest } from '../../src/core/signature.js';
import { CONFORMANCE, summary } from './shared.js';

const DIR = join(CONFORMANCE, 'wycheproof', 'testvectors_v1');
const hashOf = (s: string): HashName => ({ 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' })[s] as HashName;

interface Vector {
  tcId: number;
  comment: string;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}
interface Group {
  publicKeyDer: string;
  sha?: string;
  sLen?: number;
  mgfSha?: string;
  tests: Vector[];
}

function schemeFor(file: string, g: Group): { scheme: SignatureScheme; enc: 'der' | 'p1363' } {
  if (file.startsWith('rsa_signature')) return { scheme: { kind: 'rsa-pkcs1', hash: hashOf(g.sha!) }, enc: 'der' };
  if (file.startsWith('rsa_pss')) {
    if (g.mgfSha !== g.sha) throw new Error('unexpected MGF hash');
    return { scheme: { kind: 'rsa-pss', hash: hashOf(g.sha!), saltLength: g.sLen! }, enc: 'der' };
  }
  if (file.startsWith('ecdsa')) return { scheme: { kind: 'ecdsa', hash: hashOf(g.sha!) }, enc: file.includes('p1363') ? 'p1363' : 'der' };
  if (file.startsWith('ed25519')) return { scheme: { kind: 'ed25519' }, enc: 'der' };
  throw new Error(`no scheme for ${file}`);
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('wycheproof', () => {
  it('has the expected vector files', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  let passed = 0;
  let failed = 0;
  const failures: string[] = [];

  for (const file of files) {
    it(file, () => {
      const data = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { testGroups: Group[] };
      let n = 0;
      for (const g of data.testGroups) {
        const spki = parseSpki(new Uint8Array(Buffer.from(g.publicKeyDer, 'hex')));
        const key = importPublicKey(spki);
        const { scheme, enc } = schemeFor(file, g);
        for (const t of g.tests) {
          n++;
          const msg = Buffer.from(t.msg, 'hex');
          const sig = Buffer.from(t.sig, 'hex');
          const outcomes = [verifyData(scheme, key, msg, sig, enc)];
          if (scheme.kind === 'rsa-pkcs1') {
            // The digest path (as the card signs) must agree with the data path.
            outcomes.push(verifyRsaPkcs1Digest(key, scheme.hash, createHash(scheme.hash).update(msg).digest(), sig));
          }
          if (scheme.kind === 'ecdsa' && enc === 'der') {
            outcomes.push(checkDigest(scheme, key, createHash(scheme.hash).update(msg).digest(), sig) === 'valid');
          }
          const want = t.result === 'valid';
          const ok = outcomes.every((o) => o === want);
          if (ok) passed++;
          else {
            failed++;
            failures.push(`${file}#${t.tcId} ${t.result} (${t.comment}) got ${outcomes.join('/')}`);
          }
        }
      }
      expect(n).toBeGreaterThan(0);
    });
  }

  it('summary', () => {
    const ecdsa = files.filter((f) => f.startsWith('ecdsa_'));
    console.log(`wycheproof ECDSA files: ${ecdsa.join(', ')}; P-384/SHA-384 present: ${ecdsa.some((f) => f.startsWith('ecdsa_secp384r1_sha384'))}`);
    summary('wycheproof', passed, failed, 0);
    expect(failures).toEqual([]);
  });
});
