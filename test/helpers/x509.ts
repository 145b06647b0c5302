// A general X.509 builder for tests over the project's DER writer: certificates and CRLs of any
// shape (deliberately broken ones included), signed by real keys. The JPKI-shaped issuance lives
// in src/dev/sim/issue.ts; this one serves rule tests and the differential suite.
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { OID } from '../../src/core/algorithms.js';
import { CRL_EXT } from '../../src/core/crl.js';
import * as d from '../../src/core/der-writer.js';
import { EXT } from '../../src/core/extensions.js';
import { keyIdentifier, spkiOf } from '../../src/dev/sim/issue.js';

export type Der = Uint8Array;
export type Hash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export interface TestKey {
  readonly label: string;
  readonly kind: 'rsa' | 'ec' | 'ed25519';
  readonly privateKey: KeyObject;
  readonly spki: Der;
  readonly keyId: Der;
}

export type KeySpec = { kind: 'rsa'; bits: number } | { kind: 'ec'; curve: 'P-256' | 'P-384' | 'P-521' } | { kind: 'ed25519' };

export function makeKey(spec: KeySpec): TestKey {
  const pair =
    spec.kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: spec.bits })
      : spec.kind === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: spec.curve })
        : generateKeyPairSync('ed25519');
  const spki = spkiOf(pair.publicKey);
  const label = spec.kind === 'rsa' ? `rsa${spec.bits}` : spec.kind === 'ec' ? spec.curve.toLowerCase() : 'ed25519';
  return { label, kind: spec.kind, privateKey: pair.privateKey, spki, keyId: keyIdentifier(spki) };
}

const SIG_OID: Record<string, string> = {
  'rsa/sha1': OID.sha1WithRSA,
  'rsa/sha256': OID.sha256WithRSA,
  'rsa/sha384': OID.sha384WithRSA,
  'rsa/sha512': OID.sha512WithRSA,
  'ec/sha256': OID.ecdsaSha256,
  'ec/sha384': OID.ecdsaSha384,
  'ec/sha512': OID.ecdsaSha512,
};

/** The AlgorithmIdentifier a key signs with (RSA with NULL parameters, ECDSA and Ed25519 without). */
export function sigAlg(key: TestKey, hash: Hash = 'sha256'): Der {
  if (key.kind === 'ed25519') return d.seq(d.oid(OID.ed25519));
  const oid = SIG_OID[`${key.kind}/${hash}`];
  if (!oid) throw new Error(`no signature algorithm for ${key.kind}/${hash}`);
  return key.kind === 'rsa' ? d.seq(d.oid(oid), d.nullValue()) : d.seq(d.oid(oid));
}

export function signWith(key: TestKey, hash: Hash, tbs: Der, pss = false): Der {
  if (pss) return new Uint8Array(sign(hash, tbs, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT[hash] }));
  return new Uint8Array(sign(key.kind === 'ed25519' ? null : hash, tbs, key.privateKey));
}

const PSS_SALT: Record<Hash, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
const HASH_ALG_OID: Record<Hash, string> = { sha1: OID.sha1, sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512 };

/** RSASSA-PSS AlgorithmIdentifier (RFC 4055): the hash, MGF1 with the same hash, salt = hash length. */
export function pssAlg(hash: Hash): Der {
  const h = d.seq(d.oid(HASH_ALG_OID[hash]), d.nullValue());
  return d.seq(d.oid(OID.rsaPss), d.seq(d.explicit(0, h), d.explicit(1, d.seq(d.oid(OID.mgf1), h)), d.explicit(2, d.integer(PSS_SALT[hash]))));
}

// ---- names ----

const ATTR: Record<string, string> = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3', L: '2.5.4.7', emailAddress: '1.2.840.113549.1.9.1' };

/** A DN from [attribute, value] pairs, most significant first (UTF8String; C and emailAddress as
 *  the profile wants them: PrintableString, IA5String). */
export function dn(...rdns: (readonly [keyof typeof ATTR | string, string])[]): Der {
  return d.seq(
    ...rdns.map(([a, v]) => {
      const type = ATTR[a] ?? a;
      const value = a === 'C' ? d.printable(v) : a === 'emailAddress' ? d.ia5(v) : d.utf8(v);
      return d.set(d.seq(d.oid(type), value));
    }),
  );
}

export const EMPTY_NAME: Der = d.seq();

// ---- GeneralName ----

const ascii = (s: string): Der => new TextEncoder().encode(s);
export const gn = {
  dns: (v: string): Der => d.implicit(2, ascii(v)),
  email: (v: string): Der => d.implicit(1, ascii(v)),
  uri: (v: string): Der => d.implicit(6, ascii(v)),
  ip: (bytes: readonly number[]): Der => d.implicit(7, Uint8Array.from(bytes)),
  dir: (name: Der): Der => d.explicit(4, name),
};

// ---- extensions ----

export const ext = {
  basicConstraints: (ca: boolean, pathLen: number | null = null, critical = true): Der =>
    d.extension(EXT.basicConstraints, critical, d.seq(...(ca ? [d.bool(true)] : []), ...(pathLen !== null ? [d.integer(pathLen)] : []))),
  keyUsage: (bits: number[], critical = true): Der => d.extension(EXT.keyUsage, critical, d.namedBits(bits)),
  extKeyUsage: (oids: string[], critical = false): Der => d.extension(EXT.extKeyUsage, critical, d.seq(...oids.map((o) => d.oid(o)))),
  ski: (id: Der, critical = false): Der => d.extension(EXT.subjectKeyIdentifier, critical, d.octets(id)),
  aki: (id: Der, critical = false): Der => d.extension(EXT.authorityKeyIdentifier, critical, d.seq(d.implicit(0, id))),
  san: (names: Der[], critical = false): Der => d.extension(EXT.subjectAltName, critical, d.seq(...names)),
  nameConstraints: (permitted: Der[] | null, excluded: Der[] | null, critical = true): Der =>
    d.extension(
      EXT.nameConstraints,
      critical,
      d.seq(...(permitted ? [d.tlv(0xa0, ...permitted.map((n) => d.seq(n)))] : []), ...(excluded ? [d.tlv(0xa1, ...excluded.map((n) => d.seq(n)))] : [])),
    ),
  policies: (oids: string[], critical = false): Der => d.extension(EXT.certificatePolicies, critical, d.seq(...oids.map((o) => d.seq(d.oid(o))))),
  policyMappings: (maps: [string, string][], critical = true): Der =>
    d.extension(EXT.policyMappings, critical, d.seq(...maps.map(([i, s]) => d.seq(d.oid(i), d.oid(s))))),
  policyConstraints: (requireExplicit: number | null, inhibitMapping: number | null, critical = true): Der =>
    d.extension(
      EXT.policyConstraints,
      critical,
      d.seq(
        ...(requireExplicit !== null ? [d.implicit(0, d.integer(requireExplicit).subarray(2))] : []),
        ...(inhibitMapping !== null ? [d.implicit(1, d.integer(inhibitMapping).subarray(2))] : []),
      ),
    ),
  inhibitAnyPolicy: (skip: number, critical = true): Der => d.extension(EXT.inhibitAnyPolicy, critical, d.integer(skip)),
  /** cRLDistributionPoints: each point a fullName list, or a relative name (one RDN SET), with
   *  optional reasons (ReasonFlags bit numbers) and cRLIssuer names. */
  crlDistributionPoints: (points: DpSpec[], critical = false): Der => d.extension(EXT.crlDistributionPoints, critical, d.seq(...points.map(distributionPoint))),
  raw: (oid: string, critical: boolean, value: Der): Der => d.extension(oid, critical, value),
};

export interface DpSpec {
  readonly fullName?: Der[];
  readonly relativeName?: readonly [string, string];
  readonly reasons?: number[];
  readonly crlIssuer?: Der[];
}

/** One RDN as a SET, for nameRelativeToCRLIssuer. */
function rdnSet([a, v]: readonly [string, string]): Der {
  return d.set(d.seq(d.oid(ATTR[a] ?? a), d.utf8(v)));
}

function dpName(p: { fullName?: Der[]; relativeName?: readonly [string, string] }): Der[] {
  if (p.fullName) return [d.explicit(0, d.tlv(0xa0, ...p.fullName))];
  if (p.relativeName) return [d.explicit(0, d.tlv(0xa1, rdnSet(p.relativeName).subarray(2)))];
  return [];
}

function distributionPoint(p: DpSpec): Der {
  return d.seq(...dpName(p), ...(p.reasons ? [d.tlv(0x81, d.namedBits(p.reasons).subarray(2))] : []), ...(p.crlIssuer ? [d.tlv(0xa2, ...p.crlIssuer)] : []));
}

// ---- certificates ----

export interface CertInput {
  readonly serial?: bigint | Der; // bigint (non-negative) or raw INTEGER contents
  readonly issuer: Der;
  readonly subject: Der;
  readonly notBefore: number | Der; // epoch ms, or a ready Time element
  readonly notAfter: number | Der;
  readonly key: TestKey; // the subject's key
  readonly signer: TestKey; // the issuer's key
  readonly extensions?: readonly Der[];
  readonly hash?: Hash;
  /** The inner (TBS) signature algorithm, when it must differ from the outer one. */
  readonly tbsSigAlg?: Der;
  readonly version?: 1 | 3;
  /** Flip a bit of the signature. */
  readonly badSignature?: boolean;
  /** Sign with RSASSA-PSS (an RSA signer). */
  readonly pss?: boolean;
}

const time = (t: number | Der): Der => (typeof t === 'number' ? d.time(t) : t);

export function certificate(o: CertInput): Der {
  const alg = o.pss ? pssAlg(o.hash ?? 'sha256') : sigAlg(o.signer, o.hash);
  const exts = o.extensions ?? [];
  const tbs = d.seq(
    ...(o.version === 1 ? [] : [d.explicit(0, d.integer(2))]),
    d.integer(o.serial ?? 1n),
    o.tbsSigAlg ?? alg,
    o.issuer,
    d.seq(time(o.notBefore), time(o.notAfter)),
    o.subject,
    o.key.spki,
    ...(exts.length ? [d.explicit(3, d.seq(...exts))] : []),
  );
  const sig = signWith(o.signer, o.hash ?? 'sha256', tbs, o.pss);
  if (o.badSignature) sig[sig.length >> 1] ^= 0x01;
  return d.seq(tbs, alg, d.bitString(sig));
}

/** GeneralizedTime for any year (RFC 5280 wants UTCTime before 2050: for encoding tests). */
export function generalizedTime(ms: number): Der {
  const s = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.tlv(0x18, ascii(s));
}

/** UTCTime from literal text (malformed encodings: no seconds, offsets, fractions). */
export function utcTimeText(text: string): Der {
  return d.tlv(0x17, ascii(text));
}

// ---- CRLs ----

export interface CrlEntryInput {
  readonly serial: bigint | Der;
  readonly revokedAt: number;
  readonly reason?: number;
  /** Extra entry extensions (e.g. certificateIssuer, or an unknown critical one). */
  readonly extensions?: readonly Der[];
  readonly reasonCritical?: boolean;
}

export interface IdpSpec {
  readonly fullName?: Der[];
  readonly relativeName?: readonly [string, string];
  readonly onlyUser?: boolean;
  readonly onlyCA?: boolean;
  readonly onlySomeReasons?: number[];
  readonly indirect?: boolean;
  readonly critical?: boolean;
}

export interface CrlInput {
  readonly issuer: Der;
  readonly signer: TestKey;
  readonly thisUpdate: number;
  readonly nextUpdate?: number | null;
  readonly number?: bigint | null;
  readonly numberCritical?: boolean;
  readonly akiKeyId?: Der | null;
  readonly akiCritical?: boolean;
  readonly deltaOf?: bigint;
  readonly deltaCritical?: boolean;
  readonly idp?: IdpSpec;
  readonly entries?: readonly CrlEntryInput[];
  readonly extensions?: readonly Der[];
  readonly hash?: Hash;
  readonly badSignature?: boolean;
}

export function idpExtension(i: IdpSpec): Der {
  const flag = (n: number, on: boolean | undefined): Der[] => (on ? [d.tlv(0x80 | n, new Uint8Array([0xff]))] : []);
  return d.extension(
    CRL_EXT.issuingDistributionPoint,
    i.critical ?? true,
    d.seq(
      ...dpName(i),
      ...flag(1, i.onlyUser),
      ...flag(2, i.onlyCA),
      ...(i.onlySomeReasons ? [d.tlv(0x83, d.namedBits(i.onlySomeReasons).subarray(2))] : []),
      ...flag(4, i.indirect),
    ),
  );
}

export function crl(o: CrlInput): Der {
  const alg = sigAlg(o.signer, o.hash);
  const entries = (o.entries ?? []).map((e) => {
    const exts: Der[] = [];
    if (e.reason !== undefined) exts.push(d.extension(CRL_EXT.reasonCode, e.reasonCritical ?? false, d.enumerated(e.reason)));
    exts.push(...(e.extensions ?? []));
    return d.seq(d.integer(e.serial), d.time(e.revokedAt), ...(exts.length ? [d.seq(...exts)] : []));
  });
  const exts: Der[] = [];
  if (o.akiKeyId !== null) exts.push(d.extension(EXT.authorityKeyIdentifier, o.akiCritical ?? false, d.seq(d.implicit(0, o.akiKeyId ?? o.signer.keyId))));
  if (o.number !== null) exts.push(d.extension(CRL_EXT.cRLNumber, o.numberCritical ?? false, d.integer(o.number ?? 1n)));
  if (o.deltaOf !== undefined) exts.push(d.extension(CRL_EXT.deltaCRLIndicator, o.deltaCritical ?? true, d.integer(o.deltaOf)));
  if (o.idp) exts.push(idpExtension(o.idp));
  exts.push(...(o.extensions ?? []));
  const next = o.nextUpdate === undefined ? o.thisUpdate + 7 * 86_400_000 : o.nextUpdate;
  const tbs = d.seq(
    d.integer(1),
    alg,
    o.issuer,
    d.time(o.thisUpdate),
    ...(next !== null ? [d.time(next)] : []),
    ...(entries.length ? [d.seq(...entries)] : []),
    ...(exts.length ? [d.explicit(0, d.seq(...exts))] : []),
  );
  const sig = signWith(o.signer, o.hash ?? 'sha256', tbs);
  if (o.badSignature) sig[sig.length >> 1] ^= 0x01;
  return d.seq(tbs, alg, d.bitString(sig));
}

/** A certificateIssuer CRL entry extension (indirect CRLs), critical as RFC 5280 §5.3.3 wants. */
export function certificateIssuerExt(names: Der[], critical = true): Der {
  return d.extension(CRL_EXT.certificateIssuer, critical, d.seq(...names));
}

// ---- a small CA toolkit ----

export interface Ca {
  readonly name: Der;
  readonly key: TestKey;
  readonly der: Der;
}

const DAY = 86_400_000;

/** A root CA in the usual shape: basicConstraints critical, keyUsage keyCertSign|cRLSign, SKI. */
export function rootCa(name: Der, key: TestKey, now: number, extra: { extensions?: Der[]; replace?: Der[] } = {}): Ca {
  const extensions = extra.replace ?? [ext.basicConstraints(true), ext.keyUsage([5, 6]), ext.ski(key.keyId), ...(extra.extensions ?? [])];
  const der = certificate({ serial: 1n, issuer: name, subject: name, notBefore: now - 365 * DAY, notAfter: now + 365 * DAY, key, signer: key, extensions });
  return { name, key, der };
}

/** A CA certificate issued by `parent`. */
export function subCa(parent: Ca, name: Der, key: TestKey, now: number, extra: { extensions?: Der[]; replace?: Der[]; serial?: bigint } = {}): Ca {
  const extensions = extra.replace ?? [
    ext.basicConstraints(true),
    ext.keyUsage([5, 6]),
    ext.ski(key.keyId),
    ext.aki(parent.key.keyId),
    ...(extra.extensions ?? []),
  ];
  const der = certificate({
    serial: extra.serial ?? 2n,
    issuer: parent.name,
    subject: name,
    notBefore: now - 300 * DAY,
    notAfter: now + 300 * DAY,
    key,
    signer: parent.key,
    extensions,
  });
  return { name, key, der };
}

/** An end-entity certificate issued by `parent`. */
export function leafCert(parent: Ca, subject: Der, key: TestKey, now: number, extra: { extensions?: Der[]; replace?: Der[]; serial?: bigint | Der } = {}): Der {
  const extensions = extra.replace ?? [ext.keyUsage([0]), ext.aki(parent.key.keyId), ...(extra.extensions ?? [])];
  return certificate({
    serial: extra.serial ?? 3n,
    issuer: parent.name,
    subject,
    notBefore: now - 30 * DAY,
    notAfter: now + 30 * DAY,
    key,
    signer: parent.key,
    extensions,
  });
}
