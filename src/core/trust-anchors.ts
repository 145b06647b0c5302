// What a trust store holds, as an operator reads it: each anchor's JPKI hierarchy and generation,
// and what is missing. J-LIS runs two hierarchies (署名用 signing, 利用者証明用 authentication)
// and publishes every root generation of both on its CA page; a generation present in one
// hierarchy and not the other is almost always a root the operator forgot to add (as authca02 is
// missing from ../shared/jpki-roots). Root certificates are public: nothing here is personal data.
import type { Certificate } from './certificate.js';
import { OID } from './algorithms.js';
import { fingerprint } from './certificate.js';
import { classify } from './jpki.js';
import { formatName } from './name.js';
import { ecCurveOf, rsaKeyFacts } from './signature.js';

/** Where operators get every J-LIS root generation (署名用 signca0N.cer, 利用者証明用 authca0N.cer). */
export const JLIS_CA_PAGE = 'https://www.jpki.go.jp/ca/index.html';

export type Hierarchy = 'signing' | 'authentication' | 'test' | 'other';

export interface AnchorDescription {
  readonly hierarchy: Hierarchy;
  /** Year the root's validity begins: how J-LIS generations are named (2015, 2019, 2023 …). */
  readonly generation: number;
  readonly subject: string;
  readonly serial: string;
  /** e.g. "RSA 2048", "EC P-384". */
  readonly key: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly expired: boolean;
  /** SHA-256 of the DER, as J-LIS publishes fingerprints. */
  readonly fingerprint: string;
}

export interface TrustReport {
  readonly anchors: readonly AnchorDescription[];
  /** Generations loaded per JPKI hierarchy, oldest first. */
  readonly generations: { readonly signing: readonly number[]; readonly authentication: readonly number[] };
  /** What an operator should act on: a hierarchy without roots, a generation in one hierarchy only. */
  readonly warnings: readonly string[];
}

const CURVES: Record<string, string> = { [OID.p256]: 'P-256', [OID.p384]: 'P-384', [OID.p521]: 'P-521' };

function keyOf(cert: Certificate): string {
  const alg = cert.spki.algorithm.oid;
  if (alg === OID.rsaEncryption) {
    try {
      return `RSA ${rsaKeyFacts(cert.spki.publicKey).modulusBits}`;
    } catch {
      return 'RSA (malformed)';
    }
  }
  if (alg === OID.ecPublicKey) {
    const curve = ecCurveOf(cert.spki);
    return `EC ${curve ? (CURVES[curve] ?? curve) : '(explicit parameters)'}`;
  }
  if (alg === OID.ed25519) return 'Ed25519';
  return alg;
}

function hierarchyOf(cert: Certificate): Hierarchy {
  const kind = classify(cert);
  return kind === 'unknown' ? 'other' : kind;
}

/** Describes the anchors of a trust store at time `now` (for the expired flags). */
export function describeTrustAnchors(certs: readonly Certificate[], now: number): TrustReport {
  const anchors = certs
    .map((c): AnchorDescription => ({
      hierarchy: hierarchyOf(c),
      generation: new Date(c.notBefore).getUTCFullYear(),
      subject: formatName(c.subject),
      serial: c.serialHex,
      key: keyOf(c),
      notBefore: new Date(c.notBefore).toISOString(),
      notAfter: new Date(c.notAfter).toISOString(),
      expired: now > c.notAfter,
      fingerprint: fingerprint(c),
    }))
    .sort((a, b) => a.hierarchy.localeCompare(b.hierarchy) || a.generation - b.generation);
  const years = (h: Hierarchy): number[] => [...new Set(anchors.filter((a) => a.hierarchy === h).map((a) => a.generation))].sort((a, b) => a - b);
  const generations = { signing: years('signing'), authentication: years('authentication') };
  const warnings: string[] = [];
  const jpki = generations.signing.length + generations.authentication.length > 0;
  if (jpki) {
    for (const [h, other] of [
      ['signing', 'authentication'],
      ['authentication', 'signing'],
    ] as const) {
      if (generations[h].length === 0) {
        warnings.push(`no ${h} root loaded: ${h === 'signing' ? '電子署名' : '電子利用者証明'} cannot verify (J-LIS roots: ${JLIS_CA_PAGE})`);
        continue;
      }
      for (const y of generations[other]) {
        if (!generations[h].includes(y))
          warnings.push(`${h} root generation ${y} missing while the ${other} one is loaded (J-LIS publishes both: ${JLIS_CA_PAGE})`);
      }
    }
  }
  return { anchors, generations, warnings };
}
