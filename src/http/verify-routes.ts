// Challenges and verifications: POST /v1/challenges, /v1/verify/auth, /v1/verify/signature and
// /v1/verify/batch, and the helpers the other /v1 routes verify with (jobs, platform, payments):
// request body → item for the pool → verdict, input-level verdicts as typed 4xx errors, and the
// answer for the tenant committed to its audit trail first.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { verdict } from '../core/verdict.js';
import type { ChallengeStore } from '../challenges/store.js';
import type { Config, TenantConfig } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { Platform } from '../platform/platform.js';
import type { Presenter } from '../platform/present.js';
import type { ItemResult, VerifyItem } from '../verifier/messages.js';
import type { RevocationPlan } from '../core/revocation-plan.js';
import { revocationPlan } from '../verifier/revocation-policy.js';
import type { Verifier } from '../verifier/verifier.js';
import { ApiError, CODES } from '../contract/codes.js';
import { decodeBase64, decodeCertificate } from './decode.js';
import { authRoute, batchRoute, challengeRoute, signatureRoute, type AuthBody, type SignatureBody } from '../contract/verify.js';
import type { ResultView } from '../verifier/wire.js';

/** How the /v1 routes verify. Built once per app by verification(); no state of its own. Every
 *  verification carries its revocation plan: which source decides for this tenant and route. */
export interface Verification {
  /** The revocation plan of a request (its tenant and route; a payment's amount may escalate it). */
  readonly plan: (req: FastifyRequest, payment?: { amount: number }) => RevocationPlan;
  /** The item to verify, or the answer already (its challenge is unknown, expired or used). */
  readonly authInput: (tenant: TenantConfig, b: AuthBody, now: number, plan: RevocationPlan) => Promise<VerifyItem | ItemResult>;
  readonly signatureInput: (b: SignatureBody, now: number, plan: RevocationPlan) => VerifyItem;
  /** Verifies an authentication for `tenant` (its challenge must be one `tenant` was issued). */
  readonly authItem: (tenant: TenantConfig, b: AuthBody, now: number, plan: RevocationPlan) => Promise<ItemResult>;
  readonly signatureItem: (b: SignatureBody, now: number, plan: RevocationPlan) => Promise<ItemResult>;
  /** The answer for this tenant (presenter), counted and committed to the tenant's audit trail
   *  first: no verdict is answered without its record (a failed write is 503 store_unavailable). */
  readonly present: (req: FastifyRequest, r: ItemResult) => Promise<ResultView>;
}

export interface VerificationDeps {
  readonly config: Pick<Config, 'revocation'>;
  readonly verifier: Verifier;
  readonly challenges: ChallengeStore;
  readonly metrics: Metrics;
  readonly platform: Platform;
  readonly present: Presenter;
}

const challengeVerdict = (code: 'challenge_unknown' | 'challenge_expired' | 'challenge_replayed'): ItemResult => ({
  verdict: verdict(code, -1, CODES[code].doc),
  certificate: null,
});

export function verification(deps: VerificationDeps): Verification {
  const { verifier, challenges, metrics, platform } = deps;

  /** Runs one item through the pool and maps input-level verdicts to typed 4xx errors. */
  const run = async (item: VerifyItem): Promise<ItemResult> => {
    const r = await verifier.verify(item);
    if (CODES[r.verdict.code].status !== 200) throw new ApiError(r.verdict.code, r.verdict.detail);
    return r;
  };

  const plan = (req: FastifyRequest, payment?: { amount: number }): RevocationPlan =>
    revocationPlan(deps.config, req.tenant ?? null, req.routeOptions.url ?? '', payment);

  const authInput = async (tenant: TenantConfig, b: AuthBody, now: number, revocation: RevocationPlan): Promise<VerifyItem | ItemResult> => {
    const cert = decodeCertificate(b.certificate, 'certificate');
    const signature = decodeBase64(b.signature, 'signature');
    const ch = await challenges.consume(b.challengeId, tenant.id, now);
    if (!ch.ok) return challengeVerdict(ch.code);
    return { kind: 'auth', time: now, cert, challenge: ch.challenge, signature, hash: b.digestAlgorithm, revocation };
  };

  const signatureInput = (b: SignatureBody, now: number, revocation: RevocationPlan): VerifyItem => {
    const cert = decodeCertificate(b.certificate, 'certificate');
    const signature = decodeBase64(b.signature, 'signature');
    if ((b.data === undefined) === (b.digest === undefined)) throw new ApiError('bad_request', 'give exactly one of data and digest');
    let time = now;
    if (b.at !== undefined) {
      time = Date.parse(b.at);
      if (Number.isNaN(time)) throw new ApiError('bad_request', 'at must be an ISO 8601 time');
    }
    const hash = b.digestAlgorithm; // absent: the key's generation decides (core/verify.ts)
    return b.digest !== undefined
      ? { kind: 'signature', time, cert, digest: decodeBase64(b.digest, 'digest'), signature, hash, revocation }
      : { kind: 'signature', time, cert, data: decodeBase64(b.data!, 'data'), signature, hash, revocation };
  };

  const authItem = async (tenant: TenantConfig, b: AuthBody, now: number, revocation: RevocationPlan): Promise<ItemResult> => {
    const x = await authInput(tenant, b, now, revocation);
    return 'kind' in x ? run(x) : x;
  };

  const signatureItem = (b: SignatureBody, now: number, revocation: RevocationPlan): Promise<ItemResult> => run(signatureInput(b, now, revocation));

  const present = async (req: FastifyRequest, r: ItemResult): Promise<ResultView> => {
    metrics.verdicts.inc({ kind: 'verdict', code: r.verdict.code });
    const [view] = await Promise.all([
      deps.present(req.tenant!, r),
      platform.audit(req.tenant!, req.routeOptions.url ?? 'unmatched', r.verdict.code, r.certificate?.fingerprint ?? null),
    ]);
    return view;
  };

  return { plan, authInput, signatureInput, authItem, signatureItem, present };
}

export interface VerifyRouteDeps {
  readonly config: Pick<Config, 'challenge' | 'limits'>;
  readonly challenges: ChallengeStore;
  readonly metrics: Metrics;
  readonly clock: () => number;
  readonly verification: Verification;
}

const record = (req: FastifyRequest, r: ItemResult): void => {
  req.outcome = r.verdict.status;
};

/** Registers the routes on `app`, the authenticated /v1 scope of server.ts (req.tenant is set). */
export function registerVerifyRoutes(scope: FastifyInstance, deps: VerifyRouteDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { config, challenges, metrics, clock } = deps;
  const { plan, authItem, signatureItem, present } = deps.verification;

  app.post('/challenges', { schema: challengeRoute }, async (req) => {
    const now = clock();
    const max = config.challenge.maxOutstandingPerTenant;
    const issued = await challenges.issue(req.tenant!.id, now, config.challenge.ttlSec * 1000, max);
    if (!issued.ok)
      throw new ApiError(
        'too_many_challenges',
        `this tenant holds ${max} outstanding challenges (issued, not used, not expired)`,
        Math.ceil(issued.retryAfterMs / 1000),
      );
    const c = issued.challenge;
    metrics.challengesIssued.inc();
    req.outcome = 'ok';
    return { challengeId: c.challengeId, challenge: Buffer.from(c.challenge).toString('base64'), expiresAt: new Date(c.expiresAt).toISOString() };
  });

  app.post('/verify/auth', { schema: authRoute }, async (req) => {
    const r = await authItem(req.tenant!, req.body, clock(), plan(req));
    record(req, r);
    return present(req, r);
  });

  app.post('/verify/signature', { schema: signatureRoute }, async (req) => {
    const r = await signatureItem(req.body, clock(), plan(req));
    record(req, r);
    return present(req, r);
  });

  app.post('/verify/batch', { schema: batchRoute }, async (req) => {
    const items = req.body.items;
    if (items.length > config.limits.batchItems) throw new ApiError('too_many_items', `at most ${config.limits.batchItems} items per batch`);
    const now = clock();
    const revocation = plan(req);
    const results = await Promise.all(
      items.map(async (it) => {
        try {
          return await present(req, it.type === 'auth' ? await authItem(req.tenant!, it, now, revocation) : await signatureItem(it, now, revocation));
        } catch (err) {
          if (err instanceof ApiError && err.status < 500) return { error: { code: err.code, message: err.message } };
          throw err; // overload and worker failure fail the whole batch: retry it
        }
      }),
    );
    req.outcome = 'batch';
    return { results };
  });
}
