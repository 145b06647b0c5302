// Status words (ISO/IEC 7816-4 §5.6) to typed errors: one table, read top to bottom, first match
// wins. 90 00 is success; 62 82 (end of file before Ne bytes) is a warning that still carries
// data and is handled by READ BINARY itself; everything else is an error here.
import { CardError, type CardErrorCode } from './errors.js';

interface Rule {
  /** The status word, or a mask-and-value pair for families such as 63 Cx. */
  readonly sw: number;
  readonly mask?: number;
  readonly code: CardErrorCode;
  readonly text: string;
}

export const STATUS_TABLE: readonly Rule[] = [
  { sw: 0x63c0, code: 'pin_blocked', text: 'PIN blocked: no tries left' },
  { sw: 0x63c0, mask: 0xfff0, code: 'wrong_pin', text: 'wrong PIN' },
  { sw: 0x6983, code: 'pin_blocked', text: 'PIN blocked: no tries left' },
  { sw: 0x6982, code: 'security_status', text: 'security status not satisfied: verify the PIN first' },
  { sw: 0x6984, code: 'conditions_not_satisfied', text: 'reference data not usable' },
  { sw: 0x6985, code: 'conditions_not_satisfied', text: 'conditions of use not satisfied' },
  { sw: 0x6986, code: 'conditions_not_satisfied', text: 'command not allowed: no current EF of the right kind' },
  { sw: 0x6981, code: 'conditions_not_satisfied', text: 'command incompatible with the file structure' },
  { sw: 0x6a82, code: 'file_not_found', text: 'file or application not found' },
  { sw: 0x6a88, code: 'file_not_found', text: 'referenced data not found' },
  { sw: 0x6700, code: 'wrong_length', text: 'wrong length (Lc or Le)' },
  { sw: 0x6c00, mask: 0xff00, code: 'wrong_length', text: 'wrong Le' },
  { sw: 0x6b00, code: 'wrong_parameters', text: 'wrong parameters P1-P2 (offset outside the file)' },
  { sw: 0x6a86, code: 'wrong_parameters', text: 'wrong parameters P1-P2' },
  { sw: 0x6a80, code: 'wrong_parameters', text: 'wrong data field' },
  { sw: 0x6d00, code: 'not_supported', text: 'instruction not supported' },
  { sw: 0x6e00, code: 'not_supported', text: 'class not supported' },
  { sw: 0x6581, code: 'memory_failure', text: 'memory failure' },
];

export const hexSw = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0').replace(/^(..)/, '$1 ');

/** The typed error for a status word other than 90 00. `doing` names the step ("VERIFY", …). */
export function statusError(sw: number, doing: string): CardError {
  const rule = STATUS_TABLE.find((r) => (sw & (r.mask ?? 0xffff)) === r.sw);
  if (!rule) return new CardError('unexpected_status', `${doing}: the card answered ${hexSw(sw)}`, sw);
  if (rule.code === 'wrong_pin') {
    const left = sw & 0x0f;
    return new CardError('wrong_pin', `${doing}: wrong PIN, ${left} ${left === 1 ? 'try' : 'tries'} left (${hexSw(sw)})`, sw, left);
  }
  return new CardError(rule.code, `${doing}: ${rule.text} (${hexSw(sw)})`, sw, rule.code === 'pin_blocked' ? 0 : undefined);
}
