// Starts a worker thread from workers/. From dist/ the compiled .js runs as is; from the TypeScript
// sources (tests run there) a two-line bootstrap registers tsx in the thread first, so both paths
// execute the same code.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function workerFile(name: string): { url: URL; fromSource: boolean } {
  const fromSource = import.meta.url.endsWith('.ts');
  return { url: new URL(`../../workers/${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url), fromSource };
}

export function spawnWorker(name: string, options: WorkerOptions = {}): Worker {
  const { url, fromSource } = workerFile(name);
  if (!fromSource) return new Worker(url, options);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
