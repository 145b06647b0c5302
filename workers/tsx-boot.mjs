// Source-mode bootstrap for pool workers (tests run the TypeScript sources): registers tsx in
// this thread, then re-exports the worker module named in workerData. Not used from dist/.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const mod = await import(workerData.module);
export default mod.default;
