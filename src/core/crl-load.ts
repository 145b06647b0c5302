// One CRL from its bytes to a candidate: parsed as a stream, entries collected for the index,
// signer found among the anchors, rollbacks and CRLs from the future refused.
import type { Certificate } from './certificate.js';
import { CrlError, CrlParser, crlNumberValue, type CrlInfo } from './crl.js';
import type { CrlRejection } from './crl-rejections.js';
import { findCrlSigner } from './crl-signer.js';
import { RevocationIndexBuilder } from './revocation-index.js';
import type { CrlMeta } from './revocation-set.js';

/** A parsed, verified CRL with its entries collected, waiting to be merged into a set. */
export interface LoadedCrl {
  readonly sourceId: string;
  readonly info: CrlInfo;
  readonly signer: Certificate;
  readonly entries: RevocationIndexBuilder;
}

export interface LoadOptions {
  /** The CRL last accepted from the same source: a CRL going back in time or number is refused. */
  readonly previous?: Pick<CrlMeta, 'thisUpdate' | 'crlNumber'> | null;
  /** Refuse CRLs whose thisUpdate lies beyond this time (clock skew allowance included). */
  readonly notAfter?: number;
}

export type LoadResult = { ok: true; crl: LoadedCrl } | { ok: false; rejection: CrlRejection; detail: string };

/**
 * Parses a CRL from chunks, collects its entries, checks its signature against the anchors (the
 * issuer chosen by key) and refuses rollbacks. Nothing is shared until the caller assembles a set,
 * so a refused CRL leaves the current data untouched.
 */
export function loadCrl(sourceId: string, chunks: Iterable<Uint8Array>, anchors: readonly Certificate[], opts: LoadOptions = {}): LoadResult {
  const entries = new RevocationIndexBuilder();
  let indirect = false;
  const parser = new CrlParser((e) => {
    if (e.certificateIssuer) indirect = true;
    entries.add(e.buf, e.serialStart, e.serialEnd, e.revocationDate, e.reason, 0);
  });
  let info: CrlInfo;
  try {
    for (const c of chunks) parser.push(c);
    info = parser.finish();
  } catch (err) {
    if (err instanceof CrlError) return { ok: false, rejection: err.code, detail: err.message };
    throw err;
  }
  if (info.hasCriticalEntryExtension) return { ok: false, rejection: 'crl_unusable_entry_extension', detail: 'an entry carries an unknown critical extension' };
  if (indirect || info.idp?.indirectCRL)
    return { ok: false, rejection: 'unsupported_crl', detail: 'indirect CRLs are not indexed (J-LIS publishes direct CRLs)' };
  const found = findCrlSigner(info, anchors);
  if ('rejection' in found) return { ok: false, rejection: found.rejection, detail: found.detail };
  const prev = opts.previous;
  if (prev) {
    if (info.thisUpdate < prev.thisUpdate || crlNumberValue(info.crlNumber) < crlNumberValue(prev.crlNumber)) {
      return {
        ok: false,
        rejection: 'crl_rollback',
        detail: `older than the loaded CRL (thisUpdate ${new Date(info.thisUpdate).toISOString()}, number ${info.crlNumber})`,
      };
    }
  }
  if (opts.notAfter !== undefined && info.thisUpdate > opts.notAfter)
    return { ok: false, rejection: 'crl_not_yet_valid', detail: 'thisUpdate is in the future' };
  return { ok: true, crl: { sourceId, info, signer: found.signer, entries } };
}
