// Payment relay benchmark (issue #7): end-to-end credit authorisations per second on this machine
// — JPKI verification, link lookup, HMAC-signed call to the reference institution (its own
// process, accounts in Redis), decision — driven by autocannon, beside plain authentication
// verifications of the same holders in the same run.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { machine, writeResult } from './harness.js';
import { KEY, benchConfig, benchDatabase, benchPki, load, prepare, processCpuMs, startProcess, type Run } from './http-load.js';

const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-relay-secret-card-y';

async function startInstitution(dir: string, port: number, prefix: string, holders: number): Promise<ChildProcess> {
  const file = join(dir, 'institution.json');
  const accounts = Array.from({ length: holders }, (_, i) => ({ accountRef: `4000${String(i).padStart(12, '0')}`, kind: 'credit', limit: 1_000_000_000 }));
  writeFileSync(file, JSON.stringify({ id: 'card-y', port, secret: SECRET, pinKey: 'bench-pin-key', redisUrl: REDIS, prefix, accounts }));
  return startProcess('institution', file, `http://127.0.0.1:${port}`, '/healthz');
}

async function count(url: string, re: RegExp): Promise<number> {
  const m = re.exec(await (await fetch(`${url}/metrics`)).text());
  return m ? Number(m[1]) : 0;
}

/** The relay's stages (jpki_payment_stage_seconds), in the order a payment passes them. */
const STAGES = ['verify', 'lookup', 'pending', 'institution', 'commit'] as const;

/** Seconds spent in each stage so far, summed over all payments, and the request count (from
 *  jpki_http_request_duration_seconds of the route: the whole time in the service). */
async function stageSums(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (re: RegExp): number => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  const out: Record<string, number> = {};
  for (const s of STAGES) out[s] = sum(new RegExp(`^jpki_payment_stage_seconds_sum\\{stage="${s}"\\} (\\S+)`, 'gm'));
  out.service = sum(/^jpki_http_request_duration_seconds_sum\{route="\/v1\/payments\/authorize",[^}]*\} (\S+)/gm);
  out.requests = sum(/^jpki_http_request_duration_seconds_count\{route="\/v1\/payments\/authorize",[^}]*\} (\S+)/gm);
  return out;
}

/** CPU ms used so far by the PostgreSQL processes that serve `db` (its backends and the server's
 *  background writers; other databases' backends left out), and by the Redis server (shared). */
function serverCpuMs(db: string | null): { postgres: number; redis: number } {
  const out = { postgres: 0, redis: 0 };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (cmd.startsWith('redis-server')) out.redis += processCpuMs(Number(pid));
    // Backends read "postgres: user db host(port) state"; background processes have no host.
    else if (db && cmd.startsWith('postgres: ') && (cmd.includes(` ${db} `) || !cmd.includes('('))) out.postgres += processCpuMs(Number(pid));
  }
  return out;
}

/** Where a payment's time goes in one run: wall time per payment in each stage (ms, queueing
 *  inside it included) and CPU per payment of each process (µs). */
interface Breakdown {
  readonly stagesMs: Record<string, number>;
  readonly cpuUs: Record<string, number>;
}

/** One relay configuration: where its system of record lives. */
interface StoreRun {
  readonly store: string;
  readonly payments: Run;
  readonly approved: number;
  readonly ratio: number;
  readonly breakdown: Breakdown;
}

/** Figures of main at bfa817c (platform state and idempotency in Redis, audit fire-and-forget),
 *  for the report's before/after. */
const BEFORE = { commit: 'bfa817c', stores: 'Redis', payments: 1_492, verify: 7_442, ratio: 0.2 };

export async function benchPayments(opts: { holders?: number; requests?: number } = {}): Promise<Record<string, unknown>> {
  const nHolders = opts.holders ?? 2_000;
  const n = opts.requests ?? 8_000;
  console.log(`payments: making ${nHolders.toLocaleString()} simulated holders …`);
  const { dir, pki, holders } = benchPki(nHolders);
  const prefix = `jpkibenchpay${Date.now().toString(36)}`;
  const instPort = 18_700;
  const inst = await startInstitution(dir, instPort, prefix, holders.length);
  const redis = new Redis(REDIS, { maxRetriesPerRequest: 1 });
  const pgDb = await benchDatabase('payments');
  const stores: StoreRun[] = [];
  let verify: Run | null = null;
  try {
    // The embedded default (PGlite in this process), then a PostgreSQL server (the cluster's).
    const configs = [
      { store: 'PGlite (embedded default)', database: { url: null, dir: join(dir, 'db-payments') } },
      { store: 'PostgreSQL server', database: { url: pgDb.url, poolSize: 16 } },
    ];
    for (const [i, c] of configs.entries()) {
      const port = 18_701 + i;
      const cfg = benchConfig(dir, `payments-${i}`, port, {
        database: c.database,
        tenants: [{ id: 'bench', apiKeySha256: createHash('sha256').update(KEY).digest('hex'), basicInfo: false, linkedCards: true }],
        payments: {
          institutions: [{ id: 'card-y', endpoint: `http://127.0.0.1:${instPort}`, secret: SECRET, timeoutMs: 5000 }],
          circuitFailures: 50,
          circuitOpenMs: 1000,
          idempotencyTtlSec: 3600,
        },
      });
      const url = `http://127.0.0.1:${port}`;
      const server = await startProcess('serve', cfg, url);
      try {
        // Enrol every holder with one credit card (a verified authentication each).
        const enrolBodies = await prepare(url, pki, holders, holders.length);
        for (let i = 0; i < enrolBodies.length; i += 100) {
          await Promise.all(
            enrolBodies.slice(i, i + 100).map(async (b, j) => {
              const body = {
                ...JSON.parse(b),
                customerRef: `c${i + j}`,
                cards: [{ institution: 'card-y', kind: 'credit', accountRef: `4000${String(i + j).padStart(12, '0')}` }],
              };
              const r = await fetch(`${url}/v1/links`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-api-key': KEY },
                body: JSON.stringify(body),
              });
              if (r.status !== 201) throw new Error(`enrolment failed: ${r.status} ${await r.text()}`);
            }),
          );
        }
        console.log(`payments: ${c.store}: enrolled ${holders.length.toLocaleString()} holders`);
        let k = 0;
        const payments = async (m: number): Promise<string[]> =>
          (await prepare(url, pki, holders, m)).map((b) =>
            JSON.stringify({
              ...JSON.parse(b),
              method: 'credit',
              terminalId: 'bench-pos-1',
              amount: 1000,
              currency: 'JPY',
              idempotencyKey: `bench-${i}-${Date.now()}-${k++}`,
            }),
          );
        await load('warm-up', url, await payments(2000), { connections: 128, route: '/v1/payments/authorize' });
        const bodies = await payments(n);
        const approvedBefore = await count(url, /^jpki_payment_decisions_total\{method="credit",decision="approved"\} (\d+)/m);
        const dbName = c.database.url ? new URL(c.database.url).pathname.slice(1) : null;
        const [stages0, servers0, inst0] = [await stageSums(url), serverCpuMs(dbName), processCpuMs(inst.pid)];
        const pay = await load(`payments (${c.store}): credit authorisations`, url, bodies, { connections: 128, route: '/v1/payments/authorize', server });
        const [stages1, servers1, inst1] = [await stageSums(url), serverCpuMs(dbName), processCpuMs(inst.pid)];
        const approved = (await count(url, /^jpki_payment_decisions_total\{method="credit",decision="approved"\} (\d+)/m)) - approvedBefore;
        const per = stages1.requests - stages0.requests;
        const stagesMs: Record<string, number> = {};
        for (const k of [...STAGES, 'service']) stagesMs[k] = ((stages1[k] - stages0[k]) * 1000) / per;
        stagesMs.other = stagesMs.service - STAGES.reduce((t, k) => t + stagesMs[k], 0); // fastify, JSON, waiting for the loop
        const us = (msTotal: number): number => (msTotal * 1000) / pay.requests;
        const cpuUs = {
          service: us(pay.serverCpuMs),
          institution: us(inst1 - inst0),
          postgres: us(servers1.postgres - servers0.postgres),
          redis: us(servers1.redis - servers0.redis),
          generator: us(pay.generatorCpuMs),
        };
        const breakdown = { stagesMs, cpuUs: { ...cpuUs, total: Object.values(cpuUs).reduce((a, b) => a + b, 0) } };
        console.log(
          `payments: ${c.store}: ms per payment in each stage: ${Object.entries(stagesMs)
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(', ')}; CPU µs per payment: ${Object.entries(breakdown.cpuUs)
            .map(([k, v]) => `${k} ${Math.round(v)}`)
            .join(', ')}`,
        );
        // Plain authentication of the same holders, on the embedded default, in the same run.
        verify ??= await load('same holders: authentication only', url, await prepare(url, pki, holders, n), { connections: 128, server });
        stores.push({ store: c.store, payments: pay, approved, ratio: pay.rps / verify.rps, breakdown });
      } finally {
        server.kill('SIGTERM');
      }
    }
    for (const r of stores)
      console.log(
        `payments: ${r.store}: ${Math.round(r.payments.rps).toLocaleString('en-US')} authorisations/s end to end (${r.approved.toLocaleString()} approved by the institution), ${r.ratio.toFixed(2)} of plain verification (${Math.round(verify!.rps).toLocaleString('en-US')}/s) in the same run`,
      );
    console.log(
      `payments: before (${BEFORE.commit}, ${BEFORE.stores}): ${BEFORE.payments.toLocaleString('en-US')}/s, ${BEFORE.ratio.toFixed(2)} of plain verification (${BEFORE.verify.toLocaleString('en-US')}/s)`,
    );
    const first = stores[0];
    const result = {
      benchmark: 'payments',
      machine: machine(),
      holders: holders.length,
      requests: n,
      payments: first.payments,
      approved: first.approved,
      verify,
      ratio: first.ratio,
      stores,
      before: BEFORE,
      at: new Date().toISOString(),
    };
    console.log(`wrote ${writeResult('payments', result)}`);
    return result;
  } finally {
    inst.kill('SIGTERM');
    await pgDb.drop();
    const keys = await redis.keys(`${prefix}*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
    redis.disconnect();
  }
}
