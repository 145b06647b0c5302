// What a terminal integrator calls: pick the reader, open the card's JPKI AP, and run the two
// flows a verification needs: 電子利用者証明 (authentication certificate + signature over the
// service's challenge) and 電子署名 (signing certificate + signature over a document). The PIN
// goes to the card and nowhere else; the results are what the HTTP API takes.
import type { HashName } from '../core/algorithms.js';
import { CardError } from './errors.js';
import { JpkiCard, type TokenForm } from './jpki-ap.js';
import { PIN_RULES, type CardPurpose } from './pin.js';
import { openPcsc } from './pcsc.js';
import type { CardReaders } from './transport.js';

export interface OpenCardOptions {
  /** Reader name; without one, the only reader holding a card. */
  readonly reader?: string;
  /** The reader stack (default: PC/SC). The caller keeps ownership of a stack it passes. */
  readonly readers?: CardReaders;
  readonly extendedLength?: boolean;
  /** How long to wait for a card in the named reader (ms; default 0: it must be there). */
  readonly waitMs?: number;
}

/** The reader to use: the named one, or the only one holding a card. */
export async function chooseReader(readers: CardReaders, name?: string): Promise<string> {
  const list = await readers.list();
  if (list.length === 0) throw new CardError('no_reader', 'no smart card reader is connected');
  if (name !== undefined) {
    if (!list.some((r) => r.name === name))
      throw new CardError('no_reader', `no reader named "${name}" (readers: ${list.map((r) => `"${r.name}"`).join(', ')})`);
    return name;
  }
  const withCard = list.filter((r) => r.cardPresent);
  if (withCard.length === 1) return withCard[0].name;
  if (withCard.length === 0) throw new CardError('no_card', `no card in any reader (${list.map((r) => `"${r.name}"`).join(', ')})`);
  throw new CardError('reader_ambiguous', `cards in ${withCard.length} readers: name one (${withCard.map((r) => `"${r.name}"`).join(', ')})`);
}

/** Opens the JPKI AP of the card in a reader, held exclusively until `close()`. */
export async function openJpkiCard(o: OpenCardOptions = {}): Promise<JpkiCard> {
  const own = o.readers === undefined;
  const readers = o.readers ?? openPcsc();
  try {
    const name = await chooseReader(readers, o.reader);
    if (o.waitMs && !(await readers.waitForCard(name, o.waitMs))) throw new CardError('no_card', `no card was put in "${name}"`);
    const transport = await readers.connect(name);
    const card = new JpkiCard(
      own
        ? {
            reader: transport.reader,
            atr: transport.atr,
            transmit: (c) => transport.transmit(c),
            close: async () => {
              await transport.close();
              readers.close();
            },
          }
        : transport,
      { extendedLength: o.extendedLength },
    );
    try {
      await card.selectAp();
    } catch (err) {
      await card.close();
      throw err;
    }
    return card;
  } catch (err) {
    if (own) readers.close();
    throw err;
  }
}

export interface CardSummary {
  readonly reader: string;
  readonly token: string;
  readonly form: TokenForm;
  readonly authenticationCertificate: Uint8Array;
  readonly authenticationCa: Uint8Array;
  /** Retry counters (no PIN needed to read them); 'absent' where the card has no such PIN (no
   *  signing certificate issued, as for holders under 15). */
  readonly triesLeft: Record<CardPurpose, number | 'blocked' | 'absent'>;
  /** Read only when the signing password was given. */
  readonly signingCertificate?: Uint8Array;
  readonly signingCa?: Uint8Array;
}

/** Everything readable: token, authentication certificate and CA, retry counters; with the
 *  signing password, the signing certificate and CA too. */
export async function readCard(card: JpkiCard, signingPassword?: string): Promise<CardSummary> {
  const { token, form } = await card.token();
  const authenticationCertificate = await card.certificate('authentication');
  const authenticationCa = await card.certificate('authentication-ca');
  const triesLeft = {
    authentication: await triesOrBlocked(card, 'authentication'),
    signing: await triesOrBlocked(card, 'signing'),
  };
  if (signingPassword === undefined) return { reader: card.transport.reader, token, form, authenticationCertificate, authenticationCa, triesLeft };
  await card.verifyPin('signing', signingPassword);
  return {
    reader: card.transport.reader,
    token,
    form,
    authenticationCertificate,
    authenticationCa,
    triesLeft: { ...triesLeft, signing: PIN_RULES.signing.maxTries },
    signingCertificate: await card.certificate('signing'),
    signingCa: await card.certificate('signing-ca'),
  };
}

async function triesOrBlocked(card: JpkiCard, purpose: CardPurpose): Promise<number | 'blocked' | 'absent'> {
  try {
    return await card.pinTriesLeft(purpose);
  } catch (err) {
    if (err instanceof CardError && err.code === 'pin_blocked') return 'blocked';
    if (err instanceof CardError && err.code === 'file_not_found') return 'absent';
    throw err;
  }
}

export interface CardSignature {
  readonly certificate: Uint8Array;
  readonly signature: Uint8Array;
}

/** 電子利用者証明: the authentication certificate and the card's signature over the challenge
 *  (SHA-256 DigestInfo, as the API verifies it), after the 4-digit PIN. */
export async function authenticate(card: JpkiCard, challenge: Uint8Array, pin: string, hash: HashName = 'sha256'): Promise<CardSignature> {
  const certificate = await card.certificate('authentication');
  await card.verifyPin('authentication', pin);
  return { certificate, signature: await card.sign('authentication', challenge, hash) };
}

/** 電子署名: the signing certificate and the card's signature over a document, after the signing
 *  password (the certificate itself is readable only after it). */
export async function signDocument(card: JpkiCard, document: Uint8Array, password: string, hash: HashName = 'sha256'): Promise<CardSignature> {
  await card.verifyPin('signing', password);
  const certificate = await card.certificate('signing');
  return { certificate, signature: await card.sign('signing', document, hash) };
}
