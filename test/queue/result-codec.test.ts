// The packed reply format (src/queue/result-codec.ts): every shape of result round-trips exactly,
// and anything that is not exactly a packed reply is refused with a ResultDataError.
import { describe, expect, it } from 'vitest';
import { verdict, VERDICT_CODES, type VerdictCode } from '../../src/core/verdict.js';
import { OCSP_FAILURE_CODES } from '../../src/core/ocsp-failure.js';
import type { ItemResult } from '../../src/verifier/messages.js';
import { RESULT_FORMAT, ResultDataError, packResults, unpackResults } from '../../src/queue/result-codec.js';

const facts = (serial: string) => ({
  kind: 'authentication' as const,
  serial,
  fingerprint: 'ab'.repeat(32),
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2030-01-01T00:00:00.000Z',
  issuerGeneration: 2023,
});
const crl = {
  kind: 'crl' as const,
  issuer: 'C=JP, O=JPKI, OU=JPKI for user authentication',
  crlNumber: '0a1b',
  thisUpdate: 1_764_000_000_000,
  nextUpdate: 1_764_086_400_000,
};

const RESULTS: ItemResult[] = [
  { verdict: verdict('ok', -1, 'all good', { checked: true, status: 'good', source: crl }), certificate: facts('01') },
  {
    verdict: verdict('revoked', 0, 'revoked at …', { checked: true, status: 'revoked', reason: 'keyCompromise', revokedAt: 1_763_000_000_000, source: crl }),
    certificate: facts('02'),
  },
  // An OCSP source without nextUpdate, a CRL without a number, an issuer generation not known.
  {
    verdict: verdict('ok', -1, 'all good', {
      checked: true,
      status: 'good',
      source: { kind: 'ocsp', responder: 'CN=OCSP 応答者', url: 'http://ocsp.example/', producedAt: 1, thisUpdate: 2, nextUpdate: null },
    }),
    certificate: { ...facts('03'), kind: 'signing', issuerGeneration: null },
  },
  {
    verdict: verdict('ocsp_unavailable', 0, 'no answer', {
      checked: true,
      status: 'unknown',
      crl: 'stale',
      failure: 'timeout',
      source: { ...crl, crlNumber: null, nextUpdate: null },
    }),
    certificate: null,
  },
  { verdict: verdict('challenge_replayed', -1, 'the challenge was already used'), certificate: null },
  // Signature results: basic information decoded, withheld (null), or absent (auth).
  {
    verdict: verdict('ok', -1, 'all good', { checked: false }),
    certificate: { ...facts('04'), kind: 'signing' },
    basicInfo: {
      name: '山田　太郎',
      nameSubstitutes: [false, true, false, false, false],
      gender: 'male',
      birthDate: { eraCode: 4, era: '平成', iso: '1990-04-01' },
      address: '東京都千代田区',
      addressSubstitutes: null,
      hasSubstitutes: true,
    },
  },
  { verdict: verdict('signature_invalid', -1, 'does not verify'), certificate: { ...facts('05'), kind: 'signing' }, basicInfo: null },
];

describe('packed replies', () => {
  it('round-trip every shape of result exactly', () => {
    const packed = packResults('node1-2a', RESULTS);
    expect(packed[0]).toBe(RESULT_FORMAT);
    expect(packed[0]).not.toBe('{'.charCodeAt(0)); // told apart from a JSON reply by its first byte
    const back = unpackResults(packed);
    expect(back.jobId).toBe('node1-2a');
    expect(back.results).toStrictEqual(RESULTS);
    // Absent stays absent: no basicInfo key where there was none.
    expect('basicInfo' in back.results[0]).toBe(false);
    expect(unpackResults(packResults('x', [])).results).toEqual([]);
  });

  it('carries every verdict code, every OCSP failure, and is far smaller than JSON', () => {
    const all: ItemResult[] = (Object.keys(VERDICT_CODES) as VerdictCode[]).map((code, i) => ({
      verdict: verdict(code, i - 1, code, { checked: true, failure: OCSP_FAILURE_CODES[i % OCSP_FAILURE_CODES.length] }),
      certificate: null,
    }));
    expect(unpackResults(packResults('j', all)).results).toStrictEqual(all);
    const many = Array.from({ length: 64 }, (_, i) => ({ ...RESULTS[0], certificate: facts(i.toString(16)) }));
    const packed = packResults('j', many);
    expect(unpackResults(packed).results).toStrictEqual(many);
    expect(packed.length).toBeLessThan(JSON.stringify({ jobId: 'j', results: many }).length / 3);
  });

  it('refuses a result it cannot represent when packing (a programming error, never a wrong answer)', () => {
    const pending = { ...RESULTS[0], pending: {} } as unknown as ItemResult;
    expect(() => packResults('j', [pending])).toThrow(TypeError);
    const odd = { ...RESULTS[0], verdict: { ...RESULTS[0].verdict, code: 'no_such_code' } } as unknown as ItemResult;
    expect(() => packResults('j', [odd])).toThrow(/no packed code/);
  });

  it('refuses every truncation, trailing bytes, another version and bad codes with a ResultDataError', () => {
    const packed = packResults('node1-2a', RESULTS);
    for (let n = 0; n < packed.length; n++) expect(() => unpackResults(packed.subarray(0, n)), `cut at ${n}`).toThrow(ResultDataError);
    expect(() => unpackResults(Buffer.concat([packed, Buffer.from([0])]))).toThrow(expect.objectContaining({ code: 'bad_result' }));
    const v2 = Buffer.from(packed);
    v2[0] = RESULT_FORMAT + 1;
    expect(() => unpackResults(v2)).toThrow(expect.objectContaining({ code: 'bad_version' }));
    // The job id is known before the body fails, so the API can fail that job's callers at once.
    const one = packResults('job-7', [RESULTS[4]]);
    const badCode = Buffer.from(one);
    // flags, status, then the code byte of the only item: after the table and the count.
    const itemAt = one.length - (1 + 1 + 1 + 8 + 4 + 1);
    badCode[itemAt + 2] = 250;
    const into: { jobId?: string } = {};
    expect(() => unpackResults(badCode, into)).toThrow(/unknown verdict code 250/);
    expect(into.jobId).toBe('job-7');
    const badString = Buffer.from(one);
    badString.writeUInt32LE(99, itemAt + 11);
    expect(() => unpackResults(badString)).toThrow(/string 99/);
    // Counts that promise more than the message holds are refused before anything is allocated.
    const hugeCount = Buffer.from(one);
    hugeCount.writeUInt32LE(0xfffffff0, itemAt - 4);
    expect(() => unpackResults(hugeCount)).toThrow(ResultDataError);
  });

  it('refuses random bytes with a ResultDataError, never another error', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const packed = packResults('node1-2a', RESULTS);
    for (let k = 0; k < 2000; k++) {
      const b = Buffer.from(packed);
      for (let j = 0; j < 1 + Math.floor(rnd() * 4); j++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      try {
        unpackResults(b);
      } catch (err) {
        expect(err).toBeInstanceOf(ResultDataError);
      }
    }
  });
});
