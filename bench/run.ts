// `npm run bench`: every benchmark, one machine, one run. Results go to bench/results/.
import { benchCore } from './core.js';
import { benchRevocation } from './revocation.js';
import { benchHttp } from './http.js';
import { benchQueue } from './queue.js';
import { benchChange } from './change.js';
import { benchPayments } from './payments.js';
import { benchPeers } from './peers.js';

const only = process.argv[2];
const benches: Record<string, () => Promise<unknown>> = {
  core: () => benchCore(),
  peers: () => benchPeers(),
  revocation: () => benchRevocation(),
  http: () => benchHttp(),
  queue: () => benchQueue(),
  change: () => benchChange(),
  payments: () => benchPayments(),
};

for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
