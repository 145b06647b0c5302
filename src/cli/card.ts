// The terminal commands: `reader list`, and `card read|sign|virtual` against a real card
// through PC/SC (src/card). `card sign --dir` and `card cert` (the simulated card of a PKI
// folder) stay in commands.ts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HashName } from '../core/algorithms.js';
import { toPem } from '../core/certificate.js';
import { openPcsc } from '../card/pcsc.js';
import { openJpkiCard, readCard, type CardSummary } from '../card/terminal.js';
import type { CardPurpose } from '../card/pin.js';
import { openPki } from '../dev/sim/jlis.js';
import { JPKI_ATR } from '../dev/vcard/applet.js';
import { DEFAULT_PASSWORD, DEFAULT_PIN, holderApplet } from '../dev/vcard/holder-card.js';
import { insertVirtualCard } from '../dev/vcard/vpcd.js';
import { UsageError, type Flags } from './args.js';
import { readPin } from './secret.js';

const str = (f: Flags, k: string): string | undefined => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
/** `--reader NAME`, or `--reader` / none: the only reader holding a card. */
const readerFlag = (f: Flags): string | undefined => str(f, 'reader') || undefined;

export async function readerCmd(argv: string[]): Promise<number> {
  if (argv[0] !== 'list') throw new UsageError('expected "reader list"');
  const readers = openPcsc();
  try {
    const list = await readers.list();
    if (list.length === 0) console.log('no smart card reader');
    for (const r of list) console.log(`${r.name}\t${r.cardPresent ? `card ${Buffer.from(r.atr ?? []).toString('hex')}` : 'empty'}`);
  } finally {
    readers.close();
  }
  return 0;
}

const pem = (der: Uint8Array | undefined): string => (der ? toPem(der, 'CERTIFICATE') : '');
const tries = (t: number | 'blocked' | 'absent'): string => (t === 'blocked' ? 'blocked' : t === 'absent' ? 'absent' : `${t} tries left`);

/** `card read`: the certificates as PEM on stdout (authentication, its CA; with --signing, the
 *  signing certificate and its CA after the password), the rest on stderr. */
export async function cardReadCmd(flags: Flags): Promise<number> {
  const card = await openJpkiCard({ reader: readerFlag(flags), extendedLength: flags.extended === true });
  let s: CardSummary;
  try {
    const password = flags.signing ? await readPin(flags['pin-stdin'] === true, 'signing password (6-16 A-Z 0-9): ') : undefined;
    s = await readCard(card, password);
  } finally {
    await card.close();
  }
  console.error(`${s.reader}: ${s.token} (${s.form}); authentication PIN ${tries(s.triesLeft.authentication)}, signing password ${tries(s.triesLeft.signing)}`);
  process.stdout.write(pem(s.authenticationCertificate) + pem(s.authenticationCa) + pem(s.signingCertificate) + pem(s.signingCa));
  return 0;
}

/** `card sign --reader`: the card signs after its PIN; the signature in base64 on stdout. */
export async function cardSignCmd(flags: Flags, hash: HashName, input: { digest?: Uint8Array; data?: Uint8Array }): Promise<number> {
  const purpose: CardPurpose = str(flags, 'purpose') === 'signing' ? 'signing' : 'authentication';
  if (str(flags, 'purpose') && !['auth', 'authentication', 'signing'].includes(str(flags, 'purpose')!))
    throw new UsageError('--purpose is auth (default) or signing');
  const card = await openJpkiCard({ reader: readerFlag(flags), extendedLength: flags.extended === true });
  try {
    const pin = await readPin(flags['pin-stdin'] === true, purpose === 'signing' ? 'signing password: ' : 'authentication PIN (4 digits): ');
    await card.verifyPin(purpose, pin);
    const sig = input.digest ? await card.signDigest(purpose, hash, input.digest) : await card.sign(purpose, input.data!, hash);
    console.log(Buffer.from(sig).toString('base64'));
  } finally {
    await card.close();
  }
  return 0;
}

/** `card virtual`: a virtual My Number Card for a holder of a PKI folder, in vpcd's reader
 *  (slot 0 → "Virtual PCD 00 00"), until interrupted. For trying the terminal commands without a
 *  card; needs pcscd with vsmartcard-vpcd. */
export async function cardVirtualCmd(flags: Flags): Promise<number> {
  const dir = str(flags, 'dir');
  const holder = str(flags, 'holder');
  if (!dir || !holder) throw new UsageError('card virtual needs --dir and --holder');
  const slot = Number(str(flags, 'slot') ?? '0');
  if (slot !== 0 && slot !== 1) throw new UsageError('--slot is 0 or 1 (vpcd has two readers)');
  const applet = holderApplet(openPki(resolve(dir)), {
    holder,
    signingHolder: str(flags, 'signing-holder'),
    pin: str(flags, 'pin') ?? DEFAULT_PIN,
    password: str(flags, 'password') ?? DEFAULT_PASSWORD,
    token: str(flags, 'token'),
  });
  const card = await insertVirtualCard({ applet, atr: JPKI_ATR, slot });
  console.error(
    `virtual card for ${holder}${str(flags, 'signing-holder') ? ` (signing: ${str(flags, 'signing-holder')})` : ''} in "Virtual PCD 00 0${slot}"; Ctrl-C removes it`,
  );
  await Promise.race([card.removed, new Promise<void>((r) => (process.once('SIGINT', r), process.once('SIGTERM', r)))]);
  await card.remove();
  return 0;
}

/** Reads --data-file for card sign. */
export const readDataFile = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
