// The CLI commands. Each returns an exit code; bad usage throws UsageError.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HashName } from '../core/algorithms.js';
import { toPem, type Certificate } from '../core/certificate.js';
import { assembleSet } from '../core/revocation-assembly.js';
import { IndexRevocationChecker } from '../core/revocation-lookup.js';
import { loadCrl, type LoadedCrl } from '../core/crl-load.js';
import { verifyAuthentication, verifyDocumentSignature, type VerifyContext } from '../core/verify.js';
import type { RevocationReport } from '../core/verdict.js';
import { defaultExceptionsPath, loadExceptions } from '../dev/conformance/exceptions.js';
import { inScope, runLimboCase, summarize, type LimboCase } from '../dev/conformance/limbo.js';
import { runPkits } from '../dev/conformance/pkits.js';
import { cardSign, cardSignDigest } from '../dev/sim/card.js';
import { initPki, openPki } from '../dev/sim/jlis.js';
import { publishCrls, recordRevocations, rotateCrls } from '../dev/sim/jlis-crl.js';
import { serveOcsp } from '../dev/sim/ocsp-responder.js';
import { serveCrls } from '../dev/sim/crl-server.js';
import { loadTrustStore, readCertificateDers } from '../app/trust-store.js';
import { UsageError, optionalValue, parse, type Flags } from './args.js';
import { cardReadCmd, cardSignCmd, cardVirtualCmd, readDataFile, readerCmd } from './card.js';
import { progressBar } from './progress.js';
import { configDocs, configJsonSchema } from '../config/generated.js';
import { resultView } from '../verifier/wire.js';
import { renewHolders } from '../dev/sim/renewal.js';
import { clientCmd, institutionCmd, serveCmd, startCmd, workerCmd } from './serve.js';

type Command = (argv: string[]) => Promise<number>;

const str = (f: Flags, k: string): string | undefined => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
function need(f: Flags, k: string): string {
  const v = str(f, k);
  if (v === undefined) throw new UsageError(`--${k} is required`);
  return v;
}
function int(f: Flags, k: string, dflt: number): number {
  const v = str(f, k);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${k} must be a non-negative integer`);
  return n;
}
function timeFlag(f: Flags, k: string): number {
  const v = str(f, k);
  if (v === undefined) return Date.now();
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`--${k} must be an ISO 8601 time`);
  return t;
}
const HASHES: readonly HashName[] = ['sha256', 'sha384', 'sha512'];
/** --hash, or undefined: the key decides (SHA-256 for RSA cards, SHA-384 for ECDSA P-384 ones). */
function hashFlag(f: Flags): HashName | undefined {
  const h = str(f, 'hash');
  if (h === undefined) return undefined;
  if (!HASHES.includes(h as HashName)) throw new UsageError(`--hash must be one of ${HASHES.join(', ')}`);
  return h as HashName;
}
function hexFlag(f: Flags, k: string): Uint8Array {
  const v = need(f, k);
  if (!/^([0-9a-fA-F]{2})*$/.test(v)) throw new UsageError(`--${k} must be hex`);
  return new Uint8Array(Buffer.from(v, 'hex'));
}
function b64Flag(f: Flags, k: string): Uint8Array {
  const v = need(f, k);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new UsageError(`--${k} must be base64`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}
function readCertFile(path: string): Uint8Array {
  const der = readCertificateDers(path)[0];
  if (!der) throw new UsageError(`${path} holds no certificate`);
  return der;
}
const print = (v: unknown): void => console.log(JSON.stringify(v, null, 2));

async function pkiCmd(argv: string[]): Promise<number> {
  const { flags, positionals } = parse(argv, {
    dir: { type: 'string' },
    auth: { type: 'string' },
    signing: { type: 'string' },
    test: { type: 'string' },
    'ecdsa-auth': { type: 'string' },
    'ecdsa-signing': { type: 'string' },
    pool: { type: 'string' },
    seed: { type: 'string' },
    now: { type: 'string' },
    entries: { type: 'string' },
    revoke: { type: 'string' },
    port: { type: 'string' },
    'rotate-every': { type: 'string' },
    holders: { type: 'string' },
    pairs: { type: 'string' },
    host: { type: 'string' },
    validity: { type: 'string' },
    'ocsp-url': { type: 'string' },
    'ocsp-port': { type: 'string' },
  });
  const dir = resolve(need(flags, 'dir'));
  if (positionals[0] === 'crl') return pkiCrl(dir, flags);
  if (positionals[0] === 'renew') {
    const ids = need(flags, 'holders').split(',').filter(Boolean);
    const pairs = typeof flags.pairs === 'string' ? flags.pairs.split(',').map((p) => p.split(':') as [string, string]) : [];
    const res = renewHolders({ dir, now: timeFlag(flags, 'now'), ids, pairs });
    console.log(
      `renewed ${res.renewed.map((h) => `${h.id.slice(0, -1)} → ${h.id}`).join(', ') || 'nothing'}; link data (${res.records.length} records) in ${res.file}`,
    );
    console.log(`revoke the old certificates as superseded with: pki crl --dir ${dir} --revoke ${ids.map((i) => `${i}:superseded`).join(',')}`);
    return 0;
  }
  if (positionals[0] === 'serve') return pkiServe(dir, flags);
  if (positionals[0] === 'revoke') return pkiRevoke(dir, flags);
  if (positionals[0] === 'ocsp') {
    if (positionals[1] !== 'serve') throw new UsageError('expected "pki ocsp serve"');
    return pkiOcspServe(dir, flags);
  }
  if (positionals[0] !== 'init') throw new UsageError('expected "pki init", "pki crl", "pki revoke", "pki renew", "pki serve" or "pki ocsp serve"');
  const bar = progressBar('issuing certificates');
  const t0 = performance.now();
  const res = initPki({
    dir,
    now: timeFlag(flags, 'now'),
    authUsers: int(flags, 'auth', 1000),
    signingUsers: int(flags, 'signing', 200),
    testUsers: int(flags, 'test', 10),
    ecdsaAuthUsers: int(flags, 'ecdsa-auth', 0),
    ecdsaSigningUsers: int(flags, 'ecdsa-signing', 0),
    poolSize: Math.max(1, int(flags, 'pool', 8)),
    seed: int(flags, 'seed', 1),
    ocspUrl: str(flags, 'ocsp-url'),
    onProgress: bar,
  });
  console.error(`wrote ${res.holders} holder certificates and ${res.roots.length + 1} roots to ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

const REASON_CODES: Record<string, number> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
};

/** --revoke / --holders as ID[:REASON],… → holder id → reason code (keyCompromise by default). */
function revocationsFlag(list: string): Record<string, number> {
  const revoke: Record<string, number> = {};
  for (const item of list.split(',').filter(Boolean)) {
    const [id, reason = 'keyCompromise'] = item.split(':');
    if (!(reason in REASON_CODES)) throw new UsageError(`unknown reason "${reason}" (one of ${Object.keys(REASON_CODES).join(', ')})`);
    revoke[id] = REASON_CODES[reason];
  }
  return revoke;
}

/** `pki crl`: publish CRLs for the holders of a PKI (plus bulk entries), or rotate to the next day. */
async function pkiCrl(dir: string, flags: Flags): Promise<number> {
  const revoke = revocationsFlag(str(flags, 'revoke') ?? '');
  const t0 = performance.now();
  const res = rotateCrls({ dir, now: timeFlag(flags, 'now'), bulkEntries: int(flags, 'entries', 0), revoke });
  const total = res.crls.reduce((n, c) => n + c.entries, 0);
  console.error(`day ${res.day}: wrote ${res.crls.length} CRLs (${total} entries) to ${join(dir, 'crl')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

/** `pki serve`: the simulated J-LIS CRL distribution point (and, with --ocsp-port, its OCSP
 *  responder in the same process). Runs until interrupted. */
async function pkiServe(dir: string, flags: Flags): Promise<number> {
  if (!existsSync(join(dir, 'crl'))) publishCrls({ dir, now: Date.now() });
  const every = int(flags, 'rotate-every', 0);
  const host = typeof flags.host === 'string' ? flags.host : undefined;
  const srv = await serveCrls({
    dir,
    port: int(flags, 'port', 8089),
    host,
    rotateEveryMs: every * 1000,
    onRotate: (d) => console.error(`rotated: day ${d}`),
  });
  console.error(`serving ${join(dir, 'crl')} at ${srv.url}/crl/ (index: ${srv.url}/crl/)${every ? `, rotating every ${every} s` : ''}`);
  const ocsp = str(flags, 'ocsp-port') === undefined ? null : await serveOcsp({ dir, port: int(flags, 'ocsp-port', 8091), host });
  if (ocsp) console.error(`OCSP responder at ${ocsp.url}`);
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  await Promise.all([srv.close(), ocsp?.close()]);
  return 0;
}

/** `pki revoke`: record revocations now; OCSP answers revoked at once, the next `pki crl` publishes them. */
async function pkiRevoke(dir: string, flags: Flags): Promise<number> {
  const revoke = revocationsFlag(need(flags, 'holders'));
  if (Object.keys(revoke).length === 0) throw new UsageError('--holders names no holder');
  let added;
  try {
    added = recordRevocations(dir, revoke, timeFlag(flags, 'now'));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  console.error(
    `recorded ${added.length} revocation(s) (${added.map((r) => r.id).join(', ') || 'all already revoked'}): OCSP answers revoked now; the next "pki crl" publishes them`,
  );
  return 0;
}

/** `pki ocsp serve`: the simulated J-LIS OCSP responder. Runs until interrupted. */
async function pkiOcspServe(dir: string, flags: Flags): Promise<number> {
  if (!existsSync(join(dir, 'trust'))) throw new UsageError(`${dir} holds no PKI (run "pki init" first)`);
  const srv = await serveOcsp({
    dir,
    port: int(flags, 'port', 8091),
    host: str(flags, 'host'),
    validityMs: int(flags, 'validity', 3600) * 1000,
  });
  console.error(`OCSP responder for ${dir} at ${srv.url} (delegated responder certificates in ${join(dir, 'ocsp')})`);
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  await srv.close();
  return 0;
}

async function cardCmd(argv: string[]): Promise<number> {
  const { flags, positionals } = parse(optionalValue(argv, '--reader'), {
    dir: { type: 'string' },
    holder: { type: 'string' },
    challenge: { type: 'string' },
    'data-file': { type: 'string' },
    digest: { type: 'string' },
    hash: { type: 'string' },
    reader: { type: 'string' },
    purpose: { type: 'string' },
    'pin-stdin': { type: 'boolean' },
    signing: { type: 'boolean' },
    extended: { type: 'boolean' },
    'signing-holder': { type: 'string' },
    pin: { type: 'string' },
    password: { type: 'string' },
    slot: { type: 'string' },
    token: { type: 'string' },
  });
  const sub = positionals[0];
  if (sub === 'read') return cardReadCmd(flags);
  if (sub === 'virtual') return cardVirtualCmd(flags);
  if (sub !== 'sign' && sub !== 'cert') throw new UsageError('expected "card read", "card sign", "card cert" or "card virtual"');
  if (sub === 'sign' && str(flags, 'dir') === undefined) {
    // No PKI folder: the card in the reader signs (an RSA card today: a DigestInfo, SHA-256 unless --hash).
    const hash = hashFlag(flags) ?? 'sha256';
    if (str(flags, 'digest')) return cardSignCmd(flags, hash, { digest: hexFlag(flags, 'digest') });
    return cardSignCmd(flags, hash, { data: str(flags, 'data-file') ? readDataFile(need(flags, 'data-file')) : hexFlag(flags, 'challenge') });
  }
  const pki = openPki(resolve(need(flags, 'dir')));
  const id = need(flags, 'holder');
  const purpose = id.startsWith('s') ? 'signing' : id.startsWith('t') ? 'test' : 'authentication';
  const holder = pki.holders(purpose).find((h) => h.id === id);
  if (!holder) throw new UsageError(`no holder ${id} in ${pki.dir}`);
  if (sub === 'cert') {
    process.stdout.write(toPem(holder.cert, 'CERTIFICATE'));
    return 0;
  }
  const hash = hashFlag(flags);
  const key = pki.keys[holder.key];
  let sig: Uint8Array;
  if (str(flags, 'digest')) sig = cardSignDigest(key, hash ?? (key.asymmetricKeyType === 'ec' ? 'sha384' : 'sha256'), hexFlag(flags, 'digest'));
  else if (str(flags, 'data-file')) sig = cardSign(key, readFileSync(need(flags, 'data-file')), hash);
  else sig = cardSign(key, hexFlag(flags, 'challenge'), hash);
  console.log(Buffer.from(sig).toString('base64'));
  return 0;
}

/** Exit code of a valid verdict whose revocation was not checked (no --crl, no --no-revocation). */
export const EXIT_REVOCATION_NOT_CHECKED = 3;

async function verifyCmd(argv: string[]): Promise<number> {
  const { flags, positionals } = parse(argv, {
    roots: { type: 'string', multiple: true },
    cert: { type: 'string' },
    challenge: { type: 'string' },
    signature: { type: 'string' },
    'data-file': { type: 'string' },
    digest: { type: 'string' },
    hash: { type: 'string' },
    at: { type: 'string' },
    'allow-test': { type: 'boolean' },
    'accept-ecdsa': { type: 'boolean' },
    crl: { type: 'string', multiple: true },
    'soft-fail': { type: 'boolean' },
    'no-revocation': { type: 'boolean' },
  });
  const roots = (flags.roots as string[] | undefined) ?? [];
  if (roots.length === 0) throw new UsageError('--roots is required (a PEM/DER file or a folder; repeatable)');
  const crlPaths = (flags.crl as string[] | undefined) ?? [];
  const noRevocation = flags['no-revocation'] === true;
  if (noRevocation && crlPaths.length) throw new UsageError('give --crl or --no-revocation, not both');
  const anchors = loadTrustStore(roots);
  const ctx: VerifyContext = {
    anchors,
    allowTestHierarchy: flags['allow-test'] === true,
    acceptEcdsa: flags['accept-ecdsa'] === true,
    revocation: crlPaths.length ? crlChecker(crlPaths, anchors.certificates()) : undefined,
    revocationPolicy: flags['soft-fail'] ? 'soft-fail' : 'hard-fail',
  };
  const certificate = readCertFile(need(flags, 'cert'));
  const time = timeFlag(flags, 'at');
  const signature = b64Flag(flags, 'signature');
  const hash = hashFlag(flags);
  let view;
  if (positionals[0] === 'auth') {
    const r = verifyAuthentication({ certificate, challenge: hexFlag(flags, 'challenge'), signature, digestAlgorithm: hash, time }, ctx);
    view = resultView(r.verdict, r.certificate);
  } else if (positionals[0] === 'signature') {
    const digest = str(flags, 'digest');
    const r = digest
      ? verifyDocumentSignature({ certificate, digest: hexFlag(flags, 'digest'), signature, digestAlgorithm: hash, time }, ctx)
      : verifyDocumentSignature({ certificate, data: readFileSync(need(flags, 'data-file')), signature, digestAlgorithm: hash, time }, ctx);
    view = resultView(r.verdict, r.certificate, r.basicInfo);
  } else throw new UsageError('expected "verify auth" or "verify signature"');
  print(view);
  if (view.verdict.status !== 'valid') return 1;
  // Valid as far as it was checked: without CRL data that is not the whole answer, so it is not
  // exit 0 unless the caller said revocation is out of scope.
  if (view.verdict.revocation.status === 'not_checked' && !noRevocation) {
    console.error('verify: revocation not checked (give --crl FILE|DIR, or --no-revocation to accept a verdict without it)');
    return EXIT_REVOCATION_NOT_CHECKED;
  }
  return 0;
}

/** Loads CRL files (or folders of *.crl) into a revocation set; a refused CRL is an input error. */
function crlChecker(paths: string[], anchors: readonly Certificate[]): IndexRevocationChecker {
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.crl'))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
  const loaded: LoadedCrl[] = [];
  for (const f of files) {
    const r = loadCrl(f, [new Uint8Array(readFileSync(f))], anchors);
    if (!r.ok) throw new Error(`${f}: ${r.rejection}: ${r.detail}`);
    loaded.push(r.crl);
  }
  const { set } = assembleSet(loaded, 1, Date.now());
  return new IndexRevocationChecker(() => set);
}

async function limboCmd(argv: string[]): Promise<number> {
  const { flags, positionals } = parse(argv, { exceptions: { type: 'string' }, 'include-webpki': { type: 'boolean' } });
  const file = positionals[0];
  if (!file) throw new UsageError('expected a limbo JSON file');
  const exc = str(flags, 'exceptions');
  const exceptions = exc === 'none' ? {} : loadExceptions(exc ?? defaultExceptionsPath()).limbo;
  const data = JSON.parse(readFileSync(file, 'utf8')) as { testcases?: LimboCase[] };
  if (!Array.isArray(data.testcases)) throw new UsageError(`${file} has no "testcases" array`);
  const cases = flags['include-webpki'] ? data.testcases : data.testcases.filter(inScope);
  const outcomes = cases.map((tc) => runLimboCase(tc, exceptions));
  for (const o of outcomes)
    console.log(JSON.stringify({ id: o.id, expected: o.expected, actual: o.actual, code: o.code, ...(o.excepted ? { excepted: o.excepted } : {}) }));
  const s = summarize(outcomes);
  console.log(`limbo: ${s.passed} passed, ${s.failed} failed, ${s.excepted} excepted`);
  return s.failed === 0 ? 0 : 1;
}

async function pkitsCmd(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {});
  const dir = positionals[0];
  if (!dir || !existsSync(join(dir, 'certs'))) throw new UsageError('expected a PKITS folder with certs/');
  const outcomes = runPkits(dir, loadExceptions().pkits);
  for (const o of outcomes) console.log(JSON.stringify(o));
  const passed = outcomes.filter((o) => !o.excepted && o.match).length;
  const failed = outcomes.filter((o) => !o.excepted && !o.match).length;
  console.log(`pkits: ${passed} passed, ${failed} failed, ${outcomes.length - passed - failed} excepted`);
  return failed === 0 ? 0 : 1;
}

/** Until the HTTP service lands, the demo shows the core on a fresh simulated PKI and its CRLs. */
async function demoCmd(argv: string[]): Promise<number> {
  const { flags } = parse(argv, { dir: { type: 'string' } });
  const dir = resolve(str(flags, 'dir') ?? 'var/demo-pki');
  const now = Date.now();
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.error(`making a demo PKI in ${dir} …`);
    initPki({ dir, now, authUsers: 100, signingUsers: 20, testUsers: 2, poolSize: 4, onProgress: progressBar('issuing certificates') });
  }
  // Today's CRLs: holder a1 revoked (key compromise), plus the usual share of moves and renewals.
  rotateCrls({ dir, now, revoke: { a1: REASON_CODES.keyCompromise } });
  const listed = new Set((JSON.parse(readFileSync(join(dir, 'crl', 'revoked.json'), 'utf8')) as { revoked: { id: string }[] }).revoked.map((r) => r.id));
  const pki = openPki(dir);
  const anchors = loadTrustStore(pki.trustPems);
  const ctx: VerifyContext = { anchors, revocation: crlChecker([join(dir, 'crl')], anchors.certificates()) };
  const auth = pki.holders('authentication');
  const a = auth.find((h) => !listed.has(h.id))!;
  const revoked = auth.find((h) => h.id === 'a1')!;
  const s = pki.holders('signing').find((h) => !listed.has(h.id))!;
  const challenge = randomBytes(32);
  const sig = cardSign(pki.keys[a.key], challenge);
  const tampered = Uint8Array.from(sig);
  tampered[tampered.length - 1] ^= 1;
  const doc = Buffer.from('申込書: JPKI demo');
  const show = (
    label: string,
    r: {
      verdict: { status: string; code: string; detail: string; revocation: RevocationReport };
    },
  ): void => {
    const src = r.verdict.revocation.source;
    console.log(
      `${label.padEnd(44)} ${r.verdict.status.padEnd(8)} ${r.verdict.code.padEnd(24)} ${r.verdict.detail}` +
        (src?.kind === 'crl' ? `  [CRL #${src.crlNumber} of ${new Date(src.thisUpdate).toISOString()}]` : ''),
    );
  };
  show('auth: valid signature over the challenge', verifyAuthentication({ certificate: a.cert, challenge, signature: sig, time: now }, ctx));
  show(
    'auth: revoked card',
    verifyAuthentication({ certificate: revoked.cert, challenge, signature: cardSign(pki.keys[revoked.key], challenge), time: now }, ctx),
  );
  show('auth: tampered signature', verifyAuthentication({ certificate: a.cert, challenge, signature: tampered, time: now }, ctx));
  show(
    'auth: signing certificate used to log in',
    verifyAuthentication({ certificate: s.cert, challenge, signature: cardSign(pki.keys[s.key], challenge), time: now }, ctx),
  );
  const t = pki.holders('test')[0];
  show('auth: test-hierarchy card', verifyAuthentication({ certificate: t.cert, challenge, signature: cardSign(pki.keys[t.key], challenge), time: now }, ctx));
  show(
    'signature: document signed with the card',
    verifyDocumentSignature({ certificate: s.cert, data: doc, signature: cardSign(pki.keys[s.key], doc), time: now }, ctx),
  );
  const cli = 'node dist/src/cli/main.js';
  console.log(
    `\nTry it yourself (paste into a shell in this folder):\n` +
      `  ${cli} card cert --dir ${dir} --holder ${a.id} > /tmp/${a.id}.pem\n` +
      `  SIG=$(${cli} card sign --dir ${dir} --holder ${a.id} --challenge 00ff)\n` +
      `  ${cli} verify auth --roots ${join(dir, 'trust')} --crl ${join(dir, 'crl')} --cert /tmp/${a.id}.pem --challenge 00ff --signature "$SIG"\n` +
      `  ${cli} verify auth --roots ${join(dir, 'trust')} --crl ${join(dir, 'crl')} --cert /tmp/${a.id}.pem --challenge 00fe --signature "$SIG"   # wrong challenge\n` +
      `  ${cli} card cert --dir ${dir} --holder a1 > /tmp/a1.pem; SIG1=$(${cli} card sign --dir ${dir} --holder a1 --challenge 00ff)\n` +
      `  ${cli} verify auth --roots ${join(dir, 'trust')} --crl ${join(dir, 'crl')} --cert /tmp/a1.pem --challenge 00ff --signature "$SIG1"   # revoked`,
  );
  return 0;
}

/** `config schema` (the JSON Schema of a configuration file) or `config docs` (the field
 *  reference), both generated from the configuration table. */
async function configCmd(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {});
  if (positionals[0] === 'schema') console.log(JSON.stringify(configJsonSchema(), null, 2));
  else if (positionals[0] === 'docs') process.stdout.write(configDocs());
  else throw new UsageError('config: give schema or docs');
  return 0;
}

export const commands: Record<string, Command> = {
  config: configCmd,
  start: startCmd,
  serve: serveCmd,
  worker: workerCmd,
  institution: institutionCmd,
  client: clientCmd,
  pki: pkiCmd,
  card: cardCmd,
  reader: readerCmd,
  verify: verifyCmd,
  limbo: limboCmd,
  pkits: pkitsCmd,
  demo: demoCmd,
};
