// Small benchmark harness: repeated timed rounds, medians and spread, JSON results on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Measurement {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** Runs `fn(i)` over `items` indices for `rounds` rounds; returns operations per second. */
export function measure(name: string, items: number, rounds: number, fn: (i: number) => void): Measurement {
  const runs: number[] = [];
  fn(0); // warm-up of the code path
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < items; i++) fn(i);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    runs.push(items / secs);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { name, unit: 'ops/s', median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1], runs };
}

export function machine(): Record<string, string | number> {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, openssl: process.versions.openssl };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function printTable(rows: Measurement[]): void {
  for (const m of rows)
    console.log(`${m.name.padEnd(58)} ${fmt(m.median).padStart(10)} ${m.unit}  (min ${fmt(m.min)}, max ${fmt(m.max)}, ${m.runs.length} runs)`);
}

export function writeResult(name: string, data: unknown): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
