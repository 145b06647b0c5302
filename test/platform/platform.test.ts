// Platform functions end to end over real HTTP with real Redis (platform and challenge stores):
// ID conversion and proxy mode, linking with the choose-card step, tenant isolation, renewal
// following from J-LIS link data, change confirmation after a CRL refresh (pull and webhook),
// the audit trail and tenant rate limits.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardSign } from '../../src/dev/sim/card.js';
import { publishCrls } from '../../src/dev/sim/jlis-crl.js';
import { renewHolders } from '../../src/dev/sim/renewal.js';
import { REVOKED, T0, startTestService, type TestService } from '../helpers/service.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY_P = 'proxy-tenant-key-000001';
const KEY_D = 'delegate-tenant-key-0002';
const KEY_P2 = 'proxy-tenant-two-key-0003';
const KEY_N = 'no-linking-tenant-key-03';
const KEY_OP = 'operator-key-00000000004';
const KEY_R = 'rate-limited-key-0000005';
const SECRET_P = 'whsec-proxy';
const prefix = `jpkitest${process.pid}p${Date.now().toString(36)}`;
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
let t: TestService;
let hook: Server;
const hooks: { body: string; signature: string }[] = [];

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      hooks.push({ body, signature: String(req.headers['x-jpki-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/changes`;
  t = await startTestService({
    redis: { url: 'redis://127.0.0.1:6379', prefix, cluster: false },
    challenge: { ttlSec: 120, store: 'redis' },
    platform: { auditRetentionSec: 86_400 },
    // The change webhook's receiver listens on 127.0.0.1 over plain http.
    webhooks: { allowHosts: ['127.0.0.1'], allowPrivate: true },
    tenants: [
      { id: 'p', apiKeySha256: sha(KEY_P), mode: 'proxy', linkedCards: true, basicInfo: true, webhookSecret: SECRET_P, webhookUrl: hookUrl },
      { id: 'd', apiKeySha256: sha(KEY_D), mode: 'delegate', linkedCards: true },
      { id: 'p2', apiKeySha256: sha(KEY_P2), mode: 'proxy' },
      { id: 'n', apiKeySha256: sha(KEY_N) },
      { id: 'op', apiKeySha256: sha(KEY_OP), operator: true },
      { id: 'r', apiKeySha256: sha(KEY_R), rateLimit: { perSecond: 1, burst: 2 } },
    ],
  });
}, 60_000);

afterAll(async () => {
  await t?.svc.close();
  hook?.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const auth = async (id: string, key: string) => t.authBody(t.holder(id), await t.challenge(key));
const get = async (path: string, key: string) => {
  const r = await fetch(`${t.url}${path}`, { headers: { 'x-api-key': key } });
  return { status: r.status, body: (await r.json().catch(() => null)) as any, text: '' };
};
const serialOf = (id: string) => BigInt(`0x${t.holder(id).serial}`).toString(16);

describe('ID conversion and proxy mode', () => {
  it('gives proxy tenants a conversion ID and never the serial; delegate tenants both, unlinkable across tenants', async () => {
    const p = await t.post('/v1/verify/auth', await auth('a20', KEY_P), { key: KEY_P });
    expect(p.body.verdict.code).toBe('ok');
    expect(p.body.certificate.conversionId).toMatch(/^cid_/);
    expect(p.body.certificate.serial).toBeUndefined();
    expect(JSON.stringify(p.body).toLowerCase()).not.toContain(serialOf('a20'));
    const again = await t.post('/v1/verify/auth', await auth('a20', KEY_P), { key: KEY_P });
    expect(again.body.certificate.conversionId).toBe(p.body.certificate.conversionId); // stable
    const d = await t.post('/v1/verify/auth', await auth('a20', KEY_D), { key: KEY_D });
    expect(d.body.certificate.serial).toBe(serialOf('a20'));
    // The global fingerprint only for delegate tenants; proxy tenants get a per-tenant handle,
    // stable for them and different for every other tenant (no joining records across tenants).
    const fingerprint = d.body.certificate.fingerprint as string;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(p.body.certificate.fingerprint).toBeUndefined();
    expect(p.body.certificate.handle).toMatch(/^h_[A-Za-z0-9_-]{32}$/);
    expect(again.body.certificate.handle).toBe(p.body.certificate.handle);
    const p2 = await t.post('/v1/verify/auth', await auth('a20', KEY_P2), { key: KEY_P2 });
    expect(p2.body.certificate.handle).toMatch(/^h_/);
    expect(p2.body.certificate.handle).not.toBe(p.body.certificate.handle);
    expect(p2.body.certificate.conversionId).not.toBe(p.body.certificate.conversionId);
    expect(JSON.stringify([p.body, p2.body])).not.toContain(fingerprint);
    // Delegate verifications skip the conversion lookup: a delegate tenant gets the serial.
    expect(d.body.certificate.conversionId).toBeUndefined();
    // Bulk results for a proxy tenant carry no serial either.
    const job = await t.post('/v1/jobs', { items: [{ type: 'auth', ...(await auth('a21', KEY_P)) }] }, { key: KEY_P });
    let res: any;
    for (let i = 0; i < 100; i++) {
      res = (await get(`/v1/jobs/${job.body.jobId}`, KEY_P)).body;
      if (res.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(res.results[0].certificate.conversionId).toMatch(/^cid_/);
    expect(JSON.stringify(res).toLowerCase()).not.toContain(serialOf('a21'));
  });
});

describe('linking (紐付管理)', () => {
  it('enrols a verified holder with cards (masked), asks to choose between several, unlinks, lists', async () => {
    const cards = [
      { institution: 'bank-x', kind: 'debit', accountRef: '0012345678', label: 'ordinary' },
      { institution: 'card-y', kind: 'credit', accountRef: '4111111111111111' },
    ];
    const enrol = await t.post('/v1/links', { ...(await auth('a22', KEY_P)), customerRef: 'cust-22', cards }, { key: KEY_P });
    expect(enrol.status).toBe(201);
    expect(enrol.body.link.cards.map((c: { masked: string }) => c.masked)).toEqual(['******5678', '************1111']);
    expect(JSON.stringify(enrol.body)).not.toContain('4111111111111111');
    expect(enrol.body.link.serial).toBeUndefined(); // proxy
    const cid = enrol.body.link.conversionId as string;
    const who = await t.post('/v1/links/identify', await auth('a22', KEY_P), { key: KEY_P });
    expect(who.body).toMatchObject({ next: 'choose_card', conversionId: cid, link: { customerRef: 'cust-22' } });
    expect(who.body.link.cards).toHaveLength(2);
    const one = await t.post('/v1/links', { ...(await auth('a23', KEY_P)), customerRef: 'cust-23', cards: [cards[0]] }, { key: KEY_P });
    expect(one.status).toBe(201);
    expect((await t.post('/v1/links/identify', await auth('a23', KEY_P), { key: KEY_P })).body.next).toBe('linked');
    // Another customer on the same holder: refused.
    const clash = await t.post('/v1/links', { ...(await auth('a23', KEY_P)), customerRef: 'someone-else' }, { key: KEY_P });
    expect(clash).toMatchObject({ status: 409, body: { code: 'already_linked' } });
    // A revoked or tampered authentication links nothing.
    const bad = await t.post('/v1/links', { ...(await auth('a1', KEY_P)), customerRef: 'x' }, { key: KEY_P });
    expect(bad).toMatchObject({ status: 422, body: { code: 'not_verified' } });
    expect(bad.body.message).toContain('revoked');
    // List with paging.
    const listed = await get('/v1/links?limit=1000', KEY_P);
    expect(listed.body.links.map((l: { customerRef: string }) => l.customerRef).sort()).toEqual(['cust-22', 'cust-23']);
    // Unlink.
    expect((await fetch(`${t.url}/v1/links/${one.body.link.conversionId}`, { method: 'DELETE', headers: { 'x-api-key': KEY_P } })).status).toBe(204);
    expect((await t.post('/v1/links/identify', await auth('a23', KEY_P), { key: KEY_P })).body.next).toBe('not_linked');
    // Delegate tenants see the serial on their links.
    const dl = await t.post('/v1/links', { ...(await auth('a24', KEY_D)), customerRef: 'd-24' }, { key: KEY_D });
    expect(dl.body.link.serial).toBe(serialOf('a24'));
  });

  it("keeps tenants apart: no tenant reads another one's links; unentitled tenants are refused", async () => {
    const mine = await get('/v1/links?limit=1000', KEY_P);
    const cid = mine.body.links[0].conversionId;
    expect((await get(`/v1/links/${cid}`, KEY_P)).status).toBe(200);
    expect((await get(`/v1/links/${cid}`, KEY_D)).status).toBe(404);
    expect((await get('/v1/links?limit=1000', KEY_D)).body.links.map((l: { customerRef: string }) => l.customerRef)).toEqual(['d-24']);
    expect((await fetch(`${t.url}/v1/links/${cid}`, { method: 'DELETE', headers: { 'x-api-key': KEY_D } })).status).toBe(404);
    expect((await get(`/v1/links/${cid}`, KEY_P)).status).toBe(200); // still there
    expect((await get('/v1/links', KEY_N)).body.code).toBe('forbidden');
  });
});

describe('renewals and change confirmation', () => {
  it('follows a renewal: the renewed card identifies as the same customer with the same conversion ID', async () => {
    const enrol = await t.post(
      '/v1/links',
      { ...(await auth('a40', KEY_P)), customerRef: 'cust-40', cards: [{ institution: 'bank-x', kind: 'bank', accountRef: '9999000040' }] },
      { key: KEY_P },
    );
    const cid = enrol.body.link.conversionId;
    const { renewed, file } = renewHolders({ dir: t.dir, now: T0, ids: ['a40'] });
    expect(renewed[0].serial).not.toBe(t.holder('a40').serial);
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain(`renewal,${t.holder('a40').serial},${renewed[0].serial}`);
    // Only the operator imports link data.
    const refused = await fetch(`${t.url}/v1/admin/link-data`, { method: 'POST', headers: { 'x-api-key': KEY_P, 'content-type': 'text/csv' }, body: csv });
    expect(refused.status).toBe(403);
    const imported = await fetch(`${t.url}/v1/admin/link-data`, { method: 'POST', headers: { 'x-api-key': KEY_OP, 'content-type': 'text/csv' }, body: csv });
    expect(await imported.json()).toMatchObject({ records: 1, renewals: 1, skipped: 0 });
    const badData = await fetch(`${t.url}/v1/admin/link-data`, {
      method: 'POST',
      headers: { 'x-api-key': KEY_OP, 'content-type': 'text/csv' },
      body: 'renewal,zz,01\n',
    });
    expect(await badData.json()).toMatchObject({ code: 'bad_link_data' });
    const ch = await t.challenge(KEY_P);
    const sig = cardSign(t.pki.keys[renewed[0].key], ch.challenge);
    const who = await t.post(
      '/v1/links/identify',
      { certificate: Buffer.from(renewed[0].cert).toString('base64'), challengeId: ch.challengeId, signature: Buffer.from(sig).toString('base64') },
      { key: KEY_P },
    );
    expect(who.body.verdict.code).toBe('ok');
    expect(who.body).toMatchObject({ conversionId: cid, next: 'linked', link: { customerRef: 'cust-40' } });
    // A pair record joins a signing certificate to the holder: same conversion ID.
    await fetch(`${t.url}/v1/admin/link-data`, {
      method: 'POST',
      headers: { 'x-api-key': KEY_OP, 'content-type': 'application/json' },
      body: JSON.stringify({ records: [{ type: 'pair', from: t.holder('s5').serial, to: renewed[0].serial }] }),
    });
    const doc = Buffer.from('contract 40');
    const s = await t.post(
      '/v1/verify/signature',
      {
        certificate: Buffer.from(t.holder('s5').cert).toString('base64'),
        data: doc.toString('base64'),
        signature: Buffer.from(cardSign(t.pki.keys[t.holder('s5').key], doc)).toString('base64'),
      },
      { key: KEY_P },
    );
    expect(s.body.certificate.conversionId).toBe(cid);
  });

  it('re-checks watched signing certificates after a CRL refresh; the tenant pulls the change and gets a signed webhook', async () => {
    const doc = Buffer.from('loan contract');
    const body = (id: string) => ({
      certificate: Buffer.from(t.holder(id).cert).toString('base64'),
      data: doc.toString('base64'),
      signature: Buffer.from(cardSign(t.pki.keys[t.holder(id).key], doc)).toString('base64'),
    });
    const w = await t.post('/v1/watches', { ...body('s3'), customerRef: 'cust-s3' }, { key: KEY_P });
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ status: 'good', customerRef: 'cust-s3' });
    expect(w.body.serial).toBeUndefined();
    const w2 = await t.post('/v1/watches', body('s4'), { key: KEY_P });
    expect(w2.body.status).toBe('good');
    expect((await t.post('/v1/watches', await auth('a30', KEY_P), { key: KEY_P })).status).toBe(400); // not a signature body
    expect((await get(`/v1/watches/${w.body.watchId}`, KEY_D)).status).toBe(404);

    // The next day's CRLs: s3 moved (affiliationChanged); s4 untouched.
    publishCrls({ dir: t.dir, now: T0 + 30_000, day: 1, revokedShare: 0, revoke: { ...REVOKED, s3: 3 } });
    await t.svc.local!.feed!.refresh();
    let changes: any[] = [];
    for (let i = 0; i < 200 && changes.length === 0; i++) {
      changes = (await get('/v1/changes', KEY_P)).body.changes;
      if (!changes.length) await new Promise((r) => setTimeout(r, 20));
    }
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      watchId: w.body.watchId,
      customerRef: 'cust-s3',
      from: 'good',
      to: 'revoked',
      reason: 'affiliationChanged',
      action: 'ask_customer_to_update_details',
      crl: { crlNumber: '02' },
    });
    expect((await get(`/v1/watches/${w.body.watchId}`, KEY_P)).body).toMatchObject({ status: 'revoked', reason: 'affiliationChanged' });
    expect((await get(`/v1/watches/${w2.body.watchId}`, KEY_P)).body.status).toBe('good');
    // Paging from the cursor: nothing newer.
    expect((await get(`/v1/changes?cursor=${changes[0].cursor}`, KEY_P)).body.changes).toEqual([]);
    // Other tenants see none of it.
    expect((await get('/v1/changes', KEY_D)).body.changes).toEqual([]);
    // The webhook: signed with the tenant's secret, no serial.
    for (let i = 0; i < 100 && hooks.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const h = hooks[0];
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(h.signature)!;
    expect(createHmac('sha256', SECRET_P).update(`${m[1]}.${h.body}`).digest('hex')).toBe(m[2]);
    expect(JSON.parse(h.body)).toMatchObject({ type: 'certificate_status_changed', change: { reason: 'affiliationChanged' } });
    expect(h.body.toLowerCase()).not.toContain(serialOf('s3'));
    // The same set again (another process, a repeated refresh) is not re-checked twice.
    await t.svc.local!.feed!.refresh();
    expect((await get('/v1/changes', KEY_P)).body.changes).toHaveLength(1);
  });
});

describe('audit trail and limits', () => {
  it('records every verification per tenant (code, certificate handle, no personal data), paged and isolated', async () => {
    const all: any[] = [];
    let cursor = '';
    for (;;) {
      const page = await get(`/v1/audit?limit=5${cursor ? `&cursor=${cursor}` : ''}`, KEY_P);
      all.push(...page.body.records);
      if (!page.body.next) break;
      cursor = page.body.next;
    }
    expect(all.length).toBeGreaterThan(10);
    expect(all.some((r) => r.code === 'revoked' && r.route === '/v1/links')).toBe(true);
    expect(all.every((r) => typeof r.at === 'string' && typeof r.code === 'string')).toBe(true);
    // A proxy tenant's trail names certificates by its own handles, never the global fingerprint.
    expect(all.filter((r) => r.code === 'ok').every((r) => /^h_[A-Za-z0-9_-]{32}$/.test(r.certificate))).toBe(true);
    expect(all.some((r) => /^[0-9a-f]{64}$/.test(r.certificate ?? ''))).toBe(false);
    expect(JSON.stringify(all).toLowerCase()).not.toContain(serialOf('a20'));
    const theirs = (await get('/v1/audit?limit=1000', KEY_D)).body.records;
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.filter((r: any) => r.code === 'ok').every((r: any) => /^[0-9a-f]{64}$/.test(r.certificate))).toBe(true);
    expect(theirs.length).toBeLessThan(all.length);
  });

  it('answers 429 with Retry-After past a tenant rate limit', async () => {
    const r = await Promise.all(Array.from({ length: 4 }, () => fetch(`${t.url}/v1/challenges`, { method: 'POST', headers: { 'x-api-key': KEY_R } })));
    const limited = r.filter((x) => x.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0].headers.get('retry-after')).toBe('1');
    expect(((await limited[0].json()) as { code: string }).code).toBe('rate_limited');
  });

  it('never logs a serial, a conversion ID source or an account reference', () => {
    const logs = t.logs.join('');
    for (const id of ['a20', 'a22', 'a40', 's3']) expect(logs.toLowerCase()).not.toContain(serialOf(id));
    expect(logs).not.toContain('4111111111111111');
    expect(logs).not.toContain('cust-22');
  });
});
