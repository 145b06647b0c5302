// One place that shapes a verification result for a tenant: 基本4情報 only when entitled, and for
// proxy (代行) tenants a conversion ID in place of the serial. Used by every route and bulk jobs;
// the JSON shape itself (ISO times, no sentinels) is verifier/wire.ts.
import type { TenantConfig } from '../config/config.js';
import type { ItemResult } from '../verifier/messages.js';
import { resultView, type ResultView } from '../verifier/wire.js';
import type { Platform } from './platform.js';

export type Presenter = (tenant: TenantConfig, r: ItemResult) => Promise<ResultView>;

export function presenter(platform: Platform): Presenter {
  return async (tenant, r) => {
    // Delegate tenants receive serials: no conversion lookup on their hot path.
    const certificate = tenant.mode === 'proxy' ? await platform.publicFacts(tenant, r.certificate) : r.certificate;
    return resultView(r.verdict, certificate, tenant.basicInfo ? r.basicInfo : null);
  };
}
