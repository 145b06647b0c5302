// Revocation data as the hot path sees it: per CRL issuer key, one RevocationIndex over every
// partition CRL and delta of that issuer, plus what each CRL said about itself. A RevocationSet is
// immutable; a refresh builds a new one and swaps the reference, so a lookup sees the old or the
// new data, never a mix.
import type { Certificate } from './certificate.js';
import { toHex } from './der.js';
import { RevocationIndex } from './revocation-index.js';
import { createHash } from 'node:crypto';

/** What one loaded CRL contributes (no entries: those live in the index). */
export interface CrlMeta {
  readonly ref: number; // position in its issuer's list, stored per index entry
  readonly sourceId: string; // configured source (file, URL): for operators, never personal data
  readonly issuer: string; // readable issuer DN
  readonly issuerKeyId: string; // hex key identifier of the signing key
  readonly crlNumber: string | null;
  readonly deltaOf: string | null;
  readonly thisUpdate: number;
  readonly nextUpdate: number | null;
  /** Name key of the IDP distribution point (a J-LIS partition), or null for a full CRL. */
  readonly partition: string | null;
  readonly entries: number;
}

export interface IssuerRevocation {
  readonly keyId: string;
  readonly index: RevocationIndex;
  readonly crls: readonly CrlMeta[];
}

/** Plain form that crosses to worker threads: the index buffers are shared, not copied, and the
 *  CRL metadata (hundreds of partitions) travels as JSON in shared memory too, so handing a set
 *  to a thread costs a few handles however many CRLs it holds. */
export interface RevocationSetData {
  readonly version: number;
  readonly builtAt: number;
  readonly keyIds: readonly string[];
  readonly buffers: readonly SharedArrayBuffer[];
  /** UTF-8 JSON of CrlMeta[][] (one list per issuer, in keyIds order). */
  readonly metas: SharedArrayBuffer;
}

/** Sets made in this thread so far: makes each set's identity unique even when two carry the same
 *  version number (two feeds, or an embedder numbering its own). */
let made = 0;

export class RevocationSet {
  private readonly byKey = new Map<string, IssuerRevocation>();
  /** Names this set's data for caches (RevocationChecker.dataVersion): unique per set object. */
  readonly identity: string;

  constructor(
    readonly version: number,
    readonly builtAt: number,
    issuers: readonly IssuerRevocation[],
  ) {
    for (const i of issuers) this.byKey.set(i.keyId, i);
    this.identity = `v${version}.${++made}`;
  }

  static empty(): RevocationSet {
    return new RevocationSet(0, 0, []);
  }

  static fromData(d: RevocationSetData): RevocationSet {
    const metas = JSON.parse(new TextDecoder().decode(new Uint8Array(d.metas))) as CrlMeta[][];
    return new RevocationSet(
      d.version,
      d.builtAt,
      d.keyIds.map((keyId, i) => ({ keyId, crls: metas[i], index: new RevocationIndex(d.buffers[i]) })),
    );
  }

  private data: RevocationSetData | null = null;

  /** The shareable form, made once per set. */
  toData(): RevocationSetData {
    if (!this.data) {
      const issuers = this.issuers();
      const json = new TextEncoder().encode(JSON.stringify(issuers.map((i) => i.crls)));
      const metas = new SharedArrayBuffer(json.length);
      new Uint8Array(metas).set(json);
      this.data = { version: this.version, builtAt: this.builtAt, keyIds: issuers.map((i) => i.keyId), buffers: issuers.map((i) => i.index.buffer), metas };
    }
    return this.data;
  }

  issuer(keyId: string): IssuerRevocation | undefined {
    return this.byKey.get(keyId);
  }

  issuers(): IssuerRevocation[] {
    return [...this.byKey.values()];
  }
}

/** Key identifier of a CA key, the key a set is indexed by: its SKI, else the RFC 5280 method-1
 *  SHA-1 of the key bits. */
export function keyIdOf(cert: Certificate): string {
  const ski = cert.extensions.subjectKeyId;
  return ski ? toHex(ski) : createHash('sha1').update(cert.spki.publicKey).digest('hex');
}
