// The terminal as an integrator or a shop clerk drives it: jpki-verify commands in their own
// processes, a virtual card in pcscd's reader, the HTTP service verifying. The PIN goes in on
// standard input (--pin-stdin) and must not come out anywhere.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pemBlocks } from '../../src/core/certificate.js';
import { openPcsc } from '../../src/card/pcsc.js';
import type { CardReaders } from '../../src/card/transport.js';
import { startVirtualCard, type VirtualCardHandle } from '../../src/dev/vcard/host.js';
import type { HolderCardOptions } from '../../src/dev/vcard/holder-card.js';
import { REPO_ROOT } from '../conformance/shared.js';
import { KEY_A, startTestService, type TestService } from '../helpers/service.js';
import { READER0, READER1, acquireVpcd, waitForReader } from '../helpers/vpcd.js';

let release: () => void;
let t: TestService;
let readers: CardReaders;
const cards: VirtualCardHandle[] = [];

beforeAll(async () => {
  release = await acquireVpcd();
  t = await startTestService();
  readers = openPcsc();
}, 600_000);

afterEach(async () => {
  for (const c of cards.splice(0)) await c.close();
  await waitForReader(readers, READER0, false);
  await waitForReader(readers, READER1, false);
});

afterAll(async () => {
  readers?.close();
  await t?.svc.close();
  release?.();
});

async function insert(card: Partial<HolderCardOptions> = {}): Promise<VirtualCardHandle> {
  const vc = await startVirtualCard({ kind: 'jpki', slot: 0, pkiDir: t.dir, card: { holder: 'a15', signingHolder: 's5', ...card } });
  cards.push(vc);
  await waitForReader(readers, READER0, true);
  return vc;
}

function cli(args: string[], input?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd: REPO_ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(input ?? '');
  });
}
const client = (sub: string, input: string, ...more: string[]) =>
  cli(['client', sub, '--url', t.url, '--key', KEY_A, '--reader', READER0, '--pin-stdin', ...more], input);

describe('terminal commands through pcscd', () => {
  it('reader list names the readers and the card ATR', async () => {
    await insert();
    const r = await cli(['reader', 'list']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${READER0}\tcard 3be000ff8131fe4514`);
    expect(r.out).toContain(`${READER1}\tempty`);
  });

  it('card read prints the certificates; --signing asks for the password first', async () => {
    await insert();
    const r = await cli(['card', 'read', '--reader']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`${READER0}: JPKIAPICCTOKEN2 (card); authentication PIN 3 tries left, signing password 5 tries left`);
    const pems = pemBlocks(r.out, 'CERTIFICATE');
    expect(pems.map((d) => Buffer.from(d).toString('base64'))).toEqual(
      [t.holder('a15').cert, t.pki.rootCert(t.holder('a15').root)].map((d) => Buffer.from(d).toString('base64')),
    );
    const s = await cli(['card', 'read', '--reader', READER0, '--signing', '--pin-stdin'], 'ABC123\n');
    expect(s.code, s.err).toBe(0);
    const all = pemBlocks(s.out, 'CERTIFICATE');
    expect(all).toHaveLength(4);
    expect(Buffer.from(all[2]).equals(Buffer.from(t.holder('s5').cert))).toBe(true);
    expect(s.out + s.err).not.toContain('ABC123');
  });

  it('client auth --reader: challenge, PIN, the card signs, the API says valid', async () => {
    await insert();
    const r = await client('auth', '1234\n');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).verdict.status).toBe('valid');
    expect(r.out + r.err).not.toContain('1234');
  });

  it('client signature --reader: the signing key after the password, the API says valid', async () => {
    await insert();
    const r = await client('signature', 'ABC123\n');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).verdict.status).toBe('valid');
  });

  it('client enrol --reader links the holder of the card in the reader', async () => {
    await insert({ holder: 'a17' });
    const r = await client('enrol', '1234\n', '--customer', 'card-customer-17');
    expect(r.code, r.out + r.err).toBe(0);
    const body = JSON.parse(r.out);
    expect(body.verdict.status).toBe('valid');
    expect(body.link.customerRef).toBe('card-customer-17');
  });

  it('a wrong PIN: typed error with tries left, nothing sent to the API, the PIN nowhere', async () => {
    const vc = await insert();
    const r = await client('auth', '0000\n');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/CardError wrong_pin: .*2 tries left/);
    expect(r.out + r.err).not.toContain('0000');
    expect((await vc.state()).triesLeft?.authentication).toBe(2);
  });

  it('a blocked PIN is pin_blocked, and the PIN is not tried', async () => {
    const vc = await insert({ pinTriesLeft: 0 });
    const r = await client('auth', '1234\n');
    expect(r.err).toMatch(/CardError pin_blocked/);
    expect((await vc.state()).received.filter((c) => c.ins === 0x20 && c.hasData)).toEqual([]);
  });

  it('a malformed PIN never reaches the card', async () => {
    const vc = await insert();
    const r = await client('auth', '12345\n');
    expect(r.err).toMatch(/CardError pin_format: not sent to the card: the authentication PIN is 4 digits/);
    expect((await vc.state()).received.filter((c) => c.ins === 0x20)).toEqual([]);
  });

  it('the card pulled out while it signs: card_removed', async () => {
    const vc = await insert();
    await vc.removeOn(0x2a);
    const r = await client('auth', '1234\n');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/CardError card_removed/);
  });

  it('without --pin-stdin and no terminal, the command asks for one instead of hanging', async () => {
    const vc = await insert();
    const r = await cli(['card', 'sign', '--reader', READER0, '--challenge', '00ff']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/pass --pin-stdin/);
    expect((await vc.state()).received.filter((c) => c.ins === 0x20)).toEqual([]);
  });

  it('card virtual puts a card in a vpcd reader until interrupted; card sign signs with it', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'card', 'virtual', '--dir', t.dir, '--holder', 'a16', '--slot', '1'],
      {
        cwd: REPO_ROOT,
      },
    );
    const exited = new Promise<number | null>((r) => child.on('close', r));
    try {
      await waitForReader(readers, READER1, true, 60_000);
      const r = await cli(['card', 'sign', '--reader', READER1, '--challenge', 'c0ffee', '--pin-stdin'], '1234\n');
      expect(r.code, r.err).toBe(0);
      const cert = await cli(['card', 'read', '--reader', READER1]);
      const file = join(t.dir, 'a16-card.pem');
      (await import('node:fs')).writeFileSync(file, cert.out);
      const v = await cli([
        'verify',
        'auth',
        '--roots',
        join(t.dir, 'trust'),
        '--crl',
        join(t.dir, 'crl'),
        '--cert',
        file,
        '--challenge',
        'c0ffee',
        '--signature',
        r.out.trim(),
        '--at',
        new Date(t.clock.now).toISOString(),
      ]);
      expect(cert.err).toContain('signing password absent');
      expect(v.code, v.out + v.err).toBe(0);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });
});
