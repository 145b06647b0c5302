// The trust store as operators read it (GET /v1/operator/trust, the start log): the real J-LIS roots
// in ../shared/jpki-roots lack the 2019 authentication root (authca02), and the report says so.
import { describe, expect, it } from 'vitest';
import { readCertificates } from '../../src/app/trust-store.js';
import { describeTrustAnchors, JLIS_CA_PAGE } from '../../src/core/trust-anchors.js';
import { JPKI_ROOTS } from '../conformance/shared.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const roots = readCertificates(JPKI_ROOTS);

describe('describeTrustAnchors', () => {
  it('names each real root by hierarchy and generation, with its key, dates and fingerprint', () => {
    const r = describeTrustAnchors(roots, NOW);
    expect(r.generations).toEqual({ signing: [2015, 2019, 2023], authentication: [2015, 2023] });
    expect(r.anchors.map((a) => `${a.hierarchy} ${a.generation}`)).toEqual([
      'authentication 2015',
      'authentication 2023',
      'signing 2015',
      'signing 2019',
      'signing 2023',
    ]);
    const auth2023 = r.anchors.find((a) => a.hierarchy === 'authentication' && a.generation === 2023)!;
    expect(auth2023).toMatchObject({ key: 'RSA 2048', serial: '06d18006', expired: false, notAfter: '2033-07-15T14:59:59.000Z' });
    expect(auth2023.fingerprint).toBe('64114f29620c24ed2631d46476a040e7ee740d956089c00b036a6a8118c322b5');
    expect(r.anchors.filter((a) => a.expired).map((a) => `${a.hierarchy} ${a.generation}`)).toEqual(['authentication 2015', 'signing 2015']);
  });

  it('warns that the 2019 authentication root (authca02) is missing, pointing at the J-LIS CA page', () => {
    const r = describeTrustAnchors(roots, NOW);
    expect(r.warnings).toEqual([`authentication root generation 2019 missing while the signing one is loaded (J-LIS publishes both: ${JLIS_CA_PAGE})`]);
  });

  it('warns when a hierarchy has no root at all; non-JPKI anchors alone raise nothing', () => {
    const signing = roots.filter((c) => describeTrustAnchors([c], NOW).anchors[0].hierarchy === 'signing');
    expect(describeTrustAnchors(signing, NOW).warnings).toEqual([expect.stringMatching(/^no authentication root loaded: 電子利用者証明 cannot verify/)]);
    expect(describeTrustAnchors([], NOW)).toEqual({ anchors: [], generations: { signing: [], authentication: [] }, warnings: [] });
  });
});
