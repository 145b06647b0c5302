// Certificate extensions (RFC 5280 §4.2): decoded into typed fields once, at parse time.
import { DerError, DerReader, Tag, ctx, type Element } from './der.js';
import { readGeneralName, readGeneralNames, type GeneralName } from './general-name.js';

export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCRL: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  subjectDirectoryAttributes: '2.5.29.9',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  ctPrecertSCTs: '1.3.6.1.4.1.11129.2.4.2',
} as const;

/** keyUsage bits, numbered as in RFC 5280 (bit 0 = digitalSignature). */
export const KeyUsage = {
  digitalSignature: 1 << 0,
  nonRepudiation: 1 << 1,
  keyEncipherment: 1 << 2,
  dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
  encipherOnly: 1 << 7,
  decipherOnly: 1 << 8,
} as const;
export type KeyUsageName = keyof typeof KeyUsage;

export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

export const ANY_POLICY = '2.5.29.32.0';

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array; // extnValue contents
}

export interface GeneralSubtree {
  readonly base: GeneralName;
}

export interface DistributionPoint {
  readonly fullName: GeneralName[] | null;
  readonly relativeName: Uint8Array | null; // nameRelativeToCRLIssuer, raw SET
  readonly reasons: number | null; // ReasonFlags bitmask (bit n = reason code n)
  readonly crlIssuer: GeneralName[] | null;
}

export interface AuthorityKeyIdentifier {
  readonly keyId: Uint8Array | null;
  readonly issuer: GeneralName[] | null;
  readonly serial: Uint8Array | null;
}

export interface Extensions {
  readonly list: readonly Extension[];
  readonly basicConstraints: { ca: boolean; pathLen: number | null } | null;
  readonly keyUsage: number | null;
  readonly extKeyUsage: string[] | null;
  readonly certificatePolicies: { oid: string; qualifiers: Uint8Array | null }[] | null;
  readonly policyMappings: { issuerDomain: string; subjectDomain: string }[] | null;
  readonly policyConstraints: { requireExplicitPolicy: number | null; inhibitPolicyMapping: number | null } | null;
  readonly inhibitAnyPolicy: number | null;
  readonly subjectKeyId: Uint8Array | null;
  readonly authorityKeyId: AuthorityKeyIdentifier | null;
  readonly subjectAltName: GeneralName[] | null;
  readonly nameConstraints: { permitted: GeneralSubtree[] | null; excluded: GeneralSubtree[] | null } | null;
  readonly crlDistributionPoints: DistributionPoint[] | null;
  /** Critical extensions this verifier does not process: the certificate must be rejected. */
  readonly unknownCritical: string[];
  /** Known extensions whose criticality RFC 5280 fixes, marked the other way. */
  readonly badCriticality: string[];
}

// RFC 5280: these MUST be non-critical…
const MUST_BE_NONCRITICAL = new Set<string>([
  EXT.authorityKeyIdentifier,
  EXT.subjectKeyIdentifier,
  EXT.authorityInfoAccess,
  EXT.subjectInfoAccess,
  EXT.freshestCRL,
  EXT.subjectDirectoryAttributes,
]);
// …and these MUST be critical (§4.2.1.10, §4.2.1.11, §4.2.1.14).
const MUST_BE_CRITICAL = new Set<string>([EXT.nameConstraints, EXT.policyConstraints, EXT.inhibitAnyPolicy]);

const KNOWN = new Set<string>(Object.values(EXT));

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function empty(): Mutable<Extensions> {
  return {
    list: [],
    basicConstraints: null,
    keyUsage: null,
    extKeyUsage: null,
    certificatePolicies: null,
    policyMappings: null,
    policyConstraints: null,
    inhibitAnyPolicy: null,
    subjectKeyId: null,
    authorityKeyId: null,
    subjectAltName: null,
    nameConstraints: null,
    crlDistributionPoints: null,
    unknownCritical: [],
    badCriticality: [],
  };
}

/** Reads the contents of the Extensions SEQUENCE (null: the certificate has none). */
export function readExtensions(r: DerReader | null): Extensions {
  const out = empty();
  if (!r) return out;
  const list: Extension[] = [];
  const seen = new Set<string>();
  while (r.hasMore()) {
    const at = r.pos;
    const er = r.sequence('Extension');
    const oid = er.oid('extnID');
    const critical = er.peekTag() === Tag.BOOLEAN ? er.boolean('critical') : false;
    const value = er.octetString('extnValue');
    er.done();
    if (seen.has(oid)) throw new DerError('bad_value', `duplicate extension ${oid}`, at);
    seen.add(oid);
    list.push({ oid, critical, value });
    if (critical && MUST_BE_NONCRITICAL.has(oid)) out.badCriticality.push(oid);
    if (!critical && MUST_BE_CRITICAL.has(oid)) out.badCriticality.push(oid);
    if (critical && !KNOWN.has(oid)) out.unknownCritical.push(oid);
    decodeOne(out, oid, critical, value, at);
  }
  if (list.length === 0) throw new DerError('bad_value', 'empty extensions', r.pos);
  out.list = list;
  return out;
}

function single(value: Uint8Array): { r: DerReader; e: Element } {
  const r = new DerReader(value);
  const e = r.next();
  r.done();
  return { r, e };
}

function decodeOne(out: Mutable<Extensions>, oid: string, critical: boolean, value: Uint8Array, at: number): void {
  try {
    switch (oid) {
      case EXT.basicConstraints: {
        const r = new DerReader(value).sequence('basicConstraints');
        let ca = false;
        if (r.peekTag() === Tag.BOOLEAN) {
          ca = r.boolean('cA');
          if (!ca) throw new DerError('bad_value', 'cA FALSE must be omitted (DEFAULT)', 0);
        }
        const pathLen = r.hasMore() ? r.smallInt('pathLenConstraint') : null;
        r.done();
        out.basicConstraints = { ca, pathLen };
        break;
      }
      case EXT.keyUsage: {
        const { r, e } = single(value);
        if (e.tag !== Tag.BIT_STRING) throw new DerError('wrong_tag', 'keyUsage', 0);
        const v = r.value(e);
        if (v.length < 1 || v[0] > 7 || (v.length === 1 && v[0] !== 0)) throw new DerError('bad_value', 'keyUsage BIT STRING', 0);
        let mask = 0;
        for (let i = 1; i < v.length && i <= 2; i++) {
          for (let b = 0; b < 8; b++) if (v[i] & (0x80 >> b)) mask |= 1 << ((i - 1) * 8 + b);
        }
        if (mask === 0) throw new DerError('bad_value', 'keyUsage with no bit set', 0);
        out.keyUsage = mask;
        break;
      }
      case EXT.extKeyUsage: {
        const r = new DerReader(value).sequence('extKeyUsage');
        const ekus: string[] = [];
        while (r.hasMore()) ekus.push(r.oid('KeyPurposeId'));
        if (ekus.length === 0) throw new DerError('bad_value', 'empty extKeyUsage', 0);
        out.extKeyUsage = ekus;
        break;
      }
      case EXT.certificatePolicies: {
        const r = new DerReader(value).sequence('certificatePolicies');
        const pols: { oid: string; qualifiers: Uint8Array | null }[] = [];
        const seen = new Set<string>();
        while (r.hasMore()) {
          const p = r.sequence('PolicyInformation');
          const pid = p.oid('policyIdentifier');
          let qualifiers: Uint8Array | null = null;
          if (p.hasMore()) qualifiers = p.raw(p.expect(Tag.SEQUENCE, 'policyQualifiers'));
          p.done();
          if (seen.has(pid)) throw new DerError('bad_value', `policy ${pid} listed twice`, 0);
          seen.add(pid);
          pols.push({ oid: pid, qualifiers });
        }
        if (pols.length === 0) throw new DerError('bad_value', 'empty certificatePolicies', 0);
        out.certificatePolicies = pols;
        break;
      }
      case EXT.policyMappings: {
        const r = new DerReader(value).sequence('policyMappings');
        const maps: { issuerDomain: string; subjectDomain: string }[] = [];
        while (r.hasMore()) {
          const m = r.sequence('PolicyMapping');
          maps.push({ issuerDomain: m.oid('issuerDomainPolicy'), subjectDomain: m.oid('subjectDomainPolicy') });
          m.done();
        }
        if (maps.length === 0) throw new DerError('bad_value', 'empty policyMappings', 0);
        out.policyMappings = maps;
        break;
      }
      case EXT.policyConstraints: {
        const r = new DerReader(value).sequence('policyConstraints');
        const req = r.peekTag() === ctx(0, false) ? r.smallInt('requireExplicitPolicy', ctx(0, false)) : null;
        const inh = r.peekTag() === ctx(1, false) ? r.smallInt('inhibitPolicyMapping', ctx(1, false)) : null;
        r.done();
        if (req === null && inh === null) throw new DerError('bad_value', 'empty policyConstraints', 0);
        out.policyConstraints = { requireExplicitPolicy: req, inhibitPolicyMapping: inh };
        break;
      }
      case EXT.inhibitAnyPolicy: {
        const r = new DerReader(value);
        out.inhibitAnyPolicy = r.smallInt('inhibitAnyPolicy');
        r.done();
        break;
      }
      case EXT.subjectKeyIdentifier: {
        const r = new DerReader(value);
        out.subjectKeyId = r.octetString('subjectKeyIdentifier');
        r.done();
        break;
      }
      case EXT.authorityKeyIdentifier: {
        const r = new DerReader(value).sequence('authorityKeyIdentifier');
        const k = r.optional(ctx(0, false));
        const i = r.optional(ctx(1, true));
        const s = r.optional(ctx(2, false));
        r.done();
        if ((i === null) !== (s === null)) throw new DerError('bad_value', 'AKI issuer and serial must appear together', 0);
        out.authorityKeyId = {
          keyId: k ? r.value(k) : null,
          issuer: i ? readGeneralNames(r.enter(i), 'authorityCertIssuer') : null,
          serial: s ? r.value(s) : null,
        };
        break;
      }
      case EXT.subjectAltName: {
        const r = new DerReader(value);
        const names = readGeneralNames(r.sequence('subjectAltName'), 'subjectAltName');
        r.done();
        out.subjectAltName = names;
        break;
      }
      case EXT.nameConstraints: {
        const r = new DerReader(value).sequence('nameConstraints');
        const readSubtrees = (tag: number): GeneralSubtree[] | null => {
          const e = r.optional(tag);
          if (!e) return null;
          const s = r.enter(e);
          const subtrees: GeneralSubtree[] = [];
          while (s.hasMore()) {
            const st = s.sequence('GeneralSubtree');
            const base = readGeneralName(st);
            // RFC 5280: minimum MUST be zero (so omitted in DER), maximum MUST be absent.
            if (st.hasMore()) throw new DerError('bad_value', 'GeneralSubtree minimum/maximum not allowed', 0);
            subtrees.push({ base });
          }
          if (subtrees.length === 0) throw new DerError('bad_value', 'empty GeneralSubtrees', 0);
          return subtrees;
        };
        const permitted = readSubtrees(ctx(0, true));
        const excluded = readSubtrees(ctx(1, true));
        r.done();
        if (!permitted && !excluded) throw new DerError('bad_value', 'empty nameConstraints', 0);
        out.nameConstraints = { permitted, excluded };
        break;
      }
      case EXT.crlDistributionPoints:
        out.crlDistributionPoints = readDistributionPoints(value);
        break;
      default:
        break; // known-but-unprocessed (AIA, SIA, …) or unknown; criticality handled by the caller
    }
  } catch (err) {
    if (err instanceof DerError) throw new DerError(err.code, `extension ${oid}${critical ? ' (critical)' : ''}: ${err.message}`, at);
    throw err;
  }
}

/** ReasonFlags BIT STRING → bitmask with bit n = CRLReason n (bit 0 unused). */
export function readReasonFlags(r: DerReader, tag: number): number {
  const { bytes } = r.bitString('reasons', tag);
  let mask = 0;
  for (let i = 0; i < bytes.length && i < 2; i++) {
    for (let b = 0; b < 8; b++) if (bytes[i] & (0x80 >> b)) mask |= 1 << (i * 8 + b);
  }
  return mask;
}

/** DistributionPointName ([0] in a DP or IDP): fullName or nameRelativeToCRLIssuer. */
export function readDistributionPointName(r: DerReader, e: Element): { fullName: GeneralName[] | null; relativeName: Uint8Array | null } {
  const inner = r.enter(e);
  const ne = inner.next();
  inner.done();
  if (ne.tag === ctx(0, true)) return { fullName: readGeneralNames(inner.enter(ne), 'fullName'), relativeName: null };
  if (ne.tag === ctx(1, true)) return { fullName: null, relativeName: inner.raw(ne) };
  throw new DerError('wrong_tag', 'DistributionPointName', ne.start);
}

export function readDistributionPoints(value: Uint8Array): DistributionPoint[] {
  const r = new DerReader(value).sequence('cRLDistributionPoints');
  const dps: DistributionPoint[] = [];
  while (r.hasMore()) {
    const d = r.sequence('DistributionPoint');
    const dpn = d.optional(ctx(0, true));
    const { fullName, relativeName } = dpn ? readDistributionPointName(d, dpn) : { fullName: null, relativeName: null };
    const reasons = d.peekTag() === ctx(1, false) ? readReasonFlags(d, ctx(1, false)) : null;
    const ci = d.optional(ctx(2, true));
    const crlIssuer = ci ? readGeneralNames(d.enter(ci), 'cRLIssuer') : null;
    d.done();
    if (!dpn && !ci) throw new DerError('bad_value', 'DistributionPoint needs a name or a cRLIssuer', 0);
    dps.push({ fullName, relativeName, reasons, crlIssuer });
  }
  if (dps.length === 0) throw new DerError('bad_value', 'empty cRLDistributionPoints', 0);
  return dps;
}
