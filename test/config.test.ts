import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { ConfigError, DEFAULTS, describeConfig, envOverrides, loadConfig, systemSecrets, validateConfig, type FieldInfo } from '../src/config/config.js';
import { connectionUrl } from '../src/db/postgres.js';

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
    expect(() => validateConfig({ tenants: [tenant('http://127.0.0.1:9/x')], webhooks: { allowHosts: ['127.0.0.1'] } })).toThrow(
      /tenants\[0\]\.webhookUrl.*loopback/,
    );
    expect(validateConfig({ tenants: [tenant('http://127.0.0.1:9/x')], webhooks: { allowHosts: ['127.0.0.1'], allowPrivate: true } }).webhooks).toEqual({
      allowHosts: ['127.0.0.1'],
      allowPrivate: true,
    });
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

  it('lists every error at once, in table order: err.field is the first, err.errors has each', () => {
    try {
      validateConfig({ pool: { threads: 0 }, crl: { policy: 'maybe' }, tenants: [{ apiKeySha256: 'a'.repeat(64) }] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const e = err as ConfigError;
      expect(e.field).toBe('crl.policy');
      expect(e.errors.map((x) => x.field)).toEqual(['crl.policy', 'pool.threads', 'tenants[0].id']);
      expect(e.message).toBe(
        'config: 3 errors: crl.policy: must be one of hard-fail, soft-fail, got "maybe"; pool.threads: must be an integer from 1 to 256, got 0; tenants[0].id: must be a non-empty string, got undefined',
      );
    }
  });

  // One wrong field: the message is as it always was, `config <field>: <what is wrong>`.
  const tenant = { id: 'a', apiKeySha256: 'a'.repeat(64) };
  const bank = { id: 'bank', endpoint: 'https://bank.example', secret: 's'.repeat(16) };
  it.each([
    [{ pool: { threads: 0 } }, 'config pool.threads: must be an integer from 1 to 256, got 0'],
    [{ nonsense: 1 }, 'config nonsense: unknown field'],
    [{ pool: 5 }, 'config pool: must be an object'],
    [{ tenants: {} }, 'config tenants: must be an array'],
    [{ tenants: [5] }, 'config tenants[0]: must be an object'],
    [{ crl: { sources: 'x' } }, 'config crl.sources: must be an array of strings'],
    [{ metrics: { tenantLabels: 1 } }, 'config metrics.tenantLabels: must be true or false, got 1'],
    [{ tenants: [{ ...tenant, apiKeySha256: 'A'.repeat(64) }] }, 'config tenants[0].apiKeySha256: must be 64 lower-case hex digits (SHA-256 of the key)'],
    [{ tenants: [{ ...tenant, rateLimit: 5 }] }, 'config tenants[0].rateLimit: must be {perSecond, burst} or null'],
    [{ tenants: [{ ...tenant, rateLimit: { perSecond: 5 } }] }, 'config tenants[0].rateLimit.burst: must be an integer from 1 to 10000000, got undefined'],
    [{ tenants: [{ ...tenant, webhookUrl: 'ftp://x' }] }, 'config tenants[0].webhookUrl: must be an http(s) URL, got "ftp://x"'],
    [{ payments: { institutions: [{ ...bank, endpoint: 'bank' }] } }, 'config payments.institutions[0].endpoint: must be an http(s) URL, got "bank"'],
    [{ payments: { institutions: [{ ...bank, secret: 'short' }] } }, 'config payments.institutions[0].secret: must be at least 16 characters'],
    // Secret fields: the value is never shown, whether given in place or read from a file.
    [{ redis: { url: 'redis://a,redis://b' } }, 'config redis.url: must be a redis:// or rediss:// URL, got (secret)'],
    [
      { redis: { url: 'redis://a,http://b', cluster: true } },
      'config redis.url: must be a redis:// or rediss:// URL or a comma-separated list of them, got (secret)',
    ],
    [{ database: { url: 'mysql://h/db' } }, 'config database.url: must be a postgres:// URL or null, got (secret)'],
    [{ database: { url: { file: '/nonexistent/jpki-secret' } } }, 'config database.url: cannot read the secret file /nonexistent/jpki-secret: ENOENT'],
    [
      { database: { password: { env: 'JPKI_TEST_NO_SUCH_VARIABLE' } } },
      'config database.password: the environment variable JPKI_TEST_NO_SUCH_VARIABLE is not set',
    ],
    [{ database: { password: { file: '/x', env: 'Y' } } }, 'config database.password: must be the value, {"file": PATH} or {"env": NAME}'],
    [{ database: { password: 'p' } }, 'config database.password: needs database.url (PGlite has no password)'],
    [{ redis: { prefix: 'a:b' } }, 'config redis.prefix: must not contain braces, colons or spaces (the key builder adds them)'],
    // The rules between fields, each with its message.
    [{ mode: 'queue', database: { url: 'postgres://h/db' } }, 'config challenge.store: must be "redis" in queue mode'],
    [
      { mode: 'queue', challenge: { store: 'redis' } },
      'config database.url: must be a postgres:// URL in queue mode (PGlite is one process; nodes share a PostgreSQL server)',
    ],
    [
      { tenants: [{ ...tenant, webhookUrl: 'https://127.0.0.1/x', webhookSecret: 's' }] },
      'config tenants[0].webhookUrl: loopback address refused (webhooks.allowPrivate is false)',
    ],
    [{ tenants: [{ ...tenant, webhookUrl: 'https://hooks.example.com/x' }] }, 'config tenants[0].webhookSecret: required when webhookUrl is set'],
    [{ tenants: [tenant, { ...tenant, apiKeySha256: 'b'.repeat(64) }] }, 'config tenants: duplicate tenant id "a"'],
    [{ payments: { institutions: [bank, bank] } }, 'config payments.institutions: duplicate institution id'],
    [{ limits: { headersTimeoutMs: 40_000 } }, 'config limits.headersTimeoutMs: must not exceed limits.requestTimeoutMs (30000)'],
    // A rule does not look at a wrong field: one error, not two.
    [{ limits: { requestTimeoutMs: 10 } }, 'config limits.requestTimeoutMs: must be an integer from 100 to 3600000, got 10'],
    [{ mode: 'queue', challenge: { store: 'disk' }, database: { url: 'postgres://h/db' } }, 'config challenge.store: must be one of memory, redis, got "disk"'],
  ])('%j: %s', (raw, message) => {
    try {
      validateConfig(raw);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).errors).toHaveLength(1);
      expect((err as Error).message).toBe(message);
    }
  });

  it('queue mode without redis challenges or a database: both errors', () => {
    expect(() => validateConfig({ mode: 'queue' })).toThrow(
      /^config: 2 errors: challenge\.store: must be "redis" in queue mode; database\.url: must be a postgres:\/\/ URL in queue mode/,
    );
  });

  // Generated from the table: a new field is covered without a line here.
  const fields = describeConfig();

  it('every field has a doc string, and every field of DEFAULTS is in the table with its default', () => {
    for (const f of fields) expect(f.doc.trim().length, f.path).toBeGreaterThan(10);
    const byPath = new Map(fields.map((f) => [f.path, f]));
    const walk = (o: object, at: string): void => {
      for (const [k, v] of Object.entries(o)) {
        const path = at ? `${at}.${k}` : k;
        expect(byPath.get(path), `${path} is in DEFAULTS but not in the table`).toBeDefined();
        expect(byPath.get(path)!.default, path).toEqual(v);
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) walk(v, path);
      }
    };
    walk(DEFAULTS, '');
    // and the fields of list elements (no element in DEFAULTS) are there too
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(['tenants[].id', 'tenants[].rateLimit.burst', 'payments.institutions[].timeoutMs']));
  });

  // A valid element of each list, for the fields inside it; a new list needs one here.
  const EXAMPLES: Record<string, Record<string, unknown>> = {
    tenants: { ...tenant, rateLimit: { perSecond: 10, burst: 20 } },
    'payments.institutions': bank,
  };

  /** Wrong values for a field, each with the field the error must name. */
  function wrongValues(f: FieldInfo): [unknown, string][] {
    const here = (...vs: unknown[]): [unknown, string][] => vs.map((v) => [v, '']);
    const notNull = f.nullable ? [] : [null];
    switch (f.kind) {
      case 'int':
        return here(f.min! - 1, f.max! + 1, f.min! + 0.5, String(f.min), true, ...notNull);
      case 'str':
        return here('', 5, false, [], ...notNull);
      case 'bool':
        return here('yes', 1, ...notNull);
      case 'oneOf':
        return here('no-such-value', '', 0, ...notNull);
      case 'url':
        return here('nope', 'ftp://x', '', 5, ...notNull);
      case 'strs':
        return [
          ['x', ''],
          [null, ''],
          [['ok', ''], '[1]'],
          [[5], '[0]'],
        ];
      case 'object':
        return here(5, 'x', [], ...notNull);
      case 'list':
        return here({}, 'x', null);
    }
  }

  /** For secret fields, also references that lead nowhere. */
  const wrongRefs = (f: FieldInfo): [unknown, string][] =>
    f.secret ? [{ file: '/nonexistent/jpki-secret' }, { env: 'JPKI_TEST_NO_SUCH_VARIABLE' }, { file: '' }, { path: '/x' }].map((v) => [v, '']) : [];

  /** A config with `value` at `path` (`tenants[].id` inside an example tenant) and the path the
   *  error names. */
  function placed(path: string, value: unknown): [Record<string, unknown>, string] {
    const put = (o: Record<string, unknown>, keys: string[], v: unknown): Record<string, unknown> => {
      const [k, ...rest] = keys;
      if (rest.length === 0) return { ...o, [k]: v };
      const inner = o[k] ?? {};
      expect(typeof inner, `no object at ${k} for ${path}`).toBe('object');
      return { ...o, [k]: put(inner as Record<string, unknown>, rest, v) };
    };
    const [list, inside] = path.split('[].');
    if (inside === undefined) return [put({}, path.split('.'), value), path];
    const example = EXAMPLES[list];
    expect(example, `EXAMPLES needs a valid element of ${list}`).toBeDefined();
    return [put({}, list.split('.'), [put(example, inside.split('.'), value)]), `${list}[0].${inside}`];
  }

  it('the examples of list elements are valid', () => {
    for (const [list, example] of Object.entries(EXAMPLES)) expect(() => validateConfig(placed(`${list}[].id`, example.id)[0])).not.toThrow();
  });

  it.each(fields.map((f) => [f.path, f] as const))('a wrong %s is refused naming it', (_, f) => {
    for (const [value, suffix] of [...wrongValues(f), ...wrongRefs(f)]) {
      const [raw, at] = placed(f.path, value);
      const field = at + suffix;
      try {
        validateConfig(raw);
        expect.unreachable(`${f.path} = ${JSON.stringify(value)} accepted`);
      } catch (err) {
        expect(err, JSON.stringify(raw)).toBeInstanceOf(ConfigError);
        expect(
          (err as ConfigError).errors.map((e) => e.field),
          JSON.stringify(raw),
        ).toEqual([field]);
        expect((err as Error).message.startsWith(`config ${field}: `), (err as Error).message).toBe(true);
      }
    }
  });
});

describe('config: secret fields', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-secrets-'));
  const secretFile = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const bank = { id: 'bank', endpoint: 'https://bank.example' };
  const tenant = { id: 'a', apiKeySha256: 'a'.repeat(64), webhookUrl: 'https://hooks.example.com/x' };

  it('are the passwords and keys: database url and password, redis url, webhook and institution secrets', () => {
    expect(
      describeConfig()
        .filter((f) => f.secret)
        .map((f) => f.path),
    ).toEqual(['redis.url', 'payments.institutions[].secret', 'database.url', 'database.password', 'tenants[].webhookSecret']);
  });

  it('take their value in place, from a file (trailing line breaks dropped) or from an environment variable', () => {
    const c = validateConfig(
      {
        database: { url: 'postgres://jpki@db/jpki', password: { file: secretFile('pg', 'pa ss\n') } },
        redis: { url: { env: 'REDIS_URL' } },
        payments: { institutions: [{ ...bank, secret: { file: secretFile('relay', 'relay-secret-0123456789\r\n') } }] },
        tenants: [{ ...tenant, webhookSecret: { env: 'HOOK' } }],
      },
      systemSecrets({ REDIS_URL: 'rediss://:pw@redis:6380', HOOK: 'hook-key' }),
    );
    expect(c.database).toMatchObject({ url: 'postgres://jpki@db/jpki', password: 'pa ss' });
    expect(c.redis.url).toBe('rediss://:pw@redis:6380');
    expect(c.payments.institutions[0].secret).toBe('relay-secret-0123456789');
    expect(c.tenants[0].webhookSecret).toBe('hook-key');
    // In place, as before.
    expect(validateConfig({ payments: { institutions: [{ ...bank, secret: 's'.repeat(16) }] } }).payments.institutions[0].secret).toBe('s'.repeat(16));
  });

  it('a reference can come from a JPKI_* variable too, and {env} reads the environment loadConfig is given', () => {
    const file = secretFile('c.json', JSON.stringify({ database: { url: 'postgres://jpki@db/jpki' } }));
    const c = loadConfig(file, {
      JPKI_DATABASE__PASSWORD: JSON.stringify({ file: secretFile('pg2', 'from-file') }),
      JPKI_REDIS__URL: '{"env": "R"}',
      R: 'redis://r:1',
    });
    expect(c.database.password).toBe('from-file');
    expect(c.redis.url).toBe('redis://r:1');
  });

  it('a wrong value read from a file or the environment is refused without showing it', () => {
    const leaks = [
      [{ payments: { institutions: [{ ...bank, secret: { file: secretFile('short', 'hunter2\n') } }] } }, 'payments.institutions[0].secret'],
      [{ database: { url: { env: 'DB' } } }, 'database.url'],
      [{ redis: { url: 'redis://:hunter2@a,redis://b' } }, 'redis.url'],
    ] as const;
    for (const [raw, field] of leaks) {
      try {
        validateConfig(raw, systemSecrets({ DB: 'mysql://root:hunter2@db/x' }));
        expect.unreachable();
      } catch (err) {
        expect((err as ConfigError).field).toBe(field);
        expect((err as Error).message).not.toContain('hunter2');
      }
    }
    expect(() => validateConfig({ database: { url: 'postgres://db/x', password: { file: secretFile('empty', '\n') } } })).toThrow(
      /^config database\.password: the secret file .*empty is empty$/,
    );
  });

  it('the password reaches PostgreSQL inside the url, percent-encoded, whatever its characters', () => {
    for (const pw of ['simple', 'p@ss:w/rd?#%25 é&x=y', `a'b"c\\d+e`]) {
      const url = connectionUrl('postgres://jpki@postgres:5432/jpki', pw);
      // What pg itself will send (its parser; a Client is not connected until asked).
      const client = new pg.Client({ connectionString: url });
      expect({ user: client.user, password: client.password, host: client.host, port: client.port, database: client.database }).toEqual({
        user: 'jpki',
        password: pw,
        host: 'postgres',
        port: 5432,
        database: 'jpki',
      });
    }
    expect(connectionUrl('postgres://u:inline@h/db', null)).toBe('postgres://u:inline@h/db');
  });
});
