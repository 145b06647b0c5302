// Peers benchmark (issue #8): the same authentication verifications — path check to the J-LIS
// roots, revocation against a 100,000-entry CRL, RSA signature over the challenge — by this
// project and by the libraries a Node.js team would otherwise pick, each used as its documentation
// recommends:
//   pkijs          CertificateChainValidationEngine (trusted certs + CRLs) and WebCrypto
//   node-forge     pki.verifyCertificateChain and forge RSA; forge has no CRL object, so the CRL is
//                  read with forge.asn1 into a serial set once; forge rejects JPKI's critical
//                  certificatePolicies, which its verify callback is told to accept
//   @peculiar/x509 X509ChainBuilder, X509Certificate.verify and X509Crl.findRevoked, on WebCrypto
// Every implementation must reach the same verdicts (valid / not valid) on every item it runs.
// The slow peers run a prefix of the items; their rate is items ÷ time over that prefix.
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate, toPem } from '../src/core/certificate.js';
import { CertificatePool } from '../src/core/cert-pool.js';
import { IndexRevocationChecker } from '../src/core/revocation-lookup.js';
import { assembleSet } from '../src/core/revocation-assembly.js';
import { loadCrl } from '../src/core/crl-load.js';
import { verifyAuthentication } from '../src/core/verify.js';
import { cardSign } from '../src/dev/sim/card.js';
import { writeCrl } from '../src/dev/sim/crl-writer.js';
import { issueEndEntity, makeKeyPool, makeRoots } from '../src/dev/sim/jlis.js';
import { person, rng } from '../src/dev/sim/people.js';
import { machine, writeResult } from './harness.js';

/** node-forge ASN.1 nodes, as far as the CRL walk needs them. */
interface ForgeAsn1 {
  type: number;
  value: ForgeAsn1[] | string;
}

interface Item {
  der: Uint8Array;
  challenge: Uint8Array;
  signature: Uint8Array;
  valid: boolean;
}
interface PeerRun {
  name: string;
  items: number;
  seconds: number;
  perSecond: number;
  setupSeconds: number;
  agree: boolean;
  mismatches: number;
}

function bigBytes(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

const serialKey = (hex: string): string => BigInt(`0x${hex}`).toString(16);

export async function benchPeers(opts: { items?: number; crlEntries?: number; rounds?: number } = {}): Promise<Record<string, unknown>> {
  const n = opts.items ?? 10_000;
  const crlEntries = opts.crlEntries ?? 100_000;
  const rounds = opts.rounds ?? 3;
  const now = Date.now();
  console.log(`peers: issuing ${n.toLocaleString()} authentication certificates and a ${crlEntries.toLocaleString()}-entry CRL …`);
  const roots = makeRoots(now);
  const root = roots.find((r) => r.label === 'auth-gen3')!;
  const pool = makeKeyPool(8);
  const r = rng(11);
  const items: Item[] = [];
  const revoked: { serial: Uint8Array; revokedAt: number; reason: number }[] = [];
  for (let i = 0; i < n; i++) {
    const key = pool[i % pool.length];
    const serial = BigInt(0x7000_0000) + BigInt(i);
    const der = issueEndEntity({ purpose: 'authentication', root, key, serial, person: person(r, now), notBefore: now - 86_400_000 });
    const challenge = new Uint8Array(randomBytes(32));
    const signature = cardSign(key.privateKey, challenge);
    const isRevoked = i % 20 === 7; // 5% revoked
    const tampered = i % 25 === 3; // 4% wrong signature
    if (isRevoked) revoked.push({ serial: bigBytes(serial), revokedAt: now - 3_600_000, reason: 1 });
    if (tampered) signature[signature.length - 1] ^= 1;
    items.push({ der, challenge, signature, valid: !isRevoked && !tampered });
  }
  const dir = mkdtempSync(join(tmpdir(), 'jpki-peers-'));
  const crlFile = join(dir, 'auth-gen3.crl');
  writeCrl(crlFile, {
    issuerName: root.name,
    issuerKeyId: root.keyId,
    issuerKey: root.key,
    thisUpdate: now - 3_600_000,
    nextUpdate: now + 86_400_000,
    crlNumber: 1n,
    entries: revoked,
    bulk: {
      count: crlEntries - revoked.length,
      serialLength: 8,
      serial: (i, out) => {
        out[0] = 0x52;
        out[1] = 0x11;
        out[2] = 0x22;
        out[3] = 0x33;
        out[4] = (i >>> 24) & 255;
        out[5] = (i >>> 16) & 255;
        out[6] = (i >>> 8) & 255;
        out[7] = i & 255;
      },
    },
  });
  const crlDer = new Uint8Array(readFileSync(crlFile));
  const runs: PeerRun[] = [];
  const check = (name: string, verdicts: boolean[], setupSeconds: number, seconds: number): PeerRun => {
    let mismatches = 0;
    verdicts.forEach((v, i) => (mismatches += v === items[i].valid ? 0 : 1));
    const run = { name, items: verdicts.length, seconds, perSecond: verdicts.length / seconds, setupSeconds, agree: mismatches === 0, mismatches };
    runs.push(run);
    console.log(
      `${name.padEnd(52)} ${Math.round(run.perSecond).toLocaleString('en-US').padStart(8)} verifications/s  (${run.items.toLocaleString()} items in ${seconds.toFixed(2)} s; CRL and setup ${setupSeconds.toFixed(2)} s; ${mismatches === 0 ? 'same verdicts' : `${mismatches} verdicts differ`})`,
    );
    return run;
  };

  // ---- this project ----
  {
    const t0 = performance.now();
    const loaded = loadCrl(crlFile, [crlDer], [parseCertificate(root.cert)]);
    if (!loaded.ok) throw new Error(loaded.detail);
    const set = assembleSet([loaded.crl], 1, now).set;
    const ctx = {
      anchors: new CertificatePool(roots.map((x) => parseCertificate(x.cert))),
      revocation: new IndexRevocationChecker(() => set),
      revocationPolicy: 'hard-fail' as const,
    };
    const setup = (performance.now() - t0) / 1000;
    const times: number[] = [];
    let verdicts: boolean[] = [];
    for (let round = 0; round < rounds; round++) {
      const t1 = performance.now();
      verdicts = items.map(
        (it) => verifyAuthentication({ certificate: it.der, challenge: it.challenge, signature: it.signature, time: now }, ctx).verdict.status === 'valid',
      );
      times.push((performance.now() - t1) / 1000);
    }
    times.sort((a, b) => a - b);
    const run = check('jpki-verify (median of rounds)', verdicts, setup, times[Math.floor(times.length / 2)]);
    (run as PeerRun & { rounds: number[] }).rounds = times.map((s) => n / s);
  }

  // ---- node-forge ----
  {
    const forge = (await import('node-forge')).default;
    const t0 = performance.now();
    const caStore = forge.pki.createCaStore(roots.map((x) => toPem(x.cert, 'CERTIFICATE')));
    const crl = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(crlDer).toString('binary'))) as unknown as ForgeAsn1;
    const tbs = (crl.value as ForgeAsn1[])[0].value as ForgeAsn1[];
    // revokedCertificates: the SEQUENCE OF SEQUENCE whose entries start with an INTEGER.
    const list = tbs.find(
      (x) =>
        Array.isArray(x.value) &&
        x.value.length > 0 &&
        Array.isArray(x.value[0].value) &&
        (x.value[0].value as ForgeAsn1[])[0]?.type === forge.asn1.Type.INTEGER,
    );
    const revokedSet = new Set(((list?.value ?? []) as ForgeAsn1[]).map((e) => serialKey(forge.util.bytesToHex((e.value as ForgeAsn1[])[0].value as string))));
    const setup = (performance.now() - t0) / 1000;
    const m = Math.min(n, 2_000);
    const t1 = performance.now();
    const verdicts: boolean[] = [];
    for (let i = 0; i < m; i++) {
      const it = items[i];
      let ok = true;
      try {
        const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(it.der).toString('binary'))));
        // forge refuses every JPKI certificate: its critical certificatePolicies is an extension
        // forge does not support. forge checks that last (after signature, trust and dates), so
        // the documented verify callback accepts that one error and nothing else.
        forge.pki.verifyCertificateChain(caStore, [cert], {
          validityCheckDate: new Date(now),
          verify: (verified: true | string) => verified === true || verified === 'forge.pki.UnsupportedCertificate' || verified,
        } as never);
        if (revokedSet.has(serialKey(cert.serialNumber))) ok = false;
        else {
          const md = forge.md.sha256.create();
          md.update(Buffer.from(it.challenge).toString('binary'));
          ok = (cert.publicKey as unknown as { verify(digest: string, sig: string): boolean }).verify(
            md.digest().bytes(),
            Buffer.from(it.signature).toString('binary'),
          );
        }
      } catch {
        ok = false;
      }
      verdicts.push(ok);
    }
    check('node-forge (verifyCertificateChain + forge RSA)', verdicts, setup, (performance.now() - t1) / 1000);
  }

  // ---- @peculiar/x509 ----
  {
    await import('reflect-metadata'); // @peculiar/x509's dependency injection needs it loaded first
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as never);
    const t0 = performance.now();
    const rootCerts = roots.map((x) => new x509.X509Certificate(Buffer.from(x.cert)));
    // X509Crl parses through asn1js, whose default node limit refuses a 100k-entry CRL and which
    // X509Crl gives no option for: parse with the limit raised, then hand the structure over.
    const { AsnParser } = await import('@peculiar/asn1-schema');
    const { CertificateList } = await import('@peculiar/asn1-x509');
    const crl = new x509.X509Crl(
      AsnParser.parse(Buffer.from(crlDer), CertificateList, {
        berOptions: { maxNodes: Number.MAX_SAFE_INTEGER, maxContentLength: Number.MAX_SAFE_INTEGER },
      } as never) as never,
    );
    const setup = (performance.now() - t0) / 1000;
    const m = Math.min(n, Number(process.env.BENCH_X509_ITEMS ?? 1_000));
    const builder = new x509.X509ChainBuilder({ certificates: rootCerts });
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const t1 = performance.now();
    const verdicts: boolean[] = [];
    for (let i = 0; i < m; i++) {
      const it = items[i];
      const leaf = new x509.X509Certificate(Buffer.from(it.der));
      const chain = await builder.build(leaf);
      let ok = chain.length >= 2 && rootCerts.some((rc) => rc.equal(chain[chain.length - 1]));
      for (let k = 0; ok && k < chain.length - 1; k++) ok = await chain[k].verify({ publicKey: chain[k + 1].publicKey, date: new Date(now) });
      if (ok && crl.findRevoked(leaf)) ok = false;
      if (ok) ok = await webcrypto.subtle.verify(alg, await leaf.publicKey.export(alg, ['verify']), it.signature, it.challenge);
      verdicts.push(ok);
    }
    check('@peculiar/x509 (chain builder + X509Crl + WebCrypto)', verdicts, setup, (performance.now() - t1) / 1000);
  }

  // ---- pkijs ----
  {
    const pkijs = await import('pkijs');
    const asn1js = await import('asn1js');
    pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));
    const ber = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
    const t0 = performance.now();
    const trusted = roots.map((x) => pkijs.Certificate.fromBER(ber(x.cert)));
    // asn1js refuses large inputs unless its node limit is raised (see bench/crl-load.ts).
    const asn = asn1js.fromBER(ber(crlDer), { maxNodes: Number.MAX_SAFE_INTEGER, maxContentLength: Number.MAX_SAFE_INTEGER } as never);
    if (asn.offset === -1) throw new Error(`asn1js: ${asn.result.error}`);
    const crl = new pkijs.CertificateRevocationList({ schema: asn.result });
    const setup = (performance.now() - t0) / 1000;
    const m = Math.min(n, Number(process.env.BENCH_PKIJS_ITEMS ?? 200));
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const t1 = performance.now();
    const verdicts: boolean[] = [];
    for (let i = 0; i < m; i++) {
      const it = items[i];
      const leaf = pkijs.Certificate.fromBER(ber(it.der));
      const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: trusted, certs: [leaf], crls: [crl], checkDate: new Date(now) });
      let ok = (await engine.verify()).result === true;
      if (ok) {
        const key = await webcrypto.subtle.importKey('spki', leaf.subjectPublicKeyInfo.toSchema().toBER(false), alg, false, ['verify']);
        ok = await webcrypto.subtle.verify(alg, key, it.signature, it.challenge);
      }
      verdicts.push(ok);
    }
    check('pkijs (CertificateChainValidationEngine + WebCrypto)', verdicts, setup, (performance.now() - t1) / 1000);
  }

  const ours = runs[0];
  const ratios = Object.fromEntries(runs.slice(1).map((p) => [p.name.split(' ')[0], ours.perSecond / p.perSecond]));
  for (const [k, v] of Object.entries(ratios)) console.log(`peers: jpki-verify is ${v.toFixed(1)}× ${k} (target ≥ 20× pkijs and node-forge)`);
  const disagree = runs.filter((x) => !x.agree);
  if (disagree.length) console.log(`peers: VERDICTS DIFFER for ${disagree.map((d) => d.name).join(', ')}`);
  const result = {
    benchmark: 'peers',
    machine: machine(),
    items: n,
    crlEntries,
    revokedShare: 0.05,
    tamperedShare: 0.04,
    runs,
    ratios,
    at: new Date().toISOString(),
  };
  console.log(`wrote ${writeResult('peers', result)}`);
  return result;
}
