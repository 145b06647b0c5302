// Build worker: reads CRL files, parses and verifies them, and builds the shared revocation
// index off the main thread. decode → core → encode, nothing else: which CRL each source
// contributes is decided in core/revocation-build.ts.
import { parentPort } from 'node:worker_threads';
import { fileChunks } from '../src/crl-feed/file-chunks.js';
import { parseCertificate, type Certificate } from '../src/core/certificate.js';
import { loadCrl } from '../src/core/crl-load.js';
import { buildRevocation, type CrlLoader } from '../src/core/revocation-build.js';
import type { BuildRequest, BuildResponse } from '../src/crl-feed/messages.js';

/** A CRL file read in chunks into loadCrl; a file-system error is an 'unreadable' outcome. */
function fileLoader(anchors: readonly Certificate[]): CrlLoader<string> {
  return (id, path, opts) => {
    try {
      return loadCrl(id, fileChunks(path), anchors, opts);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code) return { ok: false, rejection: 'unreadable', detail: `${e.code}: ${e.message}` };
      throw err;
    }
  };
}

export function build(req: BuildRequest): BuildResponse {
  const t0 = performance.now();
  const anchors = req.anchors.map((d) => parseCertificate(d));
  const { set, outcomes } = buildRevocation(req.sources, fileLoader(anchors), req.version, req.now);
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
