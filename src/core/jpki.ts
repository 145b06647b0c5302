// JPKI profile (docs/jpki-profile.md): certificate kinds, the 基本4情報 carried by signing
// certificates, and the profile rules a production verifier enforces.
import { TypedError } from './typed-error.js';
import { OID } from './algorithms.js';
import type { Certificate } from './certificate.js';
import { EXT, KeyUsage } from './extensions.js';
import { nameHas } from './name.js';
import { ecCurveOf, rsaKeyFacts } from './signature.js';
import { decodeString } from './name.js';
import { Tag } from './der.js';

export const JPKI = {
  signingPolicy: '1.2.392.200149.8.5.1.1.20',
  authPolicy: '1.2.392.200149.8.5.1.3.30',
  testPolicy: '1.2.392.200149.8.5.1.0.20',
  cps: 'http://www.jpki.go.jp/cps.html',
  name: '1.2.392.200149.8.5.5.1',
  nameSubstitutes: '1.2.392.200149.8.5.5.2',
  gender: '1.2.392.200149.8.5.5.3',
  birthDate: '1.2.392.200149.8.5.5.4',
  address: '1.2.392.200149.8.5.5.5',
  addressSubstitutes: '1.2.392.200149.8.5.5.6',
  signingRootOU: 'JPKI for digital signature',
  authRootOU: 'JPKI for user authentication',
  testOrganization: 'JPKI-TEST',
} as const;

/** What a JPKI end-entity certificate is for: 電子署名 (signing) or 電子利用者証明 (authentication). */
export type Purpose = 'signing' | 'authentication';
export type CertificateKind = Purpose | 'test' | 'unknown';

const OU = '2.5.4.11';
const O = '2.5.4.10';

/** A certificate of the test hierarchy (test cards): O=JPKI-TEST in issuer or subject, or the
 *  test policy. */
export function isTestHierarchy(cert: Certificate): boolean {
  if (nameHas(cert.issuer, O, JPKI.testOrganization) || nameHas(cert.subject, O, JPKI.testOrganization)) return true;
  return cert.extensions.certificatePolicies?.some((p) => p.oid === JPKI.testPolicy) ?? false;
}

/** Kind of an end-entity certificate by its policy (issuer OU as the fallback for CAs). */
export function classify(cert: Certificate): CertificateKind {
  if (isTestHierarchy(cert)) return 'test';
  const pols = cert.extensions.certificatePolicies ?? [];
  if (pols.some((p) => p.oid === JPKI.signingPolicy)) return 'signing';
  if (pols.some((p) => p.oid === JPKI.authPolicy)) return 'authentication';
  if (nameHas(cert.issuer, OU, JPKI.signingRootOU)) return 'signing';
  if (nameHas(cert.issuer, OU, JPKI.authRootOU)) return 'authentication';
  return 'unknown';
}

// ---- 基本4情報 ----

export type Gender = 'male' | 'female' | 'not_applicable';

export interface BirthDate {
  readonly eraCode: number; // the era digit as encoded
  readonly era: string; // 明治 / 大正 / 昭和 / 平成 / 令和
  readonly iso: string; // YYYY-MM-DD (Gregorian)
}

export interface BasicFourInfo {
  readonly name: string;
  /** One flag per character of the name: true = substitute character (代替文字). */
  readonly nameSubstitutes: readonly boolean[] | null;
  readonly gender: Gender;
  readonly birthDate: BirthDate;
  readonly address: string;
  readonly addressSubstitutes: readonly boolean[] | null;
  /** Some character of the name or the address is a substitute: the text is not the register's. */
  readonly hasSubstitutes: boolean;
}

export class ProfileError extends TypedError<'jpki_profile_violation'> {
  override readonly name = 'ProfileError';
}

// Era digits as J-LIS encodes them, with each era's first day (Gregorian).
const ERAS: readonly { code: number; era: string; from: string; to: string }[] = [
  { code: 1, era: '明治', from: '1868-10-23', to: '1912-07-29' },
  { code: 2, era: '大正', from: '1912-07-30', to: '1926-12-24' },
  { code: 3, era: '昭和', from: '1926-12-25', to: '1989-01-07' },
  { code: 4, era: '平成', from: '1989-01-08', to: '2019-04-30' },
  { code: 5, era: '令和', from: '2019-05-01', to: '9999-12-31' },
];

export function eraOf(iso: string): number {
  return ERAS.find((e) => iso >= e.from && iso <= e.to)?.code ?? 0;
}

function parseBirthDate(s: string): BirthDate {
  const m = /^([1-9])(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) throw new ProfileError('jpki_profile_violation', 'birth date is not EYYYYMMDD');
  const era = ERAS.find((e) => e.code === Number(m[1]));
  if (!era) throw new ProfileError('jpki_profile_violation', `unknown era digit ${m[1]}`);
  const iso = `${m[2]}-${m[3]}-${m[4]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw new ProfileError('jpki_profile_violation', 'birth date is not a calendar date');
  if (iso < era.from || iso > era.to) throw new ProfileError('jpki_profile_violation', 'birth date outside its era');
  return { eraCode: era.code, era: era.era, iso };
}

function parseFlags(s: string, text: string, what: string): boolean[] {
  if (!/^[01]*$/.test(s)) throw new ProfileError('jpki_profile_violation', `${what} flags must be 0/1`);
  const chars = [...text].length;
  if (s.length !== chars) throw new ProfileError('jpki_profile_violation', `${what} flags: ${s.length} for ${chars} characters`);
  return [...s].map((c) => c === '1');
}

/** Decodes the 基本4情報 of a signing certificate; throws ProfileError when absent or malformed. */
export function basicFourInfo(cert: Certificate): BasicFourInfo {
  const fields = new Map<string, string>();
  for (const n of cert.extensions.subjectAltName ?? []) {
    if (n.kind !== 'other' || !n.typeId.startsWith('1.2.392.200149.8.5.5.')) continue;
    if (n.value[0] !== Tag.UTF8String) throw new ProfileError('jpki_profile_violation', `${n.typeId} is not a UTF8String`);
    // value is one TLV; its contents follow the header (short or long length).
    const len = n.value[1] < 0x80 ? 2 : 2 + (n.value[1] & 0x7f);
    const text = decodeString(Tag.UTF8String, n.value.subarray(len));
    if (fields.has(n.typeId)) throw new ProfileError('jpki_profile_violation', `${n.typeId} appears twice`);
    fields.set(n.typeId, text ?? '');
  }
  const need = (oid: string, what: string): string => {
    const v = fields.get(oid);
    if (v === undefined || v === '') throw new ProfileError('jpki_profile_violation', `${what} missing`);
    return v;
  };
  const name = need(JPKI.name, 'name');
  const address = need(JPKI.address, 'address');
  const g = need(JPKI.gender, 'gender');
  const gender: Gender | undefined = ({ '1': 'male', '2': 'female', '9': 'not_applicable' } as const)[g as '1' | '2' | '9'];
  if (!gender) throw new ProfileError('jpki_profile_violation', 'gender must be 1, 2 or 9 (JIS X 0303)');
  const birthDate = parseBirthDate(need(JPKI.birthDate, 'birth date'));
  const nf = fields.get(JPKI.nameSubstitutes);
  const af = fields.get(JPKI.addressSubstitutes);
  const nameSubstitutes = nf !== undefined ? parseFlags(nf, name, 'name') : null;
  const addressSubstitutes = af !== undefined ? parseFlags(af, address, 'address') : null;
  return {
    name,
    nameSubstitutes,
    gender,
    birthDate,
    address,
    addressSubstitutes,
    hasSubstitutes: (nameSubstitutes?.includes(true) ?? false) || (addressSubstitutes?.includes(true) ?? false),
  };
}

/** The key generations of JPKI end-entity certificates: RSA-2048 signed with
 *  sha256WithRSAEncryption (cards to date), and ECDSA P-384 signed with ecdsa-with-SHA384 (the
 *  next-generation card the digital agency announced in 2024; 10-year certificates). */
export type KeyGeneration = 'rsa-2048' | 'ecdsa-p384';

/** A broken profile rule: the verdict code it earns and what broke it. */
export interface ProfileFinding {
  readonly code: 'jpki_profile_violation' | 'unsupported_algorithm' | 'weak_key';
  readonly detail: string;
}

const violation = (detail: string): ProfileFinding => ({ code: 'jpki_profile_violation', detail });

/** The key generation a certificate belongs to, or why it belongs to none. */
export function keyGeneration(cert: Certificate): KeyGeneration | ProfileFinding {
  const alg = cert.spki.algorithm.oid;
  if (alg === OID.rsaEncryption) {
    let facts;
    try {
      facts = rsaKeyFacts(cert.spki.publicKey);
    } catch (err) {
      return violation((err as Error).message);
    }
    if (facts.modulusBits !== 2048) return violation(`RSA key of ${facts.modulusBits} bits, not 2048`);
    if (facts.exponent !== 65537) return violation('RSA exponent is not 65537');
    if (cert.signatureAlgorithm.oid !== OID.sha256WithRSA) return violation('not signed with sha256WithRSAEncryption');
    return 'rsa-2048';
  }
  if (alg === OID.ecPublicKey) {
    const curve = ecCurveOf(cert.spki);
    // P-256 is a smaller key of the same kind; any other curve (or explicit parameters) is not one
    // this profile knows.
    if (curve === OID.p256) return { code: 'weak_key', detail: 'EC key on P-256: the JPKI profile requires P-384' };
    if (curve !== OID.p384) return { code: 'unsupported_algorithm', detail: `EC key on ${curve ?? 'explicit parameters'}: the JPKI profile requires P-384` };
    if (cert.signatureAlgorithm.oid !== OID.ecdsaSha384) {
      return { code: 'unsupported_algorithm', detail: `ECDSA P-384 certificate signed with ${cert.signatureAlgorithm.oid}, not ecdsa-with-SHA384` };
    }
    return 'ecdsa-p384';
  }
  return { code: 'unsupported_algorithm', detail: `key algorithm ${alg} is neither RSA-2048 nor ECDSA P-384` };
}

/** The issuing root must be of its certificate's generation: an ECDSA P-384 certificate under a
 *  root on a smaller curve would be only as strong as that root. RSA roots are held to 2048 bits
 *  at key import (signature.ts). */
export function checkIssuerGeneration(root: Certificate, generation: KeyGeneration): ProfileFinding | null {
  if (generation !== 'ecdsa-p384') return null;
  const curve = ecCurveOf(root.spki);
  if (curve === OID.p384) return null;
  return {
    code: curve === OID.p256 ? 'weak_key' : 'unsupported_algorithm',
    detail: `ECDSA P-384 certificate issued by a root with a ${curve ?? root.spki.algorithm.oid} key`,
  };
}

/** Profile rules for an end-entity certificate of `kind`: null when it conforms, else why not. */
export function checkProfile(cert: Certificate, kind: Purpose): ProfileFinding | null {
  const generation = keyGeneration(cert);
  if (typeof generation !== 'string') return generation;
  if (cert.version !== 3) return violation('not an X.509 v3 certificate');
  const ext = cert.extensions;
  const cp = ext.list.find((e) => e.oid === EXT.certificatePolicies);
  const policy = kind === 'signing' ? JPKI.signingPolicy : JPKI.authPolicy;
  if (!cp?.critical) return violation('certificatePolicies missing or not critical');
  if (!ext.certificatePolicies?.some((p) => p.oid === policy)) return violation(`policy ${policy} missing`);
  const ku = ext.list.find((e) => e.oid === EXT.keyUsage);
  if (!ku?.critical || ext.keyUsage === null) return violation('keyUsage missing or not critical');
  const want = kind === 'signing' ? KeyUsage.digitalSignature | KeyUsage.nonRepudiation : KeyUsage.digitalSignature;
  if ((ext.keyUsage & want) !== want) return violation('keyUsage lacks the bits the profile requires');
  if (ext.basicConstraints?.ca) return violation('end-entity certificate marked as a CA');
  return null;
}
