// Build worker: reads CRL files, parses and verifies them, and builds the shared revocation
// index off the main thread. decode → core → encode, nothing else.
import { parentPort } from 'node:worker_threads';
import { fileChunks } from '../src/revocation/file-chunks.js';
import { parseCertificate } from '../src/core/certificate.js';
import { assembleSet } from '../src/core/revocation-assembly.js';
import { loadCrl, type LoadResult, type LoadedCrl } from '../src/core/crl-load.js';
import type { BuildRequest, BuildResponse, SourceOutcome } from '../src/revocation/messages.js';

function tryLoad(id: string, path: string, anchors: ReturnType<typeof parseCertificate>[], previous: BuildRequest['sources'][number]['previous'], now: number): LoadResult | { ok: false; rejection: 'unreadable'; detail: string } {
  try {
    return loadCrl(id, fileChunks(path), anchors, { previous, notAfter: now + 300_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code) return { ok: false, rejection: 'unreadable', detail: `${e.code}: ${e.message}` };
    throw err;
  }
}

export function build(req: BuildRequest): BuildResponse {
  const t0 = performance.now();
  const anchors = req.anchors.map((d) => parseCertificate(d));
  const loaded: LoadedCrl[] = [];
  const outcomes: SourceOutcome[] = [];
  for (const s of req.sources) {
    let rejection: SourceOutcome['rejection'];
    let detail: string | undefined;
    let used: SourceOutcome['used'] = 'none';
    let crl: LoadedCrl | null = null;
    if (s.candidate) {
      const r = tryLoad(s.id, s.candidate, anchors, s.previous, req.now);
      if (r.ok) {
        crl = r.crl;
        used = 'candidate';
      } else {
        rejection = r.rejection;
        detail = r.detail;
      }
    }
    if (!crl && s.lastGood) {
      // The last good CRL was accepted before: no rollback check against itself.
      const r = tryLoad(s.id, s.lastGood, anchors, null, req.now);
      if (r.ok) {
        crl = r.crl;
        used = 'lastGood';
      } else if (!rejection) {
        rejection = r.rejection;
        detail = r.detail;
      }
    }
    if (crl) loaded.push(crl);
    outcomes.push({
      id: s.id,
      used,
      rejection,
      detail,
      meta: crl ? { thisUpdate: crl.info.thisUpdate, nextUpdate: crl.info.nextUpdate, crlNumber: crl.info.crlNumber, entries: crl.info.entryCount } : undefined,
    });
  }
  const { set, dropped } = assembleSet(loaded, req.version, req.now);
  for (const d of dropped) {
    const i = outcomes.findIndex((o) => o.id === d.sourceId);
    if (i >= 0) outcomes[i] = { ...outcomes[i], used: 'none', rejection: d.rejection, detail: 'delta CRL without a matching base CRL' };
  }
  return { type: 'built', data: set.toData(), outcomes, ms: performance.now() - t0 };
}

parentPort?.on('message', (req: BuildRequest) => {
  let res: BuildResponse;
  try {
    res = build(req);
  } catch (err) {
    res = { type: 'error', message: (err as Error).message };
  }
  parentPort!.postMessage(res);
});
