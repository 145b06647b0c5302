// Memory of a verifying process at the default pool configuration (2 threads, pathCacheSize 20,000
// a thread, verifiedEntries 1,048,576): the embedded service's RSS once ready, and after 20,000
// verifications of 10,000 holders (its caches filled), with today's small CRLs and with CRLs
// carrying 10,000,000 entries (the revocation index in shared memory). A queue worker process
// holds the same pool, index and caches.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initPki, openPki } from '../src/dev/sim/jlis.js';
import { publishCrls } from '../src/dev/sim/jlis-crl.js';
import { machine, writeResult } from './harness.js';
import { benchConfig, load, prepare, startProcess, stopProcess } from './http-load.js';

/** Resident set of a process, MB (Linux /proc). */
function rssMb(pid: number | undefined): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export interface MemoryRun {
  crlEntries: number;
  rssReadyMb: number;
  rssAfterMb: number;
  verifications: number;
}

export async function benchMemory(): Promise<Record<string, unknown>> {
  const runs: MemoryRun[] = [];
  for (const bulk of [0, 10_000_000]) {
    const dir = mkdtempSync(join(tmpdir(), 'jpki-bench-memory-'));
    const now = Date.now();
    initPki({ dir, now, authUsers: 10_000, signingUsers: 0, testUsers: 0, poolSize: 8 });
    console.log(`memory: CRLs with ${bulk.toLocaleString('en-US')} extra entries …`);
    const { revoked } = publishCrls({ dir, now, bulkEntries: bulk });
    const pki = openPki(dir);
    const gone = new Set(revoked.map((r) => r.id));
    const holders = pki.holders('authentication').filter((h) => !gone.has(h.id));
    const port = 18_560 + runs.length;
    const url = `http://127.0.0.1:${port}`;
    // The default pool: only the thread count is named (the machine's two cores).
    const cfg = benchConfig(dir, `memory-${bulk}`, port, { pool: { threads: 2 } });
    const server = await startProcess('serve', cfg, url, '/readyz', 120_000);
    try {
      const rssReadyMb = rssMb(server.pid);
      const bodies = await prepare(url, pki, holders, 20_000);
      const run = await load(`memory: 20,000 verifications, CRL +${bulk.toLocaleString('en-US')}`, url, bodies, { connections: 64, server });
      const rssAfterMb = rssMb(server.pid);
      runs.push({ crlEntries: bulk, rssReadyMb, rssAfterMb, verifications: run.verifiedOk });
      console.log(
        `memory: CRL +${bulk.toLocaleString('en-US')} entries: RSS ${rssReadyMb.toFixed(0)} MB ready, ${rssAfterMb.toFixed(0)} MB after 20,000 verifications`,
      );
    } finally {
      await stopProcess(server);
    }
  }
  const result = { benchmark: 'memory', machine: machine(), runs, at: new Date().toISOString() };
  console.log(`wrote ${writeResult('memory', result)}`);
  return result;
}
