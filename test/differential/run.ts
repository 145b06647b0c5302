// Runs generated cases through the project's path validation and through `openssl verify`, asking
// both the same question: a client-authentication end entity (EKU clientAuth, keyUsage
// digitalSignature) chaining to the given root at time T, policies processed with the same initial
// inputs, and with CRLs for every CA when a case has them (`-crl_check_all -use_deltas`).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CertificateError, parseCertificate, toPem, type Certificate } from '../../src/core/certificate.js';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { CrlError, parseCrl, type ParsedCrl } from '../../src/core/crl.js';
import { CrlSetChecker } from '../../src/core/crl-check.js';
import { ANY_POLICY, EKU, KeyUsage } from '../../src/core/extensions.js';
import { validatePath } from '../../src/core/path.js';
import { T, type BuiltCase } from './generator.js';

const run = promisify(execFile);

export type Outcome = 'valid' | 'invalid';

export interface CaseResult {
  readonly id: number;
  readonly mutations: readonly string[];
  readonly project: Outcome;
  readonly projectCode: string;
  readonly openssl: Outcome;
  readonly opensslErrors: readonly string[];
}

/** The project's answer: the same inputs the limbo harness gives validatePath. */
export function runProject(c: BuiltCase): { outcome: Outcome; code: string } {
  let leaf: Certificate;
  let root: Certificate;
  try {
    leaf = parseCertificate(c.leaf);
    root = parseCertificate(c.root);
  } catch (err) {
    if (err instanceof CertificateError) return { outcome: 'invalid', code: 'malformed_certificate' };
    throw err;
  }
  const intermediates: Certificate[] = [];
  for (const der of c.intermediates) {
    try {
      intermediates.push(parseCertificate(der));
    } catch (err) {
      if (!(err instanceof CertificateError)) throw err;
    }
  }
  const anchors = new CertificatePool([root]);
  const pool = new CertificatePool(intermediates);
  let revocation: CrlSetChecker | undefined;
  if (c.plan.crls) {
    const crls: ParsedCrl[] = [];
    for (const der of c.crls) {
      try {
        crls.push(parseCrl(der));
      } catch (err) {
        if (!(err instanceof CrlError)) throw err;
      }
    }
    revocation = new CrlSetChecker(crls, { anchors, intermediates: pool });
  }
  const p = c.plan.policy;
  const res = validatePath(leaf, {
    time: T,
    anchors,
    intermediates: pool,
    requiredEku: EKU.clientAuth,
    requiredKeyUsage: KeyUsage.digitalSignature,
    initialPolicies: p.initial ?? [ANY_POLICY],
    requireExplicitPolicy: p.explicit,
    inhibitPolicyMapping: p.inhibitMapping,
    inhibitAnyPolicy: p.inhibitAny,
    revocation,
  });
  return { outcome: res.verdict.status === 'valid' ? 'valid' : 'invalid', code: res.verdict.code };
}

/** The `openssl verify` options a case needs besides its files: cases with the same options can
 *  share one invocation. */
export function opensslOptions(c: BuiltCase): string[] {
  const p = c.plan.policy;
  const args = ['-x509_strict', '-no-CApath', '-no-CAstore', '-attime', String(T / 1000), '-purpose', 'sslclient'];
  // Policy processing always on, as the project always processes policies.
  args.push('-policy_check');
  for (const oid of p.initial ?? []) args.push('-policy', oid);
  if (p.explicit) args.push('-explicit_policy');
  if (p.inhibitMapping) args.push('-inhibit_map');
  if (p.inhibitAny) args.push('-inhibit_any');
  if (c.plan.crls) args.push('-crl_check_all', '-use_deltas', '-extended_crl');
  return args;
}

const pem = (ders: readonly Uint8Array[], label: string): string => ders.map((d) => toPem(d, label)).join('');

/**
 * OpenSSL's answers for a batch of cases sharing their options, in one `openssl verify`: the roots
 * go into one CA file, the intermediates and CRLs into one file each, every end entity is an
 * argument. Each case names its certificates O=Diff <id>, so no path or CRL crosses cases.
 */
export async function runOpensslBatch(batch: readonly BuiltCase[], dir: string): Promise<Map<number, { outcome: Outcome; errors: string[] }>> {
  mkdirSync(dir, { recursive: true });
  const files = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const args = [
    'verify',
    ...opensslOptions(batch[0]),
    '-CAfile',
    files(
      'roots.pem',
      pem(
        batch.map((c) => c.root),
        'CERTIFICATE',
      ),
    ),
  ];
  const inter = batch.flatMap((c) => c.intermediates);
  if (inter.length) args.push('-untrusted', files('untrusted.pem', pem(inter, 'CERTIFICATE')));
  const crls = batch.flatMap((c) => c.crls);
  if (crls.length) args.push('-CRLfile', files('crls.pem', pem(crls, 'X509 CRL')));
  const leafFile = new Map<string, number>();
  for (const c of batch) leafFile.set(files(`leaf-${c.plan.id}.pem`, pem([c.leaf], 'CERTIFICATE')), c.plan.id);
  args.push(...leafFile.keys());
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await run('openssl', args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' }, maxBuffer: 64 << 20 }));
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err; // openssl missing or not runnable: not a verdict
    stdout = e.stdout ?? '';
    stderr = e.stderr ?? '';
  }
  // A shared file that does not load would make every case of the batch fail: not a verdict.
  if (/Error loading file|Unable to load (untrusted certificates|other CRLs)|Could not open file/.test(stderr)) {
    throw new Error(`openssl could not load a batch file: ${stderr.slice(0, 500)}`);
  }
  const out = new Map<number, { outcome: Outcome; errors: string[] }>();
  for (const id of leafFile.values()) out.set(id, { outcome: 'invalid', errors: [] });
  for (const line of stdout.split('\n')) {
    const m = /^(.*): OK$/.exec(line.trim());
    if (m && leafFile.has(m[1])) out.get(leafFile.get(m[1])!)!.outcome = 'valid';
  }
  // stderr: a case's "error N at D depth lookup: …" lines, then "error FILE: verification failed".
  let pending: string[] = [];
  for (const line of stderr.split('\n')) {
    const failed = /^error (.*): verification failed$/.exec(line);
    if (failed && leafFile.has(failed[1])) {
      out.get(leafFile.get(failed[1])!)!.errors = pending;
      pending = [];
    } else if (/^error \d+ at \d+ depth lookup:/.test(line) || /unable to load/i.test(line)) pending.push(line);
  }
  return out;
}

/** Runs every case through both verifiers; OpenSSL in batches of up to `batchSize` cases with the
 *  same options, `parallel` processes at a time. */
export async function runCases(cases: readonly BuiltCase[], workDir: string, parallel: number, batchSize = 40): Promise<CaseResult[]> {
  const groups = new Map<string, BuiltCase[]>();
  for (const c of cases) {
    const key = opensslOptions(c).join(' ');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(c);
  }
  const batches: BuiltCase[][] = [];
  for (const g of groups.values()) for (let i = 0; i < g.length; i += batchSize) batches.push(g.slice(i, i + batchSize));
  const openssl = new Map<number, { outcome: Outcome; errors: string[] }>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < batches.length; i = next++) {
      for (const [id, r] of await runOpensslBatch(batches[i], join(workDir, `batch-${i}`))) openssl.set(id, r);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return cases.map((c) => {
    const project = runProject(c);
    const o = openssl.get(c.plan.id)!;
    return { id: c.plan.id, mutations: c.plan.mutations, project: project.outcome, projectCode: project.code, openssl: o.outcome, opensslErrors: o.errors };
  });
}

// ---- known differences ----

export interface KnownDifference {
  /** The mutation that makes the two verifiers disagree… */
  readonly mutation: string;
  /** …in the presence of this one too, when the difference needs both. */
  readonly with?: string;
  readonly project: Outcome;
  readonly openssl: Outcome;
  /** The rule the project follows, with its reference. */
  readonly reference: string;
  readonly why: string;
}

export function loadKnownDifferences(path: string): KnownDifference[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { differences: KnownDifference[] }).differences;
}

/** The known difference that explains a disagreement: one of the case's mutations, same directions. */
export function explain(r: CaseResult, known: readonly KnownDifference[]): KnownDifference | null {
  if (r.project === r.openssl) return null;
  return (
    known.find((k) => r.mutations.includes(k.mutation) && (!k.with || r.mutations.includes(k.with)) && k.project === r.project && k.openssl === r.openssl) ??
    null
  );
}
