// The packed form of a job's results on the reply channel: one binary message instead of JSON.
// Results repeat most of their text (the CRL issuer, the verdict detail, dates): every string is
// written once to a table and items refer to it, so a 64-item reply is a few KB and the API decodes
// each distinct string once. Enumerations travel as their index in the core's own lists.
//
// Layout (little-endian): version u8 (RESULT_FORMAT; never '{', which starts a JSON reply), job id
// (u8 length + ASCII), string table (u32 count, then u32 length + UTF-8 each), u32 item count,
// items. Item: flags u8 (certificate, basicInfo key, basicInfo non-null), verdict (status u8, code
// u8, depth f64, detail str, revocation report), certificate facts, basic info. Optional fields sit
// behind presence bits; a nullable number is an f64 with NaN for null. A reader refuses anything
// that is not exactly such a message (ResultDataError).
import { TypedError } from '../core/typed-error.js';
import { REASON_NAMES } from '../core/crl.js';
import { VERDICT_CODES, type RevocationReport, type RevocationSource, type Verdict, type VerdictCode, type VerdictStatus } from '../core/verdict.js';
import { OCSP_FAILURE_CODES, type OcspFailure } from '../core/ocsp-failure.js';
import type { CertificateFacts } from '../core/verify.js';
import type { BasicFourInfo, CertificateKind, Gender } from '../core/jpki.js';
import type { ItemResult } from '../verifier/messages.js';

/** Version byte of the packed reply. A JSON reply starts with '{' (0x7b). */
export const RESULT_FORMAT = 1;

export class ResultDataError extends TypedError<'bad_version' | 'bad_result'> {
  override readonly name = 'ResultDataError';
}

const STATUSES: readonly VerdictStatus[] = ['valid', 'invalid', 'indeterminate'];
const CODES = Object.keys(VERDICT_CODES) as VerdictCode[];
const REV_STATUSES: readonly NonNullable<RevocationReport['status']>[] = ['good', 'revoked', 'stale', 'unknown', 'pending'];
const CRL_STATUSES: readonly NonNullable<RevocationReport['crl']>[] = ['good', 'stale', 'unknown'];
const KINDS: readonly CertificateKind[] = ['authentication', 'signing', 'test', 'unknown'];
const GENDERS: readonly Gender[] = ['male', 'female', 'not_applicable'];

const F_CERT = 1;
const F_INFO_KEY = 2;
const F_INFO = 4;
// Revocation report presence bits.
const R_CHECKED = 1;
const R_STATUS = 2;
const R_REASON = 4;
const R_REVOKED_AT = 8;
const R_SOURCE = 16;
const R_CRL = 32;
const R_FAILURE = 64;
const NULL_LIST = 0xffffffff;

/** Each list's value → index, made once (a verdict code is one of forty). */
const indexes = new Map<readonly unknown[], Map<unknown, number>>();

function indexIn<T>(list: readonly T[], v: T, what: string): number {
  let m = indexes.get(list);
  if (!m) indexes.set(list, (m = new Map(list.map((x, k) => [x, k]))));
  const i = m.get(v) ?? -1;
  // A value the format has no code for is a programming error on the writing side.
  if (i < 0) throw new TypeError(`no packed code for ${what} ${String(v)}`);
  return i;
}

/** A growing byte area. */
class Area {
  buf = Buffer.allocUnsafe(4096);
  o = 0;

  room(n: number): void {
    if (this.o + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.o + n));
    this.buf.copy(next, 0, 0, this.o);
    this.buf = next;
  }
  u32(v: number): void {
    this.room(4);
    this.o = this.buf.writeUInt32LE(v, this.o);
  }
}

class Writer {
  private readonly body = new Area();
  /** The string table as it will be sent: each string's UTF-8 bytes written once, in place. */
  private readonly table = new Area();
  private readonly strings = new Map<string, number>();

  u8(v: number): void {
    this.body.room(1);
    this.body.buf[this.body.o++] = v;
  }
  u32(v: number): void {
    this.body.u32(v);
  }
  f64(v: number | null | undefined): void {
    this.body.room(8);
    this.body.o = this.body.buf.writeDoubleLE(v ?? NaN, this.body.o);
  }
  /** A string's index in the table (added on first use). */
  str(s: string): void {
    let i = this.strings.get(s);
    if (i === undefined) {
      this.strings.set(s, (i = this.strings.size));
      const t = this.table;
      t.room(4 + s.length * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit
      const n = t.buf.write(s, t.o + 4, 'utf8');
      t.buf.writeUInt32LE(n, t.o);
      t.o += 4 + n;
    }
    this.u32(i);
  }
  flags(v: readonly boolean[] | null): void {
    if (v === null) return this.u32(NULL_LIST);
    this.u32(v.length);
    for (const b of v) this.u8(b ? 1 : 0);
  }
  /** The message: header, string table, then the body written so far. */
  finish(jobId: string): Buffer {
    const id = Buffer.from(jobId, 'latin1');
    if (id.length > 255 || id.toString('latin1') !== jobId) throw new TypeError(`job id ${jobId} does not fit the packed reply`);
    const out = Buffer.allocUnsafe(2 + id.length + 4 + this.table.o + this.body.o);
    let o = out.writeUInt8(RESULT_FORMAT, 0);
    o = out.writeUInt8(id.length, o);
    o += id.copy(out, o);
    o = out.writeUInt32LE(this.strings.size, o);
    o += this.table.buf.copy(out, o, 0, this.table.o);
    this.body.buf.copy(out, o, 0, this.body.o);
    return out;
  }
}

class Reader {
  private o = 0;
  private strings: string[] = [];

  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.o + n > this.buf.length) throw new ResultDataError('bad_result', 'packed reply is truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.o++];
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.o);
    this.o += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.o);
    this.o += 8;
    return v;
  }
  nullable(): number | null {
    const v = this.f64();
    return Number.isNaN(v) ? null : v;
  }
  bytesAsText(n: number, encoding: 'latin1' | 'utf8'): string {
    this.need(n);
    const s = this.buf.toString(encoding, this.o, this.o + n);
    this.o += n;
    return s;
  }
  table(): void {
    const n = this.u32();
    // Each entry takes at least its 4-byte length: a count beyond that is a lie, not an allocation.
    if (n > (this.buf.length - this.o) / 4) throw new ResultDataError('bad_result', 'packed reply string table is truncated');
    this.strings = new Array<string>(n);
    for (let i = 0; i < n; i++) this.strings[i] = this.bytesAsText(this.u32(), 'utf8');
  }
  str(): string {
    const i = this.u32();
    if (i >= this.strings.length) throw new ResultDataError('bad_result', `string ${i} is not in the packed reply's table`);
    return this.strings[i];
  }
  oneOf<T>(list: readonly T[], what: string): T {
    const i = this.u8();
    if (i >= list.length) throw new ResultDataError('bad_result', `unknown ${what} ${i} in packed reply`);
    return list[i];
  }
  flags(): boolean[] | null {
    const n = this.u32();
    if (n === NULL_LIST) return null;
    this.need(n);
    const out = new Array<boolean>(n);
    for (let i = 0; i < n; i++) out[i] = this.buf[this.o++] === 1;
    return out;
  }
  end(): void {
    if (this.o !== this.buf.length) throw new ResultDataError('bad_result', 'packed reply has trailing bytes');
  }
}

function writeSource(w: Writer, s: RevocationSource): void {
  if (s.kind === 'crl') {
    w.u8(0);
    w.str(s.issuer);
    w.u8(s.crlNumber === null ? 0 : 1);
    if (s.crlNumber !== null) w.str(s.crlNumber);
    w.f64(s.thisUpdate);
    w.f64(s.nextUpdate);
  } else {
    w.u8(1);
    w.str(s.responder);
    w.str(s.url);
    w.f64(s.producedAt);
    w.f64(s.thisUpdate);
    w.f64(s.nextUpdate);
  }
}

function readSource(r: Reader): RevocationSource {
  const kind = r.u8();
  if (kind === 0) {
    const issuer = r.str();
    const crlNumber = r.u8() === 1 ? r.str() : null;
    return { kind: 'crl', issuer, crlNumber, thisUpdate: r.f64(), nextUpdate: r.nullable() };
  }
  if (kind === 1) return { kind: 'ocsp', responder: r.str(), url: r.str(), producedAt: r.f64(), thisUpdate: r.f64(), nextUpdate: r.nullable() };
  throw new ResultDataError('bad_result', `unknown revocation source kind ${kind} in packed reply`);
}

function writeRevocation(w: Writer, v: RevocationReport): void {
  const bits =
    (v.checked ? R_CHECKED : 0) |
    (v.status !== undefined ? R_STATUS : 0) |
    (v.reason !== undefined ? R_REASON : 0) |
    (v.revokedAt !== undefined ? R_REVOKED_AT : 0) |
    (v.source !== undefined ? R_SOURCE : 0) |
    (v.crl !== undefined ? R_CRL : 0) |
    (v.failure !== undefined ? R_FAILURE : 0);
  w.u8(bits);
  if (v.status !== undefined) w.u8(indexIn(REV_STATUSES, v.status, 'revocation status'));
  if (v.reason !== undefined) w.u8(indexIn(REASON_NAMES, v.reason, 'revocation reason'));
  if (v.revokedAt !== undefined) w.f64(v.revokedAt);
  if (v.source !== undefined) writeSource(w, v.source);
  if (v.crl !== undefined) w.u8(indexIn(CRL_STATUSES, v.crl, 'CRL status'));
  if (v.failure !== undefined) w.u8(indexIn(OCSP_FAILURE_CODES, v.failure, 'OCSP failure'));
}

function readRevocation(r: Reader): RevocationReport {
  const bits = r.u8();
  if (bits > 0x7f) throw new ResultDataError('bad_result', 'unknown revocation fields in packed reply');
  const out: { -readonly [K in keyof RevocationReport]: RevocationReport[K] } = { checked: (bits & R_CHECKED) !== 0 };
  if (bits & R_STATUS) out.status = r.oneOf(REV_STATUSES, 'revocation status');
  if (bits & R_REASON) out.reason = r.oneOf(REASON_NAMES, 'revocation reason');
  if (bits & R_REVOKED_AT) out.revokedAt = r.f64();
  if (bits & R_SOURCE) out.source = readSource(r);
  if (bits & R_CRL) out.crl = r.oneOf(CRL_STATUSES, 'CRL status');
  if (bits & R_FAILURE) out.failure = r.oneOf<OcspFailure>(OCSP_FAILURE_CODES, 'OCSP failure');
  return out;
}

function writeInfo(w: Writer, b: BasicFourInfo): void {
  w.str(b.name);
  w.flags(b.nameSubstitutes);
  w.u8(indexIn(GENDERS, b.gender, 'gender'));
  w.f64(b.birthDate.eraCode);
  w.str(b.birthDate.era);
  w.str(b.birthDate.iso);
  w.str(b.address);
  w.flags(b.addressSubstitutes);
  w.u8(b.hasSubstitutes ? 1 : 0);
}

function readInfo(r: Reader): BasicFourInfo {
  const name = r.str();
  const nameSubstitutes = r.flags();
  const gender = r.oneOf(GENDERS, 'gender');
  const birthDate = { eraCode: r.f64(), era: r.str(), iso: r.str() };
  return { name, nameSubstitutes, gender, birthDate, address: r.str(), addressSubstitutes: r.flags(), hasSubstitutes: r.u8() === 1 };
}

/** The reply for job `jobId`: its results, packed. Results must be settled (no OCSP pending: the
 *  worker answers only what it has decided). */
export function packResults(jobId: string, results: readonly ItemResult[]): Buffer {
  const w = new Writer();
  w.u32(results.length);
  for (const res of results) {
    if (res.pending) throw new TypeError('a result still pending OCSP cannot be answered');
    const hasInfoKey = 'basicInfo' in res && res.basicInfo !== undefined;
    w.u8((res.certificate ? F_CERT : 0) | (hasInfoKey ? F_INFO_KEY : 0) | (res.basicInfo ? F_INFO : 0));
    const v = res.verdict;
    w.u8(indexIn(STATUSES, v.status, 'verdict status'));
    w.u8(indexIn(CODES, v.code, 'verdict code'));
    w.f64(v.depth);
    w.str(v.detail);
    writeRevocation(w, v.revocation);
    const c = res.certificate;
    if (c) {
      w.u8(indexIn(KINDS, c.kind, 'certificate kind'));
      w.str(c.serial);
      w.str(c.fingerprint);
      w.str(c.notBefore);
      w.str(c.notAfter);
      w.f64(c.issuerGeneration);
    }
    if (res.basicInfo) writeInfo(w, res.basicInfo);
  }
  return w.finish(jobId);
}

/** A packed reply's job id and results; ResultDataError if it is not exactly a well-formed reply
 *  of a version this node reads. `jobId` is set as soon as it is read, so a caller can fail that
 *  job's waiters at once when the rest is malformed. */
export function unpackResults(message: Buffer, into: { jobId?: string } = {}): { jobId: string; results: ItemResult[] } {
  const r = new Reader(message);
  const version = r.u8();
  if (version !== RESULT_FORMAT) throw new ResultDataError('bad_version', `reply format ${version}, this node reads ${RESULT_FORMAT}`);
  const jobId = r.bytesAsText(r.u8(), 'latin1');
  into.jobId = jobId;
  r.table();
  const n = r.u32();
  // Each item takes at least 12 bytes: a larger count is a lie, not an allocation.
  if (n > message.length / 12) throw new ResultDataError('bad_result', 'packed reply item count exceeds its size');
  const results = new Array<ItemResult>(n);
  for (let i = 0; i < n; i++) {
    const flags = r.u8();
    if (flags > 7 || (flags & F_INFO && !(flags & F_INFO_KEY))) throw new ResultDataError('bad_result', `bad item flags ${flags} in packed reply`);
    const status = r.oneOf(STATUSES, 'verdict status');
    const code = r.oneOf(CODES, 'verdict code');
    const verdict: Verdict = { status, code, depth: r.f64(), detail: r.str(), revocation: readRevocation(r) };
    let certificate: CertificateFacts | null = null;
    if (flags & F_CERT)
      certificate = {
        kind: r.oneOf(KINDS, 'certificate kind'),
        serial: r.str(),
        fingerprint: r.str(),
        notBefore: r.str(),
        notAfter: r.str(),
        issuerGeneration: r.nullable(),
      };
    if (flags & F_INFO_KEY) results[i] = { verdict, certificate, basicInfo: flags & F_INFO ? readInfo(r) : null };
    else results[i] = { verdict, certificate };
  }
  r.end();
  return { jobId, results };
}
