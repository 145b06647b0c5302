import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, envOverrides, loadConfig, validateConfig } from '../src/config.js';

describe('config', () => {
  it('defaults are valid', () => {
    expect(validateConfig({})).toEqual(DEFAULTS);
  });

  it.each([
    [{ port: 70000 }, 'port'],
    [{ pool: { threads: 0 } }, 'pool.threads'],
    [{ pool: { batchSize: 'big' } }, 'pool.batchSize'],
    [{ crl: { policy: 'maybe' } }, 'crl.policy'],
    [{ crl: { sources: ['ok', 3] } }, 'crl.sources[1]'],
    [{ tenants: [{ id: 'a', apiKeySha256: 'short' }] }, 'tenants[0].apiKeySha256'],
    [{ tenants: [{ id: 'a', apiKeySha256: 'a'.repeat(64), extra: 1 }] }, 'tenants[0].extra'],
    [{ challenge: { store: 'disk' } }, 'challenge.store'],
    [{ nonsense: 1 }, 'nonsense'],
    [{ limits: { bodyBytes: 10 } }, 'limits.bodyBytes'],
    [{ limits: { requestTimeoutMs: 10 } }, 'limits.requestTimeoutMs'],
    [{ limits: { headersTimeoutMs: 40_000 } }, 'limits.headersTimeoutMs'], // above requestTimeoutMs
    [{ limits: { keepAliveTimeoutMs: 'long' } }, 'limits.keepAliveTimeoutMs'],
    [{ limits: { maxUrlBytes: 10 } }, 'limits.maxUrlBytes'],
    [{ challenge: { maxOutstandingPerTenant: 0 } }, 'challenge.maxOutstandingPerTenant'],
    [{ jobs: { maxBodyBytes: 1 } }, 'jobs.maxBodyBytes'],
    [{ webhooks: { allowHosts: 'x' } }, 'webhooks.allowHosts'],
    [{ webhooks: { allowHosts: [''] } }, 'webhooks.allowHosts[0]'],
    [{ webhooks: { allowPrivate: 'yes' } }, 'webhooks.allowPrivate'],
    [{ webhooks: { other: 1 } }, 'webhooks.other'],
    [{ metrics: { tenantLabels: 1 } }, 'metrics.tenantLabels'],
    [{ tenants: [{ id: 'a', apiKeySha256: 'a'.repeat(64), webhookSecret: 's', webhookUrl: 'http://hooks.example.com/x' }] }, 'tenants[0].webhookUrl'],
    [{ tenants: [{ id: 'a', apiKeySha256: 'a'.repeat(64), webhookSecret: 's', webhookUrl: 'https://127.0.0.1/x' }] }, 'tenants[0].webhookUrl'],
    [{ tenants: [{ id: 'a', apiKeySha256: 'a'.repeat(64), webhookSecret: 's', webhookUrl: 'https://169.254.169.254/x' }] }, 'tenants[0].webhookUrl'],
  ])('%j is refused naming %s', (raw, field) => {
    try {
      validateConfig(raw);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe(field);
      expect((err as Error).message).toContain(field);
    }
  });

  it('tenant webhook URLs follow the webhook policy: https, http to allowHosts, private only with allowPrivate', () => {
    const tenant = (webhookUrl: string) => ({ id: 'a', apiKeySha256: 'a'.repeat(64), webhookSecret: 's', webhookUrl });
    expect(validateConfig({ tenants: [tenant('https://hooks.example.com/x')] }).tenants[0].webhookUrl).toBe('https://hooks.example.com/x');
    expect(() => validateConfig({ tenants: [tenant('http://127.0.0.1:9/x')], webhooks: { allowHosts: ['127.0.0.1'] } })).toThrow(/tenants\[0\]\.webhookUrl.*loopback/);
    expect(validateConfig({ tenants: [tenant('http://127.0.0.1:9/x')], webhooks: { allowHosts: ['127.0.0.1'], allowPrivate: true } }).webhooks).toEqual({ allowHosts: ['127.0.0.1'], allowPrivate: true });
  });

  it('a file, then JPKI_* variables, override the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ port: 9000, pool: { threads: 3 } }));
    const c = loadConfig(file, { JPKI_PORT: '9100', JPKI_POOL__BATCH_SIZE: '64', JPKI_CRL__SOURCES: '["/srv/crl"]', OTHER: 'x' });
    expect(c.port).toBe(9100);
    expect(c.pool.threads).toBe(3);
    expect(c.pool.batchSize).toBe(64);
    expect(c.crl.sources).toEqual(['/srv/crl']);
    expect(envOverrides({ JPKI_LOG_LEVEL: 'warn' })).toEqual({ logLevel: 'warn' });
    expect(() => loadConfig(join(dir, 'missing.json'), {})).toThrow(/\(file\)/);
    writeFileSync(file, '{ not json');
    expect(() => loadConfig(file, {})).toThrow(/not valid JSON/);
  });
});
