// Where a process's CPU goes, by stage, from V8 CPU profiles (BENCH_PROFILE_DIR=dir npm run bench
// -- http writes one per thread of every process): `node dist/bench/profile-stages.js DIR PID`.
// Each sample is charged to the first frame, from the leaf up, that a stage rule claims; GC and
// the kernel-side work V8 cannot see (writev, epoll) are their own rows. Shares of busy time per
// thread kind (main thread, pool threads); multiplied by the measured CPU per request they give the
// per-request budget by stage in the report.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface Frame {
  functionName: string;
  url: string;
}
interface Profile {
  startTime: number; // µs, CLOCK_MONOTONIC (process.hrtime's clock)
  nodes: { id: number; callFrame: Frame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

type Rule = readonly [stage: string, test: (f: Frame) => boolean];
const url =
  (...parts: string[]) =>
  (f: Frame) =>
    parts.some((p) => f.url.includes(p));
const fn =
  (...names: string[]) =>
  (f: Frame) =>
    names.includes(f.functionName);

/** Main thread of the service: HTTP in, challenge, decode, dispatch to the pool, encode, audit. */
const MAIN: readonly Rule[] = [
  ['challenge', url('/src/challenges/')],
  ['audit and stores', url('/src/db/', '/src/platform/', '/src/jobs/', '@electric-sql/pglite', '/pg/', '/pg-protocol/')],
  ['response encode', url('fast-json-stringify', '/src/verifier/wire', '/src/http/response-check')],
  ['request decode', url('/src/http/decode', '/src/http/json-body', 'secure-json-parse')],
  ['dispatch (batch, pack, pool)', url('/src/pool/', 'piscina', '/src/app/local-verifier', '/src/verifier/')],
  ['metrics and logs', url('prom-client', 'pino', '/src/ops/', '/src/http/request-log')],
  ['routes', url('/src/http/')],
  ['HTTP (node, fastify)', url('fastify', 'find-my-way', 'avvio', 'node:_http', 'node:net', 'node:internal/streams', 'node:stream', 'node:internal/http')],
];

/** A pool thread: decode the task, parse, profile and path, revocation, crypto, verdict. */
const POOL: readonly Rule[] = [
  ['RSA/ECDSA verify', fn('verifyOneShot', 'verify')],
  ['key import', url('node:internal/crypto/keys')],
  ['certificate parse', url('/src/core/certificate', '/src/core/der.', '/src/core/name.', '/src/core/extensions', '/src/core/general-name', '/src/core/time')],
  [
    'profile and path',
    url('/src/core/path', '/src/core/policy', '/src/core/name-constraints', '/src/core/cert-pool', '/src/core/jpki', '/src/core/verified-table'),
  ],
  ['revocation', url('/src/core/revocation-', '/src/core/crl-check')],
  ['fingerprint (SHA-256)', url('node:internal/crypto/hash')],
  ['verdict and facts', url('/src/core/verify', '/src/core/verdict', '/src/core/serial')],
  ['task codec', url('/src/pool/task-codec', '/workers/verify')],
];

export interface StageShare {
  stage: string;
  ms: number;
  share: number;
  /** The functions the stage's time was spent in (self time), largest first. */
  top?: { frame: string; ms: number }[];
}

/** A window of the monotonic clock in µs (process.hrtime.bigint() / 1000n): the load run only. */
export interface Window {
  readonly fromUs: number;
  readonly toUs: number;
}

/** Idle, whatever the thread waits in: the event loop, or piscina's Atomics.wait for a task. */
const idle = (f: Frame): boolean => f.functionName === '(idle)' || f.functionName === 'atomicsWaitLoop';

/** Busy time of the profiles (threads of one kind) by stage, idle excluded, largest first;
 *  within `window` if given. */
export function stagesOf(profiles: readonly Profile[], rules: readonly Rule[], window?: Window): { busyMs: number; stages: StageShare[] } {
  const ms = new Map<string, number>();
  const leaves = new Map<string, Map<string, number>>();
  let busy = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      at += profile.timeDeltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) return;
      // Idle too when the thread waits in the kernel under a frame that waits.
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) if (idle(byId.get(x)!.callFrame)) return;
      const dt = (profile.timeDeltas[i] ?? 0) / 1000;
      const leaf = byId.get(id)!.callFrame;
      busy += dt;
      let stage = leaf.functionName === '(garbage collector)' ? 'GC' : leaf.functionName === '(program)' ? 'native (V8, libuv, kernel)' : '';
      for (let x: number | undefined = id; !stage && x !== undefined; x = parent.get(x)) {
        const f = byId.get(x)!.callFrame;
        stage = rules.find(([, test]) => test(f))?.[0] ?? '';
      }
      stage ||= 'other';
      ms.set(stage, (ms.get(stage) ?? 0) + dt);
      const mine = leaves.get(stage) ?? new Map<string, number>();
      const name = `${leaf.functionName || '(anonymous)'} ${leaf.url.replace(/^.*\/(node_modules|dist)\//, '')}`;
      mine.set(name, (mine.get(name) ?? 0) + dt);
      leaves.set(stage, mine);
    });
  }
  const stages = [...ms]
    .map(([stage, v]) => ({
      stage,
      ms: v,
      share: v / busy,
      top: [...(leaves.get(stage) ?? [])]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([frame, t]) => ({ frame, ms: t })),
    }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: busy, stages };
}

/** The profiles of process `pid` in `dir`: its main thread, and its worker threads together. */
export function processStages(
  dir: string,
  pid: number,
  window?: Window,
): { main: ReturnType<typeof stagesOf> | null; pool: ReturnType<typeof stagesOf> | null } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid));
  const read = (f: string): Profile => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profile;
  // Node names them CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main one.
  const thread = (f: string): number => Number(f.split('.')[4]);
  const part = (names: string[], rules: readonly Rule[]) => (names.length ? stagesOf(names.map(read), rules, window) : null);
  return {
    main: part(
      files.filter((f) => thread(f) === 0),
      MAIN,
    ),
    pool: part(
      files.filter((f) => thread(f) !== 0),
      POOL,
    ),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, pid] = process.argv.slice(2);
  const r = processStages(dir, Number(pid));
  for (const [name, part] of Object.entries(r)) {
    if (!part) continue;
    console.log(`${name}: ${Math.round(part.busyMs)} ms busy`);
    for (const s of part.stages)
      console.log(`  ${s.stage.padEnd(32)} ${Math.round(s.ms).toString().padStart(7)} ms  ${(s.share * 100).toFixed(1).padStart(5)}%`);
    for (const s of part.stages) console.log(`  ${s.stage}: ${(s.top ?? []).map((t) => `${t.frame} ${Math.round(t.ms)} ms`).join('; ')}`);
  }
}
