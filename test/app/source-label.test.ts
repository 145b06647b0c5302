// The per-source failure gauge is labelled by configured source, not by each file or URL a
// folder or an index expands to (a demo folder holds hundreds of CRLs).
import { describe, expect, it } from 'vitest';
import { sourceOf } from '../../src/app/local-verifier.js';
import { startTestService } from '../helpers/service.js';

describe('CRL source labels', () => {
  it('map a fetched file or URL to the configured source it came from', () => {
    const sources = ['/srv/crl', '/srv/crl-extra', 'http://jlis.example/crl/', '/srv/one.crl'];
    expect(sourceOf(sources, '/srv/crl/auth-gen3-p1.crl')).toBe('/srv/crl');
    expect(sourceOf(sources, '/srv/crl-extra/x.crl')).toBe('/srv/crl-extra');
    expect(sourceOf(sources, 'http://jlis.example/crl/auth-gen3.crl')).toBe('http://jlis.example/crl/');
    expect(sourceOf(sources, '/srv/one.crl')).toBe('/srv/one.crl');
    expect(sourceOf(sources, 'http://elsewhere.example/x.crl')).toBe('other');
  });

  it('give /metrics one failure series per configured source', async () => {
    const t = await startTestService();
    try {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      const series = text.split('\n').filter((l) => l.startsWith('jpki_crl_source_consecutive_failures{'));
      expect(t.svc.local!.feed!.status().length).toBeGreaterThan(1); // the folder holds several CRLs
      expect(series).toEqual([`jpki_crl_source_consecutive_failures{source="${t.config.crl.sources[0]}"} 0`]);
    } finally {
      await t.svc.close();
    }
  });
});
