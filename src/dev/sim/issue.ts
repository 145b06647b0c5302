// Certificate issuance for the simulated J-LIS: the JPKI root and end-entity profiles
// (docs/jpki-profile.md, ../shared/jpki-roots) written as DER and signed with node:crypto.
import { createHash, sign, type KeyObject } from 'node:crypto';
import { OID } from '../../core/algorithms.js';
import * as d from '../../core/der-writer.js';
import { EXT } from '../../core/extensions.js';
import { JPKI } from '../../core/jpki.js';
import { parseSpki } from '../../core/certificate.js';
import { OCSP_OID, ocspAccessExtension } from '../../core/ocsp-certid.js';

export type Der = Uint8Array;

export const SHA256_WITH_RSA = d.seq(d.oid(OID.sha256WithRSA), d.nullValue());
/** ecdsa-with-SHA384: parameters absent (RFC 5758 §3.2). */
export const ECDSA_WITH_SHA384 = d.seq(d.oid(OID.ecdsaSha384));

/** The signature algorithm of a J-LIS key: sha256WithRSAEncryption for the RSA generations,
 *  ecdsa-with-SHA384 for the P-384 one. */
export function signatureAlgorithmOf(issuerKey: KeyObject): { algorithm: Der; hash: 'sha256' | 'sha384' } {
  return issuerKey.asymmetricKeyType === 'ec' ? { algorithm: ECDSA_WITH_SHA384, hash: 'sha384' } : { algorithm: SHA256_WITH_RSA, hash: 'sha256' };
}

const ATTR = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3', L: '2.5.4.7' } as const;
export const JLIS_ORG_UNIT = 'Japan Agency for Local Authority Information Systems';

import type { Purpose } from '../../core/jpki.js';
export type { Purpose };

/** The DN every generation of a J-LIS root shares (PrintableString, as the real roots). */
export function rootName(purpose: Purpose, organization: string = 'JPKI'): Der {
  return d.name([
    [ATTR.C, 'JP', 'printable'],
    [ATTR.O, organization, 'printable'],
    [ATTR.OU, purpose === 'signing' ? JPKI.signingRootOU : JPKI.authRootOU, 'printable'],
    [ATTR.OU, JLIS_ORG_UNIT, 'printable'],
  ]);
}

export function spkiOf(publicKey: KeyObject): Der {
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyIdentifier(spki: Der): Der {
  return new Uint8Array(createHash('sha1').update(parseSpki(spki).publicKey).digest());
}

export interface CertSpec {
  readonly serial: bigint | Der; // bigint (positive) or raw INTEGER contents
  readonly issuer: Der;
  readonly subject: Der;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly spki: Der;
  readonly extensions: readonly Der[];
  /** Defaults to the issuer key's (signatureAlgorithmOf). */
  readonly signatureAlgorithm?: Der;
  readonly hash?: 'sha256' | 'sha384' | 'sha512' | null;
}

export function tbsCertificate(spec: CertSpec, alg: Der = spec.signatureAlgorithm ?? SHA256_WITH_RSA): Der {
  return d.seq(
    d.explicit(0, d.integer(2)),
    d.integer(spec.serial),
    alg,
    spec.issuer,
    d.seq(d.time(spec.notBefore), d.time(spec.notAfter)),
    spec.subject,
    spec.spki,
    ...(spec.extensions.length ? [d.explicit(3, d.seq(...spec.extensions))] : []),
  );
}

export function issueCertificate(spec: CertSpec, issuerKey: KeyObject): Der {
  const own = signatureAlgorithmOf(issuerKey);
  const alg = spec.signatureAlgorithm ?? own.algorithm;
  const tbs = tbsCertificate(spec, alg);
  const hash = spec.hash === undefined ? own.hash : spec.hash;
  const sig = new Uint8Array(sign(hash, tbs, issuerKey)); // ECDSA: a DER ECDSA-Sig-Value
  return d.seq(tbs, alg, d.bitString(sig));
}

// ---- extension builders in the JPKI profile ----

export const ext = {
  keyUsage: (bits: number[], critical = true): Der => d.extension(EXT.keyUsage, critical, d.namedBits(bits)),
  basicConstraintsCA: (): Der => d.extension(EXT.basicConstraints, true, d.seq(d.bool(true))),
  subjectKeyId: (id: Der): Der => d.extension(EXT.subjectKeyIdentifier, false, d.octets(id)),
  authorityKeyId: (id: Der): Der => d.extension(EXT.authorityKeyIdentifier, false, d.seq(d.implicit(0, id))),
  /** certificatePolicies, critical, with the CPS pointer qualifier the real profile carries. */
  policies: (policy: string, critical = true): Der =>
    d.extension(EXT.certificatePolicies, critical, d.seq(d.seq(d.oid(policy), d.seq(d.seq(d.oid('1.3.6.1.5.5.7.2.1'), d.ia5(JPKI.cps)))))),
  /** cRLDistributionPoints with a directoryName, as J-LIS publishes them (partitioned). */
  crlDistributionPoint: (dirName: Der): Der =>
    d.extension(EXT.crlDistributionPoints, false, d.seq(d.seq(d.explicit(0, d.implicit(0, d.explicit(4, dirName), true))))),
  subjectAltNameDir: (dirName: Der): Der => d.extension(EXT.subjectAltName, false, d.seq(d.explicit(4, dirName))),
  /** 基本4情報 as otherName entries: type-id then [0] EXPLICIT UTF8String. */
  basicInfo: (fields: readonly (readonly [string, string])[]): Der =>
    d.extension(EXT.subjectAltName, false, d.seq(...fields.map(([id, v]) => d.implicit(0, d.concat([d.oid(id), d.explicit(0, d.utf8(v))]), true)))),
};

export const KU = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

/** The DN of a CRL partition (per municipality) under a root. */
export function partitionName(purpose: Purpose, partition: string, organization = 'JPKI'): Der {
  return d.name([
    [ATTR.C, 'JP', 'printable'],
    [ATTR.O, organization, 'printable'],
    [ATTR.OU, purpose === 'signing' ? JPKI.signingRootOU : JPKI.authRootOU, 'printable'],
    [ATTR.OU, JLIS_ORG_UNIT, 'printable'],
    [ATTR.CN, `CRL Partition ${partition}`, 'printable'],
  ]);
}

export function rootSpec(purpose: Purpose, spki: Der, serial: bigint, notBefore: number, notAfter: number, organization = 'JPKI'): CertSpec {
  const dn = rootName(purpose, organization);
  return {
    serial,
    issuer: dn,
    subject: dn,
    notBefore,
    notAfter,
    spki,
    extensions: [
      ext.keyUsage([KU.keyCertSign, KU.cRLSign]),
      ext.subjectAltNameDir(
        d.name([
          [ATTR.C, 'JP', 'printable'],
          [ATTR.O, '公的個人認証サービス'],
        ]),
      ),
      ext.basicConstraintsCA(),
      ext.crlDistributionPoint(dn),
      ext.subjectKeyId(keyIdentifier(spki)),
    ],
  };
}

export interface EndEntityInput {
  readonly purpose: Purpose;
  readonly serial: bigint;
  readonly issuer: Der;
  readonly issuerKeyId: Der;
  readonly subjectCN: string;
  readonly locality?: readonly string[]; // signing certificates: prefecture, city (romaji)
  readonly notBefore: number;
  readonly notAfter: number;
  readonly spki: Der;
  readonly spkiKeyId: Der;
  readonly partition: string;
  readonly basicInfo?: readonly (readonly [string, string])[];
  readonly policy?: string; // defaults to the purpose's JPKI policy
  readonly organization?: string; // 'JPKI', or 'JPKI-TEST' for the test hierarchy
  /** The OCSP responder named in authorityInfoAccess, as real JPKI certificates carry one. */
  readonly ocspUrl?: string;
}

export function endEntitySpec(i: EndEntityInput): CertSpec {
  const org = i.organization ?? 'JPKI';
  const subject =
    i.purpose === 'signing'
      ? d.name([[ATTR.C, 'JP', 'printable'], ...(i.locality ?? []).map((l) => [ATTR.L, l, 'printable'] as const), [ATTR.CN, i.subjectCN, 'printable']])
      : d.name([
          [ATTR.C, 'JP', 'printable'],
          [ATTR.CN, i.subjectCN, 'printable'],
        ]);
  const policy = i.policy ?? (i.purpose === 'signing' ? JPKI.signingPolicy : JPKI.authPolicy);
  const extensions = [
    ext.keyUsage(i.purpose === 'signing' ? [KU.digitalSignature, KU.nonRepudiation] : [KU.digitalSignature]),
    ext.policies(policy),
    ...(i.basicInfo ? [ext.basicInfo(i.basicInfo)] : []),
    ext.crlDistributionPoint(partitionName(i.purpose, i.partition, org)),
    ext.authorityKeyId(i.issuerKeyId),
    ext.subjectKeyId(i.spkiKeyId),
    ...(i.ocspUrl ? [ocspAccessExtension(i.ocspUrl)] : []),
  ];
  return { serial: i.serial, issuer: i.issuer, subject, notBefore: i.notBefore, notAfter: i.notAfter, spki: i.spki, extensions };
}

export interface ResponderInput {
  readonly serial: bigint;
  readonly issuer: Der;
  readonly issuerKeyId: Der;
  readonly subject: Der;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly spki: Der;
  /** id-pkix-ocsp-nocheck (default true): clients need not check this certificate's status. */
  readonly noCheck?: boolean;
  /** id-kp-OCSPSigning (default true); false makes a certificate that may not answer. */
  readonly ocspSigning?: boolean;
}

/** A delegated OCSP responder (RFC 6960 §4.2.2.2): issued by the CA it answers for. */
export function responderSpec(i: ResponderInput): CertSpec {
  const extensions = [
    ext.keyUsage([KU.digitalSignature]),
    ...(i.ocspSigning === false ? [] : [d.extension(EXT.extKeyUsage, false, d.seq(d.oid(OCSP_OID.ocspSigning)))]),
    ...(i.noCheck === false ? [] : [d.extension(OCSP_OID.noCheck, false, d.nullValue())]),
    ext.authorityKeyId(i.issuerKeyId),
    ext.subjectKeyId(keyIdentifier(i.spki)),
  ];
  return { serial: i.serial, issuer: i.issuer, subject: i.subject, notBefore: i.notBefore, notAfter: i.notAfter, spki: i.spki, extensions };
}

/** The subject of the delegated responder of a root (label: e.g. auth-gen3). */
export function responderName(purpose: Purpose, label: string, organization = 'JPKI'): Der {
  return d.name([
    [ATTR.C, 'JP', 'printable'],
    [ATTR.O, organization, 'printable'],
    [ATTR.OU, purpose === 'signing' ? JPKI.signingRootOU : JPKI.authRootOU, 'printable'],
    [ATTR.CN, `OCSP Responder ${label}`, 'printable'],
  ]);
}
