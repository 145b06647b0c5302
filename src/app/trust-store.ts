// Loads a trust store from files: PEM (one or many certificates) or DER, from files or folders.
// J-LIS roots are not vendored: operators point this at the roots they obtained (any number of
// generations), tests at ../shared/jpki-roots or a simulated PKI.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate, pemBlocks, type Certificate } from '../core/certificate.js';
import { CertificatePool } from '../core/cert-pool.js';
import { anchorProblem } from '../core/path.js';
import type { TrustReport } from '../core/trust-anchors.js';
import type { Logger } from 'pino';

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
  return readCertificateFiles(path).map((f) => f.cert);
}

/** The certificates under a path, each with the file it came from. */
function readCertificateFiles(path: string): { file: string; cert: Certificate }[] {
  const st = statSync(path);
  if (st.isDirectory()) {
    return readdirSync(path)
      .filter((f) => CERT_FILE.test(f))
      .sort()
      .flatMap((f) => readCertificateFiles(join(path, f)));
  }
  const ders = readCertificateDers(path);
  if (ders.length === 0) throw new TrustStoreError(path, 'no certificate found');
  return ders.map((der, i) => {
    try {
      return { file: path, cert: parseCertificate(der) };
    } catch (err) {
      throw new TrustStoreError(path, `certificate ${i + 1}: ${(err as Error).message}`);
    }
  });
}

/** A pool of trust anchors from files and folders. Each must meet the anchor rules path validation
 *  applies (anchorProblem: a well-formed CA certificate; docs/conformance.md § Trust anchors), so
 *  a root that could never anchor a path stops the service at start instead of failing every
 *  verification. */
export function loadTrustStore(paths: readonly string[]): CertificatePool {
  const pool = new CertificatePool();
  for (const p of paths) {
    for (const { file, cert } of readCertificateFiles(p)) {
      const problem = anchorProblem(cert);
      if (problem) throw new TrustStoreError(file, `not usable as a trust anchor: ${problem.detail}`);
      pool.add(cert);
    }
  }
  if (pool.size === 0) throw new TrustStoreError(paths.join(', '), 'trust store is empty');
  return pool;
}

/** The root generations a process loaded, at start: one line for the store, one per warning. */
export function logTrust(trust: TrustReport, logger: Logger): void {
  const short = trust.anchors.map((a) => `${a.hierarchy} ${a.generation}${a.expired ? ' (expired)' : ''}`);
  logger.info({ anchors: trust.anchors.length, generations: trust.generations, roots: short }, 'trust store loaded');
  for (const w of trust.warnings) logger.warn({ trust: true }, w);
}
