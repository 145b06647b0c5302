// General RFC 5280 §6.3 CRL processing over a set of in-memory CRLs: distribution points and IDP
// scope, indirect CRLs, reason masks, CRL issuers validated as paths of their own, delta CRLs.
// The JPKI hot path uses the index (revocation.ts); this checker serves conformance suites and
// small PKIs, and is the reference the index is measured against.
import type { Certificate } from './certificate.js';
import { bytesEqual } from './der.js';
import { distributionPointNames, idpNames } from './distribution-point.js';
import { crlNumberValue, type ParsedCrl } from './crl.js';
import { KeyUsage, type DistributionPoint } from './extensions.js';
import type { GeneralName } from './general-name.js';
import { formatName, type Name } from './name.js';
import type { CertificatePool } from './cert-pool.js';
import { validatePath, type RevocationChecker } from './path.js';
import { reasonName } from './revocation-lookup.js';
import { verifyCrlSignature } from './crl-signer.js';
import type { RevocationSource, RevocationStatus } from './verdict.js';

/** ReasonFlags bits 1..8 (keyCompromise … aACompromise). */
const ALL_REASONS = 0x1fe;
const REMOVE_FROM_CRL = 8;

export interface CrlSetOptions {
  readonly anchors: CertificatePool;
  readonly intermediates?: CertificatePool;
  /** Apply delta CRLs (RFC 5280 §6.3.3 (c)); default true. */
  readonly useDeltas?: boolean;
}

type Dp = { names: GeneralName[] | null; reasons: number | null; crlIssuer: GeneralName[] | null };

function sameGeneralName(a: GeneralName, b: GeneralName): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'dir':
      return a.name.key === (b as typeof a).name.key;
    case 'uri':
    case 'dns':
    case 'email':
      return a.value === (b as typeof a).value;
    case 'ip':
      return bytesEqual(a.bytes, (b as typeof a).bytes);
    default:
      return false;
  }
}

const anyCommon = (x: GeneralName[], y: GeneralName[]): boolean => x.some((a) => y.some((b) => sameGeneralName(a, b)));

function crlIssuerNames(dp: Dp): Name[] {
  return (dp.crlIssuer ?? []).flatMap((n) => (n.kind === 'dir' ? [n.name] : []));
}

/** Checkers made so far: each holds a fixed set of CRLs, so its number names its data. */
let made = 0;

export class CrlSetChecker implements RevocationChecker {
  private readonly complete: ParsedCrl[];
  private readonly deltas: ParsedCrl[];
  private readonly signerCache = new Map<ParsedCrl, Certificate | null>();
  /** The CRLs are fixed at construction: one version per checker (RevocationChecker.dataVersion). */
  readonly dataVersion = `crl-set.${++made}`;

  constructor(
    crls: readonly ParsedCrl[],
    private readonly opts: CrlSetOptions,
    private readonly depth = 0,
  ) {
    this.complete = crls.filter((c) => c.deltaCrlIndicator === null);
    this.deltas = opts.useDeltas === false ? [] : crls.filter((c) => c.deltaCrlIndicator !== null);
  }

  check(cert: Certificate, issuer: Certificate, time: number): RevocationStatus {
    const dps: Dp[] = cert.extensions.crlDistributionPoints?.map((d: DistributionPoint) => ({
      names: distributionPointNames(d, cert.issuer),
      reasons: d.reasons,
      crlIssuer: d.crlIssuer,
    })) ?? [{ names: null, reasons: null, crlIssuer: null }];
    let mask = 0;
    let source: RevocationSource | undefined;
    for (const dp of dps) {
      for (const crl of this.complete) {
        if (mask === ALL_REASONS) break;
        if (!this.inScope(crl, dp, cert)) continue;
        const interim = (dp.reasons ?? ALL_REASONS) & (crl.idp?.onlySomeReasons ?? ALL_REASONS) & ALL_REASONS;
        if ((interim & ~mask) === 0) continue;
        const signer = this.signer(crl, issuer, time);
        if (!signer) continue;
        if (!this.usable(crl, time)) continue;
        const src = { kind: 'crl' as const, issuer: formatName(crl.issuer), crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate };
        // A delta over this CRL, from the same issuer and scope, speaks first.
        const delta = this.deltaFor(crl, signer, time);
        if (delta) {
          const hit = findEntry(delta, cert);
          if (hit) {
            if (hit.reason === REMOVE_FROM_CRL) {
              mask |= interim;
              source = { ...src, crlNumber: delta.crlNumber, thisUpdate: delta.thisUpdate, nextUpdate: delta.nextUpdate };
              continue;
            }
            return {
              status: 'revoked',
              reason: reasonName(hit.reason),
              revokedAt: hit.revocationDate,
              source: { ...src, crlNumber: delta.crlNumber, thisUpdate: delta.thisUpdate },
            };
          }
        }
        const hit = findEntry(crl, cert);
        if (hit && hit.reason !== REMOVE_FROM_CRL) {
          return { status: 'revoked', reason: reasonName(hit.reason), revokedAt: hit.revocationDate, source: src };
        }
        mask |= interim;
        source = src;
      }
    }
    if (mask !== ALL_REASONS) return { status: 'unknown', source };
    return { status: 'good', source };
  }

  /** §6.3.3 (b): issuer and IDP scope. */
  private inScope(crl: ParsedCrl, dp: Dp, cert: Certificate): boolean {
    const idp = crl.idp;
    if (dp.crlIssuer) {
      if (!idp?.indirectCRL) return false;
      if (!crlIssuerNames(dp).some((n) => n.key === crl.issuer.key)) return false;
    } else if (crl.issuer.key !== cert.issuer.key) {
      return false; // §6.3.3 (b)(1): without cRLIssuer, the CRL issuer is the certificate issuer
    }
    if (!idp) return true;
    const scope = idpNames(idp, crl.issuer);
    if (scope) {
      if (dp.names) {
        if (!anyCommon(scope, dp.names)) return false;
      } else if (dp.crlIssuer) {
        if (!anyCommon(scope, dp.crlIssuer)) return false;
      } else return false;
    }
    const isCA = cert.extensions.basicConstraints?.ca ?? false;
    if (idp.onlyUserCerts && isCA) return false;
    if (idp.onlyCACerts && !isCA) return false;
    if (idp.onlyAttributeCerts) return false;
    return true;
  }

  /** Requirements a CRL must meet to be used at all. */
  private usable(crl: ParsedCrl, time: number): boolean {
    if (crl.hasCriticalEntryExtension) return false; // §5.3: unprocessable critical entry extension
    if (crl.version === 2 && crl.crlNumber === null) return false; // §5.2.3: cRLNumber is mandatory
    if (crl.nextUpdate !== null && crl.nextUpdate < time) return false; // stale
    // Issued after the validation time: not evidence about that time (the feed's loader refuses
    // such a CRL too, as crl_not_yet_valid).
    if (crl.thisUpdate > time) return false;
    return true;
  }

  /** §6.3.3 (f): the CRL issuer's key, from a certificate with a valid path and cRLSign. */
  private signer(crl: ParsedCrl, issuer: Certificate, time: number): Certificate | null {
    if (this.signerCache.has(crl)) return this.signerCache.get(crl)!;
    const pool = [...this.opts.anchors.certificates(), ...(this.opts.intermediates?.certificates() ?? [])];
    const aki = crl.authorityKeyId;
    const candidates = pool.filter((c) => c.subject.key === crl.issuer.key).sort((a, b) => score(b) - score(a));
    function score(c: Certificate): number {
      return (c === issuer ? 2 : 0) + (aki && c.extensions.subjectKeyId && bytesEqual(aki, c.extensions.subjectKeyId) ? 1 : 0);
    }
    let found: Certificate | null = null;
    for (const c of candidates) {
      const ku = c.extensions.keyUsage;
      if (ku !== null && !(ku & KeyUsage.cRLSign)) continue;
      if (!verifyCrlSignature(crl, c)) continue;
      const trusted = c === issuer || this.opts.anchors.has(c) || this.validSigner(c, time);
      if (trusted) {
        found = c;
        break;
      }
    }
    this.signerCache.set(crl, found);
    return found;
  }

  /** A CRL signer other than the certificate's issuer needs a valid path of its own, its own
   *  revocation included (one level deep: enough for PKITS, bounded against loops). */
  private validSigner(c: Certificate, time: number): boolean {
    const res = validatePath(c, {
      time,
      anchors: this.opts.anchors,
      intermediates: this.opts.intermediates,
      revocation: this.depth < 1 ? new CrlSetChecker([...this.complete, ...this.deltas], this.opts, this.depth + 1) : undefined,
    });
    return res.verdict.status === 'valid';
  }

  private deltaFor(base: ParsedCrl, signer: Certificate, time: number): ParsedCrl | null {
    let best: ParsedCrl | null = null;
    for (const d of this.deltas) {
      if (d.issuer.key !== base.issuer.key) continue;
      if (!sameScope(d, base)) continue;
      if (crlNumberValue(d.deltaCrlIndicator) > crlNumberValue(base.crlNumber) || crlNumberValue(d.crlNumber) <= crlNumberValue(base.crlNumber)) continue;
      if (!this.usable(d, time) || !verifyCrlSignature(d, signer)) continue;
      if (!best || crlNumberValue(d.crlNumber) > crlNumberValue(best.crlNumber)) best = d;
    }
    return best;
  }
}

function sameScope(a: ParsedCrl, b: ParsedCrl): boolean {
  const x = a.idp;
  const y = b.idp;
  if (!x || !y) return !x && !y;
  return x.onlyUserCerts === y.onlyUserCerts && x.onlyCACerts === y.onlyCACerts && x.indirectCRL === y.indirectCRL && x.onlySomeReasons === y.onlySomeReasons;
}

/** The entry for `cert`, with the entry issuer carried forward through certificateIssuer
 *  extensions (indirect CRLs, §5.3.3). */
function findEntry(crl: ParsedCrl, cert: Certificate): ParsedCrl['entries'][number] | null {
  let entryIssuer: Name = crl.issuer;
  for (const e of crl.entries) {
    if (e.certificateIssuer) {
      const dir = e.certificateIssuer.find((n) => n.kind === 'dir');
      if (dir && dir.kind === 'dir') entryIssuer = dir.name;
    }
    if (bytesEqual(e.serial, cert.serial) && entryIssuer.key === cert.issuer.key) return e;
  }
  return null;
}
