// One place that shapes a verification result for a tenant: 基本4情報 only when entitled, and for
// proxy (代行) tenants a conversion ID in place of the serial. Used by every route and bulk jobs.
import type { TenantConfig } from '../config/config.js';
import type { ItemResult } from '../verifier/messages.js';
import type { Platform } from './platform.js';

export type Presenter = (tenant: TenantConfig, r: ItemResult) => Promise<Record<string, unknown>>;

export function presenter(platform: Platform): Presenter {
  return async (tenant, r) => {
    // Delegate tenants receive serials: no conversion lookup on their hot path.
    const certificate = tenant.mode === 'proxy' ? await platform.publicFacts(tenant, r.certificate) : r.certificate;
    const out: Record<string, unknown> = { verdict: r.verdict, certificate };
    if (r.basicInfo !== undefined) out.basicInfo = tenant.basicInfo ? r.basicInfo : undefined;
    return out;
  };
}
