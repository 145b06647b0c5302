// The pool threads' young generation (pool.youngGenerationMb): fresh verifications in a worker
// thread per size, V8's GC time per verification counted inside the thread. A bigger young
// generation means fewer scavenges; past the point where each scavenge finds little alive it buys
// nothing and costs memory per thread.
import { Worker } from 'node:worker_threads';

export interface YoungGenerationRun {
  /** 0: V8's default for a worker thread. */
  youngGenerationMb: number;
  opsPerSec: number;
  gcUsPerOp: number;
  scavengesPer1000: number;
  markSweeps: number;
}

export async function sweepYoungGeneration(
  input: { roots: Uint8Array[]; certs: Uint8Array[]; challenges: Uint8Array[]; sigs: Uint8Array[]; now: number },
  sizes: readonly number[] = [0, 4, 8, 16, 32, 64],
  rounds = 2,
): Promise<YoungGenerationRun[]> {
  const out: YoungGenerationRun[] = [];
  for (const mb of sizes) {
    const r = await new Promise<Omit<YoungGenerationRun, 'youngGenerationMb'>>((resolve, reject) => {
      const w = new Worker(new URL('./gc-worker.js', import.meta.url), {
        workerData: { ...input, rounds },
        ...(mb ? { resourceLimits: { maxYoungGenerationSizeMb: mb } } : {}),
      });
      w.once('message', resolve);
      w.once('error', reject);
    });
    out.push({ youngGenerationMb: mb, ...r });
    console.log(
      `young generation ${mb ? `${mb} MB` : 'default'}: ${Math.round(r.opsPerSec).toLocaleString('en-US')} fresh verifications/s, GC ${r.gcUsPerOp.toFixed(2)} µs each, ${r.scavengesPer1000.toFixed(2)} scavenges per 1000`,
    );
  }
  return out;
}
