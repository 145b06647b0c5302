// The two JPKI verifications, pure: 電子利用者証明 (an authentication certificate and a signature
// over a challenge) and 電子署名 (a signing certificate and a signature over a document or its
// digest). Time comes in as a parameter; the shell stamps it once per request.
import { createHash, type KeyObject } from 'node:crypto';
import { HASH_LENGTH, OID, type HashName, type SignatureScheme } from './algorithms.js';
import { CertificateError, fingerprint, parseCertificate, type Certificate } from './certificate.js';
import { bytesEqual } from './der.js';
import { KeyUsage } from './extensions.js';
import {
  JPKI,
  basicFourInfo,
  checkIssuerGeneration,
  checkProfile,
  classify,
  keyGeneration,
  ProfileError,
  type BasicFourInfo,
  type CertificateKind,
  type Purpose,
} from './jpki.js';
import type { CertificatePool } from './cert-pool.js';
import { checkPathRevocation, validatePath, type PathResult, type RevocationChecker } from './path.js';
import { floorToSecond } from './time.js';
import { unsignedSerialHex } from './serial.js';
import { KeyError, checkData, checkDigest, importPublicKey, type SignatureCheck } from './signature.js';
import { ocspUrls } from './ocsp-certid.js';
import { awaitingOcsp, encodePlan, plannedChecker, validVerdict, type OcspPending, type RevocationPlan } from './revocation-plan.js';
import { NOT_CHECKED, verdict, type RevocationPolicy, type RevocationReport, type Verdict } from './verdict.js';
import { verifiedContext, type VerifiedTable } from './verified-table.js';

export interface VerifyContext {
  readonly anchors: CertificatePool;
  readonly revocation?: RevocationChecker;
  readonly revocationPolicy?: RevocationPolicy;
  /** Which source decides (revocation.mode) and the policy for this verification; overrides
   *  revocationPolicy. Where OCSP must decide, the result carries `pending`. */
  readonly revocationPlan?: RevocationPlan;
  /** Accept test-hierarchy (O=JPKI-TEST) certificates: only for test environments. */
  readonly allowTestHierarchy?: boolean;
  /** Accept certificates of the ECDSA P-384 generation (the next-generation card). Off unless
   *  configured: such a certificate is then refused as unsupported_algorithm. */
  readonly acceptEcdsa?: boolean;
  /** Cache of path results by certificate fingerprint (the shell supplies an LRU). */
  readonly pathCache?: PathCache;
  /** Certificates any thread has fully checked (shared memory): a hit skips the profile, path and
   *  CA-signature work and runs only the revocation step again. */
  readonly verified?: VerifiedTable;
}

/** A cached path result, with the end entity's imported key (repeat holders skip the import and
 *  OpenSSL's per-key setup), and what it was checked against. It keeps the certificate as DER, not
 *  parsed (a parsed one is ~9 KB of heap, its DER ~1.2 KB): the rare step that needs more than the
 *  entry holds (a revocation re-check under new data, an OCSP request, the 基本4情報) parses again. */
export interface CachedPath {
  readonly want: Purpose;
  readonly der: Uint8Array;
  /** The path's anchor (JPKI paths are the end entity and its root). */
  readonly anchor: Certificate;
  /** Where the validity periods of every certificate in the path overlap, epoch ms. */
  readonly validFrom: number;
  readonly validTo: number;
  readonly facts: CertificateFacts;
  /** The path's verdict, its revocation report included. */
  readonly verdict: Verdict;
  readonly key: KeyObject | null;
  readonly checkedWith: CheckedWith;
}

/** The inputs a cached result depends on besides the certificate's bytes and the time. */
export interface CheckedWith {
  readonly anchors: CertificatePool;
  readonly allowTestHierarchy: boolean;
  /** RevocationChecker.dataVersion when the path was checked; null: no checker, undefined: a
   *  checker that names no version (its answers are never reused). */
  readonly revocationVersion: string | null | undefined;
  readonly revocationPolicy: RevocationPolicy | undefined;
}

export interface PathCache {
  get(fingerprint: string): CachedPath | undefined;
  set(fingerprint: string, entry: CachedPath): void;
}

/** Facts about the certificate that accompany a verdict (no personal data). */
export interface CertificateFacts {
  readonly kind: CertificateKind;
  readonly serial: string; // unsigned hex; personal data in proxy mode: the shell decides who sees it
  readonly fingerprint: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Year the issuing root generation began (2015, 2019, 2023 …), when the path was built. */
  readonly issuerGeneration: number | null;
}

export interface VerificationResult {
  readonly verdict: Verdict;
  readonly certificate: CertificateFacts | null;
  /** Everything but revocation checked out and OCSP must decide: the shell asks and settles
   *  (settleOcsp); until then the verdict is ocsp_unavailable. */
  readonly pending?: OcspPending;
}

export interface SignatureVerificationResult extends VerificationResult {
  /** 基本4情報, decoded only when the path and signature are valid. */
  readonly basicInfo: BasicFourInfo | null;
}

export interface AuthRequest {
  readonly certificate: Uint8Array | Certificate;
  readonly challenge: Uint8Array;
  readonly signature: Uint8Array;
  /** Default: the key's generation decides (SHA-256 for RSA, SHA-384 for ECDSA P-384). */
  readonly digestAlgorithm?: HashName;
  readonly time: number;
}

export type SignatureRequest = {
  readonly certificate: Uint8Array | Certificate;
  readonly signature: Uint8Array;
  readonly digestAlgorithm?: HashName;
  readonly time: number;
} & ({ readonly data: Uint8Array; readonly digest?: undefined } | { readonly digest: Uint8Array; readonly data?: undefined });

/** The root that issued `cert`: the end of its validated path, or, when no path validated (a
 *  revoked or expired card, a bad signature), the one anchor whose key the certificate's AKI names. */
function issuingRoot(cert: Certificate, path: PathResult | null, anchors: CertificatePool): Certificate | null {
  if (path?.path) return path.path[path.path.length - 1];
  const aki = cert.extensions.authorityKeyId?.keyId;
  if (!aki) return null;
  const named = anchors.issuersOf(cert).filter((a) => a.extensions.subjectKeyId && bytesEqual(a.extensions.subjectKeyId, aki));
  return named.length === 1 ? named[0] : null;
}

function facts(cert: Certificate, kind: CertificateKind, fp: string, path: PathResult | null, anchors: CertificatePool): CertificateFacts {
  const root = issuingRoot(cert, path, anchors);
  return {
    kind,
    // Unsigned hex, as CRLs and J-LIS link data name serials (no DER sign byte).
    serial: unsignedSerialHex(cert.serialHex),
    fingerprint: fp,
    notBefore: new Date(cert.notBefore).toISOString(),
    notAfter: new Date(cert.notAfter).toISOString(),
    issuerGeneration: root ? new Date(root.notBefore).getUTCFullYear() : null,
  };
}

/** The end entity of a verification: parsed already, or parsed from its DER (a cache hit) when a
 *  step needs it. */
class CertRef {
  constructor(
    private parsed: Certificate | null,
    readonly der: Uint8Array,
  ) {}

  get(): Certificate {
    return (this.parsed ??= parseCertificate(this.der));
  }
}

/** A validated path as the rest of a verification uses it: its verdict and its anchor. */
interface PathOutcome {
  readonly verdict: Verdict;
  readonly anchor: Certificate;
  readonly validFrom: number;
  readonly validTo: number;
}

function outcomeOf(path: PathResult): PathOutcome | null {
  const certs = path.path;
  if (!certs) return null;
  let validFrom = -Infinity;
  let validTo = Infinity;
  for (const c of certs) {
    validFrom = Math.max(validFrom, c.notBefore);
    validTo = Math.min(validTo, c.notAfter);
  }
  return { verdict: path.verdict, anchor: certs[certs.length - 1], validFrom, validTo };
}

type Checked =
  | { cert: CertRef; facts: CertificateFacts; path: PathOutcome | null; failure: Verdict | null; fp: string; cachedKey: KeyObject | null }
  | { cert: null; failure: Verdict };

/** Parses, classifies, checks the profile and validates the path of an end-entity certificate. */
function checkCertificate(input: Uint8Array | Certificate, want: Purpose, time: number, ctx: VerifyContext): Checked {
  // The SHA-256 of the DER is the cache key and the reported fingerprint: computed once. A
  // certificate seen before skips parsing, profile checks and path validation when the cache rule
  // (reuse) allows: those depend on the bytes and on the context the entry records.
  const der = input instanceof Uint8Array ? input : input.der;
  const sha256 = createHash('sha256').update(der).digest();
  const fp = sha256.toString('hex');
  const step = revocationStep(ctx, want);
  // A path result holds its revocation outcome, which depends on the plan: one entry per plan.
  const key = ctx.revocationPlan ? `${fp}/${encodePlan(ctx.revocationPlan)}` : fp;
  const cached = ctx.pathCache?.get(key);
  if (cached) {
    const hit = reuse(cached, key, want, time, ctx, step);
    if (hit) return { ...hit, fp: key, cachedKey: hit.failure ? null : cached.key };
  }
  let cert: Certificate;
  try {
    cert = input instanceof Uint8Array ? parseCertificate(input) : input;
  } catch (err) {
    if (err instanceof CertificateError) return { cert: null, failure: verdict('malformed_certificate', 0, err.message) };
    throw err;
  }
  const kind = classify(cert);
  const ref = new CertRef(cert, der);
  const early = (failure: Verdict): Checked => ({ cert: ref, facts: facts(cert, kind, fp, null, ctx.anchors), path: null, failure, fp, cachedKey: null });
  if (kind === 'test' && !ctx.allowTestHierarchy) return early(verdict('test_hierarchy', 0, 'certificate of the JPKI test hierarchy'));
  if (kind !== 'test' && kind !== want) return early(verdict('wrong_certificate_type', 0, `${kind} certificate where ${want} is required`));
  if (!ctx.acceptEcdsa && cert.spki.algorithm.oid === OID.ecPublicKey) {
    return early(verdict('unsupported_algorithm', 0, 'ECDSA (next-generation card) certificates are not accepted by this verifier'));
  }
  const context = verifiedContext(want, ctx.allowTestHierarchy ?? false);
  const shared = sharedPath(cert, ctx.verified?.lookup(sha256, context) ?? null, time, step);
  const path = shared ?? fullCheck(cert, kind, want, time, ctx, step);
  if ('failure' in path) return early(path.failure);
  const f = facts(cert, kind, fp, path, ctx.anchors);
  const outcome = outcomeOf(path);
  const valid = path.verdict.status === 'valid' && outcome;
  // What the table served is in it already: recording it again would only take another way.
  if (valid && !shared) ctx.verified?.record(sha256, context, outcome.anchor);
  // Only clean results are cached; a failure is recomputed, so a fix (new CRL, new root) shows.
  if (ctx.pathCache && valid) ctx.pathCache.set(key, cacheEntry(want, ref, f, outcome, null, ctx, step));
  return { cert: ref, facts: f, path: outcome, failure: valid ? null : path.verdict, fp: key, cachedKey: null };
}

/** The profile, the path and the issuer generation of a certificate no table vouches for; a
 *  failure found before the path is built carries no path. */
function fullCheck(
  cert: Certificate,
  kind: CertificateKind,
  want: Purpose,
  time: number,
  ctx: VerifyContext,
  step: RevocationStep,
): PathResult | { failure: Verdict } {
  if (kind !== 'test') {
    const p = checkProfile(cert, want);
    if (p) return { failure: verdict(p.code, 0, p.detail) };
  }
  const policy = kind === 'test' ? JPKI.testPolicy : want === 'signing' ? JPKI.signingPolicy : JPKI.authPolicy;
  const path = validatePath(cert, {
    time,
    anchors: ctx.anchors,
    maxIntermediates: 0, // J-LIS issues end entities directly from a root
    requiredKeyUsage: want === 'signing' ? KeyUsage.digitalSignature | KeyUsage.nonRepudiation : KeyUsage.digitalSignature,
    initialPolicies: [policy],
    requireExplicitPolicy: true,
    revocation: step.checker,
    revocationPolicy: step.policy,
  });
  if (path.path && kind !== 'test') {
    const generation = keyGeneration(cert);
    const root = path.path[path.path.length - 1];
    const issuer = typeof generation === 'string' ? checkIssuerGeneration(root, generation) : null;
    // The issuer's facts stay in the verdict's certificate (issuingRoot finds it by key id).
    if (issuer) return { verdict: verdict(issuer.code, path.path.length - 1, issuer.detail), path: null, policies: [] };
  }
  return path;
}

/** The path of a certificate the verified table vouches for, issued by `anchor`: both must be
 *  within their validity at `time` (else null: the full check words the verdict), and the
 *  revocation step runs again, as validatePath would run it. */
function sharedPath(cert: Certificate, anchor: Certificate | null, time: number, step: RevocationStep): PathResult | null {
  if (!anchor) return null;
  const t = floorToSecond(time);
  if (t < cert.notBefore || t > cert.notAfter || t < anchor.notBefore || t > anchor.notAfter) return null;
  const path = [cert, anchor];
  const rev = step.checker ? checkPathRevocation(path, step.checker, t, step.policy) : { failure: null, report: NOT_CHECKED };
  if (rev.failure) return { verdict: rev.failure, path: null, policies: [] };
  return { verdict: verdict('ok', -1, 'path valid', rev.report), path, policies: [] };
}

/** The revocation step of one verification and its policy: the plan's (core/revocation-plan.ts),
 *  or the context's own checker and policy. */
interface RevocationStep {
  readonly checker: RevocationChecker | undefined;
  readonly policy: RevocationPolicy | undefined;
}

function revocationStep(ctx: VerifyContext, want: Purpose): RevocationStep {
  const plan = ctx.revocationPlan;
  return plan ? { checker: plannedChecker(ctx.revocation, plan, want), policy: plan.policy } : { checker: ctx.revocation, policy: ctx.revocationPolicy };
}

function cacheEntry(
  want: Purpose,
  cert: CertRef,
  facts: CertificateFacts,
  path: PathOutcome,
  key: KeyObject | null,
  ctx: VerifyContext,
  step: RevocationStep,
): CachedPath {
  // A cached entry must not pin its caller's buffer (a worker's whole packed batch): keep a copy.
  const der = cert.der.byteLength === cert.der.buffer.byteLength ? cert.der : cert.der.slice();
  return {
    want,
    der,
    anchor: path.anchor,
    validFrom: path.validFrom,
    validTo: path.validTo,
    facts,
    verdict: path.verdict,
    key,
    checkedWith: checkedWith(ctx, step),
  };
}

function checkedWith(ctx: VerifyContext, step: RevocationStep): CheckedWith {
  return {
    anchors: ctx.anchors,
    allowTestHierarchy: ctx.allowTestHierarchy ?? false,
    revocationVersion: step.checker ? step.checker.dataVersion : null,
    revocationPolicy: step.policy,
  };
}

/**
 * The cache rule (docs/conformance.md § Path cache). A cached path is reused while the purpose,
 * the anchors, the test-hierarchy setting and the revocation policy are those it was checked
 * with, and every certificate in it is within its validity. Its revocation result is reused only
 * under the same revocation data version and before that data's nextUpdate; otherwise the
 * revocation step runs again over the cached path, so a certificate revoked by newer data is
 * refused whichever embedder supplies the checker.
 */
function reuse(
  e: CachedPath,
  fp: string,
  want: Purpose,
  time: number,
  ctx: VerifyContext,
  step: RevocationStep,
): { cert: CertRef; facts: CertificateFacts; path: PathOutcome; failure: Verdict | null } | null {
  const w = e.checkedWith;
  if (e.want !== want || w.anchors !== ctx.anchors || w.allowTestHierarchy !== (ctx.allowTestHierarchy ?? false) || w.revocationPolicy !== step.policy)
    return null;
  if (time < e.validFrom || time > e.validTo) return null;
  const cert = new CertRef(null, e.der);
  const checker = step.checker;
  const version = checker ? checker.dataVersion : null;
  const next = e.verdict.revocation.source?.nextUpdate;
  const path: PathOutcome = { verdict: e.verdict, anchor: e.anchor, validFrom: e.validFrom, validTo: e.validTo };
  if (version !== undefined && version === w.revocationVersion && (next == null || time <= next)) {
    return { cert, facts: e.facts, path, failure: null };
  }
  if (!checker) return null; // checked with revocation once, asked now without: validate afresh
  const rev = checkPathRevocation([cert.get(), e.anchor], checker, floorToSecond(time), step.policy);
  if (rev.failure) return { cert, facts: e.facts, path, failure: rev.failure };
  const renewed: PathOutcome = { ...path, verdict: { ...e.verdict, revocation: rev.report } };
  if (version !== undefined) ctx.pathCache?.set(fp, { ...e, verdict: renewed.verdict, checkedWith: checkedWith(ctx, step) });
  return { cert, facts: e.facts, path: renewed, failure: null };
}

function endEntityKey(
  c: { cert: CertRef; facts: CertificateFacts; path: PathOutcome | null; fp: string; cachedKey: KeyObject | null },
  want: Purpose,
  ctx: VerifyContext,
): { key: KeyObject; failure: null } | { key: null; failure: Verdict } {
  if (c.cachedKey) return { key: c.cachedKey, failure: null };
  try {
    const key = importPublicKey(c.cert.get().spki);
    if (ctx.pathCache && c.path) ctx.pathCache.set(c.fp, cacheEntry(want, c.cert, c.facts, c.path, key, ctx, revocationStep(ctx, want)));
    return { key, failure: null };
  } catch (err) {
    if (err instanceof KeyError) return { key: null, failure: verdict(err.code === 'weak_key' ? 'weak_key' : 'unsupported_algorithm', 0, err.message) };
    throw err;
  }
}

/** The scheme the card signed with, from its key: RSASSA-PKCS1-v1_5 (SHA-256 unless the request
 *  names another hash), or ECDSA with SHA-384, the only hash of the P-384 generation. */
function cardScheme(key: KeyObject, requested: HashName | undefined): Extract<SignatureScheme, { kind: 'rsa-pkcs1' | 'ecdsa' }> | Verdict {
  if (key.asymmetricKeyType !== 'ec') return { kind: 'rsa-pkcs1', hash: requested ?? 'sha256' };
  const hash = requested ?? 'sha384';
  if (hash !== 'sha384') return verdict('unsupported_algorithm', 0, `the ECDSA P-384 generation signs with SHA-384, not ${hash}`);
  return { kind: 'ecdsa', hash };
}

/** The verdict of the card's signature check, or null when it verified. */
function signatureFailure(check: SignatureCheck, over: string, revocation: RevocationReport): Verdict | null {
  if (check === 'valid') return null;
  if (check === 'malformed') return verdict('malformed_signature', 0, `signature over the ${over} is not a well-formed ECDSA-Sig-Value`, revocation);
  return verdict('signature_invalid', 0, `signature over the ${over} does not verify`, revocation);
}

type PathChecked = Extract<Checked, { path: PathOutcome | null }>;

/** The revocation report a failed verification carries: a decision left to OCSP was never asked
 *  for (the verification fails whatever it says), so revocation counts as not checked. */
function reportOf(c: PathChecked): RevocationReport {
  const r = c.path?.verdict.revocation ?? NOT_CHECKED;
  return r.status === 'pending' ? NOT_CHECKED : r;
}

/** A verification whose path, profile and signature check out: valid, or waiting for OCSP when
 *  the revocation step left the decision to it. */
function success(c: PathChecked, time: number, ctx: VerifyContext, basicInfo: BasicFourInfo | null): { verdict: Verdict; pending?: OcspPending } {
  const revocation = c.path?.verdict.revocation ?? NOT_CHECKED;
  if (revocation.status !== 'pending' || !c.path) return { verdict: validVerdict(revocation) };
  const crlSource = revocation.source?.kind === 'crl' ? revocation.source : undefined;
  const pending: OcspPending = {
    // The anchor issued the end entity (JPKI paths have no intermediates).
    target: { issuer: fingerprint(c.path.anchor), serial: c.cert.get().serialHex, urls: ocspUrls(c.cert.get()), time },
    policy: ctx.revocationPlan?.policy ?? ctx.revocationPolicy ?? 'hard-fail',
    crl: revocation.crl ? { status: revocation.crl, source: crlSource } : null,
    basicInfo,
  };
  return { verdict: awaitingOcsp(crlSource), pending };
}

/** 電子利用者証明: the card signed the service's challenge with its authentication key. */
export function verifyAuthentication(req: AuthRequest, ctx: VerifyContext): VerificationResult {
  const c = checkCertificate(req.certificate, 'authentication', req.time, ctx);
  if (!c.cert) return { verdict: c.failure, certificate: null };
  const f = c.facts;
  if (c.failure) return { verdict: c.failure, certificate: f };
  const { key, failure } = endEntityKey(c, 'authentication', ctx);
  if (!key) return { verdict: failure, certificate: f };
  const scheme = cardScheme(key, req.digestAlgorithm);
  if ('code' in scheme) return { verdict: scheme, certificate: f };
  const failed = signatureFailure(checkData(scheme, key, req.challenge, req.signature), 'challenge', reportOf(c));
  if (failed) return { verdict: failed, certificate: f };
  return { ...success(c, req.time, ctx, null), certificate: f };
}

/** 電子署名: the card signed a document (or the digest the client computed) with its signing key. */
export function verifyDocumentSignature(req: SignatureRequest, ctx: VerifyContext): SignatureVerificationResult {
  const c = checkCertificate(req.certificate, 'signing', req.time, ctx);
  if (!c.cert) return { verdict: c.failure, certificate: null, basicInfo: null };
  const f = c.facts;
  if (c.failure) return { verdict: c.failure, certificate: f, basicInfo: null };
  const { key, failure } = endEntityKey(c, 'signing', ctx);
  if (!key) return { verdict: failure, certificate: f, basicInfo: null };
  const scheme = cardScheme(key, req.digestAlgorithm);
  if ('code' in scheme) return { verdict: scheme, certificate: f, basicInfo: null };
  const hash = scheme.hash;
  const revocation = reportOf(c);
  let check: SignatureCheck;
  if (req.digest !== undefined) {
    if (req.digest.length !== HASH_LENGTH[hash]) {
      return { verdict: verdict('digest_mismatch', 0, `${hash} digest must be ${HASH_LENGTH[hash]} bytes`, revocation), certificate: f, basicInfo: null };
    }
    check = checkDigest(scheme, key, req.digest, req.signature);
  } else if (scheme.kind === 'ecdsa') {
    check = checkData(scheme, key, req.data, req.signature); // node:crypto hashes and verifies natively
  } else {
    check = checkDigest(scheme, key, createHash(hash).update(req.data).digest(), req.signature);
  }
  const failed = signatureFailure(check, 'document', revocation);
  if (failed) return { verdict: failed, certificate: f, basicInfo: null };
  let info: BasicFourInfo | null = null;
  if (f.kind === 'signing') {
    try {
      info = basicFourInfo(c.cert.get());
    } catch (err) {
      if (err instanceof ProfileError) return { verdict: verdict('jpki_profile_violation', 0, err.message, revocation), certificate: f, basicInfo: null };
      throw err;
    }
  }
  const done = success(c, req.time, ctx, info);
  // Waiting for OCSP, the 基本4情報 stay in `pending` until a valid verdict releases them.
  return { ...done, certificate: f, basicInfo: done.pending ? null : info };
}
