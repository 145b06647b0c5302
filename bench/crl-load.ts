// Child process of the revocation benchmark: loads one CRL with one implementation and prints
// {ms, maxRssMB, entries} as JSON. A process per run, so peak RSS belongs to that run alone.
import { readFileSync } from 'node:fs';
import { parseCertificate, pemBlocks } from '../src/core/certificate.js';
import { loadCrl } from '../src/core/crl-load.js';
import { assembleSet } from '../src/core/revocation-assembly.js';
import { fileChunks } from '../src/crl-feed/file-chunks.js';

const [impl, file, anchorPem] = process.argv.slice(2);

async function run(): Promise<number> {
  switch (impl) {
    case 'ours': {
      // Streaming parse + signature check + index build: the whole refresh path.
      const anchor = parseCertificate(pemBlocks(readFileSync(anchorPem, 'utf8'), 'CERTIFICATE')[0]);
      const r = loadCrl(file, fileChunks(file), [anchor]);
      if (!r.ok) throw new Error(`${r.rejection}: ${r.detail}`);
      const { set } = assembleSet([r.crl], 1, Date.now());
      return set.issuers()[0].index.size;
    }
    case 'node-forge': {
      const forge = (await import('node-forge')).default;
      const bytes = readFileSync(file).toString('binary');
      const asn1 = forge.asn1.fromDer(bytes);
      // revokedCertificates: the longest SEQUENCE inside tbsCertList.
      type Node = { value: unknown };
      const tbs = (asn1.value as Node[])[0].value as Node[];
      return Math.max(...tbs.map((v) => (Array.isArray(v.value) ? v.value.length : 0)));
    }
    case 'pkijs': {
      // pkijs parses through asn1js, whose default limit (10,000 nodes) refuses any large CRL:
      // parse with the limits raised, then build the CRL object from the schema.
      const pkijs = await import('pkijs');
      const asn1js = await import('asn1js');
      const bytes = readFileSync(file);
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const asn = asn1js.fromBER(ab, { maxNodes: Number.MAX_SAFE_INTEGER, maxContentLength: Number.MAX_SAFE_INTEGER } as never);
      if (asn.offset === -1) throw new Error(`asn1js: ${asn.result.error}`);
      const crl = new pkijs.CertificateRevocationList({ schema: asn.result });
      return crl.revokedCertificates?.length ?? 0;
    }
    default:
      throw new Error(`unknown implementation ${impl}`);
  }
}

const t0 = performance.now();
const entries = await run();
const ms = performance.now() - t0;
console.log(JSON.stringify({ impl, ms, entries, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
