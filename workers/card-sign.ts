// Benchmark helper thread: signs challenges as simulated cards do (RSA private operations are the
// slow part of preparing a load test; two threads halve it).
import { createPrivateKey } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { cardSign } from '../src/dev/sim/card.js';

interface Job {
  keys: string[];
  items: { key: number; challenge: Uint8Array }[];
}

parentPort?.on('message', (job: Job) => {
  const keys = job.keys.map((k) => createPrivateKey(k));
  parentPort!.postMessage(job.items.map((it) => Buffer.from(cardSign(keys[it.key], it.challenge)).toString('base64')));
});
