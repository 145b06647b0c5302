// The package as a user gets it: built, packed with npm pack, installed into a temporary prefix
// with npm, then used as a command (through npm's symlink), as a library (import 'jpki-verify')
// and from TypeScript (its declarations). The tarball ships the build, not tests or benchmarks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED } from '../conformance/shared.js';

const work = mkdtempSync(join(tmpdir(), 'jpki-pack-'));
const prefix = join(work, 'prefix');
let tarball = '';
const run = (cmd: string, args: string[], cwd: string) => {
  try {
    return { code: 0, out: execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), err: '' };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: x.stdout, err: x.stderr };
  }
};

beforeAll(() => {
  // npm pack runs the prepack script (npm run build) itself.
  const packed = run('npm', ['pack', REPO_ROOT, '--silent', '--pack-destination', work], work);
  expect(packed.code, packed.err).toBe(0);
  tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  const installed = run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', tarball], work);
  expect(installed.code, installed.err).toBe(0);
}, 300_000);

describe('the installed package', () => {
  it('ships the build and its declarations, not tests, benchmarks or sources', () => {
    const files = run('tar', ['tzf', tarball], work).out.split('\n');
    expect(files).toContain('package/dist/src/index.js');
    expect(files).toContain('package/dist/src/index.d.ts');
    expect(files).toContain('package/dist/workers/verify.js');
    // The one file from test/: the conformance exceptions the `limbo` command reads by default.
    expect(files.filter((f) => /dist\/(test|bench)\/|^package\/(src|bench)\/|^package\/test\/(?!conformance\/exceptions\.json$)/.test(f))).toEqual([]);
  });

  it('runs as a command: version, and a bad config refused with exit 2 naming the field', () => {
    const bin = join(prefix, 'node_modules', '.bin', 'jpki-verify');
    expect(run(bin, ['--version'], work).out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    writeFileSync(join(work, 'bad.json'), JSON.stringify({ pool: { threads: 0 } }));
    const bad = run(bin, ['serve', '--config', join(work, 'bad.json')], work);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('config pool.threads: must be an integer from 1 to 256, got 0');
  });

  it('runs the README flow from the installed command: help, a simulated J-LIS, a card signature, a verification with CRLs', () => {
    const bin = join(prefix, 'node_modules', '.bin', 'jpki-verify');
    const help = run(bin, ['--help'], work);
    expect(help.code).toBe(0);
    expect(help.out).toContain('verify auth');
    expect(run(bin, ['verify', '--help'], work).code).toBe(0);
    const dir = join(work, 'pki');
    const init = run(bin, ['pki', 'init', '--dir', dir, '--auth', '6', '--signing', '2', '--test', '1', '--pool', '1'], work);
    expect(init.code, init.err).toBe(0);
    expect(run(bin, ['pki', 'crl', '--dir', dir, '--revoke', 'a1:keyCompromise'], work).code).toBe(0);
    const listed = new Set((JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')) as { revoked: { id: string }[] }).revoked.map((r) => r.id));
    const verify = (holder: string) => {
      writeFileSync(join(work, `${holder}.pem`), run(bin, ['card', 'cert', '--dir', dir, '--holder', holder], work).out);
      const sig = run(bin, ['card', 'sign', '--dir', dir, '--holder', holder, '--challenge', '00ff'], work).out.trim();
      const args = ['verify', 'auth', '--roots', join(dir, 'trust'), '--crl', join(dir, 'crl'), '--cert', join(work, `${holder}.pem`), '--challenge', '00ff'];
      return run(bin, [...args, '--signature', sig], work);
    };
    const good = ['a2', 'a3', 'a4', 'a5', 'a6'].find((h) => !listed.has(h))!;
    const ok = verify(good);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out).verdict).toMatchObject({ status: 'valid', code: 'ok', revocation: { status: 'good' } });
    const revoked = verify('a1');
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.out).verdict).toMatchObject({ code: 'revoked', revocation: { reason: 'keyCompromise' } });
  });

  it('imports as a library and type-checks from TypeScript', () => {
    const js = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { loadTrustStore, verifyAuthentication } from 'jpki-verify'; const a = loadTrustStore([${JSON.stringify(join(SHARED, 'jpki-roots'))}]); console.log(typeof verifyAuthentication, a.constructor.name)`,
      ],
      prefix,
    );
    expect(js.out.trim(), js.err).toBe('function CertificatePool');
    writeFileSync(
      join(prefix, 'use.ts'),
      "import { validateConfig, createJpkiClient, type ApiSchemas, type Config, type Verdict } from 'jpki-verify';\nconst c: Config = validateConfig({});\nconst v: Verdict['status'] = 'valid';\nexport const port: number = c.port + (v === 'valid' ? 0 : 1);\nconst api = createJpkiClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'k' });\nexport const challenge = (): Promise<ApiSchemas['Result']['verdict']['code']> => api.call(api.api.POST('/v1/challenges')).then((ch) => ch.challengeId.length > 0 ? 'ok' : 'challenge_unknown');\n",
    );
    const tsc = run(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(REPO_ROOT, 'node_modules', '@types'),
        'use.ts',
      ],
      prefix,
    );
    expect(tsc.code, tsc.out + tsc.err).toBe(0);
  });
});
