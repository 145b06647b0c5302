// The two secrets of the JPKI AP and their rules, checked before anything reaches the card: a
// malformed PIN sent to the card would cost the holder one of few tries. Error messages say
// what is wrong with the PIN, never what it is.
import { CardError } from './errors.js';

/** Which key of the card: 利用者証明用 (authentication) or 署名用 (signing). */
export type CardPurpose = 'authentication' | 'signing';

export const PIN_RULES: Record<CardPurpose, { readonly pattern: RegExp; readonly describe: string; readonly maxTries: number }> = {
  // 利用者証明用電子証明書の暗証番号: 4 digits, 3 tries.
  authentication: { pattern: /^[0-9]{4}$/, describe: 'the authentication PIN is 4 digits', maxTries: 3 },
  // 署名用電子証明書の暗証番号: 6 to 16 upper-case letters and digits, 5 tries.
  signing: { pattern: /^[0-9A-Z]{6,16}$/, describe: 'the signing password is 6 to 16 upper-case letters (A-Z) and digits', maxTries: 5 },
};

/** The PIN as the bytes VERIFY carries (ASCII), or a pin_format error. */
export function pinBytes(purpose: CardPurpose, pin: string): Uint8Array {
  const rule = PIN_RULES[purpose];
  // The message states the rule only: not even the length of what was typed.
  if (typeof pin !== 'string' || !rule.pattern.test(pin)) throw new CardError('pin_format', `not sent to the card: ${rule.describe}`);
  return new Uint8Array(Buffer.from(pin, 'ascii'));
}
