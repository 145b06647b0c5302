// An independent implementation referees the virtual card: OpenSC's JPKI driver (card-jpki.c,
// pkcs15-jpki.c) reads it through pcscd as it reads a real My Number Card. OpenSC must see the
// certificates our reader sees, and what OpenSC signs with the card must verify through the
// service's HTTP API (/v1/verify/auth, /v1/verify/signature).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pemBlocks } from '../../src/core/certificate.js';
import { openPcsc } from '../../src/card/pcsc.js';
import { openJpkiCard, readCard } from '../../src/card/terminal.js';
import type { CardReaders } from '../../src/card/transport.js';
import { startVirtualCard, type VirtualCardHandle } from '../../src/dev/vcard/host.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { READER0, acquireVpcd, waitForReader } from '../helpers/vpcd.js';

const run = promisify(execFile);
const MODULE = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so'].find(existsSync)!;
const AUTH_TOKEN = 'JPKI (User Authentication PIN)';
const SIGN_TOKEN = 'JPKI (Digital Signature PIN)';

let release: () => void;
let t: TestService;
let readers: CardReaders;
let vc: VirtualCardHandle;
const work = mkdtempSync(join(tmpdir(), 'opensc-'));

beforeAll(async () => {
  release = await acquireVpcd();
  t = await startTestService();
  readers = openPcsc();
  vc = await startVirtualCard({ kind: 'jpki', slot: 0, pkiDir: t.dir, card: { holder: 'a12', signingHolder: 's4' } });
  await waitForReader(readers, READER0, true);
}, 600_000);

afterAll(async () => {
  await vc?.close();
  if (readers) await waitForReader(readers, READER0, false).catch(() => undefined);
  readers?.close();
  await t?.svc.close();
  release?.();
});

const pkcs15 = async (...args: string[]): Promise<string> => (await run('pkcs15-tool', ['--reader', READER0, ...args])).stdout;
const pkcs11 = (...args: string[]) => run('pkcs11-tool', ['--module', MODULE, ...args]);
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

describe('OpenSC against the virtual card', () => {
  it('has a PKCS#11 module', () => {
    expect(MODULE, 'opensc-pkcs11.so (Debian opensc-pkcs11)').toBeDefined();
  });

  it('pkcs15-tool lists the four JPKI certificates at the JPKI file ids, the signing one private', async () => {
    const out = await pkcs15('--list-certificates');
    const certs = [...out.matchAll(/X\.509 Certificate \[(.+?)\][\s\S]*?Object Flags\s*:\s*\[(0x\d+)\][\s\S]*?Path\s*:\s*(\w+)[\s\S]*?ID\s*:\s*(\w+)/g)].map(
      (m) => ({
        label: m[1],
        flags: m[2],
        path: m[3],
        id: m[4],
      }),
    );
    expect(certs).toEqual([
      { label: 'User Authentication Certificate', flags: '0x00', path: '000a', id: '01' },
      { label: 'Digital Signature Certificate', flags: '0x01', path: '0001', id: '02' },
      { label: 'User Authentication Certificate CA', flags: '0x00', path: '000b', id: '03' },
      { label: 'Digital Signature Certificate CA', flags: '0x00', path: '0002', id: '04' },
    ]);
  });

  it('pkcs15-tool reads the same certificates as src/card, byte for byte; and the PIN counters', async () => {
    const card = await openJpkiCard({ readers });
    let ours;
    try {
      ours = await readCard(card);
    } finally {
      await card.close();
    }
    const theirs = async (id: string) => pemBlocks(await pkcs15('--read-certificate', id), 'CERTIFICATE')[0];
    expect(b64(await theirs('01'))).toBe(b64(ours.authenticationCertificate));
    expect(b64(await theirs('03'))).toBe(b64(ours.authenticationCa));
    expect(b64(ours.authenticationCertificate)).toBe(b64(t.holder('a12').cert));
    const pins = await pkcs15('--list-pins');
    expect([...pins.matchAll(/Tries left\s*:\s*(\d+)/g)].map((m) => Number(m[1]))).toEqual([3, 5]);
  });

  it('pkcs11-tool signs the service challenge with the authentication key; /v1/verify/auth says valid', async () => {
    const ch = await t.challenge();
    writeFileSync(join(work, 'challenge'), ch.challenge);
    await pkcs11(
      '--token-label',
      AUTH_TOKEN,
      '--login',
      '--pin',
      '1234',
      '--sign',
      '--id',
      '01',
      '--mechanism',
      'SHA256-RSA-PKCS',
      '-i',
      join(work, 'challenge'),
      '-o',
      join(work, 'auth.sig'),
    );
    const cert = pemBlocks(await pkcs15('--read-certificate', '01'), 'CERTIFICATE')[0];
    const r = await t.post('/v1/verify/auth', { certificate: b64(cert), challengeId: ch.challengeId, signature: b64(readFileSync(join(work, 'auth.sig'))) });
    expect(r.status).toBe(200);
    expect(r.body.verdict.status).toBe('valid');
  });

  it('pkcs11-tool signs a document with the signing key after the password; /v1/verify/signature says valid', async () => {
    const doc = Buffer.from('契約書: signed through OpenSC');
    writeFileSync(join(work, 'doc'), doc);
    const login = ['--token-label', SIGN_TOKEN, '--login', '--pin', 'ABC123'];
    await pkcs11(...login, '--sign', '--id', '02', '--mechanism', 'SHA256-RSA-PKCS', '-i', join(work, 'doc'), '-o', join(work, 'doc.sig'));
    await pkcs11(...login, '--read-object', '--type', 'cert', '--id', '02', '-o', join(work, 'sign.der'));
    const cert = readFileSync(join(work, 'sign.der'));
    expect(b64(cert)).toBe(b64(t.holder('s4').cert));
    const r = await t.post('/v1/verify/signature', {
      certificate: b64(cert),
      data: doc.toString('base64'),
      signature: b64(readFileSync(join(work, 'doc.sig'))),
    });
    expect(r.status).toBe(200);
    expect(r.body.verdict.status).toBe('valid');
  });

  it('a wrong PIN through OpenSC costs a try that src/card then reports', async () => {
    const err = await pkcs11('--token-label', AUTH_TOKEN, '--login', '--pin', '9999', '--list-objects').then(
      () => null,
      (e: { stdout: string; stderr: string }) => e,
    );
    expect(err?.stderr ?? '').toMatch(/CKR_PIN_INCORRECT/);
    const card = await openJpkiCard({ readers });
    try {
      expect(await card.pinTriesLeft('authentication')).toBe(2);
      await card.verifyPin('authentication', '1234');
    } finally {
      await card.close();
    }
    expect((await vc.state()).triesLeft).toEqual({ authentication: 3, signing: 5 });
  });
});
