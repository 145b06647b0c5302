// `serve` (a configured service) and `start` (the embedded default: a demo J-LIS, its CRLs, one
// demo tenant, everything in one process), plus `client`, which drives the HTTP API as a relay would.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, readSecret, systemSecrets, validateConfig, type Config } from '../config/config.js';
import { startService } from '../app/service.js';
import { startQueueWorker } from '../app/worker.js';
import { startInstitution, type InstitutionOptions } from '../dev/institution/server.js';
import { encryptPin } from '../dev/institution/pin.js';
import { cardSign } from '../dev/sim/card.js';
import { initPki, openPki } from '../dev/sim/jlis.js';
import { rotateCrls } from '../dev/sim/jlis-crl.js';
import { UsageError, optionalValue, parse, type Flags } from './args.js';
import { readPin } from './secret.js';
import type { JpkiCard } from '../card/jpki-ap.js';
import { authenticate, openJpkiCard, signDocument, type CardSignature } from '../card/terminal.js';
import { progressBar } from './progress.js';
import { createJpkiClient, JpkiApiError, JpkiConnectionError } from '../client/client.js';

const str = (f: Flags, k: string): string | undefined => (typeof f[k] === 'string' ? (f[k] as string) : undefined);

/** Runs until SIGINT or SIGTERM, then drains what was started (`close`) and exits 0. */
async function untilSignal(running: { logger: { info(msg: string): void }; close(): Promise<void> }): Promise<number> {
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  running.logger.info('draining');
  await running.close();
  return 0;
}

async function runUntilSignal(config: Config, onListening?: () => void): Promise<number> {
  const svc = await startService(config);
  onListening?.();
  return untilSignal(svc);
}

export async function serveCmd(argv: string[]): Promise<number> {
  const { flags } = parse(argv, { config: { type: 'string' } });
  const config = loadConfig(str(flags, 'config') ?? null);
  if (config.tenants.length === 0) throw new UsageError('config tenants: at least one tenant is required (or use `start` for the embedded demo)');
  if (config.mode === 'embedded' && config.trust.roots.length === 0)
    throw new UsageError('config trust.roots: at least one trust anchor file or folder is required');
  checkRoots(config);
  return runUntilSignal(config);
}

/** A queue worker process: consumes verification jobs until SIGTERM, then finishes the active ones. */
/** Every trust root is there before anything starts: a missing one is named, not a bare ENOENT. */
function checkRoots(config: Config): void {
  config.trust.roots.forEach((p, i) => {
    if (!existsSync(p)) throw new ConfigError(`trust.roots[${i}]`, `${p} does not exist (a PEM/DER file or a folder of them)`);
  });
}

export async function workerCmd(argv: string[]): Promise<number> {
  const { flags } = parse(argv, { config: { type: 'string' } });
  const config = loadConfig(str(flags, 'config') ?? null);
  if (config.trust.roots.length === 0) throw new UsageError('config trust.roots: at least one trust anchor file or folder is required');
  checkRoots(config);
  return untilSignal(await startQueueWorker(config));
}

/** The embedded default: no Redis, no configuration. */
export async function startCmd(argv: string[]): Promise<number> {
  const { flags } = parse(argv, { dir: { type: 'string' } });
  const dir = resolve(str(flags, 'dir') ?? 'var/demo-pki');
  const now = Date.now();
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.error(`making a demo J-LIS in ${dir} …`);
    initPki({ dir, now, authUsers: 2000, signingUsers: 200, testUsers: 5, poolSize: 8, onProgress: progressBar('issuing certificates') });
  }
  // Today's CRLs, with holder a1 revoked for key compromise.
  rotateCrls({ dir, now, revoke: { a1: 1 } });
  const revoked = new Set((JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')) as { revoked: { id: string }[] }).revoked.map((r) => r.id));
  const good = openPki(dir)
    .holders('authentication')
    .find((h) => !revoked.has(h.id))!.id;
  const key = randomBytes(24).toString('base64url');
  const env = loadConfig(null); // JPKI_* overrides (port, threads, …) still apply
  const config = validateConfig({
    ...env,
    trust: { ...env.trust, roots: [join(dir, 'trust')] },
    crl: { ...env.crl, sources: [join(dir, 'crl')], cacheDir: join(dir, '..', 'crl-cache') },
    tenants: [{ id: 'demo', apiKeySha256: createHash('sha256').update(key).digest('hex'), basicInfo: true, linkedCards: true }],
  });
  const url = `http://${config.host}:${config.port}`;
  const cli = 'node dist/src/cli/main.js';
  const c = `${cli} client --url ${url} --key ${key} --dir ${dir}`;
  // Printed once the service listens, so the commands work the moment they appear.
  return runUntilSignal(config, () =>
    console.log(
      `\njpki-verify (embedded) on ${url} — demo tenant API key: ${key}\n\nTry (paste into another shell in this folder):\n` +
        `  ${c} auth --holder ${good}            # valid\n` +
        `  ${c} auth --holder a1                 # revoked (keyCompromise)\n` +
        `  ${c} auth --holder ${good} --tamper   # tampered signature\n` +
        `  ${c} signature --holder s3            # document signature, with 基本4情報\n` +
        `  curl -s ${url}/readyz; curl -s ${url}/metrics | grep jpki_verdicts_total\n`,
    ),
  );
}

/** Drives the HTTP API as a relay platform would (challenge, card signature, verification),
 *  through the package's typed client (src/client): every run exercises the contract. */
export async function clientCmd(argv: string[]): Promise<number> {
  const { flags, positionals } = parse(optionalValue(argv, '--reader'), {
    url: { type: 'string' },
    key: { type: 'string' },
    dir: { type: 'string' },
    holder: { type: 'string' },
    tamper: { type: 'boolean' },
    customer: { type: 'string' },
    card: { type: 'string' },
    method: { type: 'string' },
    amount: { type: 'string' },
    'card-ref': { type: 'string' },
    pin: { type: 'string' },
    'pin-key': { type: 'string' },
    reader: { type: 'string' },
    'pin-stdin': { type: 'boolean' },
    extended: { type: 'boolean' },
  });
  const need = (k: string): string => {
    const v = str(flags, k);
    if (!v) throw new UsageError(`--${k} is required`);
    return v;
  };
  const action = positionals[0];
  if (!['auth', 'signature', 'enrol', 'pay'].includes(action ?? ''))
    throw new UsageError('expected "client auth", "client signature", "client enrol" or "client pay"');
  const url = need('url');
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url must be an http(s) URL, got ${url}`);
  const c = createJpkiClient({ baseUrl: url, apiKey: need('key') });
  const signer = flags.reader !== undefined ? cardSigner(flags) : simulatedSigner(need);
  const tamper = (sig: Uint8Array): string => {
    const s = Uint8Array.from(sig);
    if (flags.tamper) s[s.length - 1] ^= 1;
    return Buffer.from(s).toString('base64');
  };
  const show = (body: unknown): void => console.log(JSON.stringify(body, null, 2));
  /** A fresh challenge signed by the holder's card: the authentication part of every request. */
  const authentication = async () => {
    const ch = await c.call(c.api.POST('/v1/challenges'));
    const signed = await signer.authenticate(Buffer.from(ch.challenge, 'base64'));
    return { certificate: Buffer.from(signed.certificate).toString('base64'), challengeId: ch.challengeId, signature: tamper(signed.signature) };
  };

  try {
    if (action === 'auth') {
      const r = await c.call(c.api.POST('/v1/verify/auth', { body: await authentication() }));
      show(r);
      return r.verdict.status === 'valid' ? 0 : 1;
    }
    if (action === 'signature') {
      const doc = Buffer.from(`契約書 ${new Date().toISOString()}`);
      const signed = await signer.signDocument(doc);
      const r = await c.call(
        c.api.POST('/v1/verify/signature', {
          body: { certificate: Buffer.from(signed.certificate).toString('base64'), data: doc.toString('base64'), signature: tamper(signed.signature) },
        }),
      );
      show(r);
      return r.verdict.status === 'valid' ? 0 : 1;
    }
    if (action === 'enrol') {
      // --card institution:kind:accountRef (repeatable as a comma list)
      const cards = (str(flags, 'card') ?? '')
        .split(',')
        .filter(Boolean)
        .map((spec) => {
          const [institution, kind, accountRef] = spec.split(':');
          if (!institution || !accountRef || (kind !== 'credit' && kind !== 'debit' && kind !== 'bank'))
            throw new UsageError(`--card ${spec}: expected INSTITUTION:credit|debit|bank:ACCOUNT`);
          return { institution, kind, accountRef } as const;
        });
      show(await c.call(c.api.POST('/v1/links', { body: { ...(await authentication()), customerRef: need('customer'), cards } })));
      return 0;
    }
    const method = need('method');
    if (method !== 'credit' && method !== 'debit' && method !== 'atm') throw new UsageError('--method must be credit, debit or atm');
    const amount = Number(need('amount'));
    if (!Number.isInteger(amount) || amount < 1) throw new UsageError('--amount must be a positive whole number (minor units: yen)');
    const pin = str(flags, 'pin');
    const cardRef = str(flags, 'card-ref');
    const decision = await c.call(
      c.api.POST('/v1/payments/authorize', {
        body: {
          ...(await authentication()),
          method,
          amount,
          currency: 'JPY',
          terminalId: 'cli-terminal',
          idempotencyKey: `cli-${Date.now()}-${Math.random().toString(36).slice(2)}`,
          ...(cardRef ? { cardRef } : {}),
          // The terminal encrypts the PIN for the institution; the relay only passes it on.
          ...(pin ? { pinBlock: encryptPin(pin, need('pin-key')) } : {}),
        },
      }),
    );
    show(decision);
    return decision.decision === 'approved' ? 0 : 1;
  } catch (err) {
    // The service's refusal (status, code, message) or why it could not be reached: one line, exit 2.
    if (err instanceof JpkiApiError || err instanceof JpkiConnectionError) {
      console.error(`client: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

/** Who signs for `client`: the card in a reader (after its PIN), or a holder of a simulated
 *  PKI folder. */
interface ClientSigner {
  authenticate(challenge: Uint8Array): Promise<CardSignature>;
  signDocument(doc: Uint8Array): Promise<CardSignature>;
}

function cardSigner(flags: Flags): ClientSigner {
  const withCard = async <T>(fn: (card: JpkiCard) => Promise<T>): Promise<T> => {
    const card = await openJpkiCard({ reader: str(flags, 'reader') || undefined, extendedLength: flags.extended === true });
    try {
      return await fn(card);
    } finally {
      await card.close();
    }
  };
  const stdin = flags['pin-stdin'] === true;
  return {
    authenticate: (challenge) => withCard(async (card) => authenticate(card, challenge, await readPin(stdin, 'authentication PIN (4 digits): '))),
    signDocument: (doc) => withCard(async (card) => signDocument(card, doc, await readPin(stdin, 'signing password (6-16 A-Z 0-9): '))),
  };
}

function simulatedSigner(need: (k: string) => string): ClientSigner {
  const pki = openPki(resolve(need('dir')));
  const id = need('holder');
  const holder = pki.holders(id.startsWith('s') ? 'signing' : id.startsWith('t') ? 'test' : 'authentication').find((h) => h.id === id);
  if (!holder) throw new UsageError(`no holder ${id}`);
  const key = pki.keys[holder.key];
  return {
    authenticate: async (challenge) => ({ certificate: holder.cert, signature: cardSign(key, challenge) }),
    signDocument: async (doc) => ({ certificate: holder.cert, signature: cardSign(key, doc) }),
  };
}

/** The reference institution (tests, benchmark, demo): `institution --config FILE` with
 *  {id, host, port, secret, pinKey, redisUrl, prefix, accounts: [...]}; secret and pinKey may be
 *  {"file": PATH} or {"env": NAME}, as the service's secret fields. */
export async function institutionCmd(argv: string[]): Promise<number> {
  const { flags } = parse(argv, { config: { type: 'string' } });
  const file = str(flags, 'config');
  if (!file) throw new UsageError('--config is required');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const k of ['secret', 'pinKey'] as const) {
    const got = readSecret(raw[k], systemSecrets());
    if ('error' in got) throw new UsageError(`institution config ${k}: ${got.error}`);
    raw[k] = got.value;
  }
  const o = raw as unknown as InstitutionOptions;
  for (const k of ['id', 'secret', 'pinKey', 'redisUrl', 'prefix'] as const)
    if (typeof o[k] !== 'string' || !o[k]) throw new UsageError(`institution config ${k}: required`);
  const inst = await startInstitution(o);
  const log = (msg: string): void => console.log(JSON.stringify({ msg, id: o.id, url: inst.url }));
  log('institution listening');
  return untilSignal({ logger: { info: log }, close: () => inst.close() });
}
