// SIGTERM drains: the real CLI in a child process finishes the requests in flight, then exits 0.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardSign } from '../../src/dev/sim/card.js';
import { initPki, openPki } from '../../src/dev/sim/jlis.js';
import { REPO_ROOT } from '../conformance/shared.js';

describe('jpki-verify serve', () => {
  it('drains in-flight requests on SIGTERM and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drain-'));
    initPki({ dir, now: Date.now(), authUsers: 20, signingUsers: 0, testUsers: 0, poolSize: 1 });
    const pki = openPki(dir);
    const key = 'drain-test-key';
    const cfg = join(dir, 'config.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        port: 0,
        logLevel: 'info',
        trust: { roots: [join(dir, 'trust')], allowTestHierarchy: false },
        tenants: [{ id: 't', apiKeySha256: createHash('sha256').update(key).digest('hex'), basicInfo: false }],
      }),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'serve', '--config', cfg], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /"url":"(http:[^"]+)"/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const headers = { 'content-type': 'application/json', 'x-api-key': key };
    const requests = [];
    for (const h of pki.holders('authentication')) {
      const ch = (await (await fetch(`${url}/v1/challenges`, { method: 'POST', headers: { 'x-api-key': key } })).json()) as {
        challengeId: string;
        challenge: string;
      };
      const body = JSON.stringify({
        certificate: Buffer.from(h.cert).toString('base64'),
        challengeId: ch.challengeId,
        signature: Buffer.from(cardSign(pki.keys[h.key], Buffer.from(ch.challenge, 'base64'))).toString('base64'),
      });
      requests.push(body);
    }
    const inFlight = requests.map((body) =>
      fetch(`${url}/v1/verify/auth`, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { verdict?: { code: string }; code?: string },
      })),
    );
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    await Promise.race(inFlight); // the server is mid-work: now stop it
    child.kill('SIGTERM');
    const results = await Promise.allSettled(inFlight);
    const answered = results
      .filter((r) => r.status === 'fulfilled')
      .map((r) => (r as PromiseFulfilledResult<{ status: number; body: { verdict?: { code: string }; code?: string } }>).value);
    // Every request accepted before the drain got its full answer; later ones a typed 503.
    for (const r of answered) {
      if (r.status === 200) expect(r.body.verdict?.code).toBe('ok');
      else expect(r).toMatchObject({ status: 503, body: { code: 'shutting_down' } });
    }
    expect(answered.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(await exited).toBe(0);
    expect(out).toContain('draining');
    expect(out).toContain('stopped');
  }, 60_000);
});
