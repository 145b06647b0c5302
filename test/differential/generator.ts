// Seeded generator of certification paths and mutations for the differential suite: a root, zero
// to two intermediates and a client end entity in a conforming shape, optionally CRLs for every
// CA, then a few mutations from the catalogue below (each names the rule it exercises). The same
// seed gives the same cases; keys come from a small pool made once, so a case costs signatures,
// never key generation.
import * as w from '../../src/core/der-writer.js';
import { ANY_POLICY, EKU, EXT } from '../../src/core/extensions.js';
import { rng } from '../../src/dev/sim/people.js';
import {
  certificate,
  crl,
  dn,
  ext,
  generalizedTime,
  gn,
  makeKey,
  utcTimeText,
  type CrlEntryInput,
  type Der,
  type Hash,
  type IdpSpec,
  type KeySpec,
  type TestKey,
} from '../helpers/x509.js';

export const DAY = 86_400_000;
/** Validation time of every case (whole seconds: `openssl verify -attime` takes seconds). */
export const T = Date.parse('2026-03-01T12:00:00Z');

export const P1 = '1.3.6.1.4.1.55555.2.1';
export const P2 = '1.3.6.1.4.1.55555.2.2';
const UNKNOWN_EXT = '1.3.6.1.4.1.55555.99.1';

// ---- keys ----

export interface KeyPool {
  readonly rsa2048: TestKey[];
  readonly rsa1024: TestKey;
  readonly rsa3072: TestKey;
  readonly p256: TestKey[];
  readonly p384: TestKey;
  readonly p521: TestKey;
  readonly ed25519: TestKey;
}

/** The keys every case draws from (about a second to make). */
export function makeKeyPool(): KeyPool {
  const many = (spec: KeySpec, n: number): TestKey[] => Array.from({ length: n }, () => makeKey(spec));
  return {
    rsa2048: many({ kind: 'rsa', bits: 2048 }, 3),
    rsa1024: makeKey({ kind: 'rsa', bits: 1024 }),
    rsa3072: makeKey({ kind: 'rsa', bits: 3072 }),
    p256: many({ kind: 'ec', curve: 'P-256' }, 4),
    p384: makeKey({ kind: 'ec', curve: 'P-384' }),
    p521: makeKey({ kind: 'ec', curve: 'P-521' }),
    ed25519: makeKey({ kind: 'ed25519' }),
  };
}

// ---- plans ----

/** Keys an extension may depend on: the certificate's own and its issuer's, known only when the
 *  case is signed (a mutation may swap a CA's key; key identifiers follow). */
export interface KeysOf {
  readonly self: TestKey;
  readonly parent: TestKey;
}

export interface Ext {
  readonly id: string;
  der: Der | ((k: KeysOf) => Der);
}

export interface CertPlan {
  readonly role: 'root' | 'ica' | 'leaf';
  subject: Der;
  /** Issuer name; null: the parent's subject. */
  issuer: Der | null;
  key: TestKey;
  serial: bigint | Der;
  notBefore: number | Der;
  notAfter: number | Der;
  exts: Ext[];
  hash: Hash;
  tbsSigAlg?: Der;
  badSignature?: boolean;
  version?: 1 | 3;
  /** Signed with RSASSA-PSS by its (RSA) issuer. */
  pss?: boolean;
}

export interface CrlPlan {
  /** Index in `certs` of the CA that issues and signs it. */
  readonly ca: number;
  entries: CrlEntryInput[];
  thisUpdate: number;
  nextUpdate: number | null;
  number: bigint | null;
  numberCritical?: boolean;
  akiCritical?: boolean;
  idp?: IdpSpec;
  extensions: Der[];
  badSignature?: boolean;
  deltaOf?: bigint;
}

export interface PolicySettings {
  /** user-initial-policy-set; null: any policy. */
  initial: string[] | null;
  explicit: boolean;
  inhibitMapping: boolean;
  inhibitAny: boolean;
}

export interface CasePlan {
  readonly id: number;
  readonly mutations: string[];
  /** root, intermediates top-down, end entity. */
  readonly certs: CertPlan[];
  /** null: revocation is not checked; else one or more CRLs per CA. */
  crls: CrlPlan[] | null;
  readonly policy: PolicySettings;
}

export interface BuiltCase {
  readonly plan: CasePlan;
  readonly root: Der;
  readonly intermediates: Der[];
  readonly leaf: Der;
  readonly crls: Der[];
}

const leafOf = (p: CasePlan): CertPlan => p.certs[p.certs.length - 1];
const icas = (p: CasePlan): CertPlan[] => p.certs.slice(1, -1);
/** The CA that issues the end entity. */
const leafIssuer = (p: CasePlan): CertPlan => p.certs[p.certs.length - 2];

function setExt(c: CertPlan, id: string, der: Ext['der'] | null): void {
  const i = c.exts.findIndex((e) => e.id === id);
  if (der === null) {
    if (i >= 0) c.exts.splice(i, 1);
  } else if (i >= 0) c.exts[i].der = der;
  else c.exts.push({ id, der });
}

function crlOf(p: CasePlan, ca: CertPlan): CrlPlan {
  const i = p.certs.indexOf(ca);
  const c = p.crls?.find((x) => x.ca === i && x.deltaOf === undefined);
  if (!c) throw new Error(`case ${p.id}: no CRL for certificate ${i}`);
  return c;
}

/** Positive serial of 8–16 random octets. */
function randomSerial(r: () => number): bigint {
  let v = 1n;
  const n = 8 + Math.floor(r() * 9);
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(Math.floor(r() * 256));
  return v;
}

function pick<X>(r: () => number, xs: readonly X[]): X {
  return xs[Math.floor(r() * xs.length)];
}

const pad = (n: number): string => String(n).padStart(2, '0');
function utcText(ms: number, tail = 'Z', seconds = true): Der {
  const d = new Date(ms);
  const s = `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${seconds ? pad(d.getUTCSeconds()) : ''}${tail}`;
  return utcTimeText(s);
}

const SKI =
  (critical = false) =>
  (k: KeysOf): Der =>
    ext.ski(k.self.keyId, critical);
const AKI =
  (critical = false) =>
  (k: KeysOf): Der =>
    ext.aki(k.parent.keyId, critical);

function caExts(root: boolean): Ext[] {
  return [
    { id: EXT.basicConstraints, der: ext.basicConstraints(true) },
    { id: EXT.keyUsage, der: ext.keyUsage([5, 6]) },
    { id: EXT.subjectKeyIdentifier, der: SKI() },
    ...(root ? [] : [{ id: EXT.authorityKeyIdentifier, der: AKI() }]),
  ];
}

/** A conforming path of `icaCount` intermediates, before mutations. */
function basePlan(id: number, r: () => number, keys: KeyPool, icaCount: number, withCrls: boolean): CasePlan {
  const caKey = (): TestKey => (r() < 0.75 ? pick(r, keys.p256) : r() < 0.7 ? pick(r, keys.rsa2048) : keys.p384);
  const org: [string, string] = ['O', `Diff ${id}`];
  const certs: CertPlan[] = [];
  const rootKey = caKey();
  certs.push({
    role: 'root',
    subject: dn(org, ['CN', 'Root']),
    issuer: null,
    key: rootKey,
    serial: randomSerial(r),
    notBefore: T - 700 * DAY,
    notAfter: T + 700 * DAY,
    exts: caExts(true),
    hash: 'sha256',
  });
  for (let k = 1; k <= icaCount; k++) {
    const key = caKey();
    certs.push({
      role: 'ica',
      subject: dn(org, ['CN', `ICA ${k}`]),
      issuer: null,
      key,
      serial: randomSerial(r),
      notBefore: T - 400 * DAY,
      notAfter: T + 400 * DAY,
      exts: caExts(false),
      hash: r() < 0.8 ? 'sha256' : 'sha384',
    });
  }
  const leafKey = r() < 0.6 ? pick(r, keys.p256) : pick(r, keys.rsa2048);
  certs.push({
    role: 'leaf',
    subject: dn(org, ['CN', 'Leaf']),
    issuer: null,
    key: leafKey,
    serial: randomSerial(r),
    notBefore: T - 30 * DAY,
    notAfter: T + 60 * DAY,
    exts: [
      { id: EXT.keyUsage, der: ext.keyUsage(r() < 0.7 ? [0] : [0, 2]) },
      { id: EXT.extKeyUsage, der: ext.extKeyUsage([EKU.clientAuth]) },
      { id: EXT.subjectAltName, der: ext.san([gn.dns(`leaf${id}.example.test`)]) },
      { id: EXT.subjectKeyIdentifier, der: SKI() },
      { id: EXT.authorityKeyIdentifier, der: AKI() },
    ],
    hash: pick(r, ['sha256', 'sha256', 'sha384', 'sha512'] as const),
  });
  const plan: CasePlan = { id, mutations: [], certs, crls: null, policy: { initial: null, explicit: false, inhibitMapping: false, inhibitAny: false } };
  if (withCrls) {
    plan.crls = certs.slice(0, -1).map((_, ca) => ({
      ca,
      // Serials of no certificate in the path: a CRL is rarely empty.
      entries: Array.from({ length: Math.floor(r() * 3) }, () => ({ serial: randomSerial(r), revokedAt: T - 5 * DAY, reason: pick(r, [1, 3, 4, 5]) })),
      thisUpdate: T - DAY,
      nextUpdate: T + 6 * DAY,
      number: BigInt(1 + Math.floor(r() * 1000)),
      extensions: [],
    }));
  }
  return plan;
}

// ---- mutations ----

export interface Mutation {
  readonly name: string;
  /** Mutations of one group touch the same field: at most one per case. */
  readonly group: string;
  /** Intermediates at least / at most, and whether the case checks CRLs. */
  readonly needs?: { icas?: number; maxIcas?: number; crls?: boolean };
  apply(p: CasePlan, r: () => number, keys: KeyPool): void;
}

const m = (name: string, group: string, apply: Mutation['apply'], needs?: Mutation['needs']): Mutation => ({ name, group, apply, needs });
const freshest = (p: CasePlan): Der =>
  ext.raw(EXT.freshestCRL, false, w.seq(w.seq(w.explicit(0, w.tlv(0xa0, gn.uri(`http://crl.example.test/${p.id}-delta.crl`))))));

/** Policies on every certificate below the root. */
function everyPolicy(p: CasePlan, oids: string[], leafOids: string[] | null = oids): void {
  for (const c of icas(p)) setExt(c, EXT.certificatePolicies, ext.policies(oids));
  setExt(leafOf(p), EXT.certificatePolicies, leafOids ? ext.policies(leafOids) : null);
}

export const MUTATIONS: readonly Mutation[] = [
  // validity and time encodings (RFC 5280 §4.1.2.5)
  m('leaf-expired', 'leaf-validity', (p) => void (leafOf(p).notAfter = T - DAY)),
  m('leaf-not-yet-valid', 'leaf-validity', (p) => void (leafOf(p).notBefore = T + DAY)),
  m('leaf-notafter-exact', 'leaf-validity', (p) => void (leafOf(p).notAfter = T)),
  m('leaf-notbefore-exact', 'leaf-validity', (p) => void (leafOf(p).notBefore = T)),
  m('leaf-expired-1s', 'leaf-validity', (p) => void (leafOf(p).notAfter = T - 1000)),
  m('leaf-generalizedtime-before-2050', 'leaf-validity', (p) => void (leafOf(p).notAfter = generalizedTime(T + 30 * DAY))),
  m('leaf-notafter-2050-generalizedtime', 'leaf-validity', (p) => void (leafOf(p).notAfter = Date.UTC(2050, 0, 1))),
  m('leaf-utctime-without-seconds', 'leaf-validity', (p) => void (leafOf(p).notAfter = utcText(T + 30 * DAY, 'Z', false))),
  m('leaf-utctime-with-offset', 'leaf-validity', (p) => void (leafOf(p).notAfter = utcText(T + 30 * DAY, '+0900'))),
  m('leaf-february-29-non-leap', 'leaf-validity', (p) => void (leafOf(p).notAfter = utcTimeText('270229120000Z'))),
  m('ica-expired', 'ica-validity', (p) => void (icas(p)[0].notAfter = T - DAY), { icas: 1 }),
  m('root-expired', 'root-validity', (p) => void (p.certs[0].notAfter = T - DAY)),
  m('root-not-yet-valid', 'root-validity', (p) => void (p.certs[0].notBefore = T + DAY)),

  // keyUsage (§4.2.1.3)
  m('leaf-ku-absent', 'leaf-ku', (p) => setExt(leafOf(p), EXT.keyUsage, null)),
  m('leaf-ku-without-digitalsignature', 'leaf-ku', (p) => setExt(leafOf(p), EXT.keyUsage, ext.keyUsage([2]))),
  m('leaf-ku-noncritical', 'leaf-ku', (p) => setExt(leafOf(p), EXT.keyUsage, ext.keyUsage([0], false))),
  m('leaf-ku-keycertsign-not-ca', 'leaf-ku', (p) => setExt(leafOf(p), EXT.keyUsage, ext.keyUsage([0, 5]))),
  m('ica-ku-without-keycertsign', 'ica-ku', (p) => setExt(icas(p)[0], EXT.keyUsage, ext.keyUsage([6])), { icas: 1 }),
  m('ica-ku-absent', 'ica-ku', (p) => setExt(icas(p)[0], EXT.keyUsage, null), { icas: 1 }),
  m('root-ku-absent', 'root-ku', (p) => setExt(p.certs[0], EXT.keyUsage, null)),
  m('root-ku-without-keycertsign', 'root-ku', (p) => setExt(p.certs[0], EXT.keyUsage, ext.keyUsage([6]))),

  // extendedKeyUsage (§4.2.1.12)
  m('leaf-eku-serverauth-only', 'leaf-eku', (p) => setExt(leafOf(p), EXT.extKeyUsage, ext.extKeyUsage([EKU.serverAuth]))),
  m('leaf-eku-any', 'leaf-eku', (p) => setExt(leafOf(p), EXT.extKeyUsage, ext.extKeyUsage([EKU.anyExtendedKeyUsage]))),
  m('leaf-eku-absent', 'leaf-eku', (p) => setExt(leafOf(p), EXT.extKeyUsage, null)),
  m('leaf-eku-client-and-server', 'leaf-eku', (p) => setExt(leafOf(p), EXT.extKeyUsage, ext.extKeyUsage([EKU.serverAuth, EKU.clientAuth]))),
  m('leaf-eku-critical', 'leaf-eku', (p) => setExt(leafOf(p), EXT.extKeyUsage, ext.extKeyUsage([EKU.clientAuth], true))),
  m('ica-eku-serverauth', 'ica-eku', (p) => setExt(icas(p)[0], EXT.extKeyUsage, ext.extKeyUsage([EKU.serverAuth])), { icas: 1 }),
  m('ica-eku-clientauth', 'ica-eku', (p) => setExt(icas(p)[0], EXT.extKeyUsage, ext.extKeyUsage([EKU.clientAuth])), { icas: 1 }),

  // basicConstraints and pathLenConstraint (§4.2.1.9, §6.1.4 (k)(l)(m))
  m('ica-bc-absent', 'ica-bc', (p) => setExt(icas(p)[0], EXT.basicConstraints, null), { icas: 1 }),
  m('ica-bc-ca-false', 'ica-bc', (p) => setExt(icas(p)[0], EXT.basicConstraints, ext.basicConstraints(false)), { icas: 1 }),
  m('ica-bc-noncritical', 'ica-bc', (p) => setExt(icas(p)[0], EXT.basicConstraints, ext.basicConstraints(true, null, false)), { icas: 1 }),
  m('ica-pathlen-0-above-another-ica', 'ica-bc', (p) => setExt(icas(p)[0], EXT.basicConstraints, ext.basicConstraints(true, 0)), { icas: 2 }),
  m('ica-pathlen-1', 'ica-bc', (p) => setExt(icas(p)[0], EXT.basicConstraints, ext.basicConstraints(true, 1)), { icas: 1 }),
  m('root-bc-noncritical', 'root-bc', (p) => setExt(p.certs[0], EXT.basicConstraints, ext.basicConstraints(true, null, false))),
  m('root-bc-absent', 'root-bc', (p) => setExt(p.certs[0], EXT.basicConstraints, null)),
  m('root-pathlen-0-above-ica', 'root-bc', (p) => setExt(p.certs[0], EXT.basicConstraints, ext.basicConstraints(true, 0)), { icas: 1 }),
  m('leaf-bc-ca-true', 'leaf-bc', (p) => setExt(leafOf(p), EXT.basicConstraints, ext.basicConstraints(true))),
  m('leaf-bc-pathlen-without-ca', 'leaf-bc', (p) => setExt(leafOf(p), EXT.basicConstraints, ext.raw(EXT.basicConstraints, true, w.seq(w.integer(0))))),

  // name constraints (§4.2.1.10) on the CA that issues the end entity
  m('nc-dns-permitted-match', 'nc', (p) => setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints([gn.dns('example.test')], null))),
  m('nc-dns-permitted-mismatch', 'nc', (p) => setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints([gn.dns('example.org')], null))),
  m('nc-dns-excluded-match', 'nc', (p) => setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints(null, [gn.dns(`leaf${p.id}.example.test`)]))),
  m('nc-dn-permitted-match', 'nc', (p) => setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints([gn.dir(dn(['O', `Diff ${p.id}`]))], null))),
  m('nc-dn-excluded-match', 'nc', (p) =>
    setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints(null, [gn.dir(dn(['O', `Diff ${p.id}`], ['CN', 'Leaf']))])),
  ),
  m('nc-ip-permitted-match', 'nc', (p) => {
    setExt(leafOf(p), EXT.subjectAltName, ext.san([gn.dns(`leaf${p.id}.example.test`), gn.ip([10, 1, 2, 3])]));
    setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints([gn.ip([10, 0, 0, 0, 255, 0, 0, 0])], null));
  }),
  m('nc-ip-permitted-mismatch', 'nc', (p) => {
    setExt(leafOf(p), EXT.subjectAltName, ext.san([gn.dns(`leaf${p.id}.example.test`), gn.ip([10, 1, 2, 3])]));
    setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints([gn.ip([192, 168, 0, 0, 255, 255, 0, 0])], null));
  }),
  m('nc-email-excluded-match', 'nc', (p) => {
    setExt(leafOf(p), EXT.subjectAltName, ext.san([gn.dns(`leaf${p.id}.example.test`), gn.email('user@mail.example.test')]));
    setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints(null, [gn.email('mail.example.test')]));
  }),
  m('nc-noncritical', 'nc', (p) => setExt(leafIssuer(p), EXT.nameConstraints, ext.nameConstraints([gn.dns('example.test')], null, false))),
  m('nc-in-leaf', 'nc', (p) => setExt(leafOf(p), EXT.nameConstraints, ext.nameConstraints([gn.dns('example.test')], null))),
  m('nc-on-root-mismatch', 'nc', (p) => setExt(p.certs[0], EXT.nameConstraints, ext.nameConstraints([gn.dns('example.org')], null))),

  // certificate policies (§6.1.3 (d)–(f), §6.1.4 (a)–(j)); the initial inputs go to both verifiers
  m('policy-match', 'policy', (p) => {
    everyPolicy(p, [P1]);
    Object.assign(p.policy, { initial: [P1], explicit: true });
  }),
  m('policy-leaf-missing', 'policy', (p) => {
    everyPolicy(p, [P1], null);
    p.policy.explicit = true;
  }),
  m('policy-user-set-mismatch', 'policy', (p) => {
    everyPolicy(p, [P1]);
    Object.assign(p.policy, { initial: [P2], explicit: true });
  }),
  m(
    'policy-any-in-ica',
    'policy',
    (p) => {
      everyPolicy(p, [ANY_POLICY], [P1]);
      Object.assign(p.policy, { initial: [P1], explicit: true });
    },
    { icas: 1 },
  ),
  m(
    'policy-mapping',
    'policy',
    (p) => {
      everyPolicy(p, [P2]);
      setExt(icas(p)[0], EXT.certificatePolicies, ext.policies([P1]));
      setExt(icas(p)[0], EXT.policyMappings, ext.policyMappings([[P1, P2]]));
      Object.assign(p.policy, { initial: [P1], explicit: true });
    },
    { icas: 1 },
  ),
  m(
    'policy-mapping-inhibited',
    'policy',
    (p) => {
      everyPolicy(p, [P2]);
      setExt(icas(p)[0], EXT.certificatePolicies, ext.policies([P1]));
      setExt(icas(p)[0], EXT.policyMappings, ext.policyMappings([[P1, P2]]));
      Object.assign(p.policy, { initial: [P1], explicit: true, inhibitMapping: true });
    },
    { icas: 1 },
  ),
  m(
    'policy-require-explicit-in-ica',
    'policy',
    (p) => {
      everyPolicy(p, [P1], null);
      setExt(icas(p)[0], EXT.policyConstraints, ext.policyConstraints(0, null));
    },
    { icas: 1 },
  ),
  m(
    'policy-inhibit-any-in-ica',
    'policy',
    (p) => {
      everyPolicy(p, [ANY_POLICY]);
      setExt(icas(p)[0], EXT.inhibitAnyPolicy, ext.inhibitAnyPolicy(0));
      p.policy.explicit = true;
    },
    { icas: 1 },
  ),
  m(
    'policy-required-by-ica-and-met',
    'policy',
    (p) => {
      everyPolicy(p, [P1]);
      setExt(icas(p)[0], EXT.policyConstraints, ext.policyConstraints(0, null));
    },
    { icas: 1 },
  ),
  m(
    'policy-constraints-noncritical',
    'policy',
    (p) => {
      everyPolicy(p, [P1]);
      setExt(icas(p)[0], EXT.policyConstraints, ext.policyConstraints(0, null, false));
      p.policy.initial = [P1];
    },
    { icas: 1 },
  ),

  // extensions: unknown critical ones, fixed criticality, presence (§4.2)
  m('leaf-unknown-critical-extension', 'leaf-unknown', (p) => setExt(leafOf(p), UNKNOWN_EXT, ext.raw(UNKNOWN_EXT, true, w.nullValue()))),
  m('leaf-unknown-noncritical-extension', 'leaf-unknown', (p) => setExt(leafOf(p), UNKNOWN_EXT, ext.raw(UNKNOWN_EXT, false, w.nullValue()))),
  m('ica-unknown-critical-extension', 'ica-unknown', (p) => setExt(icas(p)[0], UNKNOWN_EXT, ext.raw(UNKNOWN_EXT, true, w.nullValue())), { icas: 1 }),
  m('root-unknown-critical-extension', 'root-unknown', (p) => setExt(p.certs[0], UNKNOWN_EXT, ext.raw(UNKNOWN_EXT, true, w.nullValue()))),
  m('leaf-aki-critical', 'leaf-aki', (p) => setExt(leafOf(p), EXT.authorityKeyIdentifier, AKI(true))),
  m('leaf-aki-absent', 'leaf-aki', (p) => setExt(leafOf(p), EXT.authorityKeyIdentifier, null)),
  m('leaf-ski-critical', 'leaf-ski', (p) => setExt(leafOf(p), EXT.subjectKeyIdentifier, SKI(true))),
  m('ica-ski-absent', 'ica-ski', (p) => setExt(icas(p)[0], EXT.subjectKeyIdentifier, null), { icas: 1 }),
  m('root-ski-absent', 'root-ski', (p) => setExt(p.certs[0], EXT.subjectKeyIdentifier, null)),
  m('leaf-aia-critical', 'leaf-aia', (p) =>
    setExt(
      leafOf(p),
      EXT.authorityInfoAccess,
      ext.raw(EXT.authorityInfoAccess, true, w.seq(w.seq(w.oid('1.3.6.1.5.5.7.48.2'), gn.uri('http://ca.example.test/ca.der')))),
    ),
  ),
  m('leaf-crldp-critical', 'leaf-crldp', (p) =>
    setExt(leafOf(p), EXT.crlDistributionPoints, ext.crlDistributionPoints([{ fullName: [gn.uri('http://crl.example.test/x.crl')] }], true)),
  ),
  m('leaf-duplicate-extension', 'leaf-san', (p) => leafOf(p).exts.push({ id: 'dup', der: ext.san([gn.dns(`leaf${p.id}.example.test`)]) })),
  m('leaf-san-underscore-dns', 'leaf-san', (p) => setExt(leafOf(p), EXT.subjectAltName, ext.san([gn.dns(`leaf_${p.id}.example.test`)]))),
  m('leaf-empty-subject-san-critical', 'leaf-san', (p) => {
    leafOf(p).subject = w.seq();
    setExt(leafOf(p), EXT.subjectAltName, ext.san([gn.dns(`leaf${p.id}.example.test`)], true));
  }),
  m('leaf-empty-subject-san-noncritical', 'leaf-san', (p) => void (leafOf(p).subject = w.seq())),
  m('leaf-version-1', 'leaf-version', (p) => {
    leafOf(p).version = 1;
    leafOf(p).exts = [];
  }),

  // serial numbers (§4.1.2.2)
  m('leaf-serial-zero', 'leaf-serial', (p) => void (leafOf(p).serial = 0n)),
  m('leaf-serial-negative', 'leaf-serial', (p, r) => void (leafOf(p).serial = Uint8Array.from([0x80 | Math.floor(r() * 128), 1, 2, 3, 4, 5, 6, 7]))),
  m('leaf-serial-21-octets', 'leaf-serial', (p) => void (leafOf(p).serial = Uint8Array.from([0x01, ...Array.from({ length: 20 }, (_, i) => i + 1)]))),
  m('leaf-serial-20-octets', 'leaf-serial', (p) => void (leafOf(p).serial = Uint8Array.from([0x7f, ...Array.from({ length: 19 }, (_, i) => i + 1)]))),
  m('ica-serial-zero', 'ica-serial', (p) => void (icas(p)[0].serial = 0n), { icas: 1 }),
  m('root-serial-zero', 'root-serial', (p) => void (p.certs[0].serial = 0n)),

  // keys and signature algorithms (§4.1.1.2, §4.1.2.3, §4.1.2.7)
  m('leaf-key-rsa1024', 'leaf-key', (p, _r, k) => void (leafOf(p).key = k.rsa1024)),
  m('leaf-key-rsa3072', 'leaf-key', (p, _r, k) => void (leafOf(p).key = k.rsa3072)),
  m('leaf-key-p521', 'leaf-key', (p, _r, k) => void (leafOf(p).key = k.p521)),
  m('leaf-key-ed25519', 'leaf-key', (p, _r, k) => void (leafOf(p).key = k.ed25519)),
  m('ica-key-rsa1024', 'ica-key', (p, _r, k) => void (icas(p)[0].key = k.rsa1024), { icas: 1 }),
  m('ica-key-p384', 'ica-key', (p, _r, k) => void (icas(p)[0].key = k.p384), { icas: 1 }),
  m('ica-key-ed25519', 'ica-key', (p, _r, k) => void (icas(p)[0].key = k.ed25519), { icas: 1 }),
  m('leaf-signature-sha1-rsa', 'leaf-sig', (p, r, k) => {
    leafIssuer(p).key = pick(r, k.rsa2048);
    leafOf(p).hash = 'sha1';
  }),
  m('leaf-signature-sha512', 'leaf-sig', (p) => void (leafOf(p).hash = 'sha512')),
  m('leaf-signature-rsa-pss', 'leaf-sig', (p, r, k) => {
    leafIssuer(p).key = pick(r, k.rsa2048);
    leafOf(p).pss = true;
    leafOf(p).hash = pick(r, ['sha256', 'sha384'] as const);
  }),
  m('leaf-signature-algorithm-mismatch', 'leaf-sig', (p, r, k) => {
    leafIssuer(p).key = pick(r, k.p256);
    leafOf(p).hash = 'sha256';
    leafOf(p).tbsSigAlg = w.seq(w.oid('1.2.840.10045.4.3.3'));
  }),
  m('leaf-bad-signature', 'leaf-sig', (p) => void (leafOf(p).badSignature = true)),
  m('ica-bad-signature', 'ica-sig', (p) => void (icas(p)[0].badSignature = true), { icas: 1 }),
  m('root-bad-self-signature', 'root-sig', (p) => void (p.certs[0].badSignature = true)),

  // CRLs (§5, §6.3): every CA publishes one; openssl runs with -crl_check_all
  m(
    'crl-leaf-revoked',
    'crl-leaf',
    (p, r) => crlOf(p, leafIssuer(p)).entries.push({ serial: leafOf(p).serial, revokedAt: T - DAY, reason: pick(r, [undefined, 1, 3, 4, 5, 9]) }),
    {
      crls: true,
    },
  ),
  m('crl-leaf-on-hold', 'crl-leaf', (p) => crlOf(p, leafIssuer(p)).entries.push({ serial: leafOf(p).serial, revokedAt: T - DAY, reason: 6 }), { crls: true }),
  m(
    'crl-leaf-revoked-after-validation-time',
    'crl-leaf',
    (p) => crlOf(p, leafIssuer(p)).entries.push({ serial: leafOf(p).serial, revokedAt: T + 3600_000, reason: 1 }),
    {
      crls: true,
    },
  ),
  m('crl-ica-revoked', 'crl-ica', (p) => crlOf(p, p.certs[0]).entries.push({ serial: icas(p)[0].serial, revokedAt: T - DAY, reason: 2 }), {
    crls: true,
    icas: 1,
  }),
  m(
    'crl-expired',
    'crl-time',
    (p) => {
      const c = crlOf(p, leafIssuer(p));
      c.thisUpdate = T - 10 * DAY;
      c.nextUpdate = T - DAY;
    },
    { crls: true },
  ),
  m(
    'crl-not-yet-valid',
    'crl-time',
    (p) => {
      const c = crlOf(p, leafIssuer(p));
      c.thisUpdate = T + 3600_000;
      c.nextUpdate = T + 7 * DAY;
    },
    { crls: true },
  ),
  m('crl-without-nextupdate', 'crl-time', (p) => void (crlOf(p, leafIssuer(p)).nextUpdate = null), { crls: true }),
  m('crl-bad-signature', 'crl-form', (p) => void (crlOf(p, leafIssuer(p)).badSignature = true), { crls: true }),
  m('crl-number-critical', 'crl-form', (p) => void (crlOf(p, leafIssuer(p)).numberCritical = true), { crls: true }),
  m('crl-number-absent', 'crl-form', (p) => void (crlOf(p, leafIssuer(p)).number = null), { crls: true }),
  m('crl-aki-critical', 'crl-form', (p) => void (crlOf(p, leafIssuer(p)).akiCritical = true), { crls: true }),
  m('crl-idp-noncritical', 'crl-form', (p) => void (crlOf(p, leafIssuer(p)).idp = { onlyUser: true, critical: false }), { crls: true }),
  m(
    'crl-entry-unknown-critical-extension',
    'crl-form',
    (p) => crlOf(p, leafIssuer(p)).entries.push({ serial: 77n, revokedAt: T - DAY, extensions: [ext.raw(UNKNOWN_EXT, true, w.nullValue())] }),
    { crls: true },
  ),
  m(
    'crl-entry-reason-critical',
    'crl-form',
    (p) => crlOf(p, leafIssuer(p)).entries.push({ serial: 78n, revokedAt: T - DAY, reason: 1, reasonCritical: true }),
    {
      crls: true,
    },
  ),
  m('crl-idp-only-user', 'crl-scope', (p) => void (crlOf(p, leafIssuer(p)).idp = { onlyUser: true }), { crls: true, icas: 1 }),
  m('crl-idp-only-ca', 'crl-scope', (p) => void (crlOf(p, leafIssuer(p)).idp = { onlyCA: true }), { crls: true, icas: 1 }),
  m('crl-idp-some-reasons', 'crl-scope', (p) => void (crlOf(p, leafIssuer(p)).idp = { onlySomeReasons: [1, 2] }), { crls: true, icas: 1 }),
  m(
    'crl-idp-dp-match',
    'crl-scope',
    (p) => {
      const uri = `http://crl.example.test/${p.id}.crl`;
      setExt(leafOf(p), EXT.crlDistributionPoints, ext.crlDistributionPoints([{ fullName: [gn.uri(uri)] }]));
      crlOf(p, leafIssuer(p)).idp = { fullName: [gn.uri(uri)] };
    },
    { crls: true, icas: 1 },
  ),
  m(
    'crl-idp-dp-mismatch',
    'crl-scope',
    (p) => {
      setExt(leafOf(p), EXT.crlDistributionPoints, ext.crlDistributionPoints([{ fullName: [gn.uri(`http://crl.example.test/${p.id}.crl`)] }]));
      crlOf(p, leafIssuer(p)).idp = { fullName: [gn.uri(`http://crl.example.test/${p.id}-other.crl`)] };
    },
    { crls: true, icas: 1 },
  ),
  m(
    'crl-delta-revokes',
    'crl-delta',
    (p) => {
      const base = crlOf(p, leafIssuer(p));
      base.extensions.push(freshest(p));
      p.crls!.push({
        ...base,
        entries: [{ serial: leafOf(p).serial, revokedAt: T - 3600_000, reason: 1 }],
        number: (base.number ?? 1n) + 1n,
        deltaOf: base.number ?? 1n,
        extensions: [],
      });
    },
    { crls: true },
  ),
  m(
    'crl-delta-removes-hold',
    'crl-delta',
    (p) => {
      const base = crlOf(p, leafIssuer(p));
      base.extensions.push(freshest(p));
      base.entries.push({ serial: leafOf(p).serial, revokedAt: T - 2 * DAY, reason: 6 });
      p.crls!.push({
        ...base,
        entries: [{ serial: leafOf(p).serial, revokedAt: T - 3600_000, reason: 8 }],
        number: (base.number ?? 1n) + 1n,
        deltaOf: base.number ?? 1n,
        extensions: [],
      });
    },
    { crls: true },
  ),
  m(
    'crl-delta-over-later-base',
    'crl-delta',
    (p) => {
      const base = crlOf(p, leafIssuer(p));
      base.extensions.push(freshest(p));
      p.crls!.push({
        ...base,
        entries: [{ serial: leafOf(p).serial, revokedAt: T - 3600_000, reason: 1 }],
        number: (base.number ?? 1n) + 10n,
        deltaOf: (base.number ?? 1n) + 5n,
        extensions: [],
      });
    },
    { crls: true },
  ),
  // The trust anchor's own CRL scoped to end entities: the anchor is an input, not a certificate
  // of the path, so its own status is not asked (the end entity is in scope).
  m('crl-anchor-crl-only-user', 'crl-scope', (p) => void (crlOf(p, p.certs[0]).idp = { onlyUser: true }), { crls: true, maxIcas: 0 }),
  m('crl-issuer-without-crlsign', 'ica-ku', (p) => setExt(leafIssuer(p), EXT.keyUsage, ext.keyUsage([5])), { crls: true }),
  m('crl-missing-for-leaf-issuer', 'crl-scope', (p) => void (p.crls = p.crls!.filter((c) => c.ca !== p.certs.length - 2)), { crls: true }),
];

// ---- generation ----

/** Combinations run on every seed, after the single mutations: those whose interplay matters. */
export const COMBINATIONS: readonly (readonly string[])[] = [
  ['crl-entry-reason-critical', 'crl-delta-removes-hold'],
  ['crl-entry-unknown-critical-extension', 'crl-delta-removes-hold'],
  ['crl-delta-revokes', 'crl-idp-only-user'],
  ['leaf-ku-absent', 'leaf-bc-ca-true'],
  ['leaf-bc-ca-true', 'leaf-empty-subject-san-critical'],
];

const byName = new Map(MUTATIONS.map((x) => [x.name, x]));

function compatible(chosen: readonly Mutation[], c: Mutation): boolean {
  if (chosen.some((x) => x.group === c.group)) return false;
  const all = [...chosen, c];
  const min = Math.max(0, ...all.map((x) => x.needs?.icas ?? 0));
  const max = Math.min(2, ...all.map((x) => x.needs?.maxIcas ?? 2));
  return min <= max;
}

/**
 * `count` cases from `seed`. Case 0 has no mutation; then each mutation alone and each of
 * COMBINATIONS, so every rule is exercised on every run; the rest combine up to three mutations of
 * different groups.
 */
export function generateCases(count: number, seed: number, keys: KeyPool): CasePlan[] {
  const out: CasePlan[] = [];
  for (let id = 0; id < count; id++) {
    const r = rng((seed * 1_000_003 + id) >>> 0);
    let chosen: Mutation[];
    if (id === 0) chosen = [];
    else if (id <= MUTATIONS.length) chosen = [MUTATIONS[id - 1]];
    else if (id <= MUTATIONS.length + COMBINATIONS.length) {
      chosen = COMBINATIONS[id - MUTATIONS.length - 1].map((n) => {
        const x = byName.get(n);
        if (!x) throw new Error(`unknown mutation ${n} in COMBINATIONS`);
        return x;
      });
    } else {
      chosen = [];
      const want = pick(r, [0, 1, 1, 2, 2, 3]);
      for (let tries = 0; chosen.length < want && tries < 20; tries++) {
        const c = pick(r, MUTATIONS);
        if (compatible(chosen, c)) chosen.push(c);
      }
    }
    // Catalogue order: a mutation that drops a CRL comes after those that change it.
    chosen.sort((a, b) => MUTATIONS.indexOf(a) - MUTATIONS.indexOf(b));
    const minIcas = Math.max(0, ...chosen.map((c) => c.needs?.icas ?? 0));
    const maxIcas = Math.min(2, ...chosen.map((c) => c.needs?.maxIcas ?? 2));
    const icaCount = Math.min(maxIcas, Math.max(minIcas, pick(r, [0, 1, 1, 1, 2])));
    const withCrls = chosen.some((c) => c.needs?.crls) || r() < 0.3;
    const plan = basePlan(id, r, keys, icaCount, withCrls);
    for (const c of chosen) {
      c.apply(plan, r, keys);
      plan.mutations.push(c.name);
    }
    out.push(plan);
  }
  return out;
}

/** Signs a plan into DER, top-down (a mutation may have changed a CA's key: the AKIs below follow). */
export function buildCase(plan: CasePlan): BuiltCase {
  const ders: Der[] = [];
  plan.certs.forEach((c, i) => {
    const parent = i === 0 ? c : plan.certs[i - 1];
    ders.push(
      certificate({
        serial: c.serial,
        issuer: c.issuer ?? parent.subject,
        subject: c.subject,
        notBefore: c.notBefore,
        notAfter: c.notAfter,
        key: c.key,
        signer: parent.key,
        extensions: c.exts.map((e) => (typeof e.der === 'function' ? e.der({ self: c.key, parent: parent.key }) : e.der)),
        hash: c.hash,
        tbsSigAlg: c.tbsSigAlg,
        badSignature: c.badSignature,
        version: c.version,
        pss: c.pss,
      }),
    );
  });
  const crls = (plan.crls ?? []).map((c) => {
    const ca = plan.certs[c.ca];
    return crl({
      issuer: ca.subject,
      signer: ca.key,
      thisUpdate: c.thisUpdate,
      nextUpdate: c.nextUpdate,
      number: c.number,
      numberCritical: c.numberCritical,
      akiCritical: c.akiCritical,
      deltaOf: c.deltaOf,
      idp: c.idp,
      entries: c.entries,
      extensions: c.extensions,
      badSignature: c.badSignature,
    });
  });
  return { plan, root: ders[0], intermediates: ders.slice(1, -1), leaf: ders[ders.length - 1], crls };
}
