// Simulated J-LIS: three RSA generations of signing and authentication roots sharing one DN, a
// fourth ECDSA P-384 generation (the next-generation card) under the same DN, a test hierarchy,
// and end-entity certificates in the exact JPKI profile for many synthetic holders. Bulk holders
// share a small pool of keys so 100,000 certificates take seconds, not hours.
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pemBlocks, toPem } from '../../core/certificate.js';
import { JPKI } from '../../core/jpki.js';
import { basicInfoFields, birthdayAfter, person, rng, type Person } from './people.js';
import { endEntitySpec, issueCertificate, keyIdentifier, rootName, rootSpec, spkiOf, type Der, type Purpose } from './issue.js';

const YEAR = 365.25 * 86_400_000;

export interface RootCA {
  readonly purpose: Purpose;
  readonly generation: number; // 1, 2, 3 (RSA), 4 (ECDSA P-384), or 0 for the test root
  readonly label: string; // e.g. "sign-gen3"
  readonly cert: Der;
  readonly key: KeyObject; // private
  readonly keyId: Der;
  readonly name: Der;
  readonly notBefore: number;
  readonly notAfter: number;
}

export interface PoolKey {
  readonly privateKey: KeyObject;
  readonly spki: Der;
  readonly keyId: Der;
}

export interface Holder {
  readonly id: string;
  readonly purpose: Purpose | 'test';
  readonly serial: string; // hex
  readonly key: number; // index into the key pool
  readonly root: string; // label of the issuing root
  readonly cert: Der;
  readonly partition: string;
}

export interface InitOptions {
  readonly dir: string;
  readonly now: number;
  readonly authUsers: number;
  readonly signingUsers: number;
  readonly testUsers?: number;
  /** Holders of the ECDSA P-384 generation (ids a-ec0…, s-ec0…); 0 unless given. */
  readonly ecdsaAuthUsers?: number;
  readonly ecdsaSigningUsers?: number;
  readonly poolSize?: number;
  readonly seed?: number;
  /** The OCSP responder URL the holders' certificates name (authorityInfoAccess); default
   *  DEFAULT_OCSP_URL, where `pki ocsp serve` listens by default. */
  readonly ocspUrl?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Where `pki ocsp serve` listens unless told otherwise, and what `pki init` writes into the
 *  holders' authorityInfoAccess (real JPKI certificates name http://ocspauthnorm.jpki.go.jp). */
export const DEFAULT_OCSP_URL = 'http://127.0.0.1:8091/';

export function generateRsaKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
}

export function generateEcKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
}

/** Root generations relative to `now`, mirroring 2015/2019/2023 against today: gen 1 expired,
 *  gen 2 in its last years, gen 3 current. Each lasts ten years. */
function generationWindows(now: number): { generation: number; notBefore: number }[] {
  return [
    { generation: 1, notBefore: now - 11 * YEAR },
    { generation: 2, notBefore: now - 7.2 * YEAR },
    { generation: 3, notBefore: now - 3.4 * YEAR },
  ];
}

function makeRoot(purpose: Purpose, generation: number, notBefore: number, years: number, key: { privateKey: KeyObject; publicKey: KeyObject }): RootCA {
  const spki = spkiOf(key.publicKey);
  const nb = Math.floor(notBefore / 1000) * 1000;
  const na = nb + years * YEAR - ((years * YEAR) % 1000);
  const serial = BigInt(`0x${randomBytes(4).toString('hex')}`) | 1n;
  const cert = issueCertificate(rootSpec(purpose, spki, serial, nb, na), key.privateKey);
  const label = `${purpose === 'signing' ? 'sign' : 'auth'}-gen${generation}`;
  return { purpose, generation, label, cert, key: key.privateKey, keyId: keyIdentifier(spki), name: rootName(purpose), notBefore: nb, notAfter: na };
}

/** The three RSA-2048 generations of both hierarchies (sign-gen1…3, auth-gen1…3). */
export function makeRoots(now: number): RootCA[] {
  const roots: RootCA[] = [];
  for (const purpose of ['signing', 'authentication'] as const) {
    for (const { generation, notBefore } of generationWindows(now)) roots.push(makeRoot(purpose, generation, notBefore, 10, generateRsaKey()));
  }
  return roots;
}

/** The ECDSA P-384 generation (sign-gen4, auth-gen4): begun a year before `now`, signing with
 *  ecdsa-with-SHA384, under the same DNs. Valid 20 years: a root must outlive the 10-year
 *  certificates it issues (J-LIS has not published the new roots; an assumption). */
export function makeEcdsaRoots(now: number): RootCA[] {
  return (['signing', 'authentication'] as const).map((purpose) => makeRoot(purpose, 4, now - YEAR, 20, generateEcKey()));
}

/** The test hierarchy (O=JPKI-TEST) used on test cards; a production trust store rejects it. */
export function makeTestRoot(now: number): RootCA {
  const { privateKey, publicKey } = generateRsaKey();
  const spki = spkiOf(publicKey);
  const nb = Math.floor((now - 2 * YEAR) / 1000) * 1000;
  const na = nb + Math.floor((10 * YEAR) / 1000) * 1000;
  const cert = issueCertificate(rootSpec('authentication', spki, 7n, nb, na, JPKI.testOrganization), privateKey);
  return {
    purpose: 'authentication',
    generation: 0,
    label: 'test-root',
    cert,
    key: privateKey,
    keyId: keyIdentifier(spki),
    name: rootName('authentication', JPKI.testOrganization),
    notBefore: nb,
    notAfter: na,
  };
}

export function makeKeyPool(size: number, generate = generateRsaKey): PoolKey[] {
  return Array.from({ length: size }, () => {
    const { privateKey, publicKey } = generate();
    const spki = spkiOf(publicKey);
    return { privateKey, spki, keyId: keyIdentifier(spki) };
  });
}

/** Card keys of the ECDSA P-384 generation. */
export function makeEcKeyPool(size: number): PoolKey[] {
  return makeKeyPool(size, generateEcKey);
}

/** Certificates last until the 5th birthday after issue on RSA cards, the 10th on ECDSA ones. */
function holderYears(root: RootCA): number {
  return root.key.asymmetricKeyType === 'ec' ? 10 : 5;
}

export interface IssueOptions {
  readonly purpose: Purpose;
  readonly root: RootCA;
  readonly key: PoolKey;
  readonly serial: bigint;
  readonly person: Person;
  readonly notBefore: number;
  readonly notAfter?: number;
  readonly subjectCN?: string;
  readonly policy?: string;
  /** authorityInfoAccess OCSP URL (none when absent). */
  readonly ocspUrl?: string;
}

/** Issues one end-entity certificate in the JPKI profile. */
export function issueEndEntity(o: IssueOptions): Der {
  const notAfter = o.notAfter ?? Math.min(birthdayAfter(o.notBefore, o.person.birthIso, holderYears(o.root)), o.root.notAfter);
  return issueCertificate(
    endEntitySpec({
      purpose: o.purpose,
      serial: o.serial,
      issuer: o.root.name,
      issuerKeyId: o.root.keyId,
      subjectCN: o.subjectCN ?? o.serial.toString(16).toUpperCase().padStart(16, '0'),
      locality: o.purpose === 'signing' ? o.person.locality : undefined,
      notBefore: Math.floor(o.notBefore / 1000) * 1000,
      notAfter: Math.floor(notAfter / 1000) * 1000,
      spki: o.key.spki,
      spkiKeyId: o.key.keyId,
      partition: o.person.partition,
      basicInfo: o.purpose === 'signing' ? basicInfoFields(o.person) : undefined,
      policy: o.policy,
      organization: o.root.generation === 0 ? JPKI.testOrganization : 'JPKI',
      ocspUrl: o.ocspUrl,
    }),
    o.root.key,
  );
}

/** Which RSA generation issued a certificate at `t`: the newest whose validity had begun. */
function issuingRoot(roots: RootCA[], purpose: Purpose, t: number): RootCA {
  const candidates = roots.filter((r) => r.purpose === purpose && r.generation <= 3 && r.notBefore <= t && r.notAfter > t);
  return candidates[candidates.length - 1];
}

const writePem = (path: string, der: Der, label = 'CERTIFICATE'): void => writeFileSync(path, toPem(der, label));

/** Writes a complete simulated PKI into `dir` (see README "Simulated J-LIS" for the layout). */
export function initPki(o: InitOptions): { roots: RootCA[]; testRoot: RootCA; holders: number } {
  const dir = o.dir;
  for (const sub of ['trust', 'trust-test', 'ca', 'keys', 'users']) mkdirSync(join(dir, sub), { recursive: true });
  const roots = [...makeRoots(o.now), ...makeEcdsaRoots(o.now)];
  const testRoot = makeTestRoot(o.now);
  for (const r of [...roots, testRoot]) {
    writePem(join(dir, r === testRoot ? 'trust-test' : 'trust', `${r.label}.pem`), r.cert);
    writeFileSync(join(dir, 'ca', `${r.label}.key.pem`), r.key.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
  }
  const ecdsaUsers = (o.ecdsaAuthUsers ?? 0) + (o.ecdsaSigningUsers ?? 0);
  const rsaPool = makeKeyPool(o.poolSize ?? 8);
  const ecPool = ecdsaUsers ? makeEcKeyPool(Math.min(o.poolSize ?? 8, 8)) : [];
  // One numbering over both pools: openPki reads pool-NN (RSA) before pool-ec-NN (P-384).
  const pool = [...rsaPool, ...ecPool];
  const writeKey = (k: PoolKey, name: string): void =>
    writeFileSync(join(dir, 'keys', `${name}.key.pem`), k.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
  rsaPool.forEach((k, i) => writeKey(k, `pool-${String(i).padStart(2, '0')}`));
  ecPool.forEach((k, i) => writeKey(k, `pool-ec-${String(i).padStart(2, '0')}`));

  const r = rng(o.seed ?? 1);
  const ocspUrl = o.ocspUrl ?? DEFAULT_OCSP_URL;
  const total = o.authUsers + o.signingUsers + (o.testUsers ?? 0) + ecdsaUsers;
  let done = 0;
  // Serials: a random 32-bit prefix per run, then a counter, so partitions and CRLs can be made
  // from the same holders and never collide within an issuer.
  const serialBase = (BigInt(`0x${randomBytes(4).toString('hex')}`) | 0x10000000n) << 32n;
  let counter = 0n;
  const batches: [Purpose | 'test', number, string, 'rsa' | 'ecdsa'][] = [
    ['authentication', o.authUsers, 'auth.ndjson', 'rsa'],
    ['authentication', o.ecdsaAuthUsers ?? 0, 'auth.ndjson', 'ecdsa'],
    ['signing', o.signingUsers, 'sign.ndjson', 'rsa'],
    ['signing', o.ecdsaSigningUsers ?? 0, 'sign.ndjson', 'ecdsa'],
    ['test', o.testUsers ?? 0, 'test.ndjson', 'rsa'],
  ];
  const fds = new Map<string, number>();
  for (const [purpose, count, file, alg] of batches) {
    let fd = fds.get(file);
    if (fd === undefined) fds.set(file, (fd = openSync(join(dir, 'users', file), 'w')));
    let buf: string[] = [];
    for (let i = 0; i < count; i++) {
      const p = person(r, o.now);
      // Issued within the last 3.5 years (ECDSA: since its generation began, a year ago), so
      // every bulk certificate is valid at `now`.
      const issued = o.now - Math.floor(r() * (alg === 'ecdsa' ? 0.9 : 3.5) * YEAR) - 86_400_000;
      const root =
        purpose === 'test' ? testRoot : alg === 'ecdsa' ? roots.find((x) => x.purpose === purpose && x.generation === 4)! : issuingRoot(roots, purpose, issued);
      const keyIndex = alg === 'ecdsa' ? rsaPool.length + Math.floor(r() * ecPool.length) : Math.floor(r() * rsaPool.length);
      const serial = serialBase + ++counter;
      const cert = issueEndEntity({
        purpose: purpose === 'test' ? 'authentication' : purpose,
        root,
        key: pool[keyIndex],
        serial,
        person: p,
        notBefore: issued,
        policy: purpose === 'test' ? JPKI.testPolicy : undefined,
        ocspUrl,
      });
      const holder: Holder = {
        id: `${purpose === 'signing' ? 's' : purpose === 'test' ? 't' : 'a'}${alg === 'ecdsa' ? '-ec' : ''}${i}`,
        purpose,
        serial: serial.toString(16),
        key: keyIndex,
        root: root.label,
        cert,
        partition: p.partition,
      };
      buf.push(JSON.stringify({ ...holder, cert: Buffer.from(cert).toString('base64') }));
      if (buf.length >= 1000) {
        writeSync(fd, buf.join('\n') + '\n');
        buf = [];
      }
      if (++done % 500 === 0 || done === total) o.onProgress?.(done, total);
    }
    if (buf.length) writeSync(fd, buf.join('\n') + '\n');
  }
  for (const fd of fds.values()) closeSync(fd);
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify(
      {
        kind: 'simulated-jlis',
        now: new Date(o.now).toISOString(),
        roots: [...roots, testRoot].map((x) => ({
          label: x.label,
          purpose: x.purpose,
          generation: x.generation,
          notBefore: new Date(x.notBefore).toISOString(),
          notAfter: new Date(x.notAfter).toISOString(),
        })),
        users: {
          authentication: o.authUsers,
          signing: o.signingUsers,
          test: o.testUsers ?? 0,
          ecdsaAuthentication: o.ecdsaAuthUsers ?? 0,
          ecdsaSigning: o.ecdsaSigningUsers ?? 0,
        },
        keyPool: pool.length,
        ocspUrl,
      },
      null,
      2,
    ),
  );
  return { roots, testRoot, holders: total };
}

// ---- reading a PKI directory back ----

export interface PkiDir {
  readonly dir: string;
  readonly trustPems: string[]; // production trust store files
  readonly keys: KeyObject[]; // pool private keys
  holders(purpose: 'authentication' | 'signing' | 'test'): Holder[];
  rootKey(label: string): KeyObject;
  rootCert(label: string): Der;
}

export function openPki(dir: string): PkiDir {
  const trustDir = join(dir, 'trust');
  const trustPems = readdirSync(trustDir)
    .filter((f) => f.endsWith('.pem'))
    .sort()
    .map((f) => join(trustDir, f));
  const keyFiles = readdirSync(join(dir, 'keys'))
    .filter((f) => f.endsWith('.key.pem'))
    .sort();
  const keys = keyFiles.map((f) => createPrivateKey(readFileSync(join(dir, 'keys', f), 'utf8')));
  const file = { authentication: 'auth.ndjson', signing: 'sign.ndjson', test: 'test.ndjson' } as const;
  return {
    dir,
    trustPems,
    keys,
    holders(purpose) {
      const text = readFileSync(join(dir, 'users', file[purpose]), 'utf8');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const h = JSON.parse(l) as Omit<Holder, 'cert'> & { cert: string };
          return { ...h, cert: new Uint8Array(Buffer.from(h.cert, 'base64')) };
        });
    },
    rootKey(label) {
      return createPrivateKey(readFileSync(join(dir, 'ca', `${label}.key.pem`), 'utf8'));
    },
    rootCert(label) {
      const sub = label === 'test-root' ? 'trust-test' : 'trust';
      const pem = readFileSync(join(dir, sub, `${label}.pem`), 'utf8');
      return pemBlocks(pem, 'CERTIFICATE')[0];
    },
  };
}
