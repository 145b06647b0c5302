// A set of certificates indexed for issuer lookup: trust anchors (any number of root
// generations sharing one DN, as J-LIS has) and pools of untrusted intermediates.
import { bytesEqual } from './der.js';
import type { Certificate } from './certificate.js';

export class CertificatePool {
  private readonly bySubject = new Map<string, Certificate[]>();
  private readonly byLength = new Map<number, Certificate[]>(); // for has(): no name folding
  private readonly all: Certificate[] = [];

  constructor(certs: Iterable<Certificate> = []) {
    for (const c of certs) this.add(c);
  }

  /** Adds a certificate; an identical one (same DER) is not added twice. */
  add(cert: Certificate): void {
    const list = this.bySubject.get(cert.subject.key);
    if (list) {
      if (list.some((c) => bytesEqual(c.der, cert.der))) return;
      list.push(cert);
    } else this.bySubject.set(cert.subject.key, [cert]);
    const same = this.byLength.get(cert.der.length);
    if (same) same.push(cert);
    else this.byLength.set(cert.der.length, [cert]);
    this.all.push(cert);
  }

  get size(): number {
    return this.all.length;
  }

  certificates(): readonly Certificate[] {
    return this.all;
  }

  has(cert: Certificate): boolean {
    return this.byLength.get(cert.der.length)?.some((c) => c === cert || bytesEqual(c.der, cert.der)) ?? false;
  }

  /**
   * Candidate issuers of `cert`: same name as its issuer; when both key identifiers are present
   * they must agree. Candidates whose SKI matches the AKI come first, so the J-LIS generation that
   * issued a card is tried before its siblings.
   */
  issuersOf(cert: Certificate): Certificate[] {
    const named = this.bySubject.get(cert.issuer.key);
    if (!named) return [];
    const aki = cert.extensions.authorityKeyId?.keyId ?? null;
    if (!aki) return named;
    const exact: Certificate[] = [];
    const unknown: Certificate[] = [];
    for (const c of named) {
      const ski = c.extensions.subjectKeyId;
      if (!ski) unknown.push(c);
      else if (bytesEqual(ski, aki)) exact.push(c);
    }
    return exact.length ? exact.concat(unknown) : unknown;
  }
}
