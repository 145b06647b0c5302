// NIST PKITS (RSA-2048 set) through the path validator: every Valid…/Invalid… end-entity
// certificate, paths built from the pool of all CA certificates in the folder, revocation from all
// CRLs in the folder (RFC 5280 §6.3, deltas used), PKITS default settings (any policy, nothing
// explicit, mapping and anyPolicy allowed).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate, type Certificate } from '../../core/certificate.js';
import { CertificatePool } from '../../core/cert-pool.js';
import { validatePath } from '../../core/path.js';
import { parseCrl, type ParsedCrl } from '../../core/crl.js';
import { CrlSetChecker } from '../../core/crl-check.js';
import type { VerdictCode } from '../../core/verdict.js';

export interface PkitsOutcome {
  name: string;
  expected: 'valid' | 'invalid';
  actual: 'valid' | 'invalid';
  code: VerdictCode | 'malformed_certificate';
  excepted?: string;
  match: boolean;
}

/** A time inside every PKITS certificate's validity (2010–2030). */
export const PKITS_TIME = Date.parse('2020-06-01T00:00:00Z');

export function loadPkits(dir: string): { anchor: Certificate; pool: CertificatePool; crls: ParsedCrl[]; cases: { name: string; cert: Certificate | null }[] } {
  const certDir = join(dir, 'certs');
  const files = readdirSync(certDir).sort();
  const pool = new CertificatePool();
  let anchor: Certificate | null = null;
  const cases: { name: string; cert: Certificate | null }[] = [];
  for (const f of files) {
    const der = new Uint8Array(readFileSync(join(certDir, f)));
    const name = f.replace(/\.crt$/, '');
    if (/^(Valid|Invalid).*EE$/.test(name)) {
      let cert: Certificate | null = null;
      try {
        cert = parseCertificate(der);
      } catch {
        cert = null;
      }
      cases.push({ name, cert });
      continue;
    }
    if (name.endsWith('EE')) continue; // end entities of tests that need non-default settings
    let c: Certificate;
    try {
      c = parseCertificate(der);
    } catch {
      continue; // a malformed CA (BadSigned…) can never be part of a valid path
    }
    if (f === 'TrustAnchorRootCertificate.crt') anchor = c;
    else pool.add(c);
  }
  if (!anchor) throw new Error(`no TrustAnchorRootCertificate.crt in ${certDir}`);
  // CRLs that do not parse (bad signature encoding, unknown critical extension) are unusable:
  // the certificates they would cover end up with an undetermined status.
  const crls: ParsedCrl[] = [];
  const crlDir = join(dir, 'crls');
  for (const f of readdirSync(crlDir).sort()) {
    try {
      crls.push(parseCrl(new Uint8Array(readFileSync(join(crlDir, f)))));
    } catch {
      continue;
    }
  }
  return { anchor, pool, crls, cases };
}

export function runPkits(dir: string, exceptions: Record<string, string> = {}): PkitsOutcome[] {
  const { anchor, pool, crls, cases } = loadPkits(dir);
  const anchors = new CertificatePool([anchor]);
  const revocation = new CrlSetChecker(crls, { anchors, intermediates: pool });
  return cases.map(({ name, cert }) => {
    const expected = name.startsWith('Valid') ? 'valid' : 'invalid';
    const out = (actual: PkitsOutcome['actual'], code: PkitsOutcome['code']): PkitsOutcome => {
      const excepted = exceptions[name];
      return { name, expected, actual, code, excepted, match: actual === expected };
    };
    if (!cert) return out('invalid', 'malformed_certificate');
    const res = validatePath(cert, { time: PKITS_TIME, anchors, intermediates: pool, revocation });
    return out(res.verdict.status === 'valid' ? 'valid' : 'invalid', res.verdict.code);
  });
}
