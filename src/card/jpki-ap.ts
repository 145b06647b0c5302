// The JPKI AP (公的個人認証 application) of the My Number Card: what a terminal sends to read the
// certificates, check and verify the PINs, and have the card sign. The command sequence matches
// the public open-source readers (OpenSC card-jpki.c / pkcs15-jpki.c, jpki/myna):
//   SELECT AP      00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01
//   SELECT EF      00 A4 02 0C 02 <file id>
//   READ BINARY    00 B0 <offset hi> <offset lo> <Le>      (chained until the DER length is read)
//   VERIFY         00 20 00 80 [Lc PIN]                   (no data: the retry counter as 63 Cx)
//   COMPUTE DS     80 2A 00 80 Lc <DigestInfo> 00         (the card pads PKCS#1 v1.5 and signs)
import { createHash } from 'node:crypto';
import type { HashName } from '../core/algorithms.js';
import { digestInfo } from '../core/signature.js';
import { encodeCommand, parseResponse, EXTENDED_MAX_NE, SHORT_MAX_NE, type Command, type Response } from './apdu.js';
import { CardError } from './errors.js';
import { PIN_RULES, pinBytes, type CardPurpose } from './pin.js';
import { hexSw, statusError } from './status.js';
import type { CardTransport } from './transport.js';

export const JPKI_AID = Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]);

/** Elementary files of the JPKI AP (file ids). */
export const JPKI_EF = {
  token: 0x0006, // トークン情報: who answers (card, Android, iPhone)
  signingCertificate: 0x0001, // 署名用電子証明書 (readable after the signing password)
  signingCa: 0x0002, // its CA
  authenticationCertificate: 0x000a, // 利用者証明用電子証明書 (readable without a PIN)
  authenticationCa: 0x000b, // its CA
  authenticationKey: 0x0017,
  authenticationPin: 0x0018,
  signingKey: 0x001a,
  signingPin: 0x001b,
} as const;

/** The token file's text, and what it says answers: the card itself or a smartphone carrying the
 *  JPKI functions (スマホ用電子証明書). Unknown tokens are reported as they are. */
export const TOKENS: Record<string, TokenForm> = {
  JPKIAPICCTOKEN2: 'card',
  JPKIAPICCTOKEN: 'card',
  JPKIAPGPSETOKEN: 'android',
  JPKIAPIOSTOKEN: 'iphone',
};
export type TokenForm = 'card' | 'android' | 'iphone' | 'unknown';

export type CertificateFile = 'authentication' | 'authentication-ca' | 'signing' | 'signing-ca';
const CERT_EF: Record<CertificateFile, number> = {
  authentication: JPKI_EF.authenticationCertificate,
  'authentication-ca': JPKI_EF.authenticationCa,
  signing: JPKI_EF.signingCertificate,
  'signing-ca': JPKI_EF.signingCa,
};
const KEY_EF: Record<CardPurpose, number> = { authentication: JPKI_EF.authenticationKey, signing: JPKI_EF.signingKey };
const PIN_EF: Record<CardPurpose, number> = { authentication: JPKI_EF.authenticationPin, signing: JPKI_EF.signingPin };

/** Largest certificate accepted from a card: JPKI certificates are under 2 KB; a length past this
 *  is a corrupt file, not a certificate. */
const MAX_CERTIFICATE_BYTES = 8192;
/** READ BINARY with P1 bit 8 clear addresses 15 bits of offset. */
const MAX_OFFSET = 0x7fff;

export interface JpkiCardOptions {
  /** Use extended-length APDUs (one READ BINARY per certificate). Default: short APDUs, which
   *  every reader and card supports. */
  readonly extendedLength?: boolean;
}

/** The JPKI AP of one card, over a transport held exclusively. Methods run one at a time. */
export class JpkiCard {
  private readonly extended: boolean;
  private selected = false;

  constructor(
    readonly transport: CardTransport,
    opts: JpkiCardOptions = {},
  ) {
    this.extended = opts.extendedLength ?? false;
  }

  /** SELECT the JPKI AP by its AID; a card without it is not_jpki. */
  async selectAp(): Promise<void> {
    const r = await this.exchange({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID });
    if (r.sw !== 0x9000) {
      const e = statusError(r.sw, 'SELECT JPKI AP');
      throw new CardError('not_jpki', `this card has no JPKI application (SELECT answered ${hexSw(r.sw)})`, r.sw, e.triesLeft);
    }
    this.selected = true;
  }

  /** The token file: which form of JPKI answers (card, Android, iPhone). */
  async token(): Promise<{ token: string; form: TokenForm }> {
    await this.selectEf(JPKI_EF.token);
    const bytes = await this.readBinary(0, 0x20, 'READ BINARY token');
    const token = Buffer.from(bytes)
      .toString('latin1')
      .replace(/[\s\0]+$/, '');
    return { token, form: TOKENS[token] ?? 'unknown' };
  }

  /** A certificate's DER. The signing certificate and its CA need the signing password first. */
  async certificate(file: CertificateFile): Promise<Uint8Array> {
    await this.selectEf(CERT_EF[file]);
    const doing = `READ BINARY ${file} certificate`;
    const head = await this.readBinary(0, 4, doing);
    const total = derLength(head, file);
    if (total < 64 || total > MAX_CERTIFICATE_BYTES) throw new CardError('bad_certificate', `the ${file} certificate file claims ${total} bytes`);
    const out = new Uint8Array(total);
    out.set(head.subarray(0, 4));
    let offset = 4;
    const chunk = this.extended ? EXTENDED_MAX_NE : SHORT_MAX_NE;
    while (offset < total) {
      if (offset > MAX_OFFSET) throw new CardError('bad_certificate', `the ${file} certificate is longer than READ BINARY can address`);
      const part = await this.readBinary(offset, Math.min(chunk, total - offset), doing);
      if (part.length === 0) throw new CardError('bad_certificate', `the ${file} certificate file ends after ${offset} of ${total} bytes`);
      out.set(part.subarray(0, total - offset), offset);
      offset += part.length;
    }
    return out;
  }

  /** The PIN's retry counter (VERIFY without data → 63 Cx). A blocked PIN is pin_blocked. */
  async pinTriesLeft(purpose: CardPurpose): Promise<number> {
    await this.selectEf(PIN_EF[purpose]);
    const r = await this.exchange({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 });
    if ((r.sw & 0xfff0) === 0x63c0 && r.sw !== 0x63c0) return r.sw & 0x0f;
    // 90 00 to an empty VERIFY: already verified in this session; the counter is then full.
    if (r.sw === 0x9000) return PIN_RULES[purpose].maxTries;
    throw statusError(r.sw, `VERIFY ${purpose} PIN (retry counter)`);
  }

  /** VERIFY the PIN of `purpose`: the format first (nothing malformed reaches the card), then the
   *  retry counter (a blocked PIN is not tried), then the PIN. A wrong PIN is wrong_pin with
   *  triesLeft; the last wrong try and every try after are pin_blocked. */
  async verifyPin(purpose: CardPurpose, pin: string): Promise<{ triesBefore: number }> {
    const bytes = pinBytes(purpose, pin);
    const triesBefore = await this.pinTriesLeft(purpose);
    const r = await this.exchange({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: bytes });
    bytes.fill(0);
    if (r.sw !== 0x9000) throw statusError(r.sw, `VERIFY ${purpose} PIN`);
    return { triesBefore };
  }

  /** COMPUTE DIGITAL SIGNATURE with the key of `purpose` over a DigestInfo the terminal built;
   *  the card applies PKCS#1 v1.5 padding. Needs that purpose's PIN verified. */
  async signDigestInfo(purpose: CardPurpose, digestInfoDer: Uint8Array): Promise<Uint8Array> {
    await this.selectEf(KEY_EF[purpose]);
    const ne = this.extended ? EXTENDED_MAX_NE : SHORT_MAX_NE;
    const r = await this.exchange({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfoDer, ne });
    if (r.sw !== 0x9000) throw statusError(r.sw, `COMPUTE DIGITAL SIGNATURE (${purpose} key)`);
    if (r.data.length < 128) throw new CardError('bad_response', `the card answered a ${r.data.length}-byte signature`);
    return r.data;
  }

  /** Hashes `data`, wraps the digest in a DigestInfo and has the card sign it. */
  async sign(purpose: CardPurpose, data: Uint8Array, hash: HashName = 'sha256'): Promise<Uint8Array> {
    return this.signDigestInfo(purpose, digestInfo(hash, createHash(hash).update(data).digest()));
  }

  /** Signs a digest the caller computed. */
  async signDigest(purpose: CardPurpose, hash: HashName, digest: Uint8Array): Promise<Uint8Array> {
    return this.signDigestInfo(purpose, digestInfo(hash, digest));
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private async selectEf(fileId: number): Promise<void> {
    if (!this.selected) await this.selectAp();
    const r = await this.exchange({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.from([fileId >> 8, fileId & 0xff]) });
    if (r.sw !== 0x9000) throw statusError(r.sw, `SELECT EF ${fileId.toString(16).padStart(4, '0').toUpperCase()}`);
  }

  /** READ BINARY of up to `ne` bytes at `offset`. 62 82 (end of file before Ne bytes) still
   *  carries data; 6C xx (wrong Le) is retried once with the length the card named. */
  private async readBinary(offset: number, ne: number, doing: string): Promise<Uint8Array> {
    const cmd = { cla: 0x00, ins: 0xb0, p1: (offset >> 8) & 0x7f, p2: offset & 0xff, ne };
    let r = await this.exchange(cmd);
    if ((r.sw & 0xff00) === 0x6c00 && (r.sw & 0xff) > 0) r = await this.exchange({ ...cmd, ne: r.sw & 0xff });
    if (r.sw === 0x9000 || r.sw === 0x6282) return r.data;
    throw statusError(r.sw, doing);
  }

  private async exchange(cmd: Command): Promise<Response> {
    const r = parseResponse(await this.transport.transmit(encodeCommand(cmd, this.extended)));
    // 61 xx: more data waiting (T=0 readers); fetch it with GET RESPONSE.
    if ((r.sw & 0xff00) !== 0x6100) return r;
    const parts = [r.data];
    let sw = r.sw;
    while ((sw & 0xff00) === 0x6100) {
      const more = parseResponse(await this.transport.transmit(encodeCommand({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, ne: sw & 0xff || 256 })));
      parts.push(more.data);
      sw = more.sw;
    }
    return { data: new Uint8Array(Buffer.concat(parts)), sw };
  }
}

/** The total length of a DER SEQUENCE from its first four bytes (30 81 LL / 30 82 HH LL). */
function derLength(head: Uint8Array, file: CertificateFile): number {
  if (head.length < 4) throw new CardError('bad_certificate', `the ${file} certificate file is shorter than a DER header`);
  if (head.every((b) => b === 0x00) || head.every((b) => b === 0xff)) throw new CardError('no_certificate', `the card holds no ${file} certificate`);
  if (head[0] !== 0x30) throw new CardError('bad_certificate', `the ${file} certificate file does not start with a DER SEQUENCE`);
  if (head[1] === 0x82) return 4 + ((head[2] << 8) | head[3]);
  if (head[1] === 0x81) return 3 + head[2];
  throw new CardError('bad_certificate', `the ${file} certificate file has an implausible DER length form`);
}
