// Which trusted anchor signed a CRL, and the signature check itself (also used by the
// fetch-on-demand checker in crl-check.ts).
import type { Certificate } from './certificate.js';
import { bytesEqual } from './der.js';
import type { CrlInfo } from './crl.js';
import type { CrlRejection } from './crl-rejections.js';
import { formatName } from './name.js';
import { certificateKey, checkData, checkDigest, type SignatureCheck } from './signature.js';
import { resolveSignatureAlgorithm, AlgorithmError, type SignatureScheme } from './algorithms.js';
import { KeyUsage } from './extensions.js';

/** Which anchor signed a CRL: candidates by name, key identifier first, then signature. */
export function findCrlSigner(info: CrlInfo, anchors: readonly Certificate[]): { signer: Certificate } | { rejection: CrlRejection; detail: string } {
  let scheme;
  try {
    scheme = resolveSignatureAlgorithm(info.signatureAlgorithm);
  } catch (err) {
    if (err instanceof AlgorithmError) return { rejection: 'unsupported_crl', detail: err.message };
    throw err;
  }
  if (!bytesEqual(info.signatureAlgorithm.der, info.tbsSignatureAlgorithm.der))
    return { rejection: 'malformed_crl', detail: 'signature algorithms inside and outside the TBS differ' };
  const named = anchors.filter((a) => a.subject.key === info.issuer.key);
  if (named.length === 0) return { rejection: 'unknown_crl_issuer', detail: `no trusted issuer named ${formatName(info.issuer)}` };
  const aki = info.authorityKeyId;
  const ordered = aki
    ? [...named].sort(
        (a, b) =>
          Number(!!b.extensions.subjectKeyId && bytesEqual(b.extensions.subjectKeyId, aki)) -
          Number(!!a.extensions.subjectKeyId && bytesEqual(a.extensions.subjectKeyId, aki)),
      )
    : named;
  let malformed = false;
  for (const cand of ordered) {
    if (aki && cand.extensions.subjectKeyId && !bytesEqual(cand.extensions.subjectKeyId, aki)) continue;
    const check = crlSignatureCheck(info, cand, scheme);
    if (check === 'valid') {
      const ku = cand.extensions.keyUsage;
      if (ku !== null && !(ku & KeyUsage.cRLSign)) return { rejection: 'crl_issuer_not_allowed', detail: 'CRL signer lacks cRLSign' };
      return { signer: cand };
    }
    malformed ||= check === 'malformed';
  }
  if (malformed) return { rejection: 'malformed_crl', detail: 'CRL signature value is not a well-formed ECDSA-Sig-Value' };
  return { rejection: 'crl_signature_invalid', detail: `CRL signature does not verify under any key named ${formatName(info.issuer)}` };
}

export function verifyCrlSignature(info: CrlInfo, signer: Certificate, scheme = resolveSignatureAlgorithm(info.signatureAlgorithm)): boolean {
  return crlSignatureCheck(info, signer, scheme) === 'valid';
}

/** RSA PKCS#1 and ECDSA CRLs are checked from the digest the parser computed as it streamed;
 *  other schemes from the TBS bytes it kept. */
function crlSignatureCheck(info: CrlInfo, signer: Certificate, scheme: SignatureScheme): SignatureCheck {
  let key;
  try {
    key = certificateKey(signer);
  } catch {
    return 'invalid';
  }
  if ((scheme.kind === 'rsa-pkcs1' || scheme.kind === 'ecdsa') && info.tbsDigest?.hash === scheme.hash)
    return checkDigest(scheme, key, info.tbsDigest.digest, info.signature);
  if (!info.tbs) return 'invalid';
  return checkData(scheme, key, info.tbs, info.signature);
}
