// An in-memory simulated J-LIS for tests: real RSA and P-384 keys, real certificates, built once
// per file.
import { parseCertificate, type Certificate } from '../../src/core/certificate.js';
import { CertificatePool } from '../../src/core/cert-pool.js';
import { issueEndEntity, makeEcKeyPool, makeEcdsaRoots, makeKeyPool, makeRoots, makeTestRoot, type PoolKey, type RootCA } from '../../src/dev/sim/jlis.js';
import { person, rng, type Person } from '../../src/dev/sim/people.js';

export const NOW = Date.parse('2026-11-24T12:00:00Z');
export const DAY = 86_400_000;

export interface TestPki {
  /** The RSA generations 1–3 (what `anchors` holds). */
  roots: RootCA[];
  testRoot: RootCA;
  keys: PoolKey[];
  anchors: CertificatePool;
  /** The ECDSA P-384 generation (sign-gen4, auth-gen4), its card keys, and every generation's roots. */
  ecRoots: RootCA[];
  ecKeys: PoolKey[];
  allAnchors: CertificatePool;
  root(label: string): RootCA;
  person(): Person;
  /** Issues an end-entity certificate; defaults: gen-3 root of the purpose, issued 100 days ago,
   *  a key of the root's kind (ecKeys under a gen-4 root) unless `holderKey` is given. */
  issue(o: {
    purpose: 'signing' | 'authentication';
    root?: string;
    key?: number;
    holderKey?: PoolKey;
    serial?: bigint;
    notBefore?: number;
    notAfter?: number;
    policy?: string;
    person?: Person;
    ocspUrl?: string;
  }): { der: Uint8Array; cert: Certificate; key: PoolKey };
}

let serial = 0x1000n;

export function makeTestPki(): TestPki {
  const roots = makeRoots(NOW);
  const testRoot = makeTestRoot(NOW);
  const keys = makeKeyPool(2);
  const anchors = new CertificatePool(roots.map((r) => parseCertificate(r.cert)));
  const ecRoots = makeEcdsaRoots(NOW);
  const ecKeys = makeEcKeyPool(2);
  const allAnchors = new CertificatePool([...roots, ...ecRoots].map((r) => parseCertificate(r.cert)));
  const r = rng(42);
  const find = (label: string): RootCA => {
    const x = [...roots, ...ecRoots, testRoot].find((y) => y.label === label);
    if (!x) throw new Error(`no root ${label}`);
    return x;
  };
  return {
    roots,
    testRoot,
    keys,
    anchors,
    ecRoots,
    ecKeys,
    allAnchors,
    root: find,
    person: () => person(r, NOW),
    issue(o) {
      const root = find(o.root ?? (o.purpose === 'signing' ? 'sign-gen3' : 'auth-gen3'));
      const key = o.holderKey ?? (root.generation === 4 ? ecKeys : keys)[o.key ?? 0];
      const der = issueEndEntity({
        purpose: o.purpose,
        root,
        key,
        serial: o.serial ?? ++serial,
        person: o.person ?? person(r, NOW),
        notBefore: o.notBefore ?? NOW - 100 * DAY,
        notAfter: o.notAfter,
        policy: o.policy,
        ocspUrl: o.ocspUrl,
      });
      return { der, cert: parseCertificate(der), key };
    },
  };
}
