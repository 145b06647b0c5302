// Interop with an independent implementation, both ways:
//  - this project's client against `openssl ocsp -index … -rsigner … -port` as the responder;
//  - `openssl ocsp -issuer … -cert … -url …` as the client against the simulated J-LIS responder.
// `openssl ocsp -port` listens on every interface; it runs in a network namespace of its own
// (unshare -n, only a loopback inside), reached through a Unix socket and a relay on 127.0.0.1.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, parseCertificate, toPem, type Certificate } from '../../src/core/certificate.js';
import type { OcspOutcome } from '../../src/core/revocation-plan.js';
import { initPki, openPki, type Holder } from '../../src/dev/sim/jlis.js';
import { publishCrls, recordRevocations } from '../../src/dev/sim/jlis-crl.js';
import { ensureResponders, serveOcsp, type OcspServer } from '../../src/dev/sim/ocsp-responder.js';
import { OcspClient, type OcspClientOptions } from '../../src/ocsp/client.js';
import { HttpTransport } from '../../src/ocsp/transport.js';

const run = promisify(execFile);
const now = Date.now();
let dir: string;
let holders: Holder[];
let root: Certificate;
const ROOT = 'auth-gen3';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ocsp-interop-'));
  initPki({ dir, now, authUsers: 30, signingUsers: 2, testUsers: 0, poolSize: 2, seed: 11 });
  publishCrls({ dir, now, revokedShare: 0, revoke: { a3: 1 } });
  const pki = openPki(dir);
  root = parseCertificate(pki.rootCert(ROOT));
  holders = pki.holders('authentication').filter((h) => h.root === ROOT);
  for (const h of holders) writeFileSync(join(dir, `${h.id}.pem`), toPem(h.cert, 'CERTIFICATE'));
  ensureResponders(dir, now);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: OcspClientOptions = {
  url: null,
  timeoutMs: 5000,
  retries: 1,
  backoffMs: 50,
  maxResponseBytes: 64 * 1024,
  skewMs: 300_000,
  maxAgeMs: 3_600_000,
  nonce: true,
  get: true,
  hash: 'sha1',
  batchMax: 16,
  batchDelayUs: 500,
  cacheEntries: 0,
  circuitFailures: 5,
  circuitOpenMs: 10_000,
};

/** OpenSSL's CA database line: V|R, expiry, revocation[,reason], serial, file, subject. */
function indexLine(h: Holder, revoked: { at: number; reason: string } | null): string {
  const c = parseCertificate(h.cert);
  const t = (ms: number): string => new Date(ms).toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z');
  const rev = revoked ? `${t(revoked.at)},${revoked.reason}` : '';
  return [revoked ? 'R' : 'V', t(c.notAfter), rev, c.serialHex.toUpperCase(), 'unknown', `/C=JP/CN=${h.id}`].join('\t');
}

// The relay inside the namespace: starts the responder, waits until it says it listens (a probe
// connection would hold the one-connection-at-a-time responder), then forwards a Unix socket to
// it; it stops the responder when its stdin closes (the test process went away).
const RELAY = `
const net = require('net'); const { spawn } = require('child_process');
const [sock, port, ...args] = process.argv.slice(1);
const ossl = spawn('openssl', ['ocsp', ...args, '-port', port], { stdio: ['ignore', 'pipe', 'inherit'] });
ossl.on('exit', (code) => { console.error('openssl ocsp exited ' + code); process.exit(1); });
const stop = () => { ossl.kill(); process.exit(0); };
process.stdin.on('end', stop); process.stdin.resume(); process.on('SIGTERM', stop);
const server = net.createServer((c) => {
  const u = net.connect(Number(port), '127.0.0.1');
  c.pipe(u).pipe(c);
  u.on('error', () => c.destroy()); c.on('error', () => u.destroy());
});
let out = '';
ossl.stdout.on('data', (d) => { out += d; if (/^ACCEPT /m.test(out) && !server.listening) server.listen(sock, () => console.log('ready')); });
`;

describe('this client against openssl ocsp -index … -rsigner … -port', () => {
  let relay: ChildProcess;
  let tcp: Server;
  let url: string;
  const revokedAt = Math.floor((now - 86_400_000) / 1000) * 1000;

  async function startResponder(extra: string[]): Promise<void> {
    const index = join(dir, 'index.txt');
    writeFileSync(
      index,
      holders
        .filter((h) => h.id !== 'a9') // a9 is not in the database: unknown to the responder
        .map((h) =>
          indexLine(h, h.id === 'a3' ? { at: revokedAt, reason: 'keyCompromise' } : h.id === 'a4' ? { at: revokedAt, reason: 'certificateHold' } : null),
        )
        .join('\n') + '\n',
    );
    const sock = join(dir, `ocsp-${randomBytes(4).toString('hex')}.sock`);
    const port = String(20_000 + Math.floor(Math.random() * 40_000)); // its own namespace: no collision
    const args = [
      ...['-index', index, '-CA', join(dir, 'trust', `${ROOT}.pem`), '-rsigner', join(dir, 'ocsp', `${ROOT}.pem`)],
      ...['-rkey', join(dir, 'ocsp', `${ROOT}.key.pem`), '-nmin', '30', '-nrequest', '100', ...extra],
    ];
    relay = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec node -e "$0" "$@"', RELAY, sock, port, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      relay.stdout!.once('data', () => resolve());
      relay.once('exit', (code) => reject(new Error(`relay exited ${code}`)));
    });
    tcp = createServer((c) => {
      const u = connect(sock);
      c.pipe(u).pipe(c);
      u.on('error', () => c.destroy());
      c.on('error', () => u.destroy());
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}/`;
  }
  async function stopResponder(): Promise<void> {
    relay.stdin!.end();
    await new Promise((r) => relay.once('exit', r));
    await new Promise((r) => tcp.close(r));
  }

  const lookup = (c: OcspClient, id: string): Promise<OcspOutcome> => {
    const h = holders.find((x) => x.id === id)!;
    return c.lookup({ issuer: fingerprint(root), serial: parseCertificate(h.cert).serialHex, urls: [url], time: Date.now() });
  };
  const client = (o: Partial<OcspClientOptions> = {}) =>
    new OcspClient(
      { ...OPTIONS, ...o },
      { issuer: (fp) => (fp === fingerprint(root) ? root : undefined), transport: new HttpTransport(), clock: Date.now, nonce: () => randomBytes(16) },
    );

  for (const [name, extra] of [
    ['responder named by name', []],
    ['responder named by key (-resp_key_id)', ['-resp_key_id']],
  ] as const) {
    it(`good, revoked (reason, time) and unknown, GET and batched POST, nonce echoed — ${name}`, async () => {
      await startResponder([...extra]);
      try {
        const c = client();
        // One at a time: GET.
        const good = await lookup(c, 'a0');
        expect(good).toMatchObject({ kind: 'answer', answer: { status: 'good', source: { kind: 'ocsp', url } } });
        if (good.kind === 'answer') {
          expect(good.answer.source.responder).toContain(`OCSP Responder ${ROOT}`);
          expect(good.answer.source.nextUpdate! - good.answer.source.thisUpdate).toBe(30 * 60_000);
        }
        // Together: one POST with several CertIDs.
        const [revoked, hold, unknown, good2] = await Promise.all(['a3', 'a4', 'a9', 'a5'].map((id) => lookup(c, id)));
        expect(revoked).toMatchObject({ kind: 'answer', answer: { status: 'revoked', reason: 'keyCompromise', revokedAt } });
        expect(hold).toMatchObject({ kind: 'answer', answer: { status: 'revoked', reason: 'certificateHold' } });
        expect(unknown).toMatchObject({ kind: 'answer', answer: { status: 'unknown' } });
        expect(good2).toMatchObject({ kind: 'answer', answer: { status: 'good' } });
        // SHA-256 CertIDs, POST only.
        const c2 = client({ hash: 'sha256', get: false });
        expect(await lookup(c2, 'a3')).toMatchObject({ kind: 'answer', answer: { status: 'revoked' } });
        await Promise.all([c.close(), c2.close()]);
      } finally {
        await stopResponder();
      }
    });
  }
});

describe('openssl ocsp -issuer … -cert … -url … against the simulated J-LIS responder', () => {
  let srv: OcspServer;
  beforeAll(async () => {
    recordRevocations(dir, { a6: 6 }, now); // after the last CRL
    srv = await serveOcsp({ dir, port: 0 });
  });
  afterAll(() => srv?.close());

  const opensslClient = async (args: string[]): Promise<string> => {
    const issuer = join(dir, 'trust', `${ROOT}.pem`);
    const { stdout, stderr } = await run('openssl', ['ocsp', '-issuer', issuer, ...args, '-url', srv.url, '-CAfile', issuer, '-timeout', '10']);
    return stdout + stderr;
  };

  it('verifies the delegated responder and reads good, revoked on the CRL and revoked after it (with nonce)', async () => {
    const out = await opensslClient(['-cert', join(dir, 'a0.pem'), '-cert', join(dir, 'a3.pem'), '-cert', join(dir, 'a6.pem')]);
    expect(out).toContain('Response verify OK');
    expect(out).toMatch(/a0\.pem: good/);
    expect(out).toMatch(/a3\.pem: revoked[\s\S]*Reason: keyCompromise/);
    expect(out).toMatch(/a6\.pem: revoked[\s\S]*Reason: certificateHold/);
    expect(out).not.toMatch(/WARNING: no nonce/);
  });

  it('SHA-256 CertIDs and no nonce', async () => {
    const out = await opensslClient(['-sha256', '-cert', join(dir, 'a0.pem'), '-no_nonce']);
    expect(out).toContain('Response verify OK');
    expect(out).toMatch(/a0\.pem: good/);
  });

  it('a request it cannot read gets malformedRequest, as OpenSSL reads it', async () => {
    const res = await fetch(srv.url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: randomBytes(40) });
    const file = join(dir, 'malformed.der');
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    const { stdout } = await run('openssl', ['ocsp', '-respin', file, '-resp_text', '-noverify']).catch((e) => e as { stdout: string });
    expect(stdout).toMatch(/Responder Error: malformedrequest \(1\)/);
  });
});
