import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../src/http/decode.js';
import { ApiError } from '../../src/contract/codes.js';

describe('strict base64 for API fields', () => {
  it.each(['', 'AA==', 'AAA=', 'AAAA', 'QUJD', 'QUI', 'QQ', 'ab+/'])('accepts %j', (s) => {
    expect(Buffer.from(decodeBase64(s, 'f')).toString('base64').replace(/=+$/, '')).toBe(s.replace(/=+$/, ''));
  });
  it.each(['A', 'AA=A', '@@', 'AA AA', 'A===', 'AAAAA', 'AAA==', 'AA=', '-_', 'AA\n', 'QR==', 'QUJ-', 'QU_D', 'QR', 'QUJE\u00e9'])(
    'refuses %j as malformed_base64, naming the field',
    (s) => {
      expect(() => decodeBase64(s, 'signature')).toThrow(ApiError);
      expect(() => decodeBase64(s, 'signature')).toThrow(/signature/);
    },
  );
});
