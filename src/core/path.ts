// Certification path building and validation (RFC 5280 §6) for client certificates.
// Building is a depth-first search over candidate issuers with backtracking: three J-LIS root
// generations share one DN, so the first name match is often the wrong key. Work is bounded by
// an explicit budget. Time is a parameter; nothing here reads a clock.
import { AlgorithmError, resolveSignatureAlgorithm } from './algorithms.js';
import { signatureAlgorithmsMatch, type Certificate } from './certificate.js';
import { bytesEqual } from './der.js';
import { ANY_POLICY, EXT, KeyUsage } from './extensions.js';
import { formatName } from './name.js';
import { ComparisonBudget, checkNameConstraints, validDnsName, validEmail, type ConstraintSet } from './name-constraints.js';
import { processPolicies } from './policy.js';
import type { CertificatePool } from './cert-pool.js';
import { KeyError, certificateKey, checkData } from './signature.js';
import { serialProblem } from './serial.js';
import { floorToSecond } from './time.js';
import {
  NOT_CHECKED,
  better,
  verdict,
  type RevocationPolicy,
  type RevocationReport,
  type RevocationStatus,
  type Verdict,
  type VerdictCode,
} from './verdict.js';

/** Revocation as a pluggable step: given a certificate and the issuer that signed it. */
export interface RevocationChecker {
  check(cert: Certificate, issuer: Certificate, time: number): RevocationStatus;
  /**
   * Names the revocation data the answers come from; it must change whenever that data does. A
   * path result cached under one version is reused whole only while the checker reports the same
   * version; otherwise the revocation step runs again (core/verify.ts). Absent: never reused.
   */
  readonly dataVersion?: string;
}

export interface Budget {
  /** Signature checks per validation. 100: Go's maxChainSignatureChecks and webpki's default. */
  signatures: number;
  /** Candidate issuers considered. 200,000: webpki's build_chain_calls default. */
  buildCalls: number;
  /** Name-constraint comparisons. 250,000: webpki's name_constraint_comparisons default. */
  nameComparisons: number;
  /** Policy tree nodes. 1,000: far above any real chain, far below CVE-2023-0464 blow-ups. */
  policyNodes: number;
}

export const DEFAULT_BUDGET: Readonly<Budget> = Object.freeze({ signatures: 100, buildCalls: 200_000, nameComparisons: 250_000, policyNodes: 1000 });

export interface PathOptions {
  /** Validation time, epoch ms (floored to the second, as certificates encode it). */
  readonly time: number;
  readonly anchors: CertificatePool;
  readonly intermediates?: CertificatePool;
  /** Most non-self-issued intermediates. JPKI paths have none; 8 covers any sane PKI. */
  readonly maxIntermediates?: number;
  readonly budget?: Partial<Budget>;
  /** The end entity must allow this EKU when it has an extKeyUsage extension. */
  readonly requiredEku?: string | null;
  /** keyUsage bits the end entity must have when it has a keyUsage extension. */
  readonly requiredKeyUsage?: number;
  /** RFC 5280 policy inputs; default: any policy, nothing explicit. */
  readonly initialPolicies?: readonly string[];
  readonly requireExplicitPolicy?: boolean;
  readonly inhibitPolicyMapping?: boolean;
  readonly inhibitAnyPolicy?: boolean;
  /** Revocation step; absent → verdicts say revocation was not checked. */
  readonly revocation?: RevocationChecker;
  /** stale/unknown revocation data: fail closed (indeterminate, the default) or pass. */
  readonly revocationPolicy?: RevocationPolicy;
}

export interface PathResult {
  readonly verdict: Verdict;
  /** On success: end entity first, trust anchor last. */
  readonly path: readonly Certificate[] | null;
  readonly policies: readonly string[];
}

interface Search {
  readonly opts: PathOptions;
  readonly time: number;
  readonly budget: Budget;
  readonly nameBudget: ComparisonBudget;
  readonly maxIntermediates: number;
  readonly sigCache: Map<Certificate, Map<Certificate, SignatureCheck>>;
  best: Verdict | null;
}

/** Builds and validates a path from `leaf` to one of the anchors. */
export function validatePath(leaf: Certificate, opts: PathOptions): PathResult {
  const budget = { ...DEFAULT_BUDGET, ...opts.budget };
  const s: Search = {
    opts,
    time: floorToSecond(opts.time),
    budget,
    nameBudget: new ComparisonBudget(budget.nameComparisons),
    maxIntermediates: opts.maxIntermediates ?? 8,
    sigCache: new Map(),
    best: null,
  };
  const found = build(s, [leaf], 0);
  if (found) return found;
  return { verdict: s.best ?? verdict('unknown_issuer', 0, `no trust anchor or intermediate named ${formatName(leaf.issuer)}`), path: null, policies: [] };
}

/** A signature check: good, bad (with the verdict), or not done because the budget is spent. */
type SignatureCheck = { readonly kind: 'good' } | { readonly kind: 'bad'; readonly verdict: Verdict } | typeof SPENT;
/** One candidate issuer tried: a valid path, try the next candidate, or stop searching. */
type Attempt = { readonly kind: 'found'; readonly path: PathResult } | typeof NEXT | typeof SPENT;
// Shared constants: the search allocates nothing for its common outcomes.
const GOOD = { kind: 'good' } as const;
const NEXT = { kind: 'next' } as const;
const SPENT = { kind: 'spent' } as const;

/** Depth-first search from the last certificate of `chain` towards an anchor. */
function build(s: Search, chain: Certificate[], intermediates: number): PathResult | null {
  const cert = chain[chain.length - 1];
  const depth = chain.length - 1;
  const fail = (v: Verdict): void => {
    s.best = better(s.best, v);
  };
  const tryCandidate = (cand: Certificate, isAnchor: boolean): Attempt => {
    if (--s.budget.buildCalls < 0) {
      fail(verdict('budget_exceeded', depth, 'too many candidate issuers'));
      return SPENT;
    }
    // Loop check: the same certificate, or the same name and key, may not appear twice. (A leaf
    // that is itself an anchor was validated as its own path above.)
    if (chain.some((c) => c === cand || (bytesEqual(c.spki.der, cand.spki.der) && c.subject.key === cand.subject.key))) return NEXT;
    // Self-issued CA certificates (key rollover) do not count, as for pathLenConstraint.
    const counts = !cand.selfIssued;
    if (!isAnchor) {
      if (counts && intermediates + 1 > s.maxIntermediates) {
        fail(verdict('chain_too_long', depth + 1, `more than ${s.maxIntermediates} intermediates`));
        return NEXT;
      }
    }
    const sig = checkSignature(s, cert, cand, depth);
    if (sig.kind === 'spent') return SPENT;
    if (sig.kind === 'bad') {
      fail(sig.verdict);
      return NEXT;
    }
    if (isAnchor) {
      const res = validate(s, [...chain, cand]);
      if (res.verdict.status === 'valid') return { kind: 'found', path: res };
      fail(res.verdict);
      return NEXT;
    }
    const deeper = build(s, [...chain, cand], intermediates + (counts ? 1 : 0));
    return deeper ? { kind: 'found', path: deeper } : NEXT;
  };

  // A trusted certificate presented as the leaf is its own anchor.
  if (chain.length === 1 && s.opts.anchors.has(cert)) {
    const res = validate(s, [cert, cert]);
    if (res.verdict.status === 'valid') return res;
    fail(res.verdict);
  }
  for (const cand of s.opts.anchors.issuersOf(cert)) {
    const r = tryCandidate(cand, true);
    if (r.kind === 'spent') return null;
    if (r.kind === 'found') return r.path;
  }
  if (s.opts.intermediates) {
    for (const cand of s.opts.intermediates.issuersOf(cert)) {
      if (s.opts.anchors.has(cand)) continue;
      const r = tryCandidate(cand, false);
      if (r.kind === 'spent') return null;
      if (r.kind === 'found') return r.path;
    }
  }
  return null;
}

/** Checks `cert`'s signature under `issuer`'s key. Results are cached per search. */
function checkSignature(s: Search, cert: Certificate, issuer: Certificate, depth: number): SignatureCheck {
  let row = s.sigCache.get(cert);
  if (row?.has(issuer)) return row.get(issuer)!;
  if (--s.budget.signatures < 0) {
    s.best = better(s.best, verdict('budget_exceeded', depth, 'too many signature checks'));
    return SPENT;
  }
  let out: Verdict | null = null;
  if (!signatureAlgorithmsMatch(cert)) {
    out = verdict('algorithm_mismatch', depth, 'signature algorithm differs inside and outside the TBS');
  } else {
    try {
      const scheme = resolveSignatureAlgorithm(cert.signatureAlgorithm);
      const key = certificateKey(issuer);
      const check = checkData(scheme, key, cert.tbs, cert.signature);
      if (check === 'malformed') out = verdict('malformed_signature', depth, 'signature value is not a well-formed ECDSA-Sig-Value for the issuer key');
      else if (check === 'invalid') out = verdict('cert_signature_invalid', depth, `signature does not verify under ${formatName(issuer.subject)}`);
    } catch (err) {
      if (err instanceof AlgorithmError) out = verdict('unsupported_algorithm', depth, err.message);
      else if (err instanceof KeyError) out = verdict(err.code === 'weak_key' ? 'weak_key' : 'unsupported_algorithm', depth + 1, err.message);
      else throw err;
    }
  }
  const check: SignatureCheck = out ? { kind: 'bad', verdict: out } : GOOD;
  if (!row) s.sigCache.set(cert, (row = new Map()));
  row.set(issuer, check);
  return check;
}

// ---------------------------------------------------------------------------------------------
// Validation of one complete path (RFC 5280 §6.1), end entity first, anchor last.

const KNOWN_HANDLED = new Set<string>([
  EXT.basicConstraints,
  EXT.keyUsage,
  EXT.extKeyUsage,
  EXT.subjectAltName,
  EXT.nameConstraints,
  EXT.certificatePolicies,
  EXT.policyMappings,
  EXT.policyConstraints,
  EXT.inhibitAnyPolicy,
  EXT.subjectKeyIdentifier,
  EXT.authorityKeyIdentifier,
  EXT.crlDistributionPoints,
]);

/**
 * Rules on a certificate as it stands, whoever issued it. They apply to every certificate,
 * trust anchors included: an anchor's extensions are read as constraints (RFC 5937 §3), so they
 * must be well formed (docs/conformance.md § Trust anchors).
 */
function wellFormed(cert: Certificate, depth: number): Verdict | null {
  const ext = cert.extensions;
  const bad = (code: VerdictCode, detail: string): Verdict => verdict(code, depth, detail);
  if (ext.unknownCritical.length) return bad('unknown_critical_extension', `critical extension ${ext.unknownCritical[0]} is not processed`);
  for (const e of ext.list) {
    if (e.critical && !KNOWN_HANDLED.has(e.oid) && e.oid !== EXT.issuerAltName) {
      return bad('profile_violation', `extension ${e.oid} must not be critical`);
    }
  }
  // policyConstraints marked non-critical is tolerated: NIST PKITS issues it that way and the
  // constraint is still processed (see test/conformance/exceptions.json).
  const crit = ext.badCriticality.filter((o) => o !== EXT.policyConstraints);
  if (crit.length) return bad('profile_violation', `extension ${crit[0]} has the wrong criticality`);
  const ca = ext.basicConstraints?.ca ?? false;
  const ku = ext.keyUsage;
  if (ku !== null && ku & KeyUsage.keyCertSign && !ca) return bad('profile_violation', 'keyCertSign without basicConstraints cA');
  if (ext.basicConstraints?.pathLen != null && (!ca || (ku !== null && !(ku & KeyUsage.keyCertSign)))) {
    return bad('profile_violation', 'pathLenConstraint without cA and keyCertSign');
  }
  if (ca && !ext.subjectKeyId) return bad('profile_violation', 'CA certificate without subjectKeyIdentifier');
  if (ext.nameConstraints && !ca) return bad('profile_violation', 'nameConstraints in an end-entity certificate');
  const san = ext.subjectAltName;
  if (cert.subject.rdns.length === 0) {
    // §4.1.2.6: a CA's subject MUST be a non-empty DN (it is the issuer name of what it signs).
    if (ca) return bad('profile_violation', 'CA certificate with an empty subject');
    if (!san) return bad('profile_violation', 'empty subject without subjectAltName');
    if (!ext.list.find((e) => e.oid === EXT.subjectAltName)?.critical)
      return bad('profile_violation', 'subjectAltName must be critical when the subject is empty');
  }
  if (san) {
    for (const n of san) {
      if (n.kind === 'dns' && !validDnsName(n.value, true)) return bad('profile_violation', 'malformed dNSName in subjectAltName');
      if (n.kind === 'email' && !validEmail(n.value)) return bad('profile_violation', 'malformed rfc822Name in subjectAltName');
      if (n.kind === 'ip' && n.bytes.length !== 4 && n.bytes.length !== 16) return bad('profile_violation', 'malformed iPAddress in subjectAltName');
    }
  }
  return null;
}

/**
 * Rules on how a certificate was issued: obligations of its issuer, checked for every certificate
 * the path validates (below the anchor). A trust anchor is an input (RFC 5280 §6.1.1(d)): nothing
 * above it is relied on, so its serial, issuer name and authorityKeyIdentifier are not judged.
 */
function issuance(cert: Certificate, depth: number, trustedLeaf = false): Verdict | null {
  const bad = (detail: string): Verdict => verdict('profile_violation', depth, detail);
  const serial = serialProblem(cert.serial);
  if (serial) return bad(serial);
  if (cert.issuer.rdns.length === 0) return bad('empty issuer name');
  // RFC 5280 §4.2.1.1: every certificate but a self-signed one names its issuer's key. Below the
  // anchor no certificate is self-signed (a path never repeats a name and key), so only a trusted
  // certificate presented as its own leaf can claim the exception.
  if (!cert.extensions.authorityKeyId?.keyId && !(trustedLeaf && cert.selfIssued)) return bad('authorityKeyIdentifier keyIdentifier missing');
  return null;
}

/**
 * What a trust anchor must be to issue the first certificate of a path: a CA certificate as RFC
 * 5280 §4.2.1.9 defines it (basicConstraints present, cA TRUE, marked critical) whose keyUsage,
 * if present, allows keyCertSign (§4.2.1.3). Intermediates are held to §6.1.4 (k) instead, which
 * asks only for cA (NIST PKITS 4.6.4 accepts one with a non-critical basicConstraints).
 */
function anchorRole(anchor: Certificate, depth: number): Verdict | null {
  const bc = anchor.extensions.basicConstraints;
  if (!bc?.ca) return verdict('not_ca', depth, 'trust anchor is not a CA');
  if (!anchor.extensions.list.find((e) => e.oid === EXT.basicConstraints)?.critical) {
    return verdict('profile_violation', depth, 'trust anchor basicConstraints must be critical (RFC 5280 §4.2.1.9)');
  }
  const ku = anchor.extensions.keyUsage;
  if (ku !== null && !(ku & KeyUsage.keyCertSign)) return verdict('key_usage_not_allowed', depth, 'trust anchor lacks keyCertSign');
  return null;
}

/** Why a certificate cannot serve as a trust anchor whatever the time (the trust store refuses it
 *  at load), or null. Validity is judged per verification: an expired generation stays loadable
 *  for signatures made while it was valid. */
export function anchorProblem(anchor: Certificate): Verdict | null {
  return wellFormed(anchor, 0) ?? anchorRole(anchor, 0);
}

function validity(s: Search, cert: Certificate, depth: number): Verdict | null {
  if (s.time < cert.notBefore) return verdict('not_yet_valid', depth, `valid from ${new Date(cert.notBefore).toISOString()}`);
  if (s.time > cert.notAfter) return verdict('expired', depth, `expired ${new Date(cert.notAfter).toISOString()}`);
  return null;
}

function validate(s: Search, path: Certificate[]): PathResult {
  const anchorIdx = path.length - 1;
  const anchor = path[anchorIdx];
  const failed = (v: Verdict): PathResult => ({ verdict: v, path: null, policies: [] });

  // The anchor: trusted for its key and name, still held to the rules a CA must meet.
  const selfAnchored = path.length === 2 && path[0] === anchor;
  const certs = selfAnchored ? [anchor] : path.slice(0, anchorIdx); // the n certificates of §6.1
  {
    // A trusted certificate presented as the leaf is judged as any end entity; an anchor that
    // issues the path by the anchor rules (docs/conformance.md § Trust anchors).
    const v = selfAnchored
      ? (wellFormed(anchor, 0) ?? issuance(anchor, 0, true) ?? validity(s, anchor, 0))
      : (wellFormed(anchor, anchorIdx) ?? anchorRole(anchor, anchorIdx) ?? validity(s, anchor, anchorIdx));
    if (v) return failed(v);
  }

  const n = certs.length;
  const constraints: ConstraintSet[] = [];
  let maxPathLen = s.maxIntermediates;
  const anchorBc = anchor.extensions.basicConstraints;
  if (!selfAnchored && anchorBc?.pathLen != null) maxPathLen = Math.min(maxPathLen, anchorBc.pathLen);
  if (!selfAnchored && anchor.extensions.nameConstraints) constraints.push(anchor.extensions.nameConstraints);

  // From the certificate under the anchor down to the end entity.
  for (let i = n - 1; i >= 0; i--) {
    const cert = certs[i];
    const isLeaf = i === 0;
    if (!selfAnchored) {
      const v = wellFormed(cert, i) ?? issuance(cert, i) ?? validity(s, cert, i);
      if (v) return failed(v);
    }
    if (isLeaf || !cert.selfIssued) {
      const nc = checkNameConstraints(cert, constraints, s.nameBudget);
      if (!nc.ok) return failed(verdict(nc.budget ? 'budget_exceeded' : 'name_constraint_violation', i, nc.detail));
    }
    if (isLeaf) break;
    const ext = cert.extensions;
    if (ext.nameConstraints) constraints.push(ext.nameConstraints);
    if (!ext.basicConstraints?.ca) return failed(verdict('not_ca', i, `${formatName(cert.subject)} is not a CA`));
    if (!cert.selfIssued) {
      if (maxPathLen <= 0) return failed(verdict('path_length_exceeded', i, 'pathLenConstraint exceeded'));
      maxPathLen--;
    }
    if (ext.basicConstraints.pathLen != null) maxPathLen = Math.min(maxPathLen, ext.basicConstraints.pathLen);
    if (ext.keyUsage !== null && !(ext.keyUsage & KeyUsage.keyCertSign)) {
      return failed(verdict('key_usage_not_allowed', i, 'issuer keyUsage lacks keyCertSign'));
    }
  }

  // End-entity usage.
  const leaf = path[0];
  const lext = leaf.extensions;
  const eku = s.opts.requiredEku;
  if (eku && lext.extKeyUsage && !lext.extKeyUsage.includes(eku) && !lext.extKeyUsage.includes('2.5.29.37.0')) {
    return failed(verdict('eku_not_allowed', 0, `extKeyUsage lacks ${eku}`));
  }
  const need = s.opts.requiredKeyUsage ?? 0;
  if (need && lext.keyUsage !== null && (lext.keyUsage & need) !== need) {
    return failed(verdict('key_usage_not_allowed', 0, 'keyUsage does not allow this use'));
  }

  // Policies, over the certificates below the anchor ordered top-down.
  let policies: string[] = [];
  if (!selfAnchored) {
    const pr = processPolicies([...certs].reverse(), {
      initialPolicies: s.opts.initialPolicies ?? [ANY_POLICY],
      initialExplicitPolicy: s.opts.requireExplicitPolicy ?? false,
      initialPolicyMappingInhibit: s.opts.inhibitPolicyMapping ?? false,
      initialAnyPolicyInhibit: s.opts.inhibitAnyPolicy ?? false,
      maxNodes: s.budget.policyNodes,
    });
    if (!pr.ok) return failed(verdict(pr.budget ? 'budget_exceeded' : 'policy_not_acceptable', pr.depth, pr.detail));
    policies = pr.policies;
  }

  // Revocation last: only a path that is otherwise valid is worth a lookup.
  const rev =
    s.opts.revocation && !selfAnchored ? checkPathRevocation(path, s.opts.revocation, s.time, s.opts.revocationPolicy) : { failure: null, report: NOT_CHECKED };
  if (rev.failure) return failed(rev.failure);
  const report = rev.report;
  return { verdict: verdict('ok', -1, 'path valid', report), path, policies };
}

/**
 * The revocation step of §6.3 over a validated path (end entity first, anchor last): every
 * certificate below the anchor, top down, against the issuer above it. Also run alone on a cached
 * path whose revocation data has changed since it was validated.
 */
export function checkPathRevocation(
  path: readonly Certificate[],
  checker: RevocationChecker,
  time: number,
  policy: RevocationPolicy = 'hard-fail',
): { failure: Verdict | null; report: RevocationReport } {
  let report: RevocationReport = NOT_CHECKED;
  for (let i = path.length - 2; i >= 0; i--) {
    const st = checker.check(path[i], path[i + 1], time);
    const r: RevocationReport = { checked: true, ...st };
    if (i === 0) report = r;
    if (st.status === 'revoked') return { failure: verdict('revoked', i, `revoked (${st.reason ?? 'unspecified'})`, r), report: r };
    if ((st.status === 'stale' || st.status === 'unknown') && policy !== 'soft-fail') {
      const stale = st.status === 'stale';
      return {
        failure: verdict(stale ? 'crl_stale' : 'revocation_unavailable', i, stale ? 'CRL past nextUpdate' : 'no CRL covers this certificate', r),
        report: r,
      };
    }
  }
  return { failure: null, report };
}
