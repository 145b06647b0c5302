// Simulated J-LIS CRL publication for a PKI directory made by `pki init`: per root generation, one
// CRL per partition (municipality) its holders fall into, with a share of real holders revoked
// and optional bulk entries, in D/crl/. Rotation writes the next day's CRLs (higher number, later
// thisUpdate, a few more revocations).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate } from '../../core/certificate.js';
import { writeCrl, pickReason } from './crl-writer.js';
import { partitionName, type Purpose } from './issue.js';
import { openPki, type Holder } from './jlis.js';
import { rng } from './people.js';

const DAY = 86_400_000;

export interface CrlPublishOptions {
  readonly dir: string;
  readonly now: number;
  /** Share of holders revoked (deterministic per holder and day). */
  readonly revokedShare?: number;
  /** Extra entries (serials of no simulated holder), spread over the partitions. */
  readonly bulkEntries?: number;
  /** Day number of the publication (rotation count); CRL number = day + 1. */
  readonly day?: number;
  /** Holders to revoke explicitly: id → reason code. */
  readonly revoke?: Readonly<Record<string, number>>;
  readonly validityMs?: number;
}

export interface PublishedCrl {
  readonly file: string;
  readonly root: string;
  readonly partition: string;
  readonly entries: number;
}

export interface RevokedHolder {
  readonly id: string;
  readonly reason: number | null;
  readonly revokedAt: number;
}

/** Writes D/crl/<root>-<partition>.crl for every root with holders, and D/crl/revoked.json. */
export function publishCrls(o: CrlPublishOptions): { crls: PublishedCrl[]; revoked: RevokedHolder[] } {
  const pki = openPki(o.dir);
  const outDir = join(o.dir, 'crl');
  mkdirSync(outDir, { recursive: true });
  const day = o.day ?? 0;
  const share = o.revokedShare ?? 0.05;
  const holders: Holder[] = [...pki.holders('authentication'), ...pki.holders('signing')];
  // Group holders by (root, partition).
  const groups = new Map<string, { root: string; partition: string; holders: Holder[] }>();
  for (const h of holders) {
    const k = `${h.root}|${h.partition}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { root: h.root, partition: h.partition, holders: [] }));
    g.holders.push(h);
  }
  // Revocations persist across publications with their dates; each day adds more.
  const stateFile = join(outDir, 'revoked.json');
  const known = new Map<string, RevokedHolder>();
  if (existsSync(stateFile)) for (const r of (JSON.parse(readFileSync(stateFile, 'utf8')) as { revoked: RevokedHolder[] }).revoked) known.set(r.id, r);
  const crls: PublishedCrl[] = [];
  const bulkPer = groups.size ? Math.ceil((o.bulkEntries ?? 0) / groups.size) : 0;
  let groupNo = 0;
  for (const g of [...groups.values()].sort((a, b) => (a.root + a.partition).localeCompare(b.root + b.partition))) {
    const rootDer = pki.rootCert(g.root);
    const root = parseCertificate(rootDer);
    const purpose: Purpose = g.root.startsWith('sign') ? 'signing' : 'authentication';
    const entries = [];
    for (const h of g.holders) {
      let rec = known.get(h.id);
      const explicit = o.revoke?.[h.id];
      if (!rec) {
        // A stable draw per holder; the revoked share grows by a tenth each day.
        const r = rng(parseInt(h.serial.slice(-8), 16) ^ 0x5eed);
        const draw = r();
        if (explicit !== undefined || draw < share * (1 + day * 0.1)) {
          rec = { id: h.id, reason: explicit !== undefined ? explicit : pickReason(r), revokedAt: Math.floor((o.now - 3_600_000) / 1000) * 1000 };
          known.set(h.id, rec);
        }
      }
      if (rec) entries.push({ serial: serialBytes(h.serial), revokedAt: rec.revokedAt, reason: rec.reason });
    }
    const file = join(outDir, `${g.root}-${g.partition}.crl`);
    const tmp = `${file}.tmp`;
    const base = groupNo++ * 0x100000;
    const res = writeCrl(tmp, {
      issuerName: root.subject.der,
      issuerKeyId: root.extensions.subjectKeyId!,
      issuerKey: pki.rootKey(g.root),
      thisUpdate: Math.floor(o.now / 1000) * 1000,
      nextUpdate: Math.floor((o.now + (o.validityMs ?? DAY)) / 1000) * 1000,
      crlNumber: BigInt(day + 1),
      partitionName: partitionName(purpose, g.partition),
      entries,
      bulk: bulkPer
        ? {
            count: bulkPer,
            serialLength: 8,
            // 0x7e…: a serial space no simulated holder uses (holders start at 0x1…).
            serial: (i, out) => {
              const v = base + i;
              out[0] = 0x7e;
              out[1] = 0x7e;
              out[2] = 0;
              out[3] = 0;
              out[4] = (v / 2 ** 24) & 255;
              out[5] = (v >>> 16) & 255;
              out[6] = (v >>> 8) & 255;
              out[7] = v & 255;
            },
            seed: day * 1000 + groupNo,
          }
        : undefined,
    });
    renameSync(tmp, file); // readers see the old or the new file, never half of one
    crls.push({ file, root: g.root, partition: g.partition, entries: res.entries });
  }
  const revoked = [...known.values()];
  writeFileSync(`${stateFile}.tmp`, JSON.stringify({ day, revoked }, null, 1));
  renameSync(`${stateFile}.tmp`, stateFile); // the OCSP responder reads it as it changes
  return { crls, revoked };
}

/**
 * Records revocations now, before any CRL carries them (`pki revoke`): the OCSP responder answers
 * revoked at once; the next `pki crl` publishes them. A holder already revoked keeps its record.
 * Returns the holders newly recorded.
 */
export function recordRevocations(dir: string, revoke: Readonly<Record<string, number | null>>, now: number): RevokedHolder[] {
  const pki = openPki(dir);
  const known = new Set([...pki.holders('authentication'), ...pki.holders('signing')].map((h) => h.id));
  for (const id of Object.keys(revoke)) if (!known.has(id)) throw new Error(`no holder ${id} in ${dir}`);
  const outDir = join(dir, 'crl');
  mkdirSync(outDir, { recursive: true });
  const stateFile = join(outDir, 'revoked.json');
  const state = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { day: number; revoked: RevokedHolder[] }) : { day: -1, revoked: [] };
  const have = new Set(state.revoked.map((r) => r.id));
  const added = Object.entries(revoke)
    .filter(([id]) => !have.has(id))
    .map(([id, reason]) => ({ id, reason, revokedAt: Math.floor(now / 1000) * 1000 }));
  const tmp = `${stateFile}.tmp`;
  writeFileSync(tmp, JSON.stringify({ day: state.day, revoked: [...state.revoked, ...added] }, null, 1));
  renameSync(tmp, stateFile); // the responder reads the old or the new record, never half of one
  return added;
}

/** The next day's publication: CRL numbers and thisUpdate move on; more holders are revoked. */
export function rotateCrls(o: Omit<CrlPublishOptions, 'day'>): { day: number; crls: PublishedCrl[] } {
  const stateFile = join(o.dir, 'crl', 'revoked.json');
  const prev = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { day: number }).day : -1;
  const day = prev + 1;
  const res = publishCrls({ ...o, day });
  return { day, crls: res.crls };
}

export function serialBytes(hex: string): Uint8Array {
  const h = hex.length % 2 ? `0${hex}` : hex;
  const b = Buffer.from(h, 'hex');
  return b[0] & 0x80 ? Uint8Array.from([0, ...b]) : new Uint8Array(b);
}
