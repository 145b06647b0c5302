// A thread of the verified-table race test (test/core/verified-table.test.ts): records random
// fingerprints into a small shared table and reads its own and others' back for 400 ms. The
// anchor of a fingerprint is derived from its last byte, so any hit can be judged right or wrong.
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { parseCertificate } from '../../src/core/certificate.js';
import { VerifiedTable } from '../../src/core/verified-table.js';

const { buffer, ders } = workerData as { buffer: SharedArrayBuffer; ders: Uint8Array[] };
const anchors = ders.map((d) => parseCertificate(d));
const table = VerifiedTable.attach(buffer, anchors);
const n = anchors.length;
let hits = 0;
let wrong = 0;
const end = Date.now() + 400;
while (Date.now() < end) {
  const fp = randomBytes(32);
  fp[0] &= 0x03; // four sets: constant contention
  table.record(fp, 1, anchors[fp[31] % n]);
  for (let k = 0; k < 4; k++) {
    const probe = k === 0 ? fp : randomBytes(32);
    probe[0] &= 0x03;
    const got = table.lookup(probe, 1);
    if (got) {
      hits++;
      if (got !== anchors[probe[31] % n]) wrong++;
    }
  }
}
parentPort!.postMessage({ hits, wrong });
