// HTTP routes of the platform functions: linking (紐付管理), change confirmation (変更確認), the
// audit trail, and the operator's J-LIS link-data import. Every answer about a certificate holder
// goes through the Platform, which gives proxy tenants conversion IDs, never serials.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseCertificate } from '../core/certificate.js';
import { toHex } from '../core/der.js';
import { partitionsOf } from '../core/revocation-lookup.js';
import type { Config, TenantConfig } from '../config/config.js';
import { LinkDataError, parseLinkCsv, parseLinkJson } from '../platform/link-data.js';
import { PlatformError, type Platform } from '../platform/platform.js';
import { changeView } from '../platform/change-view.js';
import type { ItemResult } from '../verifier/messages.js';
import { ApiError } from '../contract/codes.js';
import { decodeCertificate, pageLimit } from './decode.js';
import {
  auditRoute,
  changesRoute,
  deleteLinkRoute,
  deleteWatchRoute,
  enrolRoute,
  getLinkRoute,
  getWatchRoute,
  identifyRoute,
  linkDataRoute,
  listLinksRoute,
  watchRoute,
} from '../contract/platform.js';
import type { SignatureBody } from '../contract/verify.js';
import type { Verification } from './verify-routes.js';

export interface PlatformRouteDeps {
  readonly config: Config;
  readonly platform: Platform;
  readonly clock: () => number;
  /** Verifies an authentication for `tenant` (its challenge must be one `tenant` was issued). */
  readonly authItem: Verification['authItem'];
  readonly signatureItem: Verification['signatureItem'];
  readonly present: Verification['present'];
}

const page = (q: { cursor?: string; limit?: string }): { cursor: string | null; limit: number } => ({ cursor: q.cursor ?? null, limit: pageLimit(q.limit) });

function entitled(req: FastifyRequest): TenantConfig {
  const t = req.tenant!;
  if (!t.linkedCards) throw new ApiError('forbidden', 'this tenant is not entitled to linking and change confirmation (linkedCards)');
  return t;
}

function mustBeValid(r: ItemResult, what: string): void {
  if (r.verdict.status !== 'valid') throw new ApiError('not_verified', `${what} verdict: ${r.verdict.code}`);
}

/** Registers the routes on `app`, the authenticated /v1 scope of server.ts (paths are relative
 *  to its prefix; req.tenant is set). */
export function registerPlatformRoutes(scope: FastifyInstance, deps: PlatformRouteDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { platform, clock } = deps;

  const wrap = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof PlatformError) throw new ApiError(err.code, err.message);
      if (err instanceof LinkDataError) throw new ApiError(err.code, err.message);
      throw err;
    }
  };

  /** Registers a verified signing certificate for change confirmation. */
  const registerWatch = async (tenant: TenantConfig, b: SignatureBody, r: ItemResult, customerRef: string | null) => {
    if (r.certificate?.kind !== 'signing') throw new ApiError('not_verified', 'change confirmation watches signing certificates (署名用電子証明書)');
    const okOrRevoked = r.verdict.status === 'valid' || r.verdict.code === 'revoked';
    if (!okOrRevoked) throw new ApiError('not_verified', `signature verdict: ${r.verdict.code}`);
    const cert = parseCertificate(decodeCertificate(b.certificate, 'certificate'));
    const issuerKeyId = cert.extensions.authorityKeyId?.keyId ? toHex(cert.extensions.authorityKeyId.keyId) : null;
    if (!issuerKeyId) throw new ApiError('not_verified', 'the certificate has no authority key identifier');
    const rev = r.verdict.revocation;
    return platform.watch(
      tenant,
      {
        customerRef,
        issuerKeyId,
        partitions: partitionsOf(cert),
        serialHex: cert.serialHex,
        fingerprint: r.certificate.fingerprint,
        status: rev.status === 'revoked' ? 'revoked' : 'good',
        reason: rev.status === 'revoked' ? (rev.reason ?? 'unspecified') : null,
      },
      r.certificate.serial,
    );
  };

  const watchView = (tenant: TenantConfig, w: Awaited<ReturnType<typeof registerWatch>>) => ({
    watchId: w.id,
    conversionId: w.conversionId,
    ...(w.customerRef !== null && { customerRef: w.customerRef }),
    status: w.status,
    ...(w.reason !== null && { reason: w.reason }),
    registeredAt: new Date(w.registeredAt).toISOString(),
    checkedAt: new Date(w.checkedAt).toISOString(),
    // Proxy tenants name the certificate by their own handle, never its serial or fingerprint.
    ...(tenant.mode === 'delegate'
      ? { serial: BigInt(`0x${w.serialHex}`).toString(16), fingerprint: w.fingerprint }
      : { handle: platform.certificateHandle(tenant, w.fingerprint) }),
  });

  app.post('/links', { schema: enrolRoute }, async (req, reply) => {
    const tenant = entitled(req);
    const now = clock();
    const r = await deps.authItem(tenant, req.body, now);
    const verdict = await deps.present(req, r);
    mustBeValid(r, 'authentication');
    const link = await wrap(() => platform.enrol(tenant, r.certificate!, req.body.customerRef, req.body.cards ?? []));
    let watch;
    if (req.body.signing) {
      const s = await deps.signatureItem(req.body.signing, now);
      await deps.present(req, s);
      watch = watchView(tenant, await registerWatch(tenant, req.body.signing, s, req.body.customerRef));
    }
    req.outcome = 'linked';
    return reply.status(201).send({ verdict: verdict.verdict, link, ...(watch && { watch }) });
  });

  app.post('/links/identify', { schema: identifyRoute }, async (req) => {
    const tenant = entitled(req);
    const r = await deps.authItem(tenant, req.body, clock());
    const out = await deps.present(req, r);
    req.outcome = r.verdict.status;
    if (r.verdict.status !== 'valid') return { ...out, next: 'rejected' as const };
    const found = await platform.identify(tenant, r.certificate!);
    const next = !found.link ? ('not_linked' as const) : found.cards.length > 1 ? ('choose_card' as const) : ('linked' as const);
    return { ...out, conversionId: found.conversionId, ...(found.link && { link: found.link }), next };
  });

  app.get('/links', { schema: listLinksRoute }, async (req) => {
    const tenant = entitled(req);
    const { cursor, limit } = page(req.query);
    req.outcome = 'ok';
    return platform.listLinks(tenant, cursor, limit);
  });

  app.get('/links/:id', { schema: getLinkRoute }, async (req) => {
    const link = await platform.getLink(entitled(req), req.params.id);
    if (!link) throw new ApiError('not_found', 'no such link');
    req.outcome = 'ok';
    return link;
  });

  app.delete('/links/:id', { schema: deleteLinkRoute }, async (req, reply) => {
    if (!(await platform.unlink(entitled(req), req.params.id))) throw new ApiError('not_found', 'no such link');
    req.outcome = 'ok';
    return reply.status(204).send(null);
  });

  app.post('/watches', { schema: watchRoute }, async (req, reply) => {
    const tenant = entitled(req);
    const { customerRef, ...sig } = req.body;
    const r = await deps.signatureItem(sig, clock());
    await deps.present(req, r);
    const w = await registerWatch(tenant, sig, r, customerRef ?? null);
    req.outcome = 'ok';
    return reply.status(201).send(watchView(tenant, w));
  });

  app.get('/watches/:id', { schema: getWatchRoute }, async (req) => {
    const tenant = entitled(req);
    const w = await platform.getWatch(tenant, req.params.id);
    if (!w) throw new ApiError('not_found', 'no such watch');
    req.outcome = 'ok';
    return watchView(tenant, w);
  });

  app.delete('/watches/:id', { schema: deleteWatchRoute }, async (req, reply) => {
    if (!(await platform.unwatch(entitled(req), req.params.id))) throw new ApiError('not_found', 'no such watch');
    req.outcome = 'ok';
    return reply.status(204).send(null);
  });

  app.get('/changes', { schema: changesRoute }, async (req) => {
    const tenant = entitled(req);
    const { cursor, limit } = page(req.query);
    req.outcome = 'ok';
    const p = await platform.changes(tenant, cursor, limit);
    return { changes: p.items.map(changeView), next: p.next };
  });

  app.get('/audit', { schema: auditRoute }, async (req) => {
    const { cursor, limit } = page(req.query);
    req.outcome = 'ok';
    const p = await platform.readAudit(req.tenant!, cursor, limit);
    return {
      records: p.items.map(({ at, certificate, ...a }) => ({ ...a, at: new Date(at).toISOString(), ...(certificate !== null && { certificate }) })),
      next: p.next,
    };
  });

  // J-LIS link data: CSV (text/csv) or JSON ({records: […]}), operator tenants only.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/admin/link-data', { schema: linkDataRoute }, async (req) => {
    if (!req.tenant!.operator) throw new ApiError('forbidden', 'only the platform operator imports J-LIS link data');
    const records = await wrap(async () =>
      typeof req.body === 'string' ? parseLinkCsv(req.body) : parseLinkJson((req.body as { records?: unknown })?.records),
    );
    req.outcome = 'ok';
    return { records: records.length, ...(await platform.importLinkData(records)) };
  });
}
