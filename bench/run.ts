// `npm run bench`: every benchmark, one machine, one run, then bench/results/REPORT.md and charts.
// `npm run bench -- NAME` runs one. BENCH_RUNS=k repeats each k times (results NAME.json,
// NAME-2.json …) so the report can give medians and spread.
import { renameSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCore } from './core.js';
import { benchRevocation } from './revocation.js';
import { benchHttp } from './http.js';
import { benchQueue } from './queue.js';
import { benchChange } from './change.js';
import { benchPayments } from './payments.js';
import { benchPeers } from './peers.js';
import { benchOcsp } from './ocsp.js';
import { benchMemory } from './memory.js';
import { writeReport } from './report.js';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
const only = process.argv[2];
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const benches: Record<string, () => Promise<unknown>> = {
  core: () => benchCore(),
  peers: () => benchPeers(),
  revocation: () => benchRevocation(),
  http: () => benchHttp(),
  queue: () => benchQueue(),
  change: () => benchChange(),
  payments: () => benchPayments(),
  ocsp: () => benchOcsp(),
  memory: () => benchMemory(),
};
if (only && !(only in benches) && only !== 'report') throw new Error(`no benchmark ${only}; one of ${Object.keys(benches).join(', ')}, report`);

for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  // Results of earlier repeated runs of this benchmark would mix with this run's.
  if (existsSync(RESULTS)) for (const f of readdirSync(RESULTS)) if (new RegExp(`^${name}-\\d+\\.json$`).test(f)) rmSync(join(RESULTS, f));
  for (let k = 1; k <= runs; k++) {
    console.log(`\n== ${name}${runs > 1 ? ` (run ${k} of ${runs})` : ''} ==`);
    await run();
    if (k > 1) renameSync(join(RESULTS, `${name}.json`), join(RESULTS, `${name}-${k}.json`));
    else if (runs > 1) renameSync(join(RESULTS, `${name}.json`), join(RESULTS, `${name}-1.json`));
  }
  if (runs > 1) renameSync(join(RESULTS, `${name}-1.json`), join(RESULTS, `${name}.json`));
}
console.log(`\nwrote ${writeReport()}`);
