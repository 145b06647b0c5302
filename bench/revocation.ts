// Revocation benchmark: write J-LIS-like CRLs of 1M and 10M entries, load each (streaming parse +
// signature check + index build) in a process of its own for time and peak RSS, measure lookups
// per second, and load the same 1M CRL with node-forge and pkijs in the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toPem } from '../src/core/certificate.js';
import { loadCrl } from '../src/core/crl-load.js';
import { assembleSet } from '../src/core/revocation-assembly.js';
import { parseCertificate } from '../src/core/certificate.js';
import { writeCrl } from '../src/dev/sim/crl-writer.js';
import { makeRoots } from '../src/dev/sim/jlis.js';
import { machine, measure, printTable, writeResult, type Measurement } from './harness.js';
import { readFileSync } from 'node:fs';

const HERE = dirname(fileURLToPath(import.meta.url));

interface LoadRun {
  impl: string;
  ms: number;
  entries: number;
  maxRssMB: number;
}

function child(impl: string, file: string, anchor: string, timeoutMs: number): LoadRun | { impl: string; error: string } {
  try {
    const out = execFileSync(process.execPath, ['--max-old-space-size=16384', join(HERE, 'crl-load.js'), impl, file, anchor], {
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop()!) as LoadRun;
  } catch (err) {
    return { impl, error: (err as Error).message.split('\n')[0] };
  }
}

/** Serial i of a bulk CRL: a fixed random-looking prefix, then a counter (as the simulator issues). */
function serialOf(i: number, out: Uint8Array): void {
  out[0] = 0x52;
  out[1] = 0x11;
  out[2] = 0x22;
  out[3] = 0x33;
  const c = i * 2 + 1;
  out[4] = (c / 2 ** 24) & 255;
  out[5] = (c >>> 16) & 255;
  out[6] = (c >>> 8) & 255;
  out[7] = c & 255;
}

export async function benchRevocation(opts: { sizes?: number[]; peers?: boolean; peerTimeoutMs?: number } = {}): Promise<Record<string, unknown>> {
  const sizes = opts.sizes ?? [1_000_000, 10_000_000];
  const dir = join(tmpdir(), `jpki-bench-crl-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const root = makeRoots(now).find((r) => r.label === 'auth-gen3')!;
  const anchorFile = join(dir, 'anchor.pem');
  writeFileSync(anchorFile, toPem(root.cert, 'CERTIFICATE'));
  const results: Record<string, unknown> = { benchmark: 'revocation', machine: machine(), at: new Date().toISOString(), sizes: {} };
  try {
    for (const n of sizes) {
      const file = join(dir, `crl-${n}.crl`);
      const t0 = performance.now();
      const w = writeCrl(file, {
        issuerName: root.name,
        issuerKeyId: root.keyId,
        issuerKey: root.key,
        thisUpdate: now - 3_600_000,
        nextUpdate: now + 86_400_000,
        crlNumber: 1n,
        bulk: { count: n, serialLength: 8, serial: serialOf },
      });
      const writeMs = performance.now() - t0;
      console.log(`revocation: wrote ${n.toLocaleString()} entries (${(w.bytes / 1e6).toFixed(0)} MB DER) in ${(writeMs / 1000).toFixed(1)} s`);
      const loads = [1, 2, 3].map(() => child('ours', file, anchorFile, 600_000));
      for (const l of loads) if ('error' in l) throw new Error(`load failed: ${l.error}`);
      const ok = loads as LoadRun[];
      const med = [...ok].sort((a, b) => a.ms - b.ms)[1];
      console.log(
        `revocation: load ${n.toLocaleString()}: ${(med.ms / 1000).toFixed(2)} s median (runs ${ok.map((x) => (x.ms / 1000).toFixed(2)).join(', ')} s), peak RSS ${Math.max(...ok.map((x) => x.maxRssMB)).toFixed(0)} MB`,
      );
      const entry: Record<string, unknown> = { writeMs, bytes: w.bytes, load: ok };
      // Lookups in this process: a built index, queries half misses (good cards), half hits.
      const r = loadCrl(file, [new Uint8Array(readFileSync(file))], [parseCertificate(root.cert)]);
      if (!r.ok) throw new Error(r.detail);
      const index = assembleSet([r.crl], 1, now).set.issuers()[0].index;
      const Q = 2_000_000;
      const queries: Uint8Array[] = [];
      for (let i = 0; i < 4096; i++) {
        const q = new Uint8Array(8);
        serialOf(Math.floor(Math.random() * n), q);
        if (i % 2) q[7] ^= 1; // even counters: never revoked
        queries.push(q);
      }
      const rows: Measurement[] = [
        measure(`lookups, ${n.toLocaleString()}-entry index (50% hits)`, Q, 3, (i) => void index.find(queries[i & 4095])),
        measure(`lookups, ${n.toLocaleString()}-entry index (misses only)`, Q, 3, (i) => void index.find(queries[(i & 2047) * 2 + 1])),
      ];
      printTable(rows);
      entry.lookups = rows;
      if (n === 1_000_000 && opts.peers !== false) {
        const peers = ['node-forge', 'pkijs'].map((p) => child(p, file, anchorFile, opts.peerTimeoutMs ?? 900_000));
        for (const p of peers) {
          if ('error' in p) console.log(`revocation: ${p.impl} on 1M: failed (${p.error})`);
          else
            console.log(
              `revocation: ${p.impl} parse only, 1M: ${(p.ms / 1000).toFixed(2)} s, peak RSS ${p.maxRssMB.toFixed(0)} MB — ours (parse + signature + index) is ${(p.ms / med.ms).toFixed(0)}× faster, ${(p.maxRssMB / med.maxRssMB).toFixed(1)}× less memory`,
            );
        }
        entry.peers = peers;
      }
      (results.sizes as Record<string, unknown>)[String(n)] = entry;
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`wrote ${writeResult('revocation', results)}`);
  return results;
}
