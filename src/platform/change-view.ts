// A change of a watched certificate as tenants see it (GET /v1/changes and the change webhook).
import type { Change } from './store.js';

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
