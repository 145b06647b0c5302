// The virtual My Number Card's JPKI AP: answers command APDUs as the card does, from a holder's
// keys and certificates of the simulated J-LIS. Written from the card's side (its own constants
// and parsing, not src/card's), so the terminal code and this card can disagree and OpenSC can
// referee. What it models: the AP and its EFs, READ BINARY with offsets, the two PINs with
// retry counters that survive resets and block at zero, the security state that a reset or
// another SELECT of the AP clears, COMPUTE DIGITAL SIGNATURE with PKCS#1 v1.5 padding, short
// and extended length.
import { constants, privateEncrypt, type KeyObject } from 'node:crypto';

const AID = Buffer.from('D392F000260100000001', 'hex');
/** The ATR OpenSC's JPKI driver recognises (card-jpki.c): T=1, no historical bytes. */
export const JPKI_ATR = Uint8Array.from([0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14]);

const SW = {
  ok: 0x9000,
  eof: 0x6282,
  wrongLength: 0x6700,
  incompatibleFile: 0x6981,
  securityStatus: 0x6982,
  blocked: 0x6983,
  noCurrentEf: 0x6986,
  notFound: 0x6a82,
  wrongP1P2: 0x6a86,
  offsetOutside: 0x6b00,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;

export interface AppletPin {
  readonly value: string;
  readonly maxTries: number;
  /** Tries left at start (default maxTries). */
  readonly triesLeft?: number;
}

export interface AppletOptions {
  readonly authentication: { readonly certificate: Uint8Array; readonly ca: Uint8Array; readonly key: KeyObject; readonly pin: AppletPin };
  readonly signing?: { readonly certificate: Uint8Array; readonly ca: Uint8Array; readonly key: KeyObject; readonly pin: AppletPin };
  /** The token file's text: JPKIAPICCTOKEN2 (card), JPKIAPGPSETOKEN (Android), JPKIAPIOSTOKEN (iPhone). */
  readonly token?: string;
  /** Answer extended-length commands (default true); off, they get 67 00 as on a card without it. */
  readonly extendedLength?: boolean;
}

type Ef =
  | { kind: 'binary'; data: Uint8Array; readableWith?: 'signing' }
  | { kind: 'pin'; purpose: 'authentication' | 'signing' }
  | { kind: 'key'; purpose: 'authentication' | 'signing' };

interface PinState {
  value: Buffer;
  max: number;
  left: number;
}

interface Parsed {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Buffer;
  /** Ne; 0 when the command expects no data. */
  ne: number;
  extended: boolean;
}

/** Certificate EFs are fixed-size on the card: the certificate, then zero padding. */
const CERT_EF_SIZE = 2048;
const padded = (der: Uint8Array): Uint8Array => {
  const out = new Uint8Array(Math.max(CERT_EF_SIZE, der.length));
  out.set(der);
  return out;
};

export class JpkiApplet {
  /** Every command received (INS and, for VERIFY, whether data came): what a test may inspect.
   *  PIN bytes are never kept. */
  readonly received: { ins: number; p1: number; p2: number; hasData: boolean; extended: boolean }[] = [];
  private readonly files = new Map<number, Ef>();
  private readonly pins: Record<'authentication' | 'signing', PinState | undefined>;
  private readonly keys: Record<'authentication' | 'signing', KeyObject | undefined>;
  private readonly extendedLength: boolean;
  private apSelected = false;
  private current: number | undefined;
  private verified = { authentication: false, signing: false };

  constructor(o: AppletOptions) {
    const token = Buffer.alloc(0x20, 0x20);
    token.write(o.token ?? 'JPKIAPICCTOKEN2', 'latin1');
    this.files.set(0x0006, { kind: 'binary', data: token });
    this.files.set(0x000a, { kind: 'binary', data: padded(o.authentication.certificate) });
    this.files.set(0x000b, { kind: 'binary', data: padded(o.authentication.ca) });
    this.files.set(0x0017, { kind: 'key', purpose: 'authentication' });
    this.files.set(0x0018, { kind: 'pin', purpose: 'authentication' });
    if (o.signing) {
      this.files.set(0x0001, { kind: 'binary', data: padded(o.signing.certificate), readableWith: 'signing' });
      this.files.set(0x0002, { kind: 'binary', data: padded(o.signing.ca) });
      this.files.set(0x001a, { kind: 'key', purpose: 'signing' });
      this.files.set(0x001b, { kind: 'pin', purpose: 'signing' });
    }
    const pin = (p: AppletPin): PinState => ({ value: Buffer.from(p.value, 'latin1'), max: p.maxTries, left: p.triesLeft ?? p.maxTries });
    this.pins = { authentication: pin(o.authentication.pin), signing: o.signing ? pin(o.signing.pin) : undefined };
    this.keys = { authentication: o.authentication.key, signing: o.signing?.key };
    this.extendedLength = o.extendedLength ?? true;
  }

  /** Tries left of a PIN (for tests and the CLI's status line). */
  triesLeft(purpose: 'authentication' | 'signing'): number {
    return this.pins[purpose]?.left ?? 0;
  }

  /** Power-on or reset: the selection and the verified PINs go; the retry counters stay. */
  reset(): void {
    this.apSelected = false;
    this.current = undefined;
    this.verified = { authentication: false, signing: false };
  }

  process(apdu: Uint8Array): Uint8Array {
    const cmd = parse(Buffer.from(apdu));
    if (!cmd) return sw(SW.wrongLength);
    this.received.push({ ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, hasData: cmd.data.length > 0, extended: cmd.extended });
    if (cmd.extended && !this.extendedLength) return sw(SW.wrongLength);
    if (cmd.cla === 0x00) {
      if (cmd.ins === 0xa4) return this.select(cmd);
      if (cmd.ins === 0xb0) return this.readBinary(cmd);
      if (cmd.ins === 0x20) return this.verify(cmd);
      return sw(SW.insNotSupported);
    }
    if (cmd.cla === 0x80) {
      if (cmd.ins === 0x2a) return this.sign(cmd);
      return sw(SW.insNotSupported);
    }
    return sw(SW.claNotSupported);
  }

  private select(c: Parsed): Uint8Array {
    if (c.p2 !== 0x0c) return sw(SW.wrongP1P2);
    if (c.p1 === 0x04) {
      // Selecting an application (again) starts a fresh security state, as on the card.
      this.reset();
      if (!c.data.equals(AID)) return sw(SW.notFound);
      this.apSelected = true;
      return sw(SW.ok);
    }
    if (c.p1 === 0x02) {
      if (c.data.length !== 2) return sw(SW.wrongLength);
      const id = c.data.readUInt16BE(0);
      if (!this.apSelected || !this.files.has(id)) return sw(SW.notFound);
      this.current = id;
      return sw(SW.ok);
    }
    return sw(SW.wrongP1P2);
  }

  private readBinary(c: Parsed): Uint8Array {
    if (c.p1 & 0x80) return sw(SW.wrongP1P2); // short EF identifiers: not on this AP
    const ef = this.current === undefined ? undefined : this.files.get(this.current);
    if (!ef) return sw(SW.noCurrentEf);
    if (ef.kind !== 'binary') return sw(SW.incompatibleFile);
    if (ef.readableWith && !this.verified[ef.readableWith]) return sw(SW.securityStatus);
    const offset = (c.p1 << 8) | c.p2;
    if (offset > ef.data.length) return sw(SW.offsetOutside);
    const want = c.ne || (c.extended ? 65536 : 256);
    const part = ef.data.subarray(offset, offset + want);
    return answer(part, part.length < want ? SW.eof : SW.ok);
  }

  private verify(c: Parsed): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x80) return sw(SW.wrongP1P2);
    const ef = this.current === undefined ? undefined : this.files.get(this.current);
    if (!ef || ef.kind !== 'pin') return sw(SW.noCurrentEf);
    const pin = this.pins[ef.purpose]!;
    if (pin.left === 0) return sw(SW.blocked);
    if (c.data.length === 0) return sw(0x63c0 | pin.left);
    if (c.data.length === pin.value.length && c.data.equals(pin.value)) {
      pin.left = pin.max;
      this.verified[ef.purpose] = true;
      return sw(SW.ok);
    }
    pin.left -= 1;
    this.verified[ef.purpose] = false;
    return sw(0x63c0 | pin.left);
  }

  private sign(c: Parsed): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x80) return sw(SW.wrongP1P2);
    const ef = this.current === undefined ? undefined : this.files.get(this.current);
    if (!ef || ef.kind !== 'key') return sw(SW.noCurrentEf);
    if (!this.verified[ef.purpose]) return sw(SW.securityStatus);
    const key = this.keys[ef.purpose]!;
    const k = (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
    if (c.data.length === 0 || c.data.length > k - 11) return sw(SW.wrongLength);
    const sig = privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, c.data);
    // A short command gets at most 256 bytes back: a 2048-bit signature fits exactly.
    if (!c.extended && sig.length > 256) return sw(SW.wrongLength);
    return answer(sig, SW.ok);
  }
}

const sw = (s: number): Uint8Array => Uint8Array.from([s >> 8, s & 0xff]);
const answer = (data: Uint8Array, s: number): Uint8Array => {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = s >> 8;
  out[data.length + 1] = s & 0xff;
  return out;
};

/** ISO 7816-4 cases 1-4, short and extended; null for a malformed command. */
function parse(b: Buffer): Parsed | null {
  if (b.length < 4) return null;
  const [cla, ins, p1, p2] = b;
  const base = { cla, ins, p1, p2 };
  const body = b.subarray(4);
  if (body.length === 0) return { ...base, data: Buffer.alloc(0), ne: 0, extended: false };
  if (body.length === 1) return { ...base, data: Buffer.alloc(0), ne: body[0] || 256, extended: false };
  if (body[0] !== 0x00 || body.length === 1 + body[0] || body.length === 2 + body[0]) {
    // short: Lc data [Le]
    const lc = body[0];
    if (lc === 0) return null;
    if (body.length === 1 + lc) return { ...base, data: body.subarray(1), ne: 0, extended: false };
    if (body.length === 2 + lc) return { ...base, data: body.subarray(1, 1 + lc), ne: body[1 + lc] || 256, extended: false };
    return null;
  }
  // extended: 00 Le1 Le2 | 00 Lc1 Lc2 data [Le1 Le2]
  if (body.length === 3) return { ...base, data: Buffer.alloc(0), ne: body.readUInt16BE(1) || 65536, extended: true };
  const lc = body.readUInt16BE(1);
  if (lc === 0) return null;
  if (body.length === 3 + lc) return { ...base, data: body.subarray(3), ne: 0, extended: true };
  if (body.length === 5 + lc) return { ...base, data: body.subarray(3, 3 + lc), ne: body.readUInt16BE(3 + lc) || 65536, extended: true };
  return null;
}
