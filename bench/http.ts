// HTTP benchmark (autocannon, same machine): 10,000 distinct simulated card holders, challenges
// issued through the API and signed by the card simulator before each timed run. Prints
// requests/s and p50/p99 at full load, a latency curve by concurrency (p99 at 80% of the full
// rate), a one-request-per-task baseline, and OpenSSL's RSA-2048 verify rate in the same run.
import { machine, writeResult } from './harness.js';
import { benchPki, load, nodeVerifyRate, opensslVerify, prepare, startFloorServer, startServer, stopProcess, type Run } from './http-load.js';
import { ensureWrk, loadWrk } from './wrk-load.js';
import { processStages, type Window } from './profile-stages.js';

/** The wrk runs: at most this long, with enough fresh bodies for the service's rate. */
const WRK_SECONDS = 4;

/** Concurrency steps of the latency curve (closed loop, split over two generator processes). */
const CURVE_CONNECTIONS = [4, 8, 16, 32, 64, 128];

export async function benchHttp(opts: { holders?: number; requests?: number } = {}): Promise<Record<string, unknown>> {
  const nHolders = opts.holders ?? 10_000;
  const n = opts.requests ?? 40_000;
  console.log(`http: making ${nHolders.toLocaleString()} simulated holders …`);
  const { dir, pki, holders } = benchPki(nHolders);
  const ssl1 = opensslVerify(1);
  const ssl2 = opensslVerify(2);
  const node1 = nodeVerifyRate();
  console.log(
    `http: openssl speed rsa2048 verify: ${Math.round(ssl1).toLocaleString('en-US')}/s on 1 core, ${Math.round(ssl2).toLocaleString('en-US')}/s on 2`,
  );
  const runs: Run[] = [];
  const curve: Run[] = [];
  let eighty: Run | null = null;
  let batchRun: Run | null = null;
  let wrkFull: Run | null = null;
  let window: Window | null = null;
  ensureWrk();
  let fullBodies: string[] = [];
  let server = await startServer(dir, 18_480, 32);
  const url = 'http://127.0.0.1:18480';
  try {
    await load('warm-up', url, await prepare(url, pki, holders, 5000));
    fullBodies = await prepare(url, pki, holders, n);
    const fromUs = Number(process.hrtime.bigint() / 1000n); // the clock V8's profiles use
    const max = await load('micro-batched (32/task), full load', url, fullBodies, { server });
    window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
    runs.push(max);
    // The same full load from wrk, with enough fresh bodies for WRK_SECONDS at up to twice the rate.
    const wrkBodies = await prepare(url, pki, holders, Math.ceil(max.rps * WRK_SECONDS * 2));
    wrkFull = await loadWrk('wrk: micro-batched (32/task), full load', url, wrkBodies, { connections: 256, seconds: WRK_SECONDS, server });
    // Latency below saturation: closed-loop runs at rising concurrency. The first whose rate
    // reaches 80% of the full-load rate gives "p99 at 80%"; the whole curve goes in the report.
    for (const c of CURVE_CONNECTIONS) {
      const r = await load(`micro-batched, ${c} connections`, url, await prepare(url, pki, holders, Math.round(n / 2)), { connections: c });
      curve.push(r);
      if (r.rps >= 0.8 * max.rps) break;
    }
    eighty = curve.find((r) => r.rps >= 0.8 * max.rps) ?? curve[curve.length - 1];
    // Server capacity with the generator's per-request cost out of the way: 64 auth items per
    // POST /v1/verify/batch. Reported apart from the per-request figures.
    const singles = await prepare(url, pki, holders, n);
    const batches: string[] = [];
    for (let i = 0; i < singles.length; i += 64)
      batches.push(JSON.stringify({ items: singles.slice(i, i + 64).map((b) => ({ type: 'auth', ...JSON.parse(b) })) }));
    batchRun = await load('batch endpoint, 64 auth items per request', url, batches, {
      connections: 16,
      route: '/v1/verify/batch',
      itemsPerRequest: 64,
      server,
    });
  } finally {
    await stopProcess(server);
  }
  // BENCH_PROFILE_DIR: the service wrote a profile per thread on exit; the full-load window's
  // busy time by stage goes into the report.
  const profiled = process.env.BENCH_PROFILE_DIR && window ? processStages(process.env.BENCH_PROFILE_DIR, server.pid!, window) : null;
  const stages = profiled ? { ...profiled, cpuUsPerRequest: (runs[0].serverCpuMs / runs[0].requests) * 1000 } : undefined;
  server = await startServer(dir, 18_481, 1);
  const url1 = 'http://127.0.0.1:18481';
  try {
    await load('warm-up', url1, await prepare(url1, pki, holders, 3000));
    runs.push(await load('baseline: one request per task', url1, await prepare(url1, pki, holders, Math.round(n / 2)), { server }));
  } finally {
    server.kill('SIGTERM');
  }
  // The floor: the same bodies, connections and generators against fastify answering a fixed
  // verdict with no verification (floor-server.ts). Nothing that verifies can beat it.
  const floorServer = await startFloorServer(18_482);
  let floor: Run;
  let wrkFloor: Run;
  try {
    await load('warm-up', 'http://127.0.0.1:18482', fullBodies.slice(0, 5000));
    floor = await load('floor: same requests, no verification', 'http://127.0.0.1:18482', fullBodies, { server: floorServer });
    // The floor checks no challenge: bodies may repeat, as many as wrk can send in WRK_SECONDS.
    const many = Array.from({ length: Math.ceil((floor.rps * WRK_SECONDS * 4) / fullBodies.length) }, () => fullBodies).flat();
    wrkFloor = await loadWrk('wrk: floor, no verification', 'http://127.0.0.1:18482', many, { connections: 256, seconds: WRK_SECONDS, server: floorServer });
  } finally {
    floorServer.kill('SIGTERM');
  }
  const [full, base] = runs;
  if (!eighty || !wrkFull) throw new Error('no latency run');
  // Each fresh certificate costs two RSA verifies (CA→cert, card signature).
  // Ceiling estimate for this work on these cores: the floor's time per request plus two verifies
  // at OpenSSL's 2-core rate, as if verification cost nothing beyond the RSA operations.
  const bound = 1 / (1 / floor.rps + 2 / ssl2);
  // The same from CPU time alone, as if both cores were busy all the time: the floor's CPU per
  // request (server and generators) plus two 1-core verifies at `verifiesPerSec`, on two cores.
  const floorCpuUs = ((floor.serverCpuMs + floor.generatorCpuMs) / floor.requests) * 1000;
  const cpuCeiling = (verifiesPerSec: number): number => 2e6 / (floorCpuUs + 2 * (1e6 / verifiesPerSec));
  const cpuBound = cpuCeiling(ssl1);
  // And with Node's crypto.verify, which any Node verifier calls, in place of OpenSSL's loop.
  const nodeCpuBound = cpuCeiling(node1);
  const ratios = {
    vsBaseline: full.rps / base.rps,
    vsOpensslTwoVerifyLimit: full.rps / (ssl2 / 2),
    p99At80PercentMs: eighty.p99,
    at80Percent: { connections: eighty.connections, rps: eighty.rps },
    floorRps: floor.rps,
    boundRps: bound,
    cpuBoundRps: cpuBound,
    nodeCpuBoundRps: nodeCpuBound,
    vsBound: full.rps / bound,
    // wrk: the same ceiling from its own floor; the service's rate against it.
    wrkFloorRps: wrkFloor.rps,
    wrkBoundRps: 1 / (1 / wrkFloor.rps + 2 / ssl2),
    wrkVsBound: wrkFull.rps / (1 / (1 / wrkFloor.rps + 2 / ssl2)),
  };
  console.log(
    `http: floor (same requests, no verification) ${Math.round(floor.rps).toLocaleString('en-US')} req/s; ceiling with 2 OpenSSL verifies added ${Math.round(bound).toLocaleString('en-US')} req/s (${Math.round(cpuBound).toLocaleString('en-US')} from CPU time at full use of both cores, ${Math.round(nodeCpuBound).toLocaleString('en-US')} with crypto.verify at ${Math.round(node1).toLocaleString('en-US')}/s); full rate is ${ratios.vsBound.toFixed(2)} of that ceiling`,
  );
  console.log(
    `http: wrk: full rate ${Math.round(wrkFull.rps).toLocaleString('en-US')} req/s, floor ${Math.round(wrkFloor.rps).toLocaleString('en-US')} req/s, ceiling ${Math.round(ratios.wrkBoundRps).toLocaleString('en-US')} req/s: ${ratios.wrkVsBound.toFixed(2)} of it`,
  );
  console.log(
    `http: p99 at ≥80% of full rate (${eighty.connections} connections, ${Math.round(eighty.rps).toLocaleString('en-US')} req/s): ${eighty.p99} ms (target ≤ 10 ms); ${ratios.vsBaseline.toFixed(1)}× the one-request-per-task baseline; ${ratios.vsOpensslTwoVerifyLimit.toFixed(2)} of OpenSSL's 2-core limit for 2 verifies per request (${Math.round(ssl2 / 2).toLocaleString('en-US')}/s)`,
  );
  const result = {
    benchmark: 'http',
    machine: machine(),
    holders: nHolders,
    openssl: { verify1: ssl1, verify2: ssl2 },
    nodeVerify1: node1,
    runs,
    curve,
    batch: batchRun,
    floor,
    wrk: { full: wrkFull, floor: wrkFloor },
    stages,
    ratios,
    at: new Date().toISOString(),
  };
  console.log(`wrote ${writeResult('http', result)}`);
  return result;
}
