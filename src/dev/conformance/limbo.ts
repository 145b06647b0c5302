// Runs x509-limbo cases (C2SP/x509-limbo format) through the path validator. Used by the test
// suite and by `jpki-verify limbo FILE` for anyone's own cases.
import { CertificateError, pemBlocks, parseCertificate, type Certificate } from '../../core/certificate.js';
import { EKU, KeyUsage, type KeyUsageName } from '../../core/extensions.js';
import type { GeneralName } from '../../core/general-name.js';
import { CertificatePool } from '../../core/cert-pool.js';
import { validatePath } from '../../core/path.js';
import { parseCrl, type ParsedCrl } from '../../core/crl.js';
import { CrlSetChecker } from '../../core/crl-check.js';
import type { VerdictCode } from '../../core/verdict.js';

export interface LimboCase {
  id: string;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  key_usage: KeyUsageName[];
  extended_key_usage: string[];
  expected_peer_name: { kind: string; value: string } | null;
  expected_peer_names: { kind: string; value: string }[];
  max_chain_depth: number | null;
  crls: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
}

export type LimboActual = 'SUCCESS' | 'FAILURE';

export interface LimboOutcome {
  id: string;
  expected: LimboCase['expected_result'];
  actual: LimboActual;
  code: VerdictCode | 'peer_name_mismatch' | 'malformed_certificate';
  /** Why the case is not counted, when it is excepted or pending. */
  excepted?: string;
  match: boolean;
}

const EKU_BY_NAME: Record<string, string> = {
  serverAuth: EKU.serverAuth,
  clientAuth: EKU.clientAuth,
  codeSigning: EKU.codeSigning,
  emailProtection: EKU.emailProtection,
  anyExtendedKeyUsage: EKU.anyExtendedKeyUsage,
};

/** "Now" for cases with a null validation_time: fixed so results do not drift with the clock. */
const DEFAULT_TIME = Date.parse('2026-01-01T00:00:00Z');

function certs(pems: string[]): Certificate[] {
  return pems.flatMap((p) => pemBlocks(p, 'CERTIFICATE')).map(parseCertificate);
}

/** The certificates of a pool that parse. One that does not can be no part of a valid path, so it
 *  is skipped, as path building skips any unusable candidate (and as the PKITS loader does). */
function usableCerts(pems: string[]): Certificate[] {
  const out: Certificate[] = [];
  for (const der of pems.flatMap((p) => pemBlocks(p, 'CERTIFICATE'))) {
    try {
      out.push(parseCertificate(der));
    } catch (err) {
      if (!(err instanceof CertificateError)) throw err;
    }
  }
  return out;
}

function dnsMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p.startsWith('*.')) {
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === p.slice(2);
  }
  return p === h;
}

function ipBytes(text: string): Uint8Array | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) return new Uint8Array(text.split('.').map(Number));
  if (!text.includes(':')) return null;
  const [head, tail] = text.split('::');
  const parse = (s: string | undefined): number[] => (s ? s.split(':').map((x) => parseInt(x, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Peer-name check of the harness (not part of JPKI verification): SAN only, no CN fallback. */
function peerNameMatches(leaf: Certificate, want: { kind: string; value: string }): boolean {
  const san: GeneralName[] = leaf.extensions.subjectAltName ?? [];
  switch (want.kind) {
    case 'DNS':
      return san.some((n) => n.kind === 'dns' && dnsMatches(n.value, want.value));
    case 'IP': {
      const ip = ipBytes(want.value);
      return !!ip && san.some((n) => n.kind === 'ip' && n.bytes.length === ip.length && n.bytes.every((b, i) => b === ip[i]));
    }
    case 'RFC822':
      return san.some((n) => n.kind === 'email' && n.value.toLowerCase() === want.value.toLowerCase());
    default:
      return false;
  }
}

export function runLimboCase(tc: LimboCase, exceptions: Record<string, string> = {}): LimboOutcome {
  const base = { id: tc.id, expected: tc.expected_result };
  const done = (actual: LimboActual, code: LimboOutcome['code']): LimboOutcome => {
    const excepted = exceptions[tc.id];
    return { ...base, actual, code, excepted, match: actual === tc.expected_result };
  };
  let leaf: Certificate | undefined;
  try {
    leaf = certs([tc.peer_certificate])[0];
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    return done('FAILURE', 'malformed_certificate');
  }
  if (!leaf) return done('FAILURE', 'malformed_certificate');
  const anchors = usableCerts(tc.trusted_certs);
  const inter = usableCerts(tc.untrusted_intermediates);
  let requiredKeyUsage = 0;
  for (const k of tc.key_usage) requiredKeyUsage |= KeyUsage[k] ?? 0;
  const ekuName = tc.extended_key_usage[0] ?? (tc.validation_kind === 'SERVER' ? 'serverAuth' : 'clientAuth');
  const anchorPool = new CertificatePool(anchors);
  const interPool = new CertificatePool(inter);
  let revocation: CrlSetChecker | undefined;
  if (tc.crls.length > 0) {
    // A CRL that does not parse is unusable: the status it would give stays undetermined.
    const crls: ParsedCrl[] = [];
    for (const der of tc.crls.flatMap((p) => pemBlocks(p, 'X509 CRL'))) {
      try {
        crls.push(parseCrl(der));
      } catch {
        continue;
      }
    }
    revocation = new CrlSetChecker(crls, { anchors: anchorPool, intermediates: interPool });
  }
  const res = validatePath(leaf, {
    time: tc.validation_time ? Date.parse(tc.validation_time) : DEFAULT_TIME,
    anchors: anchorPool,
    intermediates: interPool,
    revocation,
    maxIntermediates: tc.max_chain_depth ?? undefined,
    requiredEku: EKU_BY_NAME[ekuName] ?? ekuName,
    requiredKeyUsage,
  });
  if (res.verdict.status !== 'valid') return done('FAILURE', res.verdict.code);
  const names = tc.expected_peer_name ? [tc.expected_peer_name] : tc.expected_peer_names;
  for (const want of names) if (!peerNameMatches(leaf, want)) return done('FAILURE', 'peer_name_mismatch');
  return done('SUCCESS', 'ok');
}

export interface LimboSummary {
  passed: number;
  failed: number;
  excepted: number;
}

export function summarize(outcomes: LimboOutcome[]): LimboSummary {
  let passed = 0;
  let failed = 0;
  let excepted = 0;
  for (const o of outcomes) {
    if (o.excepted) excepted++;
    else if (o.match) passed++;
    else failed++;
  }
  return { passed, failed, excepted };
}

/** Cases a client-certificate RFC 5280 validator is held to: all but the web-PKI namespace. */
export function inScope(tc: { id: string }): boolean {
  return !tc.id.startsWith('webpki::');
}
