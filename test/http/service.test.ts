// The service over real HTTP: every outcome the issue lists, typed errors, tenants, metrics, logs.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERDICT_CODES } from '../../src/core/verdict.js';
import { CODES, REQUEST_ERRORS } from '../../src/contract/codes.js';
import { cardSign } from '../../src/dev/sim/card.js';
import { makeRoots } from '../../src/dev/sim/jlis.js';
import { issueEndEntity, makeKeyPool } from '../../src/dev/sim/jlis.js';
import { person, rng } from '../../src/dev/sim/people.js';
import { KEY_A, KEY_B, REVOKED, T0, extraCertificate, startTestService, type TestService } from '../helpers/service.js';

const DAY = 86_400_000;
const REASON_NAMES = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold'];
const seen = new Set<string>();

let t: TestService;

beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t.svc.close();
});

async function auth(id: string, opts: { tamper?: boolean; key?: string } = {}) {
  const ch = await t.challenge();
  const r = await t.post('/v1/verify/auth', t.authBody(t.holder(id), ch, opts.tamper), { key: opts.key });
  seen.add(r.body.verdict?.code ?? r.body.code);
  return r;
}

describe('POST /v1/verify/auth', () => {
  it('valid: verdict, certificate facts and the CRL used', async () => {
    const r = await auth('a10');
    expect(r.status).toBe(200);
    expect(r.body.verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { status: 'good', source: { crlNumber: '01' } } });
    // One JSON shape: ISO 8601 times, and nothing that does not apply (no depth on a valid verdict).
    expect(r.body.verdict.revocation.source.thisUpdate).toBe(new Date(Math.floor(T0 / 1000) * 1000).toISOString());
    expect(r.body.verdict).not.toHaveProperty('depth');
    expect(r.body.certificate).toMatchObject({ kind: 'authentication', issuerGeneration: expect.any(Number) });
    expect(r.body.certificate.serial).toBe(t.holder('a10').serial);
  });

  it('wrong signature', async () => {
    const r = await auth('a10', { tamper: true });
    expect(r.body.verdict).toMatchObject({ status: 'invalid', code: 'signature_invalid' });
  });

  it('revoked, for each reason, with reason, date and CRL', async () => {
    for (const [id, code] of Object.entries(REVOKED)) {
      const r = await auth(id);
      expect(r.body.verdict, id).toMatchObject({
        status: 'invalid',
        code: 'revoked',
        depth: 0,
        revocation: {
          status: 'revoked',
          reason: REASON_NAMES[code],
          revokedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          source: { crlNumber: '01', thisUpdate: new Date(Math.floor(T0 / 1000) * 1000).toISOString() },
        },
      });
      // The issuing generation is named on a revoked card too: its issuer was identified.
      expect(r.body.certificate.issuerGeneration, id).toEqual(expect.any(Number));
    }
  });

  it('expired and not yet valid certificates', async () => {
    for (const [label, nb, na, code] of [
      ['expired', T0 - 400 * DAY, T0 - DAY, 'expired'],
      ['future', T0 + DAY, T0 + 400 * DAY, 'not_yet_valid'],
    ] as const) {
      const { cert, key } = extraCertificate(t, { notBefore: nb, notAfter: na, serial: BigInt(0x7700 + Math.floor(nb / 1e9)) });
      const ch = await t.challenge();
      const r = await t.post('/v1/verify/auth', {
        certificate: Buffer.from(cert).toString('base64'),
        challengeId: ch.challengeId,
        signature: Buffer.from(cardSign(t.pki.keys[key], ch.challenge)).toString('base64'),
      });
      expect(r.body.verdict.code, label).toBe(code);
      seen.add(code);
    }
  });

  it('test-hierarchy card, signing certificate, unknown issuer', async () => {
    expect((await auth('t0')).body.verdict.code).toBe('test_hierarchy');
    expect((await auth('s1')).body.verdict.code).toBe('wrong_certificate_type');
    // A card of another J-LIS (same DN, other keys): no path.
    const roots = makeRoots(T0);
    const key = makeKeyPool(1)[0];
    const foreign = issueEndEntity({ purpose: 'authentication', root: roots[5], key, serial: 99n, person: person(rng(2), T0), notBefore: T0 - DAY });
    const ch = await t.challenge();
    const r = await t.post('/v1/verify/auth', {
      certificate: Buffer.from(foreign).toString('base64'),
      challengeId: ch.challengeId,
      signature: Buffer.from(cardSign(key.privateKey, ch.challenge)).toString('base64'),
    });
    expect(r.body.verdict.code).toBe('unknown_issuer');
    seen.add('unknown_issuer');
  });

  it('a challenge is single use and expires', async () => {
    const ch = await t.challenge();
    const body = t.authBody(t.holder('a11'), ch);
    expect((await t.post('/v1/verify/auth', body)).body.verdict.code).toBe('ok');
    const again = await t.post('/v1/verify/auth', body);
    expect(again.status).toBe(200);
    expect(again.body.verdict).toMatchObject({ status: 'invalid', code: 'challenge_replayed' });
    const old = await t.challenge();
    t.clock.now += 121_000; // TTL 120 s
    const late = await t.post('/v1/verify/auth', t.authBody(t.holder('a11'), old));
    t.clock.now -= 121_000;
    expect(late.body.verdict.code).toBe('challenge_expired');
    const unknown = await t.post('/v1/verify/auth', { ...body, challengeId: 'A'.repeat(22) });
    expect(unknown.body.verdict.code).toBe('challenge_unknown');
    for (const c of ['challenge_replayed', 'challenge_expired', 'challenge_unknown']) seen.add(c);
  });

  it('stale CRL data: indeterminate, and not ready', async () => {
    t.clock.now = T0 + 3 * DAY;
    const r = await auth('a12');
    expect(r.body.verdict).toMatchObject({ status: 'indeterminate', code: 'crl_stale' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'not_ready' });
    t.clock.now = T0 + 60_000;
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  });
});

describe('typed 4xx errors', () => {
  it('malformed base64 and malformed DER', async () => {
    const ch = await t.challenge();
    const good = t.authBody(t.holder('a10'), ch);
    const b64 = await t.post('/v1/verify/auth', { ...good, signature: '@@not base64@@' });
    expect(b64).toMatchObject({ status: 400, body: { code: 'malformed_base64', message: expect.stringContaining('signature') } });
    const ch2 = await t.challenge();
    const der = await t.post('/v1/verify/auth', { ...t.authBody(t.holder('a10'), ch2), certificate: randomBytes(64).toString('base64') });
    expect(der).toMatchObject({ status: 400, body: { code: 'malformed_certificate' } });
    seen.add('malformed_base64').add('malformed_certificate');
  });

  it('oversized body, wrong content type, bad JSON, missing field, unknown key', async () => {
    expect(await t.post('/v1/verify/auth', null, { raw: JSON.stringify({ certificate: 'A'.repeat(70_000) }) })).toMatchObject({
      status: 413,
      body: { code: 'body_too_large' },
    });
    expect(await t.post('/v1/verify/auth', null, { raw: 'certificate=x', contentType: 'application/x-www-form-urlencoded' })).toMatchObject({
      status: 415,
      body: { code: 'unsupported_media_type' },
    });
    expect(await t.post('/v1/verify/auth', null, { raw: '{"certificate":' })).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(await t.post('/v1/verify/auth', { certificate: 'AAAA' })).toMatchObject({
      status: 400,
      body: { code: 'bad_request', message: expect.stringContaining('challengeId') },
    });
    expect(await t.post('/v1/verify/auth', {}, { key: null })).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(await t.post('/v1/verify/auth', {}, { key: 'nope' })).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    const nf = await fetch(`${t.url}/v2/nothing`);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ code: 'not_found' });
    for (const c of ['body_too_large', 'unsupported_media_type', 'bad_request', 'unauthorized', 'not_found']) seen.add(c);
  });
});

describe('POST /v1/verify/signature and tenants', () => {
  const doc = Buffer.from('住所変更届 2026-11-24');
  const body = () => {
    const s = t.holder('s3');
    return {
      certificate: Buffer.from(s.cert).toString('base64'),
      data: doc.toString('base64'),
      signature: Buffer.from(cardSign(t.pki.keys[s.key], doc)).toString('base64'),
    };
  };

  it('returns the 基本4情報 only to a tenant entitled to it', async () => {
    const a = await t.post('/v1/verify/signature', body());
    expect(a.body.verdict.code).toBe('ok');
    expect(a.body.basicInfo).toMatchObject({ name: expect.any(String), address: expect.any(String), birthDate: { iso: expect.any(String) } });
    const b = await t.post('/v1/verify/signature', body(), { key: KEY_B });
    expect(b.body.verdict.code).toBe('ok');
    expect(b.body.basicInfo).toBeUndefined();
  });

  it('verifies over a digest, and rejects a digest of the wrong length as a typed 400', async () => {
    const s = t.holder('s3');
    const digest = (await import('node:crypto')).createHash('sha256').update(doc).digest();
    const sig = Buffer.from(cardSign(t.pki.keys[s.key], doc)).toString('base64');
    const ok = await t.post('/v1/verify/signature', { certificate: Buffer.from(s.cert).toString('base64'), digest: digest.toString('base64'), signature: sig });
    expect(ok.body.verdict.code).toBe('ok');
    const bad = await t.post('/v1/verify/signature', {
      certificate: Buffer.from(s.cert).toString('base64'),
      digest: digest.subarray(0, 20).toString('base64'),
      signature: sig,
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'digest_mismatch' } });
    seen.add('digest_mismatch');
  });
});

describe('POST /v1/verify/batch', () => {
  it('answers each item in order, errors per item, and bounds the batch', async () => {
    const items = [];
    for (const id of ['a20', 'a1', 'a21']) items.push({ type: 'auth', ...t.authBody(t.holder(id), await t.challenge()) });
    items.push({ type: 'auth', ...t.authBody(t.holder('a22'), await t.challenge()), signature: '!!' });
    const r = await t.post('/v1/verify/batch', { items });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { verdict?: { code: string }; error?: { code: string } }) => x.verdict?.code ?? x.error?.code)).toEqual([
      'ok',
      'revoked',
      'ok',
      'malformed_base64',
    ]);
    const many = Array.from({ length: 257 }, () => ({ type: 'auth', certificate: 'AA==', challengeId: 'A'.repeat(22), signature: 'AA==' }));
    expect(await t.post('/v1/verify/batch', { items: many })).toMatchObject({ status: 413, body: { code: 'too_many_items' } });
    seen.add('too_many_items');
  });
});

describe('async bulk jobs (embedded: local pool, memory store)', () => {
  it('accepts a job, runs it in chunks, pages its results, and hides it from other tenants', async () => {
    const items = [];
    for (const id of ['a20', 'a1', 'a21']) items.push({ type: 'auth', ...t.authBody(t.holder(id), await t.challenge()) });
    items.push({ type: 'auth', ...t.authBody(t.holder('a22'), await t.challenge()), signature: '!!' });
    const created = await t.post('/v1/jobs', { items });
    expect(created).toMatchObject({ status: 202, body: { total: 4 } });
    const get = (q = '', key = KEY_A) => fetch(`${t.url}/v1/jobs/${created.body.jobId}${q}`, { headers: { 'x-api-key': key } });
    let job: { state: string; results: { verdict?: { code: string }; error?: { code: string } }[] } = { state: 'running', results: [] };
    for (let i = 0; i < 200 && job.state !== 'completed'; i++) {
      job = (await (await get()).json()) as typeof job;
      if (job.state !== 'completed') await new Promise((r) => setTimeout(r, 20));
    }
    expect(job).toMatchObject({ state: 'completed', done: 4, errors: 1 });
    expect(job.results.map((x) => x.verdict?.code ?? x.error?.code)).toEqual(['ok', 'revoked', 'ok', 'malformed_base64']);
    expect(((await (await get('?offset=1&limit=1')).json()) as typeof job).results).toHaveLength(1);
    expect((await get('', KEY_B)).status).toBe(404);
    expect((await get('?limit=5000')).status).toBe(400);
    const tooMany = Array.from({ length: t.config.jobs.maxItems + 1 }, () => ({
      type: 'auth',
      certificate: 'AA==',
      challengeId: 'A'.repeat(22),
      signature: 'AA==',
    }));
    expect(await t.post('/v1/jobs', { items: tooMany })).toMatchObject({ status: 413, body: { code: 'too_many_items' } });
  });
});

describe('pool faults', () => {
  it('a worker killed mid-batch fails only its batch (typed 503) and the pool recovers', async () => {
    let failed = 0;
    let ok = 0;
    for (let attempt = 0; attempt < 5 && failed === 0; attempt++) {
      const bodies = [];
      for (let i = 0; i < 150; i++) bodies.push(t.authBody(t.holder(`a${20 + (i % 30)}`), await t.challenge()));
      const pending = bodies.map((b) => t.post('/v1/verify/auth', b));
      // Kill a thread while its tasks are running.
      await new Promise((r) => setTimeout(r, 3));
      await t.svc.local!.pool.workers()[0]?.terminate();
      for (const r of await Promise.all(pending)) {
        if (r.status === 503) {
          expect(r.body.code).toBe('worker_failed');
          expect(r.headers.get('retry-after')).toBe('1');
          failed++;
        } else {
          expect(r.body.verdict.code).toBe('ok');
          ok++;
        }
      }
    }
    expect(failed).toBeGreaterThan(0);
    expect(ok).toBeGreaterThan(0);
    seen.add('worker_failed');
    // Recovered: the pool is back to full strength and verifies again.
    await new Promise((r) => setTimeout(r, 200));
    expect((await auth('a10')).body.verdict.code).toBe('ok');
  });
});

describe('observability', () => {
  it('exports latency, verdict, pool, batch, cache, CRL and event-loop metrics', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    for (const m of [
      'jpki_http_request_duration_seconds_bucket',
      'jpki_verdicts_total{kind="verdict",code="revoked"}',
      'jpki_batch_items_bucket',
      'jpki_batch_wait_seconds_bucket',
      'jpki_queue_wait_seconds_bucket',
      'jpki_worker_time_seconds_bucket',
      'jpki_path_cache_lookups_total{result="miss"}',
      'jpki_pool_utilization_ratio',
      'jpki_pool_threads',
      'jpki_crl_age_seconds{issuer_key=',
      'jpki_crl_entries{issuer_key=',
      'jpki_crl_next_update_seconds',
      'nodejs_eventloop_lag_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(text, m).toContain(m);
    }
  });

  it('logs carry no serials, names, addresses or keys', async () => {
    // Everything personal the tests sent or received.
    const secrets: string[] = [];
    for (const h of [...t.pki.holders('authentication'), ...t.pki.holders('signing')]) secrets.push(h.serial, h.serial.toUpperCase());
    const info = (
      await t.post(
        '/v1/verify/signature',
        (() => {
          const s = t.holder('s3');
          const d = Buffer.from('x');
          return {
            certificate: Buffer.from(s.cert).toString('base64'),
            data: d.toString('base64'),
            signature: Buffer.from(cardSign(t.pki.keys[s.key], d)).toString('base64'),
          };
        })(),
      )
    ).body.basicInfo;
    secrets.push(info.name, info.address, 'tenant-a-key', 'tenant-b-key');
    const all = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(20); // requests really were logged
    for (const s of secrets) expect(all.includes(s), `log leaks ${s.slice(0, 6)}…`).toBe(false);
  });

  it('serves an OpenAPI document naming every code', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/challenges', '/v1/verify/auth', '/v1/verify/signature', '/v1/verify/batch', '/readyz']),
    );
    expect(doc.components.schemas.Error.properties.code.enum).toEqual(Object.keys(CODES));
  });
});

describe('the code table', () => {
  it('holds every code the tests saw, each with a status, a bounded label and documentation', () => {
    for (const c of seen) expect(CODES, c).toHaveProperty(c);
    for (const [code, info] of Object.entries(CODES)) {
      expect(info.status, code).toBeGreaterThanOrEqual(200);
      expect(info.label).toMatch(/^[a-z0-9_]+$/);
      expect(info.doc.length, code).toBeGreaterThan(15);
    }
    expect(Object.keys(CODES).length).toBe(Object.keys(VERDICT_CODES).length + Object.keys(REQUEST_ERRORS).length);
  });
});
