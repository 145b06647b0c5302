// Loads a trust store from files: PEM (one or many certificates) or DER, from files or folders.
// J-LIS roots are not vendored: operators point this at the roots they obtained (any number of
// generations), tests at ../shared/jpki-roots or a simulated PKI.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate, pemBlocks, type Certificate } from '../core/certificate.js';
import { CertificatePool } from '../core/cert-pool.js';

export class TrustStoreError extends Error {
  override readonly name = 'TrustStoreError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const CERT_FILE = /\.(pem|crt|cer|der)$/i;

/** The certificates of one file as DER: every CERTIFICATE block of a PEM file, else the file as
 *  one DER certificate. */
export function readCertificateDers(path: string): Uint8Array[] {
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  return text.includes('-----BEGIN CERTIFICATE-----') ? pemBlocks(text, 'CERTIFICATE') : [new Uint8Array(bytes)];
}

export function readCertificates(path: string): Certificate[] {
  const st = statSync(path);
  if (st.isDirectory()) {
    return readdirSync(path)
      .filter((f) => CERT_FILE.test(f))
      .sort()
      .flatMap((f) => readCertificates(join(path, f)));
  }
  const ders = readCertificateDers(path);
  if (ders.length === 0) throw new TrustStoreError(path, 'no certificate found');
  return ders.map((der, i) => {
    try {
      return parseCertificate(der);
    } catch (err) {
      throw new TrustStoreError(path, `certificate ${i + 1}: ${(err as Error).message}`);
    }
  });
}

/** A pool of trust anchors from files and folders. Anchors must be CA certificates. */
export function loadTrustStore(paths: readonly string[]): CertificatePool {
  const pool = new CertificatePool();
  for (const p of paths) {
    for (const c of readCertificates(p)) {
      if (!c.extensions.basicConstraints?.ca) throw new TrustStoreError(p, 'a trust anchor must be a CA certificate');
      pool.add(c);
    }
  }
  if (pool.size === 0) throw new TrustStoreError(paths.join(', '), 'trust store is empty');
  return pool;
}
