// Revocation data as the hot path sees it: per CRL issuer key, one RevocationIndex over every
// partition CRL and delta of that issuer, plus what each CRL said about itself. A RevocationSet is
// immutable; a refresh builds a new one and swaps the reference, so a lookup sees the old or the
// new data, never a mix.
import type { Certificate } from './certificate.js';
import { bytesEqual, toHex } from './der.js';
import { CrlError, CrlParser, REASONS, crlNumberValue, type CrlInfo } from './crl.js';
import { formatName } from './name.js';
import type { RevocationChecker } from './path.js';
import { RevocationIndex, RevocationIndexBuilder } from './revocation-index.js';
import { verifyData, verifyRsaPkcs1Digest, certificateKey } from './signature.js';
import { resolveSignatureAlgorithm, AlgorithmError } from './algorithms.js';
import { KeyUsage } from './extensions.js';
import type { RevocationSource, RevocationStatus, RevocationReason } from './verdict.js';
import { createHash } from 'node:crypto';

/** What one loaded CRL contributes (no entries: those live in the index). */
export interface CrlMeta {
  readonly ref: number; // position in its issuer's list, stored per index entry
  readonly sourceId: string; // configured source (file, URL): for operators, never personal data
  readonly issuer: string; // readable issuer DN
  readonly issuerKeyId: string; // hex key identifier of the signing key
  readonly crlNumber: string | null;
  readonly deltaOf: string | null;
  readonly thisUpdate: number;
  readonly nextUpdate: number | null;
  /** Name key of the IDP distribution point (a J-LIS partition), or null for a full CRL. */
  readonly partition: string | null;
  readonly entries: number;
}

export interface IssuerRevocation {
  readonly keyId: string;
  readonly index: RevocationIndex;
  readonly crls: readonly CrlMeta[];
}

/** Plain form that crosses to worker threads: the index buffers are shared, not copied, and the
 *  CRL metadata (hundreds of partitions) travels as JSON in shared memory too, so handing a set
 *  to a thread costs a few handles however many CRLs it holds. */
export interface RevocationSetData {
  readonly version: number;
  readonly builtAt: number;
  readonly keyIds: readonly string[];
  readonly buffers: readonly SharedArrayBuffer[];
  /** UTF-8 JSON of CrlMeta[][] (one list per issuer, in keyIds order). */
  readonly metas: SharedArrayBuffer;
}

export class RevocationSet {
  private readonly byKey = new Map<string, IssuerRevocation>();

  constructor(
    readonly version: number,
    readonly builtAt: number,
    issuers: readonly IssuerRevocation[],
  ) {
    for (const i of issuers) this.byKey.set(i.keyId, i);
  }

  static empty(): RevocationSet {
    return new RevocationSet(0, 0, []);
  }

  static fromData(d: RevocationSetData): RevocationSet {
    const metas = JSON.parse(new TextDecoder().decode(new Uint8Array(d.metas))) as CrlMeta[][];
    return new RevocationSet(d.version, d.builtAt, d.keyIds.map((keyId, i) => ({ keyId, crls: metas[i], index: new RevocationIndex(d.buffers[i]) })));
  }

  private data: RevocationSetData | null = null;

  /** The shareable form, made once per set. */
  toData(): RevocationSetData {
    if (!this.data) {
      const issuers = this.issuers();
      const json = new TextEncoder().encode(JSON.stringify(issuers.map((i) => i.crls)));
      const metas = new SharedArrayBuffer(json.length);
      new Uint8Array(metas).set(json);
      this.data = { version: this.version, builtAt: this.builtAt, keyIds: issuers.map((i) => i.keyId), buffers: issuers.map((i) => i.index.buffer), metas };
    }
    return this.data;
  }

  issuer(keyId: string): IssuerRevocation | undefined {
    return this.byKey.get(keyId);
  }

  issuers(): IssuerRevocation[] {
    return [...this.byKey.values()];
  }
}

/** Key identifier of a CA key: its SKI, else the RFC 5280 method-1 SHA-1 of the key bits. */
export function keyIdOf(cert: Certificate): string {
  const ski = cert.extensions.subjectKeyId;
  return ski ? toHex(ski) : createHash('sha1').update(cert.spki.publicKey).digest('hex');
}

export function reasonName(code: number): RevocationReason {
  return (REASONS[code] ?? 'unspecified') as RevocationReason;
}

export function sourceOf(m: CrlMeta): RevocationSource {
  return { issuer: m.issuer, crlNumber: m.crlNumber, thisUpdate: m.thisUpdate, nextUpdate: m.nextUpdate };
}

/** Partition names (dirName distribution points) a certificate says its status is published in. */
export function partitionsOf(cert: Certificate): string[] {
  const out: string[] = [];
  for (const dp of cert.extensions.crlDistributionPoints ?? []) {
    for (const n of dp.fullName ?? []) if (n.kind === 'dir') out.push(n.name.key);
  }
  return out;
}

export interface IndexCheckerOptions {
  /** Past nextUpdate by more than this, data is stale. J-LIS swaps CRLs over minutes; 1 h default. */
  readonly graceMs?: number;
}

/**
 * The hot-path checker: the certificate's issuer key picks the index, its distribution point
 * picks the partition CRL that must cover it (or a full CRL does), the serial is looked up.
 * `current` is read once per check, so a concurrent swap never mixes two sets.
 */
export class IndexRevocationChecker implements RevocationChecker {
  private readonly graceMs: number;

  constructor(
    private readonly current: () => RevocationSet,
    opts: IndexCheckerOptions = {},
  ) {
    this.graceMs = opts.graceMs ?? 3_600_000;
  }

  check(cert: Certificate, issuer: Certificate, time: number): RevocationStatus {
    return lookupStatus(this.current(), keyIdOf(issuer), partitionsOf(cert), cert.serial, time, this.graceMs);
  }
}

/**
 * The status of one serial in a set: the issuer key picks the index, the certificate's partitions
 * pick the CRL that must cover it (or a full CRL does). Also used without the certificate at hand,
 * from the few facts change confirmation keeps per registered certificate.
 */
export function lookupStatus(set: RevocationSet, issuerKeyId: string, partitions: readonly string[], serial: Uint8Array, time: number, graceMs: number): RevocationStatus {
  const iss = set.issuer(issuerKeyId);
  if (!iss) return { status: 'unknown' };
  let base: CrlMeta | undefined;
  for (const c of iss.crls) {
    if (c.deltaOf !== null) continue;
    if (c.partition === null || partitions.includes(c.partition)) {
      if (!base || c.thisUpdate > base.thisUpdate) base = c;
    }
  }
  if (!base) return { status: 'unknown' };
  // The newest delta over this base, if any, is the data actually used.
  let used = base;
  for (const c of iss.crls) if (c.deltaOf !== null && c.thisUpdate > used.thisUpdate && c.partition === base.partition) used = c;
  const i = iss.index.find(serial);
  if (i >= 0) {
    const m = iss.crls[iss.index.crlRefAt(i)] ?? used;
    return { status: 'revoked', reason: reasonName(iss.index.reasonAt(i)), revokedAt: iss.index.revokedAtMs(i), source: sourceOf(m) };
  }
  if (used.nextUpdate !== null && time > used.nextUpdate + graceMs) return { status: 'stale', source: sourceOf(used) };
  return { status: 'good', source: sourceOf(used) };
}

// ---- building a set from parsed CRLs ----

export const CRL_REJECTIONS = [
  'malformed_crl', 'unsupported_crl', 'crl_too_large', 'unknown_crl_issuer', 'crl_signature_invalid',
  'crl_issuer_not_allowed', 'crl_rollback', 'crl_not_yet_valid', 'crl_unusable_entry_extension', 'delta_without_base',
] as const;
export type CrlRejection = (typeof CRL_REJECTIONS)[number];

/** Which anchor signed a CRL: candidates by name, key identifier first, then signature. */
export function findCrlSigner(info: CrlInfo, anchors: readonly Certificate[]): { signer: Certificate } | { rejection: CrlRejection; detail: string } {
  let scheme;
  try {
    scheme = resolveSignatureAlgorithm(info.signatureAlgorithm);
  } catch (err) {
    if (err instanceof AlgorithmError) return { rejection: 'unsupported_crl', detail: err.message };
    throw err;
  }
  if (!bytesEqual(info.signatureAlgorithm.der, info.tbsSignatureAlgorithm.der)) return { rejection: 'malformed_crl', detail: 'signature algorithms inside and outside the TBS differ' };
  const named = anchors.filter((a) => a.subject.key === info.issuer.key);
  if (named.length === 0) return { rejection: 'unknown_crl_issuer', detail: `no trusted issuer named ${formatName(info.issuer)}` };
  const aki = info.authorityKeyId;
  const ordered = aki ? [...named].sort((a, b) => Number(!!b.extensions.subjectKeyId && bytesEqual(b.extensions.subjectKeyId, aki)) - Number(!!a.extensions.subjectKeyId && bytesEqual(a.extensions.subjectKeyId, aki))) : named;
  for (const cand of ordered) {
    if (aki && cand.extensions.subjectKeyId && !bytesEqual(cand.extensions.subjectKeyId, aki)) continue;
    if (verifyCrlSignature(info, cand, scheme)) {
      const ku = cand.extensions.keyUsage;
      if (ku !== null && !(ku & KeyUsage.cRLSign)) return { rejection: 'crl_issuer_not_allowed', detail: 'CRL signer lacks cRLSign' };
      return { signer: cand };
    }
  }
  return { rejection: 'crl_signature_invalid', detail: `CRL signature does not verify under any key named ${formatName(info.issuer)}` };
}

export function verifyCrlSignature(info: CrlInfo, signer: Certificate, scheme = resolveSignatureAlgorithm(info.signatureAlgorithm)): boolean {
  let key;
  try {
    key = certificateKey(signer);
  } catch {
    return false;
  }
  if (scheme.kind === 'rsa-pkcs1' && info.tbsDigest) return verifyRsaPkcs1Digest(key, scheme.hash, info.tbsDigest.digest, info.signature);
  if (!info.tbs) return false;
  return verifyData(scheme, key, info.tbs, info.signature);
}

/** Partition of a CRL: the directoryName of its IDP, if any. */
export function partitionOf(info: CrlInfo): string | null {
  const n = info.idp?.fullName?.find((x) => x.kind === 'dir');
  return n && n.kind === 'dir' ? n.name.key : null;
}

/** A parsed, verified CRL with its entries collected, waiting to be merged into a set. */
export interface LoadedCrl {
  readonly sourceId: string;
  readonly info: CrlInfo;
  readonly signer: Certificate;
  readonly entries: RevocationIndexBuilder;
}

/** Orders CRLs per issuer key (complete CRLs by thisUpdate, then deltas by CRL number), drops
 *  deltas without a loaded base, and builds one index per issuer. */
export function assembleSet(crls: readonly LoadedCrl[], version: number, builtAt: number): { set: RevocationSet; dropped: { sourceId: string; rejection: CrlRejection }[] } {
  const byKey = new Map<string, LoadedCrl[]>();
  for (const c of crls) {
    const k = keyIdOf(c.signer);
    let l = byKey.get(k);
    if (!l) byKey.set(k, (l = []));
    l.push(c);
  }
  const dropped: { sourceId: string; rejection: CrlRejection }[] = [];
  const issuers: IssuerRevocation[] = [];
  for (const [keyId, list] of byKey) {
    const complete = list.filter((c) => c.info.deltaCrlIndicator === null).sort((a, b) => a.info.thisUpdate - b.info.thisUpdate);
    const deltas = list.filter((c) => c.info.deltaCrlIndicator !== null).sort((a, b) => Number(crlNumberValue(a.info.crlNumber) - crlNumberValue(b.info.crlNumber)));
    const usable: LoadedCrl[] = [...complete];
    for (const d of deltas) {
      const part = partitionOf(d.info);
      const base = complete.find((c) => partitionOf(c.info) === part && crlNumberValue(c.info.crlNumber) >= crlNumberValue(d.info.deltaCrlIndicator) && crlNumberValue(d.info.crlNumber) > crlNumberValue(c.info.crlNumber));
      if (base) usable.push(d);
      else dropped.push({ sourceId: d.sourceId, rejection: 'delta_without_base' });
    }
    // One CRL per issuer key (the 10M-entry case): its collected entries are the index input
    // as they are (all with ref 0). Several: merged in order, later ones winning.
    const total = usable.reduce((n, c) => n + c.entries.size, 0);
    const builder = usable.length === 1 ? usable[0].entries : new RevocationIndexBuilder(total);
    const metas: CrlMeta[] = usable.map((c, ref) => {
      if (usable.length > 1) builder.appendFrom(c.entries, ref);
      return {
        ref,
        sourceId: c.sourceId,
        issuer: formatName(c.info.issuer),
        issuerKeyId: keyId,
        crlNumber: c.info.crlNumber,
        deltaOf: c.info.deltaCrlIndicator,
        thisUpdate: c.info.thisUpdate,
        nextUpdate: c.info.nextUpdate,
        partition: partitionOf(c.info),
        entries: c.info.entryCount,
      };
    });
    issuers.push({ keyId, index: builder.build(), crls: metas });
  }
  return { set: new RevocationSet(version, builtAt, issuers), dropped };
}

export interface LoadOptions {
  /** The CRL last accepted from the same source: a CRL going back in time or number is refused. */
  readonly previous?: Pick<CrlMeta, 'thisUpdate' | 'crlNumber'> | null;
  /** Refuse CRLs whose thisUpdate lies beyond this time (clock skew allowance included). */
  readonly notAfter?: number;
}

export type LoadResult = { ok: true; crl: LoadedCrl } | { ok: false; rejection: CrlRejection; detail: string };

/**
 * Parses a CRL from chunks, collects its entries, checks its signature against the anchors (the
 * issuer chosen by key) and refuses rollbacks. Nothing is shared until the caller assembles a set,
 * so a refused CRL leaves the current data untouched.
 */
export function loadCrl(sourceId: string, chunks: Iterable<Uint8Array>, anchors: readonly Certificate[], opts: LoadOptions = {}): LoadResult {
  const entries = new RevocationIndexBuilder();
  let indirect = false;
  const parser = new CrlParser((e) => {
    if (e.certificateIssuer) indirect = true;
    entries.add(e.buf, e.serialStart, e.serialEnd, e.revocationDate, e.reason, 0);
  });
  let info: CrlInfo;
  try {
    for (const c of chunks) parser.push(c);
    info = parser.finish();
  } catch (err) {
    if (err instanceof CrlError) return { ok: false, rejection: err.code, detail: err.message };
    throw err;
  }
  if (info.hasCriticalEntryExtension) return { ok: false, rejection: 'crl_unusable_entry_extension', detail: 'an entry carries an unknown critical extension' };
  if (indirect || info.idp?.indirectCRL) return { ok: false, rejection: 'unsupported_crl', detail: 'indirect CRLs are not indexed (J-LIS publishes direct CRLs)' };
  const found = findCrlSigner(info, anchors);
  if ('rejection' in found) return { ok: false, rejection: found.rejection, detail: found.detail };
  const prev = opts.previous;
  if (prev) {
      if (info.thisUpdate < prev.thisUpdate || crlNumberValue(info.crlNumber) < crlNumberValue(prev.crlNumber)) {
      return { ok: false, rejection: 'crl_rollback', detail: `older than the loaded CRL (thisUpdate ${new Date(info.thisUpdate).toISOString()}, number ${info.crlNumber})` };
    }
  }
  if (opts.notAfter !== undefined && info.thisUpdate > opts.notAfter) return { ok: false, rejection: 'crl_not_yet_valid', detail: 'thisUpdate is in the future' };
  return { ok: true, crl: { sourceId, info, signer: found.signer, entries } };
}
