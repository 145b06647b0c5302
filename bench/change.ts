// Change-confirmation benchmark (issue #6): 1,000,000 registered signing certificates re-checked
// after a CRL refresh that revokes 100,000 of them, on the memory store and on Redis. Prints the
// time of the re-check (scan, index lookup, changes recorded) and memory (process RSS; Redis
// used_memory for the Redis store).
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { parseCertificate } from '../src/core/certificate.js';
import { toHex } from '../src/core/der.js';
import { assembleSet, loadCrl } from '../src/core/revocation.js';
import { MemoryPlatformStore } from '../src/platform/memory-store.js';
import { Platform } from '../src/platform/platform.js';
import { RedisPlatformStore } from '../src/platform/redis-store.js';
import type { PlatformStore, Watch } from '../src/platform/store.js';
import { redisKeys } from '../src/redis-keys.js';
import { writeCrl } from '../src/sim/crl-writer.js';
import { makeRoots } from '../src/sim/jlis.js';
import { machine, writeResult } from './harness.js';

const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Serial with counter c: a fixed prefix, then c (the CRL holds the odd counters below 2×size). */
function serial(c: number, out: Uint8Array): void {
  out[0] = 0x52; out[1] = 0x11; out[2] = 0x22; out[3] = 0x33;
  out[4] = (c / 2 ** 24) & 255; out[5] = (c >>> 16) & 255; out[6] = (c >>> 8) & 255; out[7] = c & 255;
}

const mb = (n: number): number => Math.round(n / 1e6);

export async function benchChange(opts: { watches?: number; revoked?: number } = {}): Promise<Record<string, unknown>> {
  const nWatches = opts.watches ?? 1_000_000;
  const nRevoked = opts.revoked ?? 100_000;
  const now = Date.now();
  const dir = join(tmpdir(), `jpki-bench-change-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const root = makeRoots(now).find((r) => r.label === 'sign-gen3')!;
  const file = join(dir, 'sign.crl');
  writeCrl(file, { issuerName: root.name, issuerKeyId: root.keyId, issuerKey: root.key, thisUpdate: now - 60_000, nextUpdate: now + 86_400_000, crlNumber: 7n, bulk: { count: nRevoked, serialLength: 8, serial: (i, out) => serial(i * 2 + 1, out) } });
  const loaded = loadCrl(file, [new Uint8Array(readFileSync(file))], [parseCertificate(root.cert)]);
  if (!loaded.ok) throw new Error(loaded.detail);
  const set = assembleSet([loaded.crl], 1, now).set;
  rmSync(dir, { recursive: true, force: true });
  const issuerKeyId = toHex(root.keyId);
  const tenants = ['bank-a', 'bank-b', 'card-c', 'telco-d'];
  const watchOf = (k: number): Watch => {
    const s = new Uint8Array(8);
    serial(k, s);
    return { id: `w${k}`, tenant: tenants[k % tenants.length], conversionId: `cid_${k}`, customerRef: null, issuerKeyId, partitions: [], serialHex: toHex(s), fingerprint: '', status: 'good', reason: null, registeredAt: now, checkedAt: now };
  };
  const logger = pino({ level: 'warn' });
  const runs: Record<string, unknown>[] = [];

  const run = async (name: string, store: PlatformStore, fill: () => Promise<void>, extraMemory: () => Promise<number | null>): Promise<void> => {
    const t0 = performance.now();
    await fill();
    const fillMs = performance.now() - t0;
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const platform = new Platform(store, [], { auditRetentionMs: 86_400_000, webhook: { attempts: 1, timeoutMs: 1000, policy: { allowHosts: [], allowPrivate: false } } }, logger, () => now + 120_000);
    const r = await platform.recheck(set, `bench-${name}-${now}`, 3_600_000);
    clearInterval(sampler);
    if (!r) throw new Error('re-check claim refused');
    if (r.changed !== Math.min(nRevoked, Math.floor(nWatches / 2))) throw new Error(`expected ${nRevoked} changes, found ${r.changed}`);
    const redisMB = await extraMemory();
    const row = { store: name, watches: nWatches, changed: r.changed, fillMs: Math.round(fillMs), recheckMs: Math.round(r.ms), perSecond: Math.round(r.checked / (r.ms / 1000)), rssBeforeMB: mb(rssBefore), rssPeakMB: mb(peak), redisUsedMB: redisMB };
    runs.push(row);
    console.log(`change: ${name.padEnd(7)} ${nWatches.toLocaleString()} watched, ${r.changed.toLocaleString()} changed: re-check ${(r.ms / 1000).toFixed(2)} s (${row.perSecond.toLocaleString()}/s), process RSS ${row.rssBeforeMB} → peak ${row.rssPeakMB} MB${redisMB !== null ? `, Redis used ${redisMB} MB` : ''} (registering took ${(fillMs / 1000).toFixed(1)} s)`);
  };

  const memory = new MemoryPlatformStore(() => now);
  await run('memory', memory, async () => {
    for (let k = 0; k < nWatches; k++) await memory.putWatch(watchOf(k));
  }, async () => null);

  const redis = new Redis(REDIS, { maxRetriesPerRequest: 1 });
  const prefix = `jpkibenchcc${now.toString(36)}`;
  const keys = redisKeys(prefix);
  const usedMB = async (): Promise<number> => mb(Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]));
  const baseline = await usedMB();
  try {
    await run('redis', new RedisPlatformStore(redis, keys), async () => {
      for (let k = 0; k < nWatches; k += 10_000) {
        const p = redis.pipeline();
        for (let j = k; j < Math.min(nWatches, k + 10_000); j++) p.hset(keys.watches, `w${j}`, JSON.stringify(watchOf(j)));
        await p.exec();
      }
    }, async () => (await usedMB()) - baseline);
  } finally {
    const all = await redis.keys(`${prefix}*`);
    if (all.length) await redis.unlink(...all);
    redis.disconnect();
  }
  const result = { benchmark: 'change-confirmation', machine: machine(), watches: nWatches, revoked: nRevoked, runs, at: new Date().toISOString() };
  console.log(`wrote ${writeResult('change', result)}`);
  return result;
}
