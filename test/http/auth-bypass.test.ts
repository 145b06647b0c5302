// No spelling of a /v1 path reaches a handler without an API key. For every route the served
// OpenAPI document lists under /v1 (every method, HEAD for GETs), times path variants written
// byte for byte on a raw socket: each character percent-encoded (upper and lower hex), %2F for
// slashes, absolute-form targets, //v1, /./, /../, /V1, a trailing slash, ;params, a query,
// 100 KB targets, empty keys. The check is differential: the same request WITH a key shows
// whether the router matched the variant; if it did, the keyless answer must be 401
// unauthorized; if not, the keyless answer is the same not-routed answer (404 / 400 / 414 /
// 431). Never a 2xx, never a 5xx, always {code, message} from the table — and no challenge
// minted, no verification run, no verdict counted for any keyless request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChallengeStore } from '../../src/challenges/memory.js';
import { CODES } from '../../src/contract/codes.js';
import { buildApp } from '../../src/http/server.js';
import { Metrics } from '../../src/ops/metrics.js';
import { KEY_A, startTestService, type TestService } from '../helpers/service.js';
import { head, metricSum, rawRequest, type RawResponse } from '../helpers/raw-http.js';

let t: TestService;
let port: number;

beforeAll(async () => {
  t = await startTestService();
  port = Number(new URL(t.url).port);
});
afterAll(async () => {
  await t.svc.close();
});

const enc = (c: string, lower: boolean): string => {
  const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${lower ? hex.toLowerCase() : hex.toUpperCase()}`;
};

/** Every spelling of `path` the test tries, with a name for failure messages. */
function variants(path: string): [string, string][] {
  const out: [string, string][] = [['plain', path]];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (c === '/') {
      out.push([`%2F at ${i}`, path.slice(0, i) + '%2F' + path.slice(i + 1)]);
      out.push([`%2f at ${i}`, path.slice(0, i) + '%2f' + path.slice(i + 1)]);
      continue;
    }
    out.push([`${c}@${i} as upper hex`, path.slice(0, i) + enc(c, false) + path.slice(i + 1)]);
    if (enc(c, true) !== enc(c, false)) out.push([`${c}@${i} as lower hex`, path.slice(0, i) + enc(c, true) + path.slice(i + 1)]);
  }
  const allEncoded = [...path].map((c) => (c === '/' ? c : enc(c, false))).join('');
  out.push(['all encoded', allEncoded], ['all slashes %2F', '/' + path.slice(1).replaceAll('/', '%2F')]);
  const rest = path.slice(3); // after "/v1"
  out.push(
    ['absolute-form', `http://x${path}`],
    ['absolute-form, https', `https://x${path}`],
    ['absolute-form, encoded', `http://x${allEncoded}`],
    ['absolute-form, %31', `http://x/v%31${rest}`],
    ['double slash', `/${path}`],
    ['double slash inside', `/v1/${rest}`],
    ['dot segment', `/v1/.${rest}`],
    ['encoded dot segment', `/v1/%2E${rest}`],
    ['dot-dot', `/v1/../v1${rest}`],
    ['encoded dot-dot', `/v1/%2E%2E/v1${rest}`],
    ['upper-case V1', `/V1${rest}`],
    ['upper-case path', path.toUpperCase()],
    ['trailing slash', `${path}/`],
    ['semicolon param', `${path};x=1`],
    ['semicolon after v1', `/v1;x=1${rest}`],
    ['query', `${path}?x=1`],
    ['fragment', `${path}#x`],
    ['backslash', `/v1\\${rest.slice(1)}`],
    ['100 KB path', `${path}${'a'.repeat(100_000)}`],
    ['10 KB path', `${path}/${'a'.repeat(10_000)}`],
    ['100 KB query', `${path}?q=${'a'.repeat(100_000)}`],
  );
  return out;
}

/** The router did not match this request at all (so it never came near a handler). */
function notRouted(r: RawResponse): boolean {
  return (
    (r.status === 404 && String(r.body?.message).startsWith('no route')) ||
    (r.status === 400 && String(r.body?.message).startsWith('malformed')) ||
    r.status === 414 ||
    r.status === 431
  );
}

async function pool<T, R>(items: readonly T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

interface Case {
  route: string;
  method: string;
  variant: string;
  target: string;
}

describe('authentication cannot be routed around', () => {
  it('every /v1 route × every path spelling: no key ⇒ 401 where it routes, never a 2xx or 5xx, nothing issued or verified', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const cases: Case[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      if (!p.startsWith('/v1')) continue;
      const path = p.replace(/\{[^}]+\}/g, 'abcdefgh12');
      const methods = Object.keys(ops).map((m) => m.toUpperCase());
      if (methods.includes('GET')) methods.push('HEAD');
      for (const method of methods) for (const [variant, target] of variants(path)) cases.push({ route: `${method} ${p}`, method, variant, target });
    }
    expect(cases.length).toBeGreaterThan(1000);
    const send = (c: Case, headers: Record<string, string>) => {
      const body = c.method === 'POST' ? '{}' : undefined;
      return rawRequest(port, head(c.method, c.target, headers, body));
    };
    const metricsText = async () => (await fetch(`${t.url}/metrics`)).text();
    const before = await metricsText();

    const keyless = await pool(cases, 16, (c) => send(c, {}));
    // Empty or malformed credentials are no key either.
    const emptyKey = await pool(
      cases.filter((c) => c.variant === 'plain' || c.variant === 'absolute-form'),
      8,
      async (c) => [c, await send(c, { 'x-api-key': '', authorization: 'Bearer ' })] as const,
    );

    const after = await metricsText();
    for (const m of ['jpki_challenges_issued_total', 'jpki_batch_items_count', 'jpki_worker_time_seconds_count'])
      expect(metricSum(after, m), `${m} moved on keyless requests`).toBe(metricSum(before, m));
    expect(metricSum(after, 'jpki_verdicts_total', 'kind="verdict"'), 'a verdict was counted for a keyless request').toBe(
      metricSum(before, 'jpki_verdicts_total', 'kind="verdict"'),
    );

    const keyed = await pool(cases, 16, (c) => send(c, { 'x-api-key': KEY_A }));
    let routed = 0;
    const failures: string[] = [];
    const index = new Map(cases.map((c, i) => [`${c.route}|${c.variant}`, i]));
    cases.forEach((c, i) => {
      const k = keyless[i];
      // A HEAD answer has no body to say whether it routed: its GET twin says.
      const w = keyed[c.method === 'HEAD' ? index.get(`${c.route.replace(/^HEAD/, 'GET')}|${c.variant}`)! : i];
      const where = `${c.route} [${c.variant}] ${c.target.slice(0, 60)} → ${k.status} ${JSON.stringify(k.body).slice(0, 100)} (with key: ${w.status})`;
      if (k.status < 300 || k.status >= 500) failures.push(`2xx/5xx: ${where}`);
      if (c.method !== 'HEAD') {
        if (typeof k.body !== 'object' || !(k.body.code in CODES) || typeof k.body.message !== 'string') failures.push(`not {code, message}: ${where}`);
        else if (CODES[k.body.code as keyof typeof CODES].status !== k.status) failures.push(`status differs from the table: ${where}`);
      }
      if (notRouted(w)) {
        if (k.status !== w.status) failures.push(`not routed with a key, but a different answer without: ${where}`);
      } else {
        routed++;
        if (k.status !== 401 || (c.method !== 'HEAD' && k.body.code !== 'unauthorized')) failures.push(`routed without a 401: ${where}`);
      }
    });
    for (const [c, r] of emptyKey) if (r.status !== 401) failures.push(`empty key not refused: ${c.route} ${c.target} → ${r.status}`);
    expect(failures.slice(0, 20)).toEqual([]);
    // The variants that once walked past a prefix test on the raw URL do reach the routes (so
    // the check above means something): percent-encoded letters and absolute-form targets.
    const reached = (variant: string, route = 'POST /v1/challenges') => !notRouted(keyed[index.get(`${route}|${variant}`)!]);
    for (const v of [
      'plain',
      '1@2 as upper hex',
      'v@1 as upper hex',
      'l@7 as lower hex',
      'absolute-form',
      'absolute-form, %31',
      'absolute-form, encoded',
      'all encoded',
      'query',
    ])
      expect(reached(v), v).toBe(true);
    expect(routed).toBeGreaterThan(500);
  }, 120_000);

  it("fastify's and Node's own refusals are {code, message} from the table", async () => {
    const bad = await rawRequest(port, head('GET', '/v1/jobs/%zz'));
    expect(bad).toMatchObject({ status: 400, body: { code: 'bad_request', message: expect.stringContaining('malformed URL') } });
    // Longer than limits.maxUrlBytes, shorter than Node's header limit: our check.
    const long = await rawRequest(port, head('POST', `/v1/challenges?${'a'.repeat(9000)}`, {}, '{}'));
    expect(long).toMatchObject({ status: 414, body: { code: 'uri_too_long' } });
    // Beyond Node's 16 KB: the parser's overflow, told apart from large headers.
    const huge = await rawRequest(port, head('POST', `/v1/${'a'.repeat(100_000)}`, {}, '{}'));
    expect(huge).toMatchObject({ status: 414, body: { code: 'uri_too_long' } });
    const headers = await rawRequest(port, head('GET', '/healthz', { 'x-big': 'b'.repeat(20_000) }));
    expect(headers).toMatchObject({ status: 431, body: { code: 'headers_too_large' } });
    const garbage = await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    // A route parameter beyond fastify's maxParamLength (100): its router error, from the table.
    const param = await rawRequest(port, head('GET', `/v1/jobs/${'a'.repeat(200)}`, { 'x-api-key': KEY_A }));
    expect(param).toMatchObject({ status: 414, body: { code: 'uri_too_long', message: expect.stringContaining('parameter') } });
    for (const r of [bad, long, huge, headers, garbage]) expect(r.headers['content-type']).toMatch(/application\/json/);
    // The server still serves.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('a /v1 route registered outside the authenticated scope is refused at start', async () => {
    // The running service's parts; only route registration is exercised (nothing listens).
    const app = buildApp({
      config: t.config,
      verifier: t.svc.verifier,
      platform: t.svc.platform,
      metrics: new Metrics(),
      logger: t.svc.logger,
      challenges: new MemoryChallengeStore(),
      bulk: null as never,
      present: null as never,
      relay: { institutions: () => [] } as never,
      storesNotReady: async () => [],
      trust: { anchors: [], generations: { signing: [], authentication: [] }, warnings: [] },
    });
    for (const path of ['/v1/sneaky', '/V1/sneaky', '/v1'])
      expect(() => app.get(path, async () => ({ ok: true })), path).toThrow(/outside the authenticated \/v1 scope/);
    app.get('/v2/fine', async () => ({ ok: true })); // other prefixes are not this guard's business
    await app.close();
  });
});
