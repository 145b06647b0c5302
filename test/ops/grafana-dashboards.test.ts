// Grafana cannot run here (no image registry), so every dashboard in grafana/dashboards is
// type-checked against Grafana's own types, @grafana/schema at the version of the Grafana image
// docker-compose.yml pins: the dashboard model, and each panel's options and custom field config
// by its plugin's types. The TypeScript compiler does the checking, on a source made in memory
// (`<the dashboard JSON> satisfies Checked`), so unknown fields, wrong types and misspelt enum
// values are errors. A broken dashboard is checked too, to show the check fails when it should.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../conformance/shared.js';

const DIR = join(REPO_ROOT, 'grafana', 'dashboards');
const SCHEMA = '@grafana/schema/dist/esm/raw/composable';

// The types a dashboard must satisfy, as saved: Grafana fills omitted options with the plugin's
// defaults, so options are checked field by field (DeepPartial) — an unknown field or a wrong
// value is an error, a missing one is not. A panel type without its types here is an error.
const PRELUDE = `
import type { Dashboard, FieldConfigSource, Panel, RowPanel } from '@grafana/schema';
import type * as timeseries from '${SCHEMA}/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen.js';
import type * as stat from '${SCHEMA}/stat/panelcfg/x/StatPanelCfg_types.gen.js';

/** JSON spells an enum member by its value. */
type Json<T> = T extends string ? \`\${T}\` : T extends readonly (infer E)[] ? Json<E>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
type DeepPartial<T> = T extends readonly (infer E)[] ? DeepPartial<E>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

type Typed<Type extends string, Options, Custom> = Omit<Panel, 'type' | 'options' | 'fieldConfig'> & {
  type: Type;
  options?: DeepPartial<Options>;
  fieldConfig?: Omit<FieldConfigSource, 'defaults'> & { defaults: Omit<FieldConfigSource['defaults'], 'custom'> & { custom?: DeepPartial<Custom> } };
};
type AnyPanel =
  | Typed<'timeseries', timeseries.Options, timeseries.FieldConfig>
  | Typed<'stat', stat.Options, Record<string, never>>
  | (Omit<RowPanel, 'panels'> & { panels: AnyPanel[] });
type Checked = Json<Omit<Dashboard, 'panels'> & { panels?: AnyPanel[] }>;
`;

/** The compiler's complaints about each dashboard (JSON text), each as `line N: message`, from
 *  one program (a program costs seconds; the dashboards share it). */
function typeErrors(jsons: readonly string[]): string[][] {
  const file = join(DIR, '__dashboard_check__.ts');
  let text = PRELUDE;
  const starts: number[] = [];
  jsons.forEach((json, i) => {
    starts.push(text.split('\n').length);
    text += `\nexport const dashboard${i} = ${json.trim()} satisfies Checked;\n`;
  });
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file)!;
  const out: string[][] = jsons.map(() => []);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const line = d.file === source && d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    let i = starts.length - 1;
    while (i >= 0 && starts[i] > line) i--;
    // Outside every dashboard (the prelude, or Grafana's types): a fault of the check itself.
    if (i < 0) throw new Error(`${d.file?.fileName ?? ''}:${line}: ${message}`);
    out[i].push(`line ${line - starts[i]}: ${message}`);
  }
  return out;
}

const dashboards = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('Grafana dashboards against @grafana/schema', () => {
  it('@grafana/schema is the version of the Grafana image the compose file pins', () => {
    const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: { grafana: { image: string } } };
    const image = /grafana\/grafana:(\d+\.\d+\.\d+)@sha256:[0-9a-f]{64}\}$/.exec(compose.services.grafana.image);
    expect(image, compose.services.grafana.image).not.toBeNull();
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@grafana/schema/package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe(image![1]);
  });

  it.each(dashboards)('%s type-checks as a Dashboard, each panel with its plugin options', (name) => {
    expect(typeErrors([readFileSync(join(DIR, name), 'utf8')])).toEqual([[]]);
  });

  it('the check fails on a broken dashboard: unknown fields, wrong types, misspelt enum values, unknown panel types', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    type Loose = {
      panels: { type: string; gridPos: { w: unknown }; options?: { legend?: { displayMode?: string } }; fieldConfig?: { defaults: Record<string, unknown> } }[];
      [k: string]: unknown;
    };
    const good = JSON.parse(readFileSync(join(DIR, dashboards[0]), 'utf8')) as Loose;
    const series = (d: Loose) => d.panels.find((p) => p.type === 'timeseries')!;
    const broken: [string, (d: Loose) => void, RegExp][] = [
      ['an unknown field', (d) => void (d.refreshEvery = '5s'), /'"?refreshEvery"?' does not exist/],
      ['a string for a number', (d) => void (series(d).gridPos.w = '8'), /'string' is not assignable to type 'number'/],
      ['a misspelt option value', (d) => void (series(d).options!.legend!.displayMode = 'lst'), /"lst"/],
      ['a misspelt enum value', (d) => void (series(d).fieldConfig!.defaults.color = { mode: 'rainbow' }), /"rainbow"/],
      ['a panel type without its types', (d) => void (series(d).type = 'piechart'), /"piechart"/],
    ];
    const errors = typeErrors([
      JSON.stringify(good),
      ...broken.map(([, change]) => {
        const d = structuredClone(good);
        change(d);
        return JSON.stringify(d, null, 1);
      }),
    ]);
    expect(errors[0]).toEqual([]);
    broken.forEach(([what, , want], i) => expect(errors[i + 1].join('\n'), what).toMatch(want));
  });
});
