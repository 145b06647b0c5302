import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { CONFORMANCE } from '../conformance/shared.js';

/** Runs the CLI in-process and captures what it prints. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ') + '\n'));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ') + '\n'));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  const ewrite = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    ewrite.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('jpki-verify CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jpki-cli-'));

  it('pki init writes a simulated J-LIS with a progress report', async () => {
    const r = await run(
      'pki',
      'init',
      '--dir',
      dir,
      '--auth',
      '30',
      '--signing',
      '10',
      '--test',
      '2',
      '--ecdsa-auth',
      '3',
      '--ecdsa-signing',
      '2',
      '--pool',
      '2',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/100%/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.users).toEqual({ authentication: 30, signing: 10, test: 2, ecdsaAuthentication: 3, ecdsaSigning: 2 });
    expect(manifest.roots.map((x: { label: string }) => x.label)).toEqual([
      'sign-gen1',
      'sign-gen2',
      'sign-gen3',
      'auth-gen1',
      'auth-gen2',
      'auth-gen3',
      'sign-gen4',
      'auth-gen4',
      'test-root',
    ]);
    const auth = readFileSync(join(dir, 'users', 'auth.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(auth).toHaveLength(33);
    expect(auth.filter((h) => h.root === 'auth-gen4').map((h) => h.id)).toEqual(['a-ec0', 'a-ec1', 'a-ec2']);
    expect(existsSync(join(dir, 'trust-test', 'test-root.pem'))).toBe(true);
  });

  it('card sign + verify auth: exit 0 when valid, 1 when the challenge differs, 3 when revocation was not checked', async () => {
    const cert = join(dir, 'a3.pem');
    const pem = await run('card', 'cert', '--dir', dir, '--holder', 'a3');
    writeFileSync(cert, pem.out);
    const sig = (await run('card', 'sign', '--dir', dir, '--holder', 'a3', '--challenge', 'c0ffee')).out.trim();
    const args = ['--roots', join(dir, 'trust'), '--cert', cert, '--signature', sig];
    // No CRL and no --no-revocation: valid as far as it goes, but it says so and exits 3.
    const unchecked = await run('verify', 'auth', ...args, '--challenge', 'c0ffee');
    expect(unchecked.code).toBe(3);
    expect(JSON.parse(unchecked.out).verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { status: 'not_checked' } });
    expect(unchecked.err).toMatch(/revocation not checked/);
    const ok = await run('verify', 'auth', ...args, '--challenge', 'c0ffee', '--no-revocation');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).verdict.code).toBe('ok');
    await run('pki', 'crl', '--dir', dir, '--revoke', 'a4:keyCompromise');
    // The simulated J-LIS also revokes a share of holders at random: a3 may be one of them.
    const listed = (JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')) as { revoked: { id: string }[] }).revoked.some((r) => r.id === 'a3');
    const withCrl = await run('verify', 'auth', ...args, '--challenge', 'c0ffee', '--crl', join(dir, 'crl'));
    expect(withCrl.code).toBe(listed ? 1 : 0);
    const v = JSON.parse(withCrl.out).verdict;
    expect(v.revocation).toMatchObject({ status: listed ? 'revoked' : 'good', source: { thisUpdate: expect.stringMatching(/Z$/) } });
    if (!listed) expect(v).not.toHaveProperty('depth');
    const bad = await run('verify', 'auth', ...args, '--challenge', 'c0ffef', '--no-revocation');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).verdict.code).toBe('signature_invalid');
    expect((await run('verify', 'auth', ...args, '--challenge', 'c0ffee', '--no-revocation', '--crl', join(dir, 'crl'))).code).toBe(2);
  });

  it('a P-384 card: card sign (SHA-384, DER) and verify against the gen-4 CRLs, accepted only with --accept-ecdsa', async () => {
    const cert = join(dir, 'a-ec1.pem');
    writeFileSync(cert, (await run('card', 'cert', '--dir', dir, '--holder', 'a-ec1')).out);
    const sig = (await run('card', 'sign', '--dir', dir, '--holder', 'a-ec1', '--challenge', 'c0ffee')).out.trim();
    expect(Buffer.from(sig, 'base64')[0]).toBe(0x30); // an ECDSA-Sig-Value
    const args = ['verify', 'auth', '--roots', join(dir, 'trust'), '--cert', cert, '--challenge', 'c0ffee', '--signature', sig];
    const off = await run(...args, '--no-revocation');
    expect(off.code).toBe(1);
    expect(JSON.parse(off.out).verdict.code).toBe('unsupported_algorithm');
    await run('pki', 'crl', '--dir', dir, '--revoke', 'a-ec2:keyCompromise');
    expect(
      existsSync(
        join(
          dir,
          'crl',
          `auth-gen4-${
            JSON.parse(
              readFileSync(join(dir, 'users', 'auth.ndjson'), 'utf8')
                .split('\n')
                .find((l) => l.includes('"a-ec1"'))!,
            ).partition
          }.crl`,
        ),
      ),
    ).toBe(true);
    // The simulated J-LIS also revokes a share of holders at random: a-ec1 may be one of them.
    const listed = (JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')) as { revoked: { id: string }[] }).revoked.some((r) => r.id === 'a-ec1');
    const on = await run(...args, '--accept-ecdsa', '--crl', join(dir, 'crl'));
    expect(on.code).toBe(listed ? 1 : 0);
    expect(JSON.parse(on.out).verdict).toMatchObject({ code: listed ? 'revoked' : 'ok', revocation: { status: listed ? 'revoked' : 'good' } });
    const revokedCert = join(dir, 'a-ec2.pem');
    writeFileSync(revokedCert, (await run('card', 'cert', '--dir', dir, '--holder', 'a-ec2')).out);
    const rsig = (await run('card', 'sign', '--dir', dir, '--holder', 'a-ec2', '--challenge', 'c0ffee')).out.trim();
    const revoked = await run(
      'verify',
      'auth',
      '--roots',
      join(dir, 'trust'),
      '--cert',
      revokedCert,
      '--challenge',
      'c0ffee',
      '--signature',
      rsig,
      '--accept-ecdsa',
      '--crl',
      join(dir, 'crl'),
    );
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.out).verdict).toMatchObject({ code: 'revoked', revocation: { reason: 'keyCompromise' } });
    const doc = join(dir, 'doc-ec.txt');
    writeFileSync(doc, '契約書 P-384');
    const scert = join(dir, 's-ec0.pem');
    writeFileSync(scert, (await run('card', 'cert', '--dir', dir, '--holder', 's-ec0')).out);
    const digest = createHash('sha384').update('契約書 P-384').digest('hex');
    const dsig = (await run('card', 'sign', '--dir', dir, '--holder', 's-ec0', '--digest', digest)).out.trim();
    const signed = await run(
      'verify',
      'signature',
      '--roots',
      join(dir, 'trust'),
      '--no-revocation',
      '--cert',
      scert,
      '--data-file',
      doc,
      '--signature',
      dsig,
      '--accept-ecdsa',
    );
    expect(signed.code).toBe(0);
    expect(JSON.parse(signed.out).basicInfo.name).toBeTruthy();
  });

  it('verify signature over a file, with the 基本4情報 in the result', async () => {
    const cert = join(dir, 's1.pem');
    writeFileSync(cert, (await run('card', 'cert', '--dir', dir, '--holder', 's1')).out);
    const doc = join(dir, 'doc.txt');
    writeFileSync(doc, '契約書');
    const sig = (await run('card', 'sign', '--dir', dir, '--holder', 's1', '--data-file', doc)).out.trim();
    const r = await run('verify', 'signature', '--roots', join(dir, 'trust'), '--no-revocation', '--cert', cert, '--data-file', doc, '--signature', sig);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).basicInfo.name).toMatch(/　/);
  });

  it('pki revoke records a revocation now (the next pki crl publishes it); an unknown holder or reason is bad usage', async () => {
    const r = await run('pki', 'revoke', '--dir', dir, '--holders', 'a7:keyCompromise,s2');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/recorded 2 revocation\(s\) \(a7, s2\)/);
    const revoked = JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')).revoked as { id: string; reason: number }[];
    expect(revoked.filter((x) => x.id === 'a7' || x.id === 's2').map((x) => [x.id, x.reason])).toEqual([
      ['a7', 1],
      ['s2', 1],
    ]);
    expect((await run('pki', 'revoke', '--dir', dir, '--holders', 'a7')).err).toMatch(/all already revoked/);
    expect((await run('pki', 'revoke', '--dir', dir, '--holders', 'zz9')).code).toBe(2);
    expect((await run('pki', 'revoke', '--dir', dir, '--holders', 'a8:lost')).code).toBe(2);
    // Published by the next CRL.
    expect((await run('pki', 'crl', '--dir', dir)).code).toBe(0);
    const ids = (JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')).revoked as { id: string }[]).map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining(['a7', 's2']));
  });

  it('limbo: one JSON line per case, a summary, exit 0 on the shared suite', async () => {
    const r = await run('limbo', join(CONFORMANCE, 'limbo', 'limbo.json'));
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^limbo: \d+ passed, 0 failed, \d+ excepted$/);
    const first = JSON.parse(lines[0]);
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['id', 'expected', 'actual', 'code']));
  });

  it('limbo: exit 1 when a case does not match', async () => {
    const data = JSON.parse(readFileSync(join(CONFORMANCE, 'limbo', 'limbo.json'), 'utf8'));
    const tc = data.testcases.find((c: { id: string }) => c.id === 'rfc5280::validity::expired-leaf');
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ version: 1, testcases: [{ ...tc, expected_result: 'SUCCESS' }] }));
    const r = await run('limbo', file, '--exceptions', 'none');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out.split('\n')[0])).toMatchObject({ expected: 'SUCCESS', actual: 'FAILURE', code: 'expired' });
  });

  it('bad usage exits 2 and names the problem', async () => {
    expect((await run('nonsense')).code).toBe(2);
    const r = await run('verify', 'auth', '--cert', 'x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--roots is required/);
    expect((await run('card', 'sign', '--dir', dir, '--holder', 'a1', '--challenge', 'zz')).err).toMatch(/must be hex/);
  });
});

describe('the command as installed', () => {
  // npm installs `jpki-verify` as a symlink to the package's entry: it must run through one.
  it('runs through a symlink: prints its version, and refuses a bad config with exit 2 and the field', async () => {
    const { execFile } = await import('node:child_process');
    const { symlinkSync } = await import('node:fs');
    const { REPO_ROOT } = await import('../conformance/shared.js');
    const bin = join(mkdtempSync(join(tmpdir(), 'jpki-bin-')), 'jpki-verify');
    symlinkSync(join(REPO_ROOT, 'src/cli/main.ts'), bin);
    const exec = (...args: string[]) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) =>
        execFile(process.execPath, ['--import', 'tsx', bin, ...args], { cwd: REPO_ROOT }, (e, out, err) => resolve({ code: e ? Number(e.code) : 0, out, err })),
      );
    const version = await exec('--version');
    expect(version.out.trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    const cfg = join(mkdtempSync(join(tmpdir(), 'jpki-cfg-')), 'bad.json');
    writeFileSync(cfg, JSON.stringify({ pool: { threads: 0 } }));
    const bad = await exec('serve', '--config', cfg);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('pool.threads');
    const noRoot = join(mkdtempSync(join(tmpdir(), 'jpki-cfg-')), 'no-root.json');
    writeFileSync(noRoot, JSON.stringify({ trust: { roots: ['/nonexistent/roots'] }, tenants: [{ id: 'a', apiKeySha256: 'a'.repeat(64) }] }));
    const missing = await exec('serve', '--config', noRoot);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('config trust.roots[0]: /nonexistent/roots does not exist');
  });
});

describe('first contact', () => {
  it("COMMAND --help prints that command's usage and exits 0", async () => {
    for (const cmd of ['worker', 'verify', 'start', 'serve', 'client']) {
      const r = await run(cmd, '--help');
      expect(r.code, cmd).toBe(0);
      expect(r.out, cmd).toContain(`  ${cmd} `);
      expect(r.err, cmd).toBe('');
    }
  });

  it('client: a dead URL and a wrong key are clear errors, not a TypeError or a bare "fetch failed"', async () => {
    const { startTestService } = await import('../helpers/service.js');
    const { freePort } = await import('../helpers/cluster.js');
    const t = await startTestService();
    try {
      const port = await freePort(); // nothing listens there
      const dead = await run('client', '--url', `http://127.0.0.1:${port}`, '--key', 'x', '--dir', t.dir, 'auth', '--holder', 'a30');
      expect(dead.code).toBe(2);
      expect(dead.err).toContain(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
      const wrong = await run('client', '--url', t.url, '--key', 'not-a-key', '--dir', t.dir, 'auth', '--holder', 'a30');
      expect(wrong.code).toBe(2);
      expect(wrong.err).toContain('POST /v1/challenges answered 401 unauthorized');
      expect(wrong.err).not.toMatch(/TypeError/);
    } finally {
      await t.svc.close();
    }
  });
});
