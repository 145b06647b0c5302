// Loaded CRLs into one RevocationSet: grouped by issuer key, deltas matched to their base,
// one index per issuer.
import { crlNumberValue, type CrlInfo } from './crl.js';
import type { LoadedCrl } from './crl-load.js';
import type { CrlRejection } from './crl-rejections.js';
import { idpNames } from './distribution-point.js';
import { formatName } from './name.js';
import { RevocationIndexBuilder } from './revocation-index.js';
import { RevocationSet, keyIdOf, type CrlMeta, type IssuerRevocation } from './revocation-set.js';

/** Partition of a CRL: the directoryName of its IDP, if any. */
export function partitionOf(info: CrlInfo): string | null {
  const n = info.idp ? idpNames(info.idp, info.issuer)?.find((x) => x.kind === 'dir') : undefined;
  return n && n.kind === 'dir' ? n.name.key : null;
}

/** Orders CRLs per issuer key (complete CRLs by thisUpdate, then deltas by CRL number), drops
 *  deltas without a loaded base, and builds one index per issuer. */
export function assembleSet(
  crls: readonly LoadedCrl[],
  version: number,
  builtAt: number,
): { set: RevocationSet; dropped: { sourceId: string; rejection: CrlRejection }[] } {
  const byKey = new Map<string, LoadedCrl[]>();
  for (const c of crls) {
    const k = keyIdOf(c.signer);
    let l = byKey.get(k);
    if (!l) byKey.set(k, (l = []));
    l.push(c);
  }
  const dropped: { sourceId: string; rejection: CrlRejection }[] = [];
  const issuers: IssuerRevocation[] = [];
  for (const [keyId, list] of byKey) {
    const complete = list.filter((c) => c.info.deltaCrlIndicator === null).sort((a, b) => a.info.thisUpdate - b.info.thisUpdate);
    const deltas = list
      .filter((c) => c.info.deltaCrlIndicator !== null)
      .sort((a, b) => Number(crlNumberValue(a.info.crlNumber) - crlNumberValue(b.info.crlNumber)));
    const usable: LoadedCrl[] = [...complete];
    for (const d of deltas) {
      const part = partitionOf(d.info);
      const base = complete.find(
        (c) =>
          partitionOf(c.info) === part &&
          crlNumberValue(c.info.crlNumber) >= crlNumberValue(d.info.deltaCrlIndicator) &&
          crlNumberValue(d.info.crlNumber) > crlNumberValue(c.info.crlNumber),
      );
      if (base) usable.push(d);
      else dropped.push({ sourceId: d.sourceId, rejection: 'delta_without_base' });
    }
    // One CRL per issuer key (the 10M-entry case): its collected entries are the index input
    // as they are (all with ref 0). Several: merged in order, later ones winning.
    const total = usable.reduce((n, c) => n + c.entries.size, 0);
    const builder = usable.length === 1 ? usable[0].entries : new RevocationIndexBuilder(total);
    const metas: CrlMeta[] = usable.map((c, ref) => {
      if (usable.length > 1) builder.appendFrom(c.entries, ref);
      return {
        ref,
        sourceId: c.sourceId,
        issuer: formatName(c.info.issuer),
        issuerKeyId: keyId,
        crlNumber: c.info.crlNumber,
        deltaOf: c.info.deltaCrlIndicator,
        thisUpdate: c.info.thisUpdate,
        nextUpdate: c.info.nextUpdate,
        partition: partitionOf(c.info),
        entries: c.info.entryCount,
      };
    });
    issuers.push({ keyId, index: builder.build(), crls: metas });
  }
  return { set: new RevocationSet(version, builtAt, issuers), dropped };
}
