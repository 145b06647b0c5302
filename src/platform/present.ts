// One place that shapes a verification result for a tenant: 基本4情報 only when entitled, and for
// proxy (代行) tenants a conversion ID in place of the serial. Used by every route and bulk jobs;
// the JSON shape itself (ISO times, no sentinels) is verifier/wire.ts.
import type { TenantConfig } from '../config/config.js';
import type { ItemResult } from '../verifier/messages.js';
import { resultView, type ResultView } from '../verifier/wire.js';
import type { Platform } from './platform.js';
import type { Change } from './store.js';

export type Presenter = (tenant: TenantConfig, r: ItemResult) => Promise<ResultView>;

export function presenter(platform: Platform): Presenter {
  return async (tenant, r) => {
    // Delegate tenants receive serials: no conversion lookup on their hot path.
    const certificate = tenant.mode === 'proxy' ? await platform.publicFacts(tenant, r.certificate) : r.certificate;
    return resultView(r.verdict, certificate, tenant.basicInfo ? r.basicInfo : null);
  };
}

/** A change of a watched certificate, as GET /v1/changes and the change webhook show it: ISO
 *  times, nothing that does not apply. */
export function changeView<C extends Change>(c: C) {
  const { customerRef, reason, revokedAt, crl, at, ...rest } = c;
  return {
    ...rest,
    ...(customerRef !== null && { customerRef }),
    ...(reason !== null && { reason }),
    ...(revokedAt !== null && { revokedAt: new Date(revokedAt).toISOString() }),
    ...(crl && {
      crl: { issuer: crl.issuer, ...(crl.crlNumber !== null && { crlNumber: crl.crlNumber }), thisUpdate: new Date(crl.thisUpdate).toISOString() },
    }),
    at: new Date(at).toISOString(),
  };
}
