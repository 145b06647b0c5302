// X.509 v3 certificate parser (RFC 5280 §4) over the DER reader. Structure errors and profile
// violations that make a certificate unusable raise CertificateError; softer facts (unknown
// critical extensions, extensions that must not be critical) are recorded for path validation to
// judge, so the verdict can name the certificate and the extension.
import { createHash } from 'node:crypto';
import { readAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithms.js';
import { DerError, DerReader, Tag, bytesEqual, ctx, toHex } from './der.js';
import { readExtensions, type Extensions } from './extensions.js';
import { namesMatch, parseName, type Name } from './name.js';
import { readTime } from './time.js';

export class CertificateError extends Error {
  override readonly name = 'CertificateError';
  constructor(
    readonly code: 'malformed_certificate',
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export interface SubjectPublicKeyInfo {
  readonly der: Uint8Array; // the whole SPKI, for key import and identity
  readonly algorithm: AlgorithmIdentifier;
  readonly publicKey: Uint8Array; // BIT STRING contents (for RSA: the PKCS#1 RSAPublicKey)
}

export interface Certificate {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly version: 1 | 2 | 3;
  readonly serial: Uint8Array; // INTEGER contents, two's complement
  readonly serialHex: string;
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: number; // epoch ms
  readonly notAfter: number;
  readonly spki: SubjectPublicKeyInfo;
  readonly extensions: Extensions;
  /** issuer and subject names match (RFC 5280 "self-issued"); computed on first use. */
  readonly selfIssued: boolean;
}

/** Parses one DER certificate. Throws CertificateError for anything malformed. */
export function parseCertificate(der: Uint8Array): Certificate {
  try {
    return parse(der);
  } catch (err) {
    if (err instanceof DerError) throw new CertificateError('malformed_certificate', err.message, err);
    throw err;
  }
}

function parse(der: Uint8Array): Certificate {
  const top = new DerReader(der);
  const cert = top.sequence('Certificate');
  top.done();
  const tbsEl = cert.expect(Tag.SEQUENCE, 'tbsCertificate');
  const signatureAlgorithm = readAlgorithmIdentifier(cert, 'signatureAlgorithm');
  const sig = cert.bitString('signatureValue');
  cert.done();
  if (sig.unused !== 0) throw new DerError('bad_value', 'signature BIT STRING has unused bits', tbsEl.end);

  const t = cert.enter(tbsEl);
  let version: 1 | 2 | 3 = 1;
  const ve = t.optional(ctx(0, true));
  if (ve) {
    const vr = t.enter(ve);
    const v = vr.smallInt('version');
    vr.done();
    // DER: the DEFAULT v1 must be omitted, not encoded.
    if (v !== 1 && v !== 2) throw new DerError('bad_value', `version ${v + 1}`, ve.start);
    version = (v + 1) as 2 | 3;
  }
  const serial = t.integerBytes('serialNumber');
  const tbsSignatureAlgorithm = readAlgorithmIdentifier(t, 'signature');
  const issuer = parseName(t, t.expect(Tag.SEQUENCE, 'issuer'));
  const validity = t.sequence('validity');
  const notBefore = readTime(validity, 'notBefore');
  const notAfter = readTime(validity, 'notAfter');
  validity.done();
  const subject = parseName(t, t.expect(Tag.SEQUENCE, 'subject'));
  const spkiEl = t.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo');
  const spkiR = t.enter(spkiEl);
  const algorithm = readAlgorithmIdentifier(spkiR, 'subjectPublicKey algorithm');
  const pk = spkiR.bitString('subjectPublicKey');
  spkiR.done();
  if (pk.unused !== 0) throw new DerError('bad_value', 'subjectPublicKey has unused bits', spkiEl.start);
  // issuerUniqueID / subjectUniqueID: v2+ only; carried by no CA we know of, skipped.
  if (t.optional(ctx(1, false)) && version === 1) throw new DerError('bad_value', 'issuerUniqueID in v1', t.pos);
  if (t.optional(ctx(2, false)) && version === 1) throw new DerError('bad_value', 'subjectUniqueID in v1', t.pos);
  let extensions: Extensions = readExtensions(null);
  const extEl = t.optional(ctx(3, true));
  if (extEl) {
    if (version !== 3) throw new DerError('bad_value', 'extensions in a pre-v3 certificate', extEl.start);
    const er = t.enter(extEl);
    const list = er.expect(Tag.SEQUENCE, 'extensions');
    er.done();
    extensions = readExtensions(er.enter(list));
  }
  t.done();

  return new ParsedCertificate({
    der,
    tbs: cert.raw(tbsEl),
    version,
    serial,
    serialHex: toHex(serial),
    tbsSignatureAlgorithm,
    signatureAlgorithm,
    signature: sig.bytes,
    issuer,
    subject,
    notBefore,
    notAfter,
    spki: { der: t.raw(spkiEl), algorithm, publicKey: pk.bytes },
    extensions,
  });
}

type CertificateFields = Omit<Certificate, 'selfIssued'>;

/** The parsed fields plus lazily derived facts (name folding is costly; most checks never ask). */
class ParsedCertificate implements Certificate {
  readonly der!: Uint8Array;
  readonly tbs!: Uint8Array;
  readonly version!: 1 | 2 | 3;
  readonly serial!: Uint8Array;
  readonly serialHex!: string;
  readonly tbsSignatureAlgorithm!: AlgorithmIdentifier;
  readonly signatureAlgorithm!: AlgorithmIdentifier;
  readonly signature!: Uint8Array;
  readonly issuer!: Name;
  readonly subject!: Name;
  readonly notBefore!: number;
  readonly notAfter!: number;
  readonly spki!: SubjectPublicKeyInfo;
  readonly extensions!: Extensions;
  private self: boolean | null = null;

  constructor(fields: CertificateFields) {
    Object.assign(this, fields);
  }

  get selfIssued(): boolean {
    if (this.self === null) this.self = namesMatch(this.issuer, this.subject);
    return this.self;
  }
}

/** Parses a standalone SubjectPublicKeyInfo (e.g. a key given as SPKI DER). */
export function parseSpki(der: Uint8Array): SubjectPublicKeyInfo {
  try {
    const top = new DerReader(der);
    const e = top.expect(Tag.SEQUENCE, 'SubjectPublicKeyInfo');
    top.done();
    const r = top.enter(e);
    const algorithm = readAlgorithmIdentifier(r, 'algorithm');
    const pk = r.bitString('subjectPublicKey');
    r.done();
    if (pk.unused !== 0) throw new DerError('bad_value', 'subjectPublicKey has unused bits', e.start);
    return { der, algorithm, publicKey: pk.bytes };
  } catch (err) {
    if (err instanceof DerError) throw new CertificateError('malformed_certificate', `SubjectPublicKeyInfo: ${err.message}`, err);
    throw err;
  }
}

/** SHA-256 of the DER: the identity used by caches, audit and logs (never the serial). */
export function fingerprint(cert: Certificate): string {
  return fingerprintDer(cert.der);
}

/** The same identity for bytes not parsed yet (the verifier's cache looks up before parsing). */
export function fingerprintDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Both AlgorithmIdentifiers must be identical (RFC 5280 §4.1.1.2). */
export function signatureAlgorithmsMatch(cert: Certificate): boolean {
  return bytesEqual(cert.tbsSignatureAlgorithm.der, cert.signatureAlgorithm.der);
}

/** Reads PEM blocks of one label (e.g. CERTIFICATE) into DER buffers. */
export function pemBlocks(text: string, label: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  for (const m of text.matchAll(re)) out.push(new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  return out;
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}
