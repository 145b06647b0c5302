// Names of CRL distribution points, one rule for every checker (RFC 5280 §4.2.1.13, §5.2.5). A
// nameRelativeToCRLIssuer is a fragment appended to the CRL issuer's DN: in a certificate's
// distribution point that is the DN its cRLIssuer names (an indirect CRL) or, without a
// cRLIssuer, the certificate's own issuer; in a CRL's issuingDistributionPoint it is the CRL's
// issuer.
import type { IssuingDistributionPoint } from './crl.js';
import { DerReader } from './der.js';
import type { DistributionPoint } from './extensions.js';
import type { GeneralName } from './general-name.js';
import { childName, readRdn, type Name } from './name.js';

function relativeTo(raw: Uint8Array, parent: Name): Name {
  const r = new DerReader(raw);
  const set = r.enter(r.next());
  return childName(parent, readRdn(set));
}

/** The names a certificate's distribution point stands for; null when it has no name (only a
 *  cRLIssuer). A relative name whose cRLIssuer holds no directoryName resolves to nothing. */
export function distributionPointNames(dp: Pick<DistributionPoint, 'fullName' | 'relativeName' | 'crlIssuer'>, certIssuer: Name): GeneralName[] | null {
  if (dp.fullName) return dp.fullName;
  if (!dp.relativeName) return null;
  const bases = dp.crlIssuer ? dp.crlIssuer.flatMap((n) => (n.kind === 'dir' ? [n.name] : [])) : [certIssuer];
  return bases.map((b) => ({ kind: 'dir', name: relativeTo(dp.relativeName!, b) }));
}

/** The names of a CRL's issuingDistributionPoint; null when it names no distribution point. */
export function idpNames(idp: Pick<IssuingDistributionPoint, 'fullName' | 'relativeName'>, crlIssuer: Name): GeneralName[] | null {
  if (idp.fullName) return idp.fullName;
  if (idp.relativeName) return [{ kind: 'dir', name: relativeTo(idp.relativeName, crlIssuer) }];
  return null;
}
