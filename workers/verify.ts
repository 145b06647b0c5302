// Pool worker: decode → core → encode. Anchors are parsed once per thread (their keys are cached
// on the certificate objects); the revocation set is mapped from shared memory when a task brings
// a new version. Cached paths record the set they were checked against and the core re-checks
// their revocation under a newer one (core/verify.ts), so a swap keeps the parsed paths.
import { workerData } from 'node:worker_threads';
import { parseCertificate } from '../src/core/certificate.js';
import { CertificatePool } from '../src/core/cert-pool.js';
import { IndexRevocationChecker } from '../src/core/revocation-lookup.js';
import { RevocationSet } from '../src/core/revocation-set.js';
import { verifyAuthentication, verifyDocumentSignature, type CachedPath, type PathCache, type VerifyContext } from '../src/core/verify.js';
import { Lru } from '../src/pool/lru.js';
import { VerifiedTable } from '../src/core/verified-table.js';
import type { ItemResult, TaskResult, VerifyItem, VerifyTask, WorkerSetup } from '../src/verifier/messages.js';
import { unpackItems } from '../src/pool/task-codec.js';
import { CRL_PLAN } from '../src/core/revocation-plan.js';

const setup = workerData as WorkerSetup;
const anchors = new CertificatePool(setup.trust.map((d) => parseCertificate(d)));
// Attached to the anchors in the order the pool allocated the table for (it refuses any other).
const verified = setup.verified ? VerifiedTable.attach(setup.verified, anchors.certificates()) : undefined;
const lru = new Lru<string, CachedPath>(setup.pathCacheSize);
let hits = 0;
let misses = 0;
const pathCache: PathCache = {
  get(fp) {
    const r = lru.get(fp);
    if (r) hits++;
    else misses++;
    return r;
  },
  set: (fp, r) => lru.set(fp, r),
};
let set: RevocationSet | null = null;

function context(task: VerifyTask): VerifyContext {
  if (task.revocation && task.revocation.version !== set?.version) {
    set = RevocationSet.fromData(task.revocation);
  }
  const snapshot = set; // every item of the task sees this one set
  return {
    anchors,
    allowTestHierarchy: setup.allowTestHierarchy,
    acceptEcdsa: setup.acceptEcdsa,
    revocation: task.revocation && snapshot ? new IndexRevocationChecker(() => snapshot, { graceMs: setup.graceMs }) : undefined,
    pathCache,
    verified,
  };
}

function one(item: VerifyItem, task: VerifyContext): ItemResult {
  const ctx: VerifyContext = { ...task, revocationPlan: item.revocation ?? CRL_PLAN };
  if (item.kind === 'auth') {
    return verifyAuthentication(
      { certificate: item.cert, challenge: item.challenge, signature: item.signature, digestAlgorithm: item.hash, time: item.time },
      ctx,
    );
  }
  const base = { certificate: item.cert, signature: item.signature, digestAlgorithm: item.hash, time: item.time };
  return item.digest
    ? verifyDocumentSignature({ ...base, digest: item.digest }, ctx)
    : verifyDocumentSignature({ ...base, data: item.data ?? new Uint8Array(0) }, ctx);
}

export default function run(task: VerifyTask): TaskResult {
  const t0 = performance.now();
  hits = 0;
  misses = 0;
  const ctx = context(task);
  const results = unpackItems(task.packed).map((it) => one(it, ctx));
  const lookups = { pathHits: hits, pathMisses: misses, verifiedHits: verified?.hits ?? 0, verifiedMisses: verified?.misses ?? 0 };
  if (verified) verified.hits = verified.misses = 0;
  return { results, workerMs: performance.now() - t0, lookups };
}
