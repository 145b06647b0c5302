// The caches on a realistic mix: holders drawn Zipf-distributed over 10M cards, spread over the
// pool's threads, each thread with its own path-cache LRU (pool.pathCacheSize) in front of the
// verified-certificate table they share (pool.verifiedEntries). Counts, per request, where the
// certificate was found: this thread's path cache (one RSA verify, no parse), the shared table
// (parse + one RSA verify) or neither (the full check: two). The table is the real one
// (core/verified-table.ts), over SHA-256 fingerprints of the card numbers; the LRU is pool/lru.ts.
import { createHash } from 'node:crypto';
import type { Certificate } from '../src/core/certificate.js';
import { VerifiedTable, verifiedContext } from '../src/core/verified-table.js';
import { Lru } from '../src/pool/lru.js';
import { rng } from '../src/dev/sim/people.js';

export interface CacheMix {
  cards: number;
  zipfS: number;
  requests: number;
  threads: number;
  pathCacheSize: number;
  verifiedEntries: number;
  pathCacheHit: number;
  tableHit: number;
  fullCheck: number;
  /** RSA verifies per request on average (path-cache or table hit 1, full check 2). */
  verifiesPerRequest: number;
  /** The same without the table: every path-cache miss is a full check. */
  verifiesPerRequestWithoutTable: number;
}

/** Inverse-CDF sampler of Zipf(s) over ranks 1..n (a Float64Array CDF, binary search). */
function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / Math.pow(k, s);
    cdf[k - 1] = sum;
  }
  for (let k = 0; k < n; k++) cdf[k] /= sum;
  return () => {
    const u = random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function simulateCacheMix(
  anchors: readonly Certificate[],
  o: { cards?: number; zipfS?: number; requests?: number; threads?: number; pathCacheSize?: number; verifiedEntries?: number } = {},
): CacheMix {
  const cards = o.cards ?? 10_000_000;
  const zipfS = o.zipfS ?? 1.0;
  const requests = o.requests ?? 3_000_000;
  const threads = o.threads ?? 2;
  const pathCacheSize = o.pathCacheSize ?? 20_000;
  const verifiedEntries = o.verifiedEntries ?? 1_048_576;
  const random = rng(18);
  const draw = zipfSampler(cards, zipfS, random);
  const lrus = Array.from({ length: threads }, () => new Lru<number, true>(pathCacheSize));
  const table = VerifiedTable.attach(VerifiedTable.allocate(verifiedEntries, anchors), anchors);
  const ctx = verifiedContext('authentication', false);
  const fp = Buffer.alloc(32);
  let pathHits = 0;
  let tableHits = 0;
  for (let r = 0; r < requests; r++) {
    const card = draw();
    const lru = lrus[Math.floor(random() * threads)]; // micro-batches land on any thread
    if (lru.get(card)) {
      pathHits++;
      continue;
    }
    createHash('sha256').update(`card-${card}`).digest().copy(fp);
    if (table.lookup(fp, ctx)) tableHits++;
    else table.record(fp, ctx, anchors[0]);
    lru.set(card, true);
  }
  const full = requests - pathHits - tableHits;
  return {
    cards,
    zipfS,
    requests,
    threads,
    pathCacheSize,
    verifiedEntries,
    pathCacheHit: pathHits / requests,
    tableHit: tableHits / requests,
    fullCheck: full / requests,
    verifiesPerRequest: (pathHits + tableHits + 2 * full) / requests,
    verifiesPerRequestWithoutTable: (pathHits + 2 * (requests - pathHits)) / requests,
  };
}
