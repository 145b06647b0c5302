// The OCSP client over real HTTP: against the simulated J-LIS responder (statuses, revocations
// after the last CRL, GET and POST, batching, cache, joined lookups) and against a scripted
// responder that answers badly on purpose (forged, stale, another nonce, another signer,
// truncated, oversized, HTTP errors, hanging).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, parseCertificate, type Certificate } from '../../src/core/certificate.js';
import type { OcspFailure } from '../../src/core/ocsp-failure.js';
import { nonceValue, parseOcspRequest } from '../../src/core/ocsp-request.js';
import type { OcspOutcome, OcspTarget } from '../../src/core/revocation-plan.js';
import { initPki, openPki, type Holder } from '../../src/dev/sim/jlis.js';
import { publishCrls, recordRevocations } from '../../src/dev/sim/jlis-crl.js';
import { serveOcsp, type OcspServer } from '../../src/dev/sim/ocsp-responder.js';
import { RESPONSE_STATUS, errorResponse } from '../../src/dev/sim/ocsp-writer.js';
import { OcspClient, type OcspClientOptions, type OcspObserver } from '../../src/ocsp/client.js';
import { HttpTransport } from '../../src/ocsp/transport.js';
import { makeResponder, respond } from '../helpers/ocsp.js';
import { DAY, NOW, makeTestPki } from '../helpers/pki.js';

const OPTIONS: OcspClientOptions = {
  url: null,
  timeoutMs: 2000,
  retries: 1,
  backoffMs: 10,
  maxResponseBytes: 64 * 1024,
  skewMs: 300_000,
  maxAgeMs: 3_600_000,
  nonce: true,
  get: true,
  hash: 'sha1',
  batchMax: 16,
  batchDelayUs: 500,
  cacheEntries: 1000,
  circuitFailures: 5,
  circuitOpenMs: 60_000,
};

/** An observer that counts what it sees. */
function counting(): OcspObserver & { seen: Record<string, number> } {
  const seen: Record<string, number> = {};
  const inc = (k: string): void => void (seen[k] = (seen[k] ?? 0) + 1);
  return { seen, lookup: (r) => inc(`lookup:${r}`), exchange: (_r, _s, o) => inc(`exchange:${o}`), outcome: (o) => inc(`outcome:${o}`), circuit: () => {} };
}

const codeOf = (o: OcspOutcome): string => (o.kind === 'answer' ? o.answer.status : o.code);

describe('OCSP client against the simulated J-LIS responder', () => {
  let dir: string;
  let srv: OcspServer;
  let holders: Holder[];
  let anchors: Map<string, Certificate>;
  const now = Date.now();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ocsp-client-'));
    initPki({ dir, now, authUsers: 40, signingUsers: 2, testUsers: 0, ecdsaAuthUsers: 2, poolSize: 2, seed: 7 });
    publishCrls({ dir, now, revokedShare: 0, revoke: { a1: 1 } });
    srv = await serveOcsp({ dir, port: 0 });
    const pki = openPki(dir);
    holders = pki.holders('authentication');
    anchors = new Map(pki.trustPems.map((p) => parseCertificate(pki.rootCert(p.split('/').pop()!.slice(0, -4)))).map((c) => [fingerprint(c), c]));
  });
  afterAll(async () => {
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const target = (h: Holder): OcspTarget => {
    const cert = parseCertificate(h.cert);
    const issuer = [...anchors.values()].find(
      (a) => a.subject.key === cert.issuer.key && Buffer.from(a.extensions.subjectKeyId!).equals(Buffer.from(cert.extensions.authorityKeyId!.keyId!)),
    )!;
    return { issuer: fingerprint(issuer), serial: cert.serialHex, urls: [srv.url], time: Date.now() };
  };
  const client = (o: Partial<OcspClientOptions> = {}, observer = counting()) =>
    new OcspClient(
      { ...OPTIONS, ...o },
      { issuer: (fp) => anchors.get(fp), transport: new HttpTransport(), clock: Date.now, nonce: () => randomBytes(32), observer },
    );

  it('good, revoked on the CRL, and revoked after the last CRL (pki revoke): the same data as the CRLs, and newer', async () => {
    recordRevocations(dir, { a2: 1 }, Date.now()); // lost this morning: on no CRL yet
    const c = client();
    const [good, onCrl, afterCrl] = await Promise.all([holders[5], holders[1], holders[2]].map((h) => c.lookup(target(h))));
    expect(codeOf(good)).toBe('good');
    expect(onCrl).toMatchObject({ kind: 'answer', answer: { status: 'revoked', reason: 'keyCompromise' } });
    expect(afterCrl).toMatchObject({ kind: 'answer', answer: { status: 'revoked', reason: 'keyCompromise', source: { kind: 'ocsp', url: srv.url } } });
    if (good.kind === 'answer') expect(good.answer.source.responder).toMatch(/OCSP Responder auth-gen/);
    await c.close();
  });

  it('GET for one certificate; lookups of one issuer that arrive together are one POST', async () => {
    const c = client();
    const before = { ...srv.requests };
    expect(codeOf(await c.lookup(target(holders[6])))).toBe('good');
    expect(srv.requests.get).toBe(before.get + 1);
    const same = holders.slice(10, 40).filter((h) => h.root === holders[10].root);
    expect(same.length).toBeGreaterThan(3);
    const rs = await Promise.all(same.map((h) => c.lookup(target(h))));
    expect(rs.map(codeOf)).toEqual(same.map(() => 'good'));
    expect(srv.requests.post - before.post).toBe(Math.ceil(same.length / OPTIONS.batchMax));
    expect(srv.requests.certIds - before.certIds).toBe(1 + same.length);
    await c.close();
  });

  it('cached by CertID until nextUpdate: asked again, nobody is asked; asked twice at once, one lookup', async () => {
    const obs = counting();
    const c = client({}, obs);
    const t = target(holders[7]);
    const [a, b] = await Promise.all([c.lookup(t), c.lookup(t)]);
    expect([codeOf(a), codeOf(b)]).toEqual(['good', 'good']);
    const asked = srv.requests.get + srv.requests.post;
    expect(codeOf(await c.lookup(t))).toBe('good');
    expect(srv.requests.get + srv.requests.post).toBe(asked);
    expect(obs.seen).toMatchObject({ 'lookup:miss': 1, 'lookup:joined': 1, 'lookup:hit': 1, 'exchange:ok': 1, 'outcome:good': 3 });
    await c.close();
  });

  it('a card of the ECDSA P-384 generation: its root delegated the responder with ecdsa-with-SHA384', async () => {
    const c = client();
    const ec = holders.find((h) => h.id.startsWith('a-ec'))!;
    expect(ec.root).toMatch(/gen4/);
    expect(await c.lookup(target(ec))).toMatchObject({
      kind: 'answer',
      answer: { status: 'good', source: { responder: expect.stringMatching(/OCSP Responder auth-gen4/) } },
    });
    await c.close();
  });

  it('no responder: a certificate without authorityInfoAccess and no ocsp.url', async () => {
    const c = client();
    expect(await c.lookup({ ...target(holders[8]), urls: [] })).toMatchObject({ kind: 'failure', code: 'no_responder' });
    await c.close();
  });
});

/** A responder answering whatever `answer` makes of each request. */
async function scripted(
  answer: (req: IncomingMessage, body: Uint8Array, res: ServerResponse, socket: Socket) => void,
): Promise<{ url: string; hits: () => number; connections: () => number; close: () => Promise<void> }> {
  let hits = 0;
  let connections = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      let body = new Uint8Array(Buffer.concat(parts));
      if (req.method === 'GET') body = new Uint8Array(Buffer.from(decodeURIComponent((req.url ?? '/').slice(1)), 'base64'));
      answer(req, body, res, req.socket);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    hits: () => hits,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('OCSP client: bad answers are refused with a typed reason', () => {
  const pki = makeTestPki();
  const root = pki.root('auth-gen3');
  const ca = parseCertificate(root.cert);
  const responder = makeResponder(root);
  const leaf = pki.issue({ purpose: 'authentication' });
  const target = (url: string): OcspTarget => ({ issuer: fingerprint(ca), serial: leaf.cert.serialHex, urls: [url], time: NOW });
  const ocspResponse = (res: ServerResponse, der: Uint8Array): void => {
    res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': der.length }).end(der);
  };
  const nonceOf = (body: Uint8Array): Uint8Array | null => parseOcspRequest(body).nonce;
  const lookup = async (url: string, o: Partial<OcspClientOptions> = {}): Promise<OcspOutcome> => {
    const c = new OcspClient(
      { ...OPTIONS, cacheEntries: 0, ...o },
      { issuer: (fp) => (fp === fingerprint(ca) ? ca : undefined), transport: new HttpTransport(), clock: () => NOW, nonce: () => randomBytes(32) },
    );
    try {
      return await c.lookup(target(url));
    } finally {
      await c.close();
    }
  };
  const cases: [string, (body: Uint8Array) => Uint8Array, OcspFailure | 'good'][] = [
    ['a correct answer (control)', (b) => respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceOf(b) }), 'good'],
    [
      'forged: a signature that does not verify',
      (b) => respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceOf(b), corruptSignature: true }),
      'bad_signature',
    ],
    [
      'stale: nextUpdate a day ago',
      (b) =>
        respond(root, [{ serial: leaf.cert.serial, thisUpdate: NOW - 2 * DAY, nextUpdate: NOW - DAY }], {
          by: responder,
          nonce: nonceOf(b),
          producedAt: NOW - 2 * DAY,
        }),
      'stale',
    ],
    ['another nonce (a replay)', () => respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceValue(randomBytes(32)) }), 'nonce_mismatch'],
    ['no nonce', () => respond(root, [{ serial: leaf.cert.serial }], { by: responder }), 'nonce_mismatch'],
    [
      'another responder: delegated by another root',
      (b) => respond(root, [{ serial: leaf.cert.serial }], { by: makeResponder(pki.root('auth-gen2')), nonce: nonceOf(b) }),
      'unauthorized_responder',
    ],
    ['truncated DER', (b) => respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceOf(b) }).subarray(0, 300), 'malformed_response'],
    ['not DER at all', () => new TextEncoder().encode('<html>hello</html>'), 'malformed_response'],
    ['unauthorized (an error status)', () => errorResponse(RESPONSE_STATUS.unauthorized), 'unauthorized'],
  ];
  for (const [name, make, want] of cases) {
    it(name, async () => {
      const s = await scripted((_req, body, res) => ocspResponse(res, make(body)));
      try {
        expect(codeOf(await lookup(s.url))).toBe(want);
      } finally {
        await s.close();
      }
    });
  }

  it('GET and POST both reach the responder, and the answer is the same', async () => {
    const methods: string[] = [];
    const s = await scripted((req, body, res) => {
      methods.push(req.method!);
      ocspResponse(res, respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceOf(body) }));
    });
    try {
      expect(codeOf(await lookup(s.url))).toBe('good');
      expect(codeOf(await lookup(s.url, { get: false }))).toBe('good');
      expect(methods).toEqual(['GET', 'POST']);
    } finally {
      await s.close();
    }
  });

  it('keep-alive: one client asks the same responder over one connection', async () => {
    const s = await scripted((_req, body, res) => ocspResponse(res, respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceOf(body) })));
    const c = new OcspClient(
      { ...OPTIONS, cacheEntries: 0 },
      { issuer: () => ca, transport: new HttpTransport(), clock: () => NOW, nonce: () => randomBytes(32) },
    );
    try {
      for (let i = 0; i < 3; i++) expect(codeOf(await c.lookup(target(s.url)))).toBe('good');
      expect(s.hits()).toBe(3);
      expect(s.connections()).toBe(1);
    } finally {
      await c.close();
      await s.close();
    }
  });

  it('oversized: declared or streamed beyond maxResponseBytes', async () => {
    const big = new Uint8Array(200_000);
    const declared = await scripted((_req, _b, res) => ocspResponse(res, big));
    const streamed = await scripted((_req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/ocsp-response' }); // chunked, no length
      for (let i = 0; i < 20; i++) res.write(new Uint8Array(10_000));
      res.end();
    });
    try {
      expect(codeOf(await lookup(declared.url))).toBe('too_large');
      expect(codeOf(await lookup(streamed.url))).toBe('too_large');
    } finally {
      await declared.close();
      await streamed.close();
    }
  });

  it('cut off mid-body: unreachable (and tried again)', async () => {
    const s = await scripted((_req, body, res, socket) => {
      const der = respond(root, [{ serial: leaf.cert.serial }], { by: responder, nonce: nonceOf(body) });
      res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': der.length });
      res.write(der.subarray(0, 100));
      setTimeout(() => socket.destroy(), 20);
    });
    try {
      expect(codeOf(await lookup(s.url))).toBe('unreachable');
      expect(s.hits()).toBe(2); // retries: 1
    } finally {
      await s.close();
    }
  });

  it('HTTP errors and tryLater are retried within the timeout; a wrong content type is an HTTP error', async () => {
    const e500 = await scripted((_req, _b, res) => res.writeHead(500).end());
    const busy = await scripted((_req, _b, res) => ocspResponse(res, errorResponse(RESPONSE_STATUS.tryLater)));
    const html = await scripted((_req, _b, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>maintenance</p>'));
    try {
      expect(codeOf(await lookup(e500.url, { retries: 2 }))).toBe('http_error');
      expect(e500.hits()).toBe(3);
      expect(codeOf(await lookup(busy.url))).toBe('try_later');
      expect(busy.hits()).toBe(2);
      expect(codeOf(await lookup(html.url))).toBe('http_error');
    } finally {
      await Promise.all([e500.close(), busy.close(), html.close()]);
    }
  });

  it('a hanging responder costs at most the timeout, then trips the breaker: later lookups fail at once without asking it', async () => {
    const sockets: Socket[] = [];
    const s = await scripted((_req, _b, _res, socket) => void sockets.push(socket)); // never answers
    const c = new OcspClient(
      { ...OPTIONS, timeoutMs: 1000, circuitFailures: 2, cacheEntries: 0 },
      { issuer: () => ca, transport: new HttpTransport(), clock: () => NOW, nonce: () => randomBytes(32) },
    );
    try {
      const t0 = performance.now();
      expect(codeOf(await c.lookup(target(s.url)))).toBe('timeout');
      // Bounded by the timeout: a margin for a loaded machine, below what a second attempt would cost.
      expect(performance.now() - t0).toBeLessThan(1000 + 700);
      // The client hung up: the responder's side of the connection closes.
      await new Promise<void>((r) => (sockets[0].closed ? r() : sockets[0].once('close', () => r())));
      expect(codeOf(await c.lookup(target(s.url)))).toBe('timeout');
      expect(s.hits()).toBe(2);
      expect(await c.lookup(target(s.url))).toMatchObject({ kind: 'failure', code: 'circuit_open' });
      expect(s.hits()).toBe(2); // not asked
    } finally {
      await c.close();
      await s.close();
    }
  });
});
