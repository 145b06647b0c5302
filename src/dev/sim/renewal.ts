// Simulated J-LIS renewals: new authentication certificates (new serials, same card key) for
// chosen holders, and the link data J-LIS hands verifiers (証明書新旧紐付け情報) in this project's
// CSV format (src/platform/link-data.ts), written to D/link-data/<date>.csv. The old certificates
// are revoked as superseded by the next `pki crl --revoke ID:superseded` (reason 4).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { formatLinkCsv, type LinkRecord } from '../../platform/link-data.js';
import { keyIdentifier, spkiOf } from './issue.js';
import { issueEndEntity, openPki, type Holder, type RootCA } from './jlis.js';
import { parseCertificate } from '../../core/certificate.js';
import { ocspUrls } from '../../core/ocsp-certid.js';
import { person, rng } from './people.js';

export interface RenewOptions {
  readonly dir: string;
  readonly now: number;
  /** Authentication holder ids to renew. */
  readonly ids: readonly string[];
  /** Extra records to write with the renewals (e.g. signing ↔ authentication pairs). */
  readonly pairs?: readonly (readonly [signingId: string, authId: string])[];
}

/** Issues the renewed certificates (holder id `<id>r`), appends them to the holders, and writes
 *  the link data. Returns the new holders and the file written. */
export function renewHolders(o: RenewOptions): { renewed: Holder[]; file: string; records: LinkRecord[] } {
  const pki = openPki(o.dir);
  const auth = pki.holders('authentication');
  const signing = pki.holders('signing');
  const renewed: Holder[] = [];
  const records: LinkRecord[] = [];
  const r = rng(Number(BigInt(`0x${randomBytes(4).toString('hex')}`)));
  for (const id of o.ids) {
    const old = auth.find((h) => h.id === id);
    if (!old) throw new Error(`no authentication holder ${id}`);
    const rootDer = pki.rootCert(old.root);
    const rc = parseCertificate(rootDer);
    const root: RootCA = {
      purpose: 'authentication',
      generation: 3,
      label: old.root,
      cert: rootDer,
      key: pki.rootKey(old.root),
      keyId: rc.extensions.subjectKeyId!,
      name: rc.subject.der,
      notBefore: rc.notBefore,
      notAfter: rc.notAfter,
    };
    const spki = spkiOf(createPublicKey(pki.keys[old.key]));
    const serial = BigInt(`0x${randomBytes(8).toString('hex')}`) | (1n << 62n);
    const p = { ...person(r, o.now), partition: old.partition };
    const cert = issueEndEntity({
      purpose: 'authentication',
      root,
      key: { privateKey: pki.keys[old.key], spki, keyId: keyIdentifier(spki) },
      serial,
      person: p,
      notBefore: o.now - 60_000,
      ocspUrl: ocspUrls(parseCertificate(old.cert))[0], // the renewed card names the same responder
    });
    const h: Holder = { ...old, id: `${id}r`, serial: serial.toString(16), cert };
    renewed.push(h);
    records.push({ type: 'renewal', from: old.serial, to: h.serial });
  }
  for (const [sid, aid] of o.pairs ?? []) {
    const s = signing.find((h) => h.id === sid);
    const a = auth.find((h) => h.id === aid) ?? renewed.find((h) => h.id === aid);
    if (!s || !a) throw new Error(`no holders ${sid}, ${aid}`);
    records.push({ type: 'pair', from: s.serial, to: a.serial });
  }
  appendFileSync(
    join(o.dir, 'users', 'auth.ndjson'),
    renewed.map((h) => JSON.stringify({ ...h, cert: Buffer.from(h.cert).toString('base64') })).join('\n') + (renewed.length ? '\n' : ''),
  );
  mkdirSync(join(o.dir, 'link-data'), { recursive: true });
  const file = join(o.dir, 'link-data', `${new Date(o.now).toISOString().slice(0, 10).replaceAll('-', '')}.csv`);
  writeFileSync(file, formatLinkCsv(records));
  return { renewed, file, records };
}
