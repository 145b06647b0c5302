// The API contract from the outside: the document the service serves is the committed one
// (docs/openapi.json), redocly lints it clean, the typed client generated from it
// (src/client/api-types.ts) is current, a small program written against the client compiles under
// `tsc --strict`, and the client drives the live service. `npm run contract` rewrites the
// committed files from the live service (JPKI_UPDATE_CONTRACT=1).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJpkiClient, JpkiApiError, JpkiConnectionError } from '../../src/client/client.js';
import { CODES } from '../../src/contract/codes.js';
import { cardSign } from '../../src/dev/sim/card.js';
import { KEY_A, startTestService, type TestService } from '../helpers/service.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs/openapi.json');
const TYPES = join(ROOT, 'src/client/api-types.ts');
const UPDATE = process.env.JPKI_UPDATE_CONTRACT === '1';
const HEADER = `// Generated from the API's OpenAPI document (docs/openapi.json, served at /openapi.json) by
// openapi-typescript: do not edit. \`npm run contract\` regenerates it; test/http/contract.test.ts
// checks it is current.\n`;

let t: TestService;
let doc: Record<string, any>;

beforeAll(async () => {
  t = await startTestService();
  doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as Record<string, any>;
});
afterAll(async () => t?.svc.close());

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function generatedTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as never);
  const { format } = await import('prettier');
  return format(HEADER + astToString(ast), { parser: 'typescript', singleQuote: true, printWidth: 160 });
}

describe('the OpenAPI document', () => {
  it('is the committed docs/openapi.json, and the generated client types are current', async () => {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const types = await generatedTypes(doc);
    if (UPDATE) {
      writeFileSync(DOC, text);
      writeFileSync(TYPES, types);
    }
    expect(readFileSync(DOC, 'utf8'), 'docs/openapi.json is stale: npm run contract').toBe(text);
    expect(readFileSync(TYPES, 'utf8'), 'src/client/api-types.ts is stale: npm run contract').toBe(types);
  });

  it('lints clean with redocly (recommended rules: no error, no warning)', async () => {
    const { stdout } = await run(join(ROOT, 'node_modules/.bin/redocly'), ['lint', DOC, '--format=json', `--config=${join(ROOT, 'redocly.yaml')}`], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(
      report.problems.map((p) => `${p.ruleId}: ${p.message}`),
      'redocly problems',
    ).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('documents every operation: an operationId, a summary, its security, and every error code it answers with', () => {
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).map(([m, op]) => ({ path, m, op })),
    );
    expect(ops.length).toBeGreaterThanOrEqual(21);
    const ids = new Set<string>();
    for (const { path, m, op } of ops) {
      const where = `${m.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId), `${where}: duplicate operationId`).toBe(false);
      ids.add(op.operationId);
      expect(op.summary, where).toBeTruthy();
      expect(op.security, where).toEqual(path.startsWith('/v1/') ? [{ apiKey: [] }, { bearer: [] }] : []);
      for (const [status, r] of Object.entries(op.responses as Record<string, any>)) {
        expect(Number(status), `${where}: numeric statuses, no 4XX ranges`).toBeGreaterThan(0);
        if (Number(status) >= 400) {
          const codes = r.content['application/json'].schema.properties.code.enum as string[];
          expect(codes.length, `${where} ${status}`).toBeGreaterThan(0);
          for (const c of codes) expect(CODES[c as keyof typeof CODES].status, `${where} ${status} ${c}`).toBe(Number(status));
          if (status === '429' || status === '503') expect(r.headers?.['retry-after'], `${where} ${status}: Retry-After`).toBeDefined();
        } else if (status !== '204' && !path.startsWith('/metrics') && !path.startsWith('/openapi')) {
          expect(r.content?.['application/json']?.schema, `${where} ${status}: a response schema`).toBeDefined();
        }
      }
      if (path.startsWith('/v1/')) expect(op.responses['401'], `${where}: unauthorized`).toBeDefined();
    }
    for (const p of ['/v1/links/{id}', '/v1/watches/{id}', '/v1/jobs/{id}'])
      for (const op of Object.values(doc.paths[p]) as any[]) expect(op.parameters.find((x: any) => x.in === 'path')?.name, p).toBe('id');
  });
});

describe('the typed client', () => {
  it('compiles a program written against it with tsc --strict', async () => {
    const dir = mkdtempSync(join(ROOT, '.contract-'));
    try {
      writeFileSync(
        join(dir, 'program.ts'),
        `import { createJpkiClient, JpkiApiError, type ApiSchemas } from '../src/client/client.js';
const c = createJpkiClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'k' });
export async function login(certificate: string, sign: (challenge: string) => string): Promise<ApiSchemas['Verdict']['code']> {
  const ch = await c.call(c.api.POST('/v1/challenges'));
  const r: ApiSchemas['Result'] = await c.call(c.api.POST('/v1/verify/auth', { body: { certificate, challengeId: ch.challengeId, signature: sign(ch.challenge) } }));
  const when: string | undefined = r.verdict.revocation.source?.thisUpdate;
  void when;
  return r.verdict.code;
}
export async function pay(certificate: string, challengeId: string, signature: string): Promise<string | undefined> {
  try {
    const d = await c.call(c.api.POST('/v1/payments/authorize', {
      body: { certificate, challengeId, signature, method: 'credit', terminalId: 't1', amount: 1200, currency: 'JPY', idempotencyKey: 'shop:000001' },
    }));
    return d.decision === 'approved' ? d.authorizationId : undefined;
  } catch (e) {
    if (e instanceof JpkiApiError && e.status === 503) return undefined;
    throw e;
  }
}
export async function link(id: string): Promise<number> {
  const l = await c.call(c.api.GET('/v1/links/{id}', { params: { path: { id } } }));
  return l.cards.length;
}
`,
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            skipLibCheck: true,
            types: ['node'],
          },
          files: ['program.ts'],
        }),
      );
      const out = await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch((e: { stdout: string }) => e);
      expect((out as { stdout: string }).stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drives the live service, and names the status and {code, message} of a refusal', async () => {
    const c = createJpkiClient({ baseUrl: t.url, apiKey: KEY_A });
    const h = t.holder('a10');
    const ch = await c.call(c.api.POST('/v1/challenges'));
    const signature = Buffer.from(cardSign(t.pki.keys[h.key], Buffer.from(ch.challenge, 'base64'))).toString('base64');
    const r = await c.call(
      c.api.POST('/v1/verify/auth', { body: { certificate: Buffer.from(h.cert).toString('base64'), challengeId: ch.challengeId, signature } }),
    );
    expect(r.verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { status: 'good' } });

    const wrong = createJpkiClient({ baseUrl: t.url, apiKey: 'not-a-key' });
    const refused = await wrong.call(wrong.api.POST('/v1/challenges')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JpkiApiError);
    expect(refused).toMatchObject({ status: 401, code: 'unauthorized', call: 'POST /v1/challenges' });

    const port = await closedPort();
    const dead = createJpkiClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY_A });
    const down = await dead.call(dead.api.POST('/v1/challenges')).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(JpkiConnectionError);
    expect((down as Error).message).toBe(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});
