// Every way talking to a card can fail, as one closed set of codes. A terminal switches on `code`
// (and reads `triesLeft` for a wrong PIN); messages are for people and never carry a PIN, a
// certificate or a signature.
import { TypedError } from '../core/typed-error.js';

export const CARD_ERROR_CODES = [
  // the PC/SC stack and the reader
  'pcsc_unavailable', // the binding is not installed, or pcscd is not running
  'no_reader', // no reader at all, or none with the given name
  'reader_ambiguous', // several readers hold a card and none was named
  'reader_busy', // another program holds the card exclusively
  'no_card', // the reader is empty
  'card_removed', // the card left the reader during an operation
  'transport', // any other failure of the reader or pcscd
  // the card's answers
  'not_jpki', // no JPKI AP on this card (a different card, or a card without JPKI)
  'no_certificate', // the certificate file is empty (e.g. no signing certificate issued)
  'bad_certificate', // the file does not start with a DER certificate of a plausible length
  'bad_response', // an answer of the wrong shape (too short, a signature of the wrong length)
  'pin_format', // refused before reaching the card: wrong length or characters
  'wrong_pin', // the card refused the PIN; triesLeft says how many tries remain
  'pin_blocked', // no tries left: the holder must have it reset at the municipality
  'security_status', // the operation needs a PIN that was not verified in this session
  'file_not_found',
  'wrong_length',
  'wrong_parameters',
  'conditions_not_satisfied',
  'not_supported', // instruction or class the card does not know
  'memory_failure',
  'unexpected_status', // a status word not in the table
] as const;
export type CardErrorCode = (typeof CARD_ERROR_CODES)[number];

export class CardError extends TypedError<CardErrorCode> {
  override readonly name = 'CardError';
  constructor(
    code: CardErrorCode,
    message: string,
    /** The status word the card answered, when the error came from the card. */
    readonly sw?: number,
    /** PIN tries left, for wrong_pin (and 0 for pin_blocked). */
    readonly triesLeft?: number,
  ) {
    super(code, message);
  }
}
