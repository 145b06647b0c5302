// The second load generator: wrk (C, from Debian) spends far less CPU per request than autocannon,
// so on these two shared cores it shows more of the service's own ceiling. autocannon stays the
// primary figure; wrk runs the same prepared bodies (each challenge used once) with bench/wrk/bodies.lua.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEY, processCpuMs, type Run } from './http-load.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'wrk', 'bodies.lua');
const THREADS = 2;

/** wrk on PATH, installed from Debian when missing and this is root (as test/services.sh does). */
export function ensureWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return;
  } catch (err) {
    // wrk --version exits 1 after printing its banner: present
    if ((err as { status?: number }).status === 1) return;
  }
  if (process.getuid?.() !== 0) throw new Error('wrk is missing: apt-get install wrk');
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null'], {
    stdio: 'inherit',
  });
}

/** A closed-loop wrk run over `bodies` (each sent once) for at most `seconds`. */
export async function loadWrk(
  label: string,
  url: string,
  bodies: string[],
  opts: { connections: number; seconds: number; route?: string; server?: ChildProcess },
): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'jpki-wrk-'));
  const file = join(dir, 'bodies.ndjson');
  writeFileSync(file, bodies.join('\n') + '\n');
  const serverCpu0 = processCpuMs(opts.server?.pid);
  // Through bash, whose `times` then prints the CPU wrk used (its children's user and system time).
  const child = spawn(
    'bash',
    [
      '-c',
      'wrk "$@" && times',
      'wrk',
      ...[
        '-t',
        String(THREADS),
        '-c',
        String(opts.connections),
        '-d',
        `${opts.seconds}s`,
        '--timeout',
        '10s',
        '-s',
        SCRIPT,
        `${url}${opts.route ?? '/v1/verify/auth'}`,
      ],
    ],
    { env: { ...process.env, BENCH_WRK_BODIES: file, BENCH_WRK_THREADS: String(THREADS), BENCH_WRK_KEY: KEY }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`wrk exited ${code}: ${out}`);
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`wrk printed no summary: ${out}`);
  const s = JSON.parse(line) as { requests: number; durationUs: number; ok: number; non2xx: number; errors: number; p50Us: number; p99Us: number };
  const seconds = s.durationUs / 1e6;
  // `times`: the shell's own user and system time, then its children's (`0m1.234s 0m0.567s`).
  const children =
    out
      .trim()
      .split('\n')
      .pop()!
      .match(/(\d+)m([\d.]+)s/g) ?? [];
  const generatorCpuMs = children.reduce((ms, t) => {
    const [, m, sec] = /(\d+)m([\d.]+)s/.exec(t)!;
    return ms + (Number(m) * 60 + Number(sec)) * 1000;
  }, 0);
  const run: Run = {
    label,
    connections: opts.connections,
    requests: s.ok,
    seconds,
    rps: s.ok / seconds,
    p50: Math.round(s.p50Us / 100) / 10,
    p99: Math.round(s.p99Us / 100) / 10,
    non2xx: s.non2xx + s.errors,
    verifiedOk: s.ok,
    generatorCpuMs,
    serverCpuMs: processCpuMs(opts.server?.pid) - serverCpu0,
  };
  console.log(
    `${label.padEnd(48)} ${Math.round(run.rps).toLocaleString('en-US').padStart(8)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  (wrk: ${s.ok} answered 200 in ${seconds.toFixed(1)} s, other ${run.non2xx}, wrk CPU ${(generatorCpuMs / 1000).toFixed(1)} s${opts.server ? `, server CPU ${(run.serverCpuMs / 1000).toFixed(1)} s` : ''})`,
  );
  return run;
}
