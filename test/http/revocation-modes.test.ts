// revocation.mode per tenant and route, over real HTTP with the simulated J-LIS responder: a card
// reported lost this morning (revoked after the last CRL, `pki revoke`) is accepted under crl,
// refused under ocsp, and under crl+ocsp refused wherever OCSP decides (電子署名 always, payments
// above the amount, stale CRL data); the verdict names the source that decided. A responder that
// is gone fails closed or passes by policy, and says why.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRevocations } from '../../src/dev/sim/jlis-crl.js';
import { cardSign } from '../../src/dev/sim/card.js';
import { KEY_A, KEY_B, startTestService, type TestService } from '../helpers/service.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY_C = 'tenant-c-key-crl-ocsp-01';
const KEY_D = 'tenant-d-key-ocsp-soft-01';
const DAY = 86_400_000;
let t: TestService;

beforeAll(async () => {
  t = await startTestService(
    {
      revocation: { routes: [{ route: '/verify/batch', mode: 'ocsp' }] },
      tenants: [
        { id: 'a', apiKeySha256: sha(KEY_A), basicInfo: true, linkedCards: true }, // the global default: crl
        { id: 'b', apiKeySha256: sha(KEY_B), revocation: { mode: 'ocsp' } },
        { id: 'c', apiKeySha256: sha(KEY_C), basicInfo: true, linkedCards: true, revocation: { mode: 'crl+ocsp', ocspAboveAmount: 10_000 } },
        { id: 'd', apiKeySha256: sha(KEY_D), revocation: { mode: 'ocsp', policy: 'soft-fail', routes: [{ route: '/verify/signature', policy: 'hard-fail' }] } },
      ],
    },
    { ocsp: true },
  );
  // Lost this morning: recorded by J-LIS, on no CRL the service holds yet.
  recordRevocations(t.dir, { a20: 1, s3: 1 }, t.clock.now);
});
afterAll(async () => {
  await t?.svc.close();
  await t?.ocsp?.close();
});

const auth = async (key: string, id: string, path = '/v1/verify/auth') => {
  const ch = await t.challenge(key);
  const body = t.authBody(t.holder(id), ch);
  return path === '/v1/verify/batch'
    ? (await t.post(path, { items: [{ type: 'auth', ...body }] }, { key })).body.results[0]
    : (await t.post(path, body, { key })).body;
};
const sign = async (key: string, id: string) => {
  const h = t.holder(id);
  const data = randomBytes(64);
  const body = {
    certificate: Buffer.from(h.cert).toString('base64'),
    data: data.toString('base64'),
    signature: Buffer.from(cardSign(t.pki.keys[h.key], data)).toString('base64'),
  };
  return (await t.post('/v1/verify/signature', body, { key })).body;
};

describe('a card revoked after the last CRL', () => {
  it('crl: accepted (the CRL does not know yet)', async () => {
    const r = await auth(KEY_A, 'a20');
    expect(r.verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { status: 'good', source: { kind: 'crl', crlNumber: '01' } } });
    expect((await sign(KEY_A, 's3')).verdict).toMatchObject({ status: 'valid', revocation: { source: { kind: 'crl' } } });
  });

  it('ocsp: refused, the verdict naming the OCSP response (producedAt, responder)', async () => {
    const r = await auth(KEY_B, 'a20');
    expect(r.verdict).toMatchObject({
      status: 'invalid',
      code: 'revoked',
      depth: 0,
      revocation: { status: 'revoked', reason: 'keyCompromise', source: { kind: 'ocsp', url: t.ocsp!.url } },
    });
    expect(r.verdict.revocation.source.responder).toMatch(/OCSP Responder auth-gen/);
    expect(Date.parse(r.verdict.revocation.source.producedAt)).toBe(Math.floor(t.clock.now / 1000) * 1000);
    expect((await sign(KEY_B, 's3')).verdict).toMatchObject({ code: 'revoked', revocation: { source: { kind: 'ocsp' } } });
    // A good card under ocsp is good by OCSP.
    expect((await auth(KEY_B, 'a21')).verdict).toMatchObject({ status: 'valid', revocation: { status: 'good', source: { kind: 'ocsp' } } });
  });

  it('crl+ocsp: 電子署名 always asks OCSP and is refused; an authentication with a current CRL is decided by it', async () => {
    const s = await sign(KEY_C, 's3');
    expect(s.verdict).toMatchObject({ status: 'invalid', code: 'revoked', revocation: { source: { kind: 'ocsp' } } });
    expect(s.basicInfo).toBeUndefined();
    const good = await sign(KEY_C, 's4');
    expect(good.verdict).toMatchObject({ status: 'valid', revocation: { source: { kind: 'ocsp' } } });
    expect(good.basicInfo?.name).toBeTruthy(); // released with the valid verdict
    expect((await auth(KEY_C, 'a20')).verdict).toMatchObject({ status: 'valid', revocation: { source: { kind: 'crl' } } });
  });

  it('crl+ocsp: a payment above ocspAboveAmount asks OCSP and is declined before any institution; below it, the CRL decides', async () => {
    const pay = async (amount: number) => {
      const ch = await t.challenge(KEY_C);
      const body = {
        ...t.authBody(t.holder('a20'), ch),
        method: 'credit',
        terminalId: 'shop-1',
        amount,
        currency: 'JPY',
        idempotencyKey: `pay-${randomBytes(6).toString('hex')}`,
      };
      return (await t.post('/v1/payments/authorize', body, { key: KEY_C })).body;
    };
    expect(await pay(50_000)).toMatchObject({ decision: 'declined', code: 'jpki_revoked', verdict: { status: 'invalid', code: 'revoked' } });
    // Below the amount the CRL's good stands (the card is not linked: declined for that, not for revocation).
    expect(await pay(500)).toMatchObject({ verdict: { status: 'valid', code: 'ok' } });
  });

  it('a global route entry applies to tenants without their own: /verify/batch under ocsp', async () => {
    expect((await auth(KEY_A, 'a20', '/v1/verify/batch')).verdict).toMatchObject({ code: 'revoked', revocation: { source: { kind: 'ocsp' } } });
  });

  it('bulk jobs carry the plan to their chunks', async () => {
    const ch = await t.challenge(KEY_B);
    const created = await t.post('/v1/jobs', { items: [{ type: 'auth', ...t.authBody(t.holder('a20'), ch) }] }, { key: KEY_B });
    expect(created.status).toBe(202);
    let job = { state: 'running', results: [] as { verdict?: { code: string; revocation: { source?: { kind: string } } } }[] };
    for (let i = 0; i < 200 && job.state !== 'completed'; i++) {
      job = (await (await fetch(`${t.url}/v1/jobs/${created.body.jobId}`, { headers: { 'x-api-key': KEY_B } })).json()) as typeof job;
      if (job.state !== 'completed') await new Promise((r) => setTimeout(r, 20));
    }
    expect(job.results[0].verdict).toMatchObject({ code: 'revoked', revocation: { source: { kind: 'ocsp' } } });
  });
});

describe('stale CRL data under crl+ocsp', () => {
  it('OCSP decides: the card lost this morning is refused, a good one passes by OCSP; crl alone is indeterminate', async () => {
    const saved = t.clock.now;
    t.clock.now += 3 * DAY; // past the CRL's nextUpdate and grace
    try {
      expect((await auth(KEY_C, 'a20')).verdict).toMatchObject({ code: 'revoked', revocation: { source: { kind: 'ocsp' } } });
      expect((await auth(KEY_C, 'a22')).verdict).toMatchObject({ status: 'valid', revocation: { status: 'good', source: { kind: 'ocsp' } } });
      expect((await auth(KEY_A, 'a22')).verdict).toMatchObject({ status: 'indeterminate', code: 'crl_stale' });
    } finally {
      t.clock.now = saved;
    }
  });
});

describe('the responder is gone', () => {
  it('hard-fail: ocsp_unavailable naming why; soft-fail: passes, naming why; metrics count it', async () => {
    await t.ocsp!.close();
    const hard = await auth(KEY_B, 'a23');
    expect(hard.verdict).toMatchObject({ status: 'indeterminate', code: 'ocsp_unavailable', revocation: { failure: 'unreachable' } });
    const soft = await auth(KEY_D, 'a24');
    expect(soft.verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { status: 'unknown', failure: 'unreachable' } });
    // A route entry of the tenant overrides its own policy.
    expect((await sign(KEY_D, 's5')).verdict).toMatchObject({ status: 'indeterminate', code: 'ocsp_unavailable' });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/jpki_ocsp_outcomes_total\{outcome="revoked"\} [1-9]/);
    expect(metrics).toMatch(/jpki_ocsp_outcomes_total\{outcome="unreachable"\} [1-9]/);
    expect(metrics).toMatch(/jpki_ocsp_responder_errors_total\{responder="127\.0\.0\.1:\d+",code="unreachable"\} [1-9]/);
    expect(metrics).toMatch(/jpki_ocsp_lookups_total\{result="miss"\} [1-9]/);
    expect(metrics).toMatch(/jpki_verdicts_total\{kind="verdict",code="ocsp_unavailable"\} [1-9]/);
  });
});
