// The configuration's JSON Schema and field reference are generated from the table and committed:
// they must match it, and the schema must accept what the service accepts and refuse what it refuses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, validateConfig } from '../src/config/config.js';
import { configDocs, configJsonSchema } from '../src/config/generated.js';
import { REPO_ROOT } from './conformance/shared.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(configJsonSchema());

describe('generated configuration documents', () => {
  it('docs/config.schema.json and docs/configuration.md are what the table generates now', () => {
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'docs/config.schema.json'), 'utf8'))).toEqual(configJsonSchema());
    expect(readFileSync(join(REPO_ROOT, 'docs/configuration.md'), 'utf8')).toBe(configDocs());
  });

  it('the schema accepts the defaults and the shipped configurations, as the service does', () => {
    expect(validate(JSON.parse(JSON.stringify(DEFAULTS))), JSON.stringify(validate.errors)).toBe(true);
    // Its secrets are references to files the containers get; here any file reads as a stand-in.
    const compose = JSON.parse(readFileSync(join(REPO_ROOT, 'ops/compose/config.json'), 'utf8'));
    validateConfig(compose, { file: (path) => `stand-in for ${path}`, env: () => undefined });
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    // A secret field takes the value, {file} or {env}, and nothing else.
    for (const password of ['pw', { file: '/run/secrets/pg' }, { env: 'PG' }])
      expect(validate({ database: { url: 'postgres://db/x', password } }), JSON.stringify(password)).toBe(true);
    for (const password of [{ path: '/x' }, { file: '' }, { file: '/x', env: 'Y' }, 5])
      expect(validate({ database: { url: 'postgres://db/x', password } }), JSON.stringify(password)).toBe(false);
  });

  it('the schema refuses what the service refuses: unknown fields, wrong types, out-of-range numbers, unknown enum values', () => {
    for (const bad of [
      { pool: { threads: 0 } },
      { pool: { thread: 2 } },
      { crl: { policy: 'maybe' } },
      { port: '8080' },
      { nonsense: true },
      { tenants: [{ id: 'x' }] },
    ]) {
      expect(() => validateConfig(bad), JSON.stringify(bad)).toThrow();
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
