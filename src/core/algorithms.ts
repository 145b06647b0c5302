// Algorithm identifiers: what the certificate says, resolved to the schemes the signature module
// can check. Parameters are validated here so that a certificate with, say, ECDSA parameters or
// a PSS hash mismatch is rejected with a precise reason.
import { TypedError } from './typed-error.js';
import { DerError, DerReader, Tag, bytesEqual, ctx, type Element } from './der.js';

export interface AlgorithmIdentifier {
  readonly oid: string;
  readonly params: Uint8Array | null; // raw TLV of the parameters, if any
  readonly der: Uint8Array;
}

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export type SignatureScheme =
  | { kind: 'rsa-pkcs1'; hash: HashName }
  | { kind: 'rsa-pss'; hash: HashName; saltLength: number }
  | { kind: 'ecdsa'; hash: HashName }
  | { kind: 'ed25519' }
  | { kind: 'dsa'; hash: HashName };

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  ecdsaSha512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
  dsa: '1.2.840.10040.4.1',
  dsaSha1: '1.2.840.10040.4.3',
  dsaSha256: '2.16.840.1.101.3.4.3.2',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  p521: '1.3.132.0.35',
} as const;

const HASH_BY_OID: Record<string, HashName> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

export const HASH_OID: Record<HashName, string> = { sha1: OID.sha1, sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512 };
export const HASH_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

export function readAlgorithmIdentifier(r: DerReader, what: string): AlgorithmIdentifier {
  const e = r.expect(Tag.SEQUENCE, what);
  const s = r.enter(e);
  const oid = s.oid(`${what} algorithm`);
  let params: Uint8Array | null = null;
  if (s.hasMore()) params = s.raw(s.next());
  s.done();
  return { oid, params, der: r.raw(e) };
}

const NULL_PARAMS = new Uint8Array([0x05, 0x00]);

function nullOrAbsent(a: AlgorithmIdentifier): boolean {
  return a.params === null || bytesEqual(a.params, NULL_PARAMS);
}

export class AlgorithmError extends TypedError<'unsupported_algorithm' | 'bad_algorithm_parameters'> {
  override readonly name = 'AlgorithmError';
}

/** Maps a signatureAlgorithm to a scheme, or throws AlgorithmError. */
export function resolveSignatureAlgorithm(a: AlgorithmIdentifier): SignatureScheme {
  const rsa = (hash: HashName): SignatureScheme => {
    if (!nullOrAbsent(a)) throw new AlgorithmError('bad_algorithm_parameters', `${a.oid}: parameters must be NULL`);
    return { kind: 'rsa-pkcs1', hash };
  };
  const noParams = (s: SignatureScheme): SignatureScheme => {
    if (a.params !== null) throw new AlgorithmError('bad_algorithm_parameters', `${a.oid}: parameters must be absent`);
    return s;
  };
  switch (a.oid) {
    case OID.sha256WithRSA:
      return rsa('sha256');
    case OID.sha384WithRSA:
      return rsa('sha384');
    case OID.sha512WithRSA:
      return rsa('sha512');
    case OID.sha1WithRSA:
      return rsa('sha1');
    case OID.rsaPss:
      return parsePssParams(a);
    case OID.ecdsaSha256:
      return noParams({ kind: 'ecdsa', hash: 'sha256' });
    case OID.ecdsaSha384:
      return noParams({ kind: 'ecdsa', hash: 'sha384' });
    case OID.ecdsaSha512:
      return noParams({ kind: 'ecdsa', hash: 'sha512' });
    case OID.ed25519:
      return noParams({ kind: 'ed25519' });
    case OID.dsaSha1:
      return noParams({ kind: 'dsa', hash: 'sha1' });
    case OID.dsaSha256:
      return noParams({ kind: 'dsa', hash: 'sha256' });
    default:
      throw new AlgorithmError('unsupported_algorithm', `signature algorithm ${a.oid} is not supported`);
  }
}

function hashOf(alg: AlgorithmIdentifier): HashName {
  const h = HASH_BY_OID[alg.oid];
  if (!h || !nullOrAbsent(alg)) throw new AlgorithmError('bad_algorithm_parameters', `PSS hash ${alg.oid}`);
  return h;
}

/** [n] EXPLICIT AlgorithmIdentifier naming a hash. */
function hashAlg(r: DerReader, e: Element): HashName {
  const inner = r.enter(e);
  const alg = readAlgorithmIdentifier(inner, 'hash algorithm');
  inner.done();
  return hashOf(alg);
}

/** RSASSA-PSS-params (RFC 4055 §3.1); defaults (SHA-1) are refused as weak. */
function parsePssParams(a: AlgorithmIdentifier): SignatureScheme {
  if (a.params === null) throw new AlgorithmError('bad_algorithm_parameters', 'RSASSA-PSS without parameters');
  try {
    const { reader, element } = DerReader.single(a.params);
    if (element.tag !== Tag.SEQUENCE) throw new AlgorithmError('bad_algorithm_parameters', 'PSS parameters');
    const s = reader.enter(element);
    let hash: HashName = 'sha1';
    let mgfHash: HashName = 'sha1';
    let saltLength = 20;
    let e = s.optional(ctx(0, true));
    if (e) hash = hashAlg(s, e);
    e = s.optional(ctx(1, true));
    if (e) {
      const inner = s.enter(e);
      const mgf = readAlgorithmIdentifier(inner, 'mask generation');
      inner.done();
      if (mgf.oid !== OID.mgf1 || mgf.params === null) throw new AlgorithmError('bad_algorithm_parameters', 'PSS MGF must be MGF1');
      const m = new DerReader(mgf.params);
      mgfHash = hashOf(readAlgorithmIdentifier(m, 'MGF1 hash'));
      m.done();
    }
    e = s.optional(ctx(2, true));
    if (e) {
      const inner = s.enter(e);
      saltLength = inner.smallInt('saltLength');
      inner.done();
    }
    e = s.optional(ctx(3, true));
    if (e) {
      const inner = s.enter(e);
      if (inner.smallInt('trailerField') !== 1) throw new AlgorithmError('bad_algorithm_parameters', 'PSS trailerField must be 1');
      inner.done();
    }
    s.done();
    if (hash === 'sha1') throw new AlgorithmError('unsupported_algorithm', 'RSASSA-PSS with SHA-1');
    if (mgfHash !== hash) throw new AlgorithmError('bad_algorithm_parameters', 'PSS MGF1 hash differs from the message hash');
    return { kind: 'rsa-pss', hash, saltLength };
  } catch (err) {
    if (err instanceof DerError) throw new AlgorithmError('bad_algorithm_parameters', `PSS parameters: ${err.message}`);
    throw err;
  }
}
