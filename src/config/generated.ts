// What the configuration table (config.ts) generates besides validation: a JSON Schema for
// editors (docs/config.schema.json) and the reference table (docs/configuration.md). Both are
// committed and a test checks that they match the table, so they cannot drift.
import { describeConfig, type FieldInfo } from './config.js';

type Schema = Record<string, unknown>;

function scalar(f: FieldInfo): Schema {
  const type = (t: string): string | string[] => (f.nullable ? [t, 'null'] : t);
  switch (f.kind) {
    case 'int':
      return { type: type('integer'), minimum: f.min, maximum: f.max };
    case 'bool':
      return { type: type('boolean') };
    case 'oneOf':
      return { enum: f.nullable ? [...(f.values ?? []), null] : f.values };
    case 'strs':
      return { type: 'array', items: { type: 'string', minLength: 1 } };
    default:
      return { type: type('string'), minLength: 1 };
  }
}

/** Where a secret field may point instead of holding its value. */
const SECRET_REFS: Schema[] = (['file', 'env'] as const).map((k) => ({
  type: 'object',
  properties: { [k]: { type: 'string', minLength: 1 } },
  required: [k],
  additionalProperties: false,
}));

/** The JSON Schema (2020-12) of a configuration file: every field, its type, range and doc. */
export function configJsonSchema(): Schema {
  const fields = describeConfig();
  const node = (prefix: string, doc: string): Schema => {
    const children = fields.filter((f) => {
      const rest = f.path.slice(prefix.length);
      return f.path.startsWith(prefix) && rest !== '' && !rest.includes('.') && !rest.includes('[]');
    });
    const properties: Record<string, Schema> = {};
    const requiredFields: string[] = [];
    for (const f of children) {
      const name = f.path.slice(prefix.length);
      let s: Schema;
      if (f.kind === 'object') s = node(`${f.path}.`, f.doc);
      else if (f.kind === 'list') s = { type: 'array', items: node(`${f.path}[].`, f.doc) };
      else s = f.secret ? { anyOf: [scalar(f), ...SECRET_REFS] } : scalar(f);
      if (f.kind === 'object' && f.nullable) s = { anyOf: [s, { type: 'null' }] };
      properties[name] = { ...s, description: f.doc, ...(f.hasDefault && f.kind !== 'object' && f.kind !== 'list' ? { default: f.default } : {}) };
      if (!f.hasDefault) requiredFields.push(name);
    }
    return { type: 'object', description: doc, additionalProperties: false, properties, ...(requiredFields.length ? { required: requiredFields } : {}) };
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'jpki-verify configuration',
    ...node('', 'A configuration file for `jpki-verify serve`, `worker`; JPKI_* environment variables override it.'),
  };
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The reference table of every field, in table order. */
export function configDocs(): string {
  const rows = describeConfig().map((f) => {
    const range = f.kind === 'int' ? `${f.min}–${f.max}` : f.kind === 'oneOf' ? (f.values ?? []).join(', ') : '';
    const def = !f.hasDefault ? 'required' : f.kind === 'object' || f.kind === 'list' ? '' : `\`${JSON.stringify(f.default)}\``;
    return `| \`${f.path}\` | ${f.kind}${f.nullable ? ' or null' : ''}${f.secret ? ', secret' : ''} | ${cell(def)} | ${cell(range)} | ${cell(f.doc)} |`;
  });
  return [
    '# Configuration reference',
    '',
    'Generated from the field table in `src/config/config.ts` (`jpki-verify config docs`); a test checks it matches. The JSON Schema for editors is',
    '`docs/config.schema.json` (`jpki-verify config schema`). Every field can also come from the environment: `JPKI_POOL__THREADS=4`.',
    '',
    'A field marked *secret* may be given as `{"file": "/run/secrets/NAME"}` (the file\'s contents, trailing line breaks dropped) or',
    '`{"env": "NAME"}` instead of its value — in the file or in a `JPKI_*` variable (`JPKI_DATABASE__PASSWORD=\'{"file": "/run/secrets/pg"}\'`) —',
    'so passwords and keys stay out of the configuration file. They are read once, at start; errors never show their value.',
    '',
    '| field | kind | default | range / values | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
