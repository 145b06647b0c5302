// CRL parser (RFC 5280 §5): a streaming DER walk. Chunks go in as they arrive (file, HTTP body);
// the header and extensions are parsed with the DER reader, the revoked entries (tens of millions
// for J-LIS) with an allocation-free inline walk, handed to a callback one by one. The TBS is hashed
// as it streams, so an RSA signature is checked without ever holding the whole CRL.
import { TypedError } from './typed-error.js';
import { createHash, type Hash } from 'node:crypto';
import {
  readAlgorithmIdentifier,
  resolveSignatureAlgorithm,
  AlgorithmError,
  type AlgorithmIdentifier,
  type HashName,
  type SignatureScheme,
} from './algorithms.js';
import { DerError, DerReader, Tag, ctx, toHex } from './der.js';
import { readDistributionPointName, readReasonFlags, EXT } from './extensions.js';
import { readGeneralNames, type GeneralName } from './general-name.js';
import { parseName, type Name } from './name.js';
import { decodeTime, readTime } from './time.js';
import { concat } from './der-writer.js';

export class CrlError extends TypedError<'malformed_crl' | 'unsupported_crl' | 'crl_too_large'> {
  override readonly name = 'CrlError';
}

export const CRL_EXT = {
  cRLNumber: '2.5.29.20',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  reasonCode: '2.5.29.21',
  holdInstructionCode: '2.5.29.23',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;

/**
 * Criticality RFC 5280 fixes for the CRL and CRL entry extensions this parser reads: true = MUST
 * be critical, false = MUST NOT be. A CRL that breaks it is malformed (unusable, so the status it
 * would give stays undetermined). issuerAltName (§5.2.2, SHOULD be non-critical) may be either.
 */
export const CRL_EXTENSION_CRITICALITY: Readonly<Record<string, { critical: boolean; rule: string }>> = {
  [EXT.authorityKeyIdentifier]: { critical: false, rule: 'RFC 5280 §5.2.1' },
  [CRL_EXT.cRLNumber]: { critical: false, rule: 'RFC 5280 §5.2.3' },
  [CRL_EXT.deltaCRLIndicator]: { critical: true, rule: 'RFC 5280 §5.2.4' },
  [CRL_EXT.issuingDistributionPoint]: { critical: true, rule: 'RFC 5280 §5.2.5' },
  [EXT.freshestCRL]: { critical: false, rule: 'RFC 5280 §5.2.6' },
  [EXT.authorityInfoAccess]: { critical: false, rule: 'RFC 5280 §5.2.7' },
};
export const CRL_ENTRY_EXTENSION_CRITICALITY: Readonly<Record<string, { critical: boolean; rule: string }>> = {
  [CRL_EXT.reasonCode]: { critical: false, rule: 'RFC 5280 §5.3.1' },
  [CRL_EXT.invalidityDate]: { critical: false, rule: 'RFC 5280 §5.3.2' },
  [CRL_EXT.certificateIssuer]: { critical: true, rule: 'RFC 5280 §5.3.3' },
  [CRL_EXT.holdInstructionCode]: { critical: false, rule: 'RFC 3280 §5.3.2' },
};

function checkCriticality(table: typeof CRL_EXTENSION_CRITICALITY, oid: string, critical: boolean): void {
  const want = table[oid];
  if (want && want.critical !== critical) {
    throw new CrlError('malformed_crl', `extension ${oid} must ${want.critical ? '' : 'not '}be critical (${want.rule})`);
  }
}

/** CRLReason (RFC 5280 §5.3.1) by code; 7 is unassigned. */
export const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  null,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type ReasonName = Exclude<(typeof REASONS)[number], null>;
/** The assigned reason names in code order (code 7 skipped): for schemas and compact encodings. */
export const REASON_NAMES: readonly ReasonName[] = REASONS.filter((r): r is ReasonName => r !== null);
/** Entry without a reasonCode extension. */
export const NO_REASON = 255;

/** A cRLNumber / BaseCRLNumber (hex, as CrlInfo holds them) as a number to compare; an absent
 *  one ranks below every present one. */
export function crlNumberValue(hex: string | null): bigint {
  return hex === null ? -1n : BigInt(`0x${hex}`);
}

export interface IssuingDistributionPoint {
  readonly fullName: GeneralName[] | null;
  readonly relativeName: Uint8Array | null;
  readonly onlyUserCerts: boolean;
  readonly onlyCACerts: boolean;
  readonly onlySomeReasons: number | null; // ReasonFlags bitmask
  readonly indirectCRL: boolean;
  readonly onlyAttributeCerts: boolean;
}

export interface CrlInfo {
  readonly version: 1 | 2;
  readonly issuer: Name;
  readonly thisUpdate: number;
  readonly nextUpdate: number | null;
  readonly crlNumber: string | null; // hex of the INTEGER contents
  readonly deltaCrlIndicator: string | null; // base CRL number, hex
  readonly idp: IssuingDistributionPoint | null;
  readonly authorityKeyId: Uint8Array | null;
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  /** Hash of the TBSCertList with the CRL's own hash algorithm (absent for Ed25519). */
  readonly tbsDigest: { hash: HashName; digest: Uint8Array } | null;
  /** The TBS bytes, kept only where the signature scheme needs them whole (non-RSA PKCS#1). */
  readonly tbs: Uint8Array | null;
  readonly entryCount: number;
  readonly hasCriticalEntryExtension: boolean;
}

/** One revoked entry, valid only during the callback: `buf[serialStart, serialEnd)` is the serial
 *  INTEGER contents. */
export interface EntryView {
  buf: Uint8Array;
  serialStart: number;
  serialEnd: number;
  revocationDate: number; // epoch ms
  reason: number; // 0..10, or NO_REASON
  invalidityDate: number; // epoch ms or NaN
  /** certificateIssuer entry extension (indirect CRLs), else null. */
  certificateIssuer: GeneralName[] | null;
}

export type EntryCallback = (e: EntryView) => void;

/** Largest TBS kept in memory for schemes that cannot be checked over a streamed hash. */
const MAX_BUFFERED_TBS = 64 * 1024 * 1024;

const HASH_OF: Record<string, HashName> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10040.4.3': 'sha1',
  '2.16.840.1.101.3.4.3.2': 'sha256',
};

/** crlEntryExtensions containing only a non-critical reasonCode, up to the ENUMERATED value. */
const REASON_ONLY = new Uint8Array([0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01]);

function matchesAt(buf: Uint8Array, p: number, pat: Uint8Array): boolean {
  for (let i = 0; i < pat.length; i++) if (buf[p + i] !== pat[i]) return false;
  return true;
}

type Stage = 'outer' | 'tbs' | 'fields' | 'entries' | 'extensions' | 'sigalg' | 'signature' | 'done';

/**
 * Incremental CRL parser. push() chunks, then finish(). Throws CrlError on malformed input at the
 * point it is detected; nothing is committed by the parser itself (callers build their index
 * aside and swap only after finish() and a signature check succeed).
 */
export class CrlParser {
  private buf: Uint8Array = new Uint8Array(0);
  private base = 0; // absolute offset of buf[0]
  private stage: Stage = 'outer';
  private outerEnd = -1;
  private tbsStart = -1;
  private tbsEnd = -1;
  private entriesEnd = -1;
  private hashedTo = 0;
  private hasher: Hash | null = null;
  private hashName: HashName | null = null;
  private keepTbs = false;
  private tbsParts: Uint8Array[] = [];
  private tbsKept = 0;
  private count = 0;
  private criticalEntryExt = false;
  private readonly view: EntryView = {
    buf: new Uint8Array(0),
    serialStart: 0,
    serialEnd: 0,
    revocationDate: 0,
    reason: NO_REASON,
    invalidityDate: NaN,
    certificateIssuer: null,
  };
  // header fields
  private version: 1 | 2 = 1;
  private tbsSig: AlgorithmIdentifier | null = null;
  private issuer: Name | null = null;
  private thisUpdate = 0;
  private nextUpdate: number | null = null;
  private crlNumber: string | null = null;
  private delta: string | null = null;
  private idp: IssuingDistributionPoint | null = null;
  private aki: Uint8Array | null = null;
  private sigAlg: AlgorithmIdentifier | null = null;
  private signature: Uint8Array | null = null;

  constructor(private readonly onEntry: EntryCallback | null = null) {}

  push(chunk: Uint8Array): void {
    if (this.stage === 'done') {
      if (chunk.length) throw new CrlError('malformed_crl', 'bytes after the end of the CRL');
      return;
    }
    this.buf = this.buf.length ? concat([this.buf, chunk]) : chunk;
    try {
      this.run();
    } catch (err) {
      throw asCrlError(err);
    }
  }

  finish(): CrlInfo {
    if (this.stage !== 'done') throw new CrlError('malformed_crl', `CRL truncated (${this.stage})`);
    if (this.buf.length) throw new CrlError('malformed_crl', 'bytes after the end of the CRL');
    let tbs: Uint8Array | null = null;
    if (this.keepTbs) tbs = this.tbsParts.length === 1 ? this.tbsParts[0] : concat(this.tbsParts);
    return {
      version: this.version,
      issuer: this.issuer!,
      thisUpdate: this.thisUpdate,
      nextUpdate: this.nextUpdate,
      crlNumber: this.crlNumber,
      deltaCrlIndicator: this.delta,
      idp: this.idp,
      authorityKeyId: this.aki,
      tbsSignatureAlgorithm: this.tbsSig!,
      signatureAlgorithm: this.sigAlg!,
      signature: this.signature!,
      tbsDigest: this.hasher && this.hashName ? { hash: this.hashName, digest: new Uint8Array(this.hasher.digest()) } : null,
      tbs,
      entryCount: this.count,
      hasCriticalEntryExtension: this.criticalEntryExt,
    };
  }

  /** Parses as far as the buffered bytes allow, then hashes and drops what was consumed. */
  private run(): void {
    let p = 0; // position in buf
    const buf = this.buf;
    const abs = (x: number): number => this.base + x;
    loop: for (;;) {
      switch (this.stage) {
        case 'outer': {
          const h = header(buf, p);
          if (!h) break loop;
          if (buf[p] !== Tag.SEQUENCE) throw new DerError('wrong_tag', 'CertificateList must be a SEQUENCE', abs(p));
          this.outerEnd = abs(h.valueStart) + h.length;
          p = h.valueStart;
          this.stage = 'tbs';
          break;
        }
        case 'tbs': {
          const h = header(buf, p);
          if (!h) break loop;
          if (buf[p] !== Tag.SEQUENCE) throw new DerError('wrong_tag', 'tbsCertList must be a SEQUENCE', abs(p));
          this.tbsStart = abs(p);
          this.tbsEnd = abs(h.valueStart) + h.length;
          if (this.tbsEnd > this.outerEnd) throw new DerError('truncated', 'tbsCertList runs past the CRL', abs(p));
          this.hashedTo = this.tbsStart;
          p = h.valueStart;
          this.stage = 'fields';
          break;
        }
        case 'fields': {
          // version, signature, issuer, thisUpdate, nextUpdate: small; parse once all are here.
          const r = this.fields(buf, p);
          if (r < 0) {
            // Keep the TBS header unconsumed until the hash can start at its first byte.
            p = this.tbsStart - this.base;
            this.stage = 'tbs';
            break loop;
          }
          p = r;
          break;
        }
        case 'entries': {
          if (abs(p) === this.entriesEnd) {
            this.stage = 'extensions';
            break;
          }
          const h = header(buf, p);
          if (!h) break loop;
          const end = h.valueStart + h.length;
          if (abs(end) > this.entriesEnd) throw new DerError('truncated', 'revoked entry runs past revokedCertificates', abs(p));
          if (end > buf.length) break loop;
          if (buf[p] !== Tag.SEQUENCE) throw new DerError('wrong_tag', 'revoked entry must be a SEQUENCE', abs(p));
          this.entry(buf, h.valueStart, end);
          p = end;
          break;
        }
        case 'extensions': {
          if (abs(p) === this.tbsEnd) {
            this.stage = 'sigalg';
            break;
          }
          const h = header(buf, p);
          if (!h) break loop;
          const end = h.valueStart + h.length;
          if (end > buf.length) break loop;
          if (buf[p] !== ctx(0, true)) throw new DerError('wrong_tag', 'expected crlExtensions [0]', abs(p));
          if (abs(end) !== this.tbsEnd) throw new DerError('trailing_bytes', 'data after crlExtensions in tbsCertList', abs(end));
          if (this.version !== 2) throw new DerError('bad_value', 'crlExtensions in a v1 CRL', abs(p));
          this.extensions(buf.subarray(h.valueStart, end));
          p = end;
          break;
        }
        case 'sigalg': {
          const h = header(buf, p);
          if (!h) break loop;
          const end = h.valueStart + h.length;
          if (end > buf.length) break loop;
          this.hashUpTo(buf, p);
          const r = new DerReader(buf, p, end);
          this.sigAlg = readAlgorithmIdentifier(r, 'signatureAlgorithm');
          p = end;
          this.stage = 'signature';
          break;
        }
        case 'signature': {
          const h = header(buf, p);
          if (!h) break loop;
          const end = h.valueStart + h.length;
          if (end > buf.length) break loop;
          const r = new DerReader(buf, p, end);
          const bits = r.bitString('signatureValue');
          if (bits.unused) throw new DerError('bad_value', 'signature has unused bits', abs(p));
          this.signature = Uint8Array.from(bits.bytes);
          p = end;
          if (abs(p) !== this.outerEnd) throw new DerError('trailing_bytes', 'data after the signature inside the CRL', abs(p));
          this.stage = 'done';
          break;
        }
        case 'done':
          if (p < buf.length) throw new DerError('trailing_bytes', 'bytes after the end of the CRL', abs(p));
          break loop;
      }
    }
    this.hashUpTo(buf, p);
    // Keep only the unconsumed tail (copied, so the caller's chunk can be reused).
    this.buf = p < buf.length ? buf.slice(p) : new Uint8Array(0);
    this.base += p;
  }

  private hashUpTo(buf: Uint8Array, p: number): void {
    const upto = Math.min(this.base + p, this.tbsEnd);
    if (this.tbsEnd < 0 || upto <= this.hashedTo || (!this.hasher && !this.keepTbs)) return;
    const part = buf.subarray(this.hashedTo - this.base, upto - this.base);
    this.hasher?.update(part);
    if (this.keepTbs) {
      this.tbsKept += part.length;
      if (this.tbsKept > MAX_BUFFERED_TBS)
        throw new CrlError('crl_too_large', 'CRL too large for its signature algorithm (only RSA PKCS#1 and ECDSA CRLs stream)');
      this.tbsParts.push(part.slice());
    }
    this.hashedTo = upto;
  }

  /** Header fields of tbsCertList; returns the new position, or -1 if more bytes are needed. */
  private fields(buf: Uint8Array, p: number): number {
    // version?, signature, issuer, thisUpdate, nextUpdate?: all small, needed complete. Of what
    // follows (revokedCertificates, possibly huge) only the header is needed.
    let q = p;
    const complete = (): boolean => {
      const h = header(buf, q);
      if (!h || h.valueStart + h.length > buf.length) return false;
      q = h.valueStart + h.length;
      return true;
    };
    if (buf.length > q && buf[q] === Tag.INTEGER && !complete()) return -1;
    for (let i = 0; i < 3; i++) if (!complete()) return -1; // signature, issuer, thisUpdate
    if (this.base + q < this.tbsEnd) {
      if (q >= buf.length) return -1;
      if ((buf[q] === Tag.UTCTime || buf[q] === Tag.GeneralizedTime) && !complete()) return -1;
    }
    if (this.base + q < this.tbsEnd && !header(buf, q)) return -1;
    // A private copy: the stream buffer is dropped as parsing moves on.
    const copy = buf.slice(p, q);
    const r = new DerReader(copy);
    if (r.peekTag() === Tag.INTEGER) {
      const v = r.smallInt('version');
      if (v !== 1) throw new DerError('bad_value', `CRL version ${v + 1}`, this.base + p);
      this.version = 2;
    }
    this.tbsSig = readAlgorithmIdentifier(r, 'signature');
    this.issuer = parseName(r, r.expect(Tag.SEQUENCE, 'issuer'));
    this.thisUpdate = readTime(r, 'thisUpdate');
    if (r.hasMore()) this.nextUpdate = readTime(r, 'nextUpdate');
    r.done();
    this.startHash();
    if (this.base + q === this.tbsEnd) {
      this.stage = 'sigalg';
      return q;
    }
    const h = header(buf, q)!;
    if (buf[q] === Tag.SEQUENCE) {
      this.entriesEnd = this.base + h.valueStart + h.length;
      if (this.entriesEnd > this.tbsEnd) throw new DerError('truncated', 'revokedCertificates runs past tbsCertList', this.base + q);
      if (h.length === 0) throw new DerError('bad_value', 'empty revokedCertificates must be omitted', this.base + q);
      this.stage = 'entries';
      return h.valueStart;
    }
    this.stage = 'extensions';
    return q;
  }

  private startHash(): void {
    const alg = this.tbsSig!;
    const hash = HASH_OF[alg.oid];
    let scheme: SignatureScheme | null = null;
    try {
      scheme = resolveSignatureAlgorithm(alg);
    } catch (err) {
      if (!(err instanceof AlgorithmError)) throw err;
    }
    const h = scheme && 'hash' in scheme ? scheme.hash : hash;
    if (h) {
      this.hashName = h;
      this.hasher = createHash(h);
    }
    // RSA PKCS#1 and ECDSA are checked from the digest; every other scheme needs the bytes themselves.
    this.keepTbs = scheme?.kind !== 'rsa-pkcs1' && scheme?.kind !== 'ecdsa';
  }

  /** One revoked entry, walked inline: no DerReader, no allocation on the common path. */
  private entry(buf: Uint8Array, p: number, end: number): void {
    const v = this.view;
    // userCertificate INTEGER (short length: serials are at most ~21 octets)
    if (buf[p] !== Tag.INTEGER || buf[p + 1] >= 0x80) throw new DerError('wrong_tag', 'entry serial must be a short INTEGER', this.base + p);
    const sStart = p + 2;
    const sLen = buf[p + 1];
    const sEnd = sStart + sLen;
    if (sLen === 0 || sEnd > end) throw new DerError('bad_value', 'bad entry serial', this.base + p);
    if (sLen > 1 && ((buf[sStart] === 0 && !(buf[sStart + 1] & 0x80)) || (buf[sStart] === 0xff && buf[sStart + 1] & 0x80))) {
      throw new DerError('bad_value', 'non-minimal entry serial', this.base + p);
    }
    p = sEnd;
    // revocationDate: UTCTime fast path, GeneralizedTime through the general decoder.
    let revocationDate: number;
    if (buf[p] === Tag.UTCTime && buf[p + 1] === 13 && p + 15 <= end) {
      revocationDate = this.utcTime(buf, p);
      p += 15;
    } else {
      const h = header(buf, p);
      if (!h || h.valueStart + h.length > end) throw new DerError('truncated', 'entry revocationDate', this.base + p);
      revocationDate = decodeTime(buf, { tag: buf[p], start: p, valueStart: h.valueStart, end: h.valueStart + h.length });
      p = h.valueStart + h.length;
    }
    let reason = NO_REASON;
    let invalidity = NaN;
    let certIssuer: GeneralName[] | null = null;
    if (p < end) {
      if (this.version !== 2) throw new DerError('bad_value', 'entry extensions in a v1 CRL', this.base + p);
      if (end - p === REASON_ONLY.length + 1 && matchesAt(buf, p, REASON_ONLY)) {
        // The common J-LIS shape: crlEntryExtensions holding only reasonCode.
        reason = buf[p + REASON_ONLY.length];
        if (reason > 10 || reason === 7) throw new DerError('bad_value', `reasonCode ${reason} is not assigned`, this.base + p);
      } else {
        const x = this.entryExtensions(buf, p, end);
        reason = x.reason;
        invalidity = x.invalidity;
        certIssuer = x.certIssuer;
      }
    }
    this.count++;
    if (this.onEntry) {
      v.buf = buf;
      v.serialStart = sStart;
      v.serialEnd = sEnd;
      v.revocationDate = revocationDate;
      v.reason = reason;
      v.invalidityDate = invalidity;
      v.certificateIssuer = certIssuer;
      this.onEntry(v);
    }
  }

  private readonly dayCache = new Map<number, number>();

  /** UTCTime YYMMDDHHMMSSZ at buf[p] (tag and length checked by the caller). */
  private utcTime(buf: Uint8Array, p: number): number {
    let ymd = 0;
    for (let i = p + 2; i < p + 8; i++) {
      const c = buf[i] - 0x30;
      if (c < 0 || c > 9) throw new DerError('bad_value', 'time has a non-digit', this.base + p);
      ymd = ymd * 10 + c;
    }
    let day = this.dayCache.get(ymd);
    if (day === undefined) {
      // Validates the whole value once per distinct day.
      day = decodeTime(buf, { tag: Tag.UTCTime, start: p, valueStart: p + 2, end: p + 15 });
      day -= day % 86_400_000;
      if (this.dayCache.size > 100_000) this.dayCache.clear();
      this.dayCache.set(ymd, day);
    }
    const d2 = (i: number): number => {
      const a = buf[i] - 0x30;
      const b = buf[i + 1] - 0x30;
      if (a < 0 || a > 9 || b < 0 || b > 9) throw new DerError('bad_value', 'time has a non-digit', this.base + p);
      return a * 10 + b;
    };
    const hh = d2(p + 8);
    const mm = d2(p + 10);
    const ss = d2(p + 12);
    if (hh > 23 || mm > 59 || ss > 59 || buf[p + 14] !== 0x5a) throw new DerError('bad_value', 'time out of range', this.base + p);
    return day + (hh * 3600 + mm * 60 + ss) * 1000;
  }

  private entryExtensions(buf: Uint8Array, p: number, end: number): { reason: number; invalidity: number; certIssuer: GeneralName[] | null } {
    let reason = NO_REASON;
    let invalidity = NaN;
    let certIssuer: GeneralName[] | null = null;
    const r = new DerReader(buf, p, end, 3);
    const exts = r.sequence('crlEntryExtensions');
    r.done();
    if (!exts.hasMore()) throw new DerError('bad_value', 'empty crlEntryExtensions', this.base + p);
    const seen = new Set<string>();
    while (exts.hasMore()) {
      const ex = exts.sequence('Extension');
      const oid = ex.oid('extnID');
      const critical = ex.peekTag() === Tag.BOOLEAN ? ex.boolean('critical') : false;
      const value = ex.octetString('extnValue');
      ex.done();
      if (seen.has(oid)) throw new DerError('bad_value', `duplicate entry extension ${oid}`, this.base + p);
      seen.add(oid);
      checkCriticality(CRL_ENTRY_EXTENSION_CRITICALITY, oid, critical);
      const vr = new DerReader(value);
      if (oid === CRL_EXT.reasonCode) {
        const e = vr.expect(Tag.ENUMERATED, 'reasonCode');
        if (e.end - e.valueStart !== 1) throw new DerError('bad_value', 'reasonCode', e.start);
        reason = value[e.valueStart];
        if (reason > 10 || reason === 7) throw new DerError('bad_value', `reasonCode ${reason} is not assigned`, e.start);
      } else if (oid === CRL_EXT.invalidityDate) {
        const e = vr.expect(Tag.GeneralizedTime, 'invalidityDate');
        invalidity = decodeTime(value, e);
      } else if (oid === CRL_EXT.certificateIssuer) {
        certIssuer = readGeneralNames(vr.sequence('certificateIssuer'), 'certificateIssuer');
      } else if (oid === CRL_EXT.holdInstructionCode) {
        vr.oid('holdInstructionCode');
      } else {
        // RFC 5280 §5.3: a CRL with an unprocessable critical entry extension must not be used.
        if (critical) this.criticalEntryExt = true;
        continue;
      }
      vr.done();
    }
    return { reason, invalidity, certIssuer };
  }

  private extensions(contents: Uint8Array): void {
    const r = new DerReader(contents);
    const list = r.sequence('crlExtensions');
    r.done();
    const seen = new Set<string>();
    while (list.hasMore()) {
      const ex = list.sequence('Extension');
      const oid = ex.oid('extnID');
      const critical = ex.peekTag() === Tag.BOOLEAN ? ex.boolean('critical') : false;
      const value = ex.octetString('extnValue');
      ex.done();
      if (seen.has(oid)) throw new DerError('bad_value', `duplicate CRL extension ${oid}`, 0);
      seen.add(oid);
      checkCriticality(CRL_EXTENSION_CRITICALITY, oid, critical);
      const vr = new DerReader(value);
      switch (oid) {
        case CRL_EXT.cRLNumber:
          this.crlNumber = nonNegative(vr.integerBytes('cRLNumber'), 'cRLNumber');
          break;
        case CRL_EXT.deltaCRLIndicator:
          this.delta = nonNegative(vr.integerBytes('BaseCRLNumber'), 'BaseCRLNumber');
          break;
        case CRL_EXT.issuingDistributionPoint:
          this.idp = readIdp(vr);
          break;
        case EXT.authorityKeyIdentifier: {
          const s = vr.sequence('authorityKeyIdentifier');
          const k = s.optional(ctx(0, false));
          this.aki = k ? Uint8Array.from(s.value(k)) : null;
          while (s.hasMore()) s.next();
          break;
        }
        case EXT.issuerAltName:
        case EXT.freshestCRL:
        case EXT.authorityInfoAccess:
          while (vr.hasMore()) vr.next();
          break;
        default:
          if (critical) throw new CrlError('unsupported_crl', `unknown critical CRL extension ${oid}`);
          while (vr.hasMore()) vr.next();
      }
      vr.done();
    }
  }
}

function nonNegative(b: Uint8Array, what: string): string {
  if (b[0] & 0x80) throw new DerError('bad_value', `${what} is negative`, 0);
  if (b.length > 20) throw new DerError('bad_value', `${what} longer than 20 octets`, 0);
  return toHex(b[0] === 0 && b.length > 1 ? b.subarray(1) : b);
}

function readIdp(vr: DerReader): IssuingDistributionPoint {
  const s = vr.sequence('issuingDistributionPoint');
  const dpn = s.optional(ctx(0, true));
  const names = dpn ? readDistributionPointName(s, dpn) : { fullName: null, relativeName: null };
  const flag = (n: number): boolean => {
    if (s.peekTag() !== ctx(n, false)) return false;
    const e = s.next();
    if (e.end - e.valueStart !== 1 || s.buf[e.valueStart] !== 0xff)
      throw new DerError('bad_value', 'IDP boolean must be TRUE when present (DEFAULT FALSE)', e.start);
    return true;
  };
  const onlyUserCerts = flag(1);
  const onlyCACerts = flag(2);
  const onlySomeReasons = s.peekTag() === ctx(3, false) ? readReasonFlags(s, ctx(3, false)) : null;
  const indirectCRL = flag(4);
  const onlyAttributeCerts = flag(5);
  s.done();
  if (Number(onlyUserCerts) + Number(onlyCACerts) + Number(onlyAttributeCerts) > 1)
    throw new DerError('bad_value', 'IDP: at most one onlyContains… may be set', 0);
  return {
    fullName: names.fullName,
    relativeName: names.relativeName ? Uint8Array.from(names.relativeName) : null,
    onlyUserCerts,
    onlyCACerts,
    onlySomeReasons,
    indirectCRL,
    onlyAttributeCerts,
  };
}

/** TLV header at `p`: value start and length, or null when the header is not complete yet.
 *  DER length rules as in DerReader. */
function header(buf: Uint8Array, p: number): { valueStart: number; length: number } | null {
  if (p + 2 > buf.length) return null;
  if ((buf[p] & 0x1f) === 0x1f) throw new DerError('unsupported_tag', 'high-tag-number form', p);
  const first = buf[p + 1];
  if (first < 0x80) return { valueStart: p + 2, length: first };
  if (first === 0x80) throw new DerError('indefinite_length', 'indefinite length is BER, not DER', p + 1);
  const n = first & 0x7f;
  if (n > 4) throw new DerError('bad_length', `${n}-octet length`, p + 1);
  if (p + 2 + n > buf.length) return null;
  if (buf[p + 2] === 0) throw new DerError('overlong_length', 'leading zero in length', p + 2);
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[p + 2 + i];
  if (len < 0x80) throw new DerError('overlong_length', 'long form for a short length', p + 1);
  return { valueStart: p + 2 + n, length: len };
}

function asCrlError(err: unknown): unknown {
  if (err instanceof CrlError) return err;
  if (err instanceof DerError) return new CrlError('malformed_crl', err.message);
  if (err instanceof AlgorithmError) return new CrlError('unsupported_crl', err.message);
  return err;
}

/** A CRL held in memory with its entries (small CRLs: conformance suites, tests). */
export interface ParsedCrl extends CrlInfo {
  readonly der: Uint8Array;
  readonly entries: readonly {
    serial: Uint8Array;
    revocationDate: number;
    reason: number;
    invalidityDate: number;
    certificateIssuer: GeneralName[] | null;
  }[];
}

export function parseCrl(der: Uint8Array): ParsedCrl {
  const entries: ParsedCrl['entries'][number][] = [];
  const p = new CrlParser((e) =>
    entries.push({
      serial: e.buf.slice(e.serialStart, e.serialEnd),
      revocationDate: e.revocationDate,
      reason: e.reason,
      invalidityDate: e.invalidityDate,
      certificateIssuer: e.certificateIssuer,
    }),
  );
  p.push(der);
  return { ...p.finish(), der, entries };
}
