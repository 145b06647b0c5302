// The simulated J-LIS OCSP responder (`pki ocsp serve`). It answers from the same revocation data
// as the simulated CRLs — the published CRL files in D/crl and the record of revocations in
// D/crl/revoked.json, which `pki revoke` adds to before any CRL carries them — so a card revoked
// this morning is revoked here at once and on the CRL only from the next publication. Responses
// are signed by a delegated responder per root (id-kp-OCSPSigning, id-pkix-ocsp-nocheck), its
// certificate and key kept in D/ocsp. POST, and GET for small requests (RFC 6960 Appendix A).
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseCertificate, pemBlocks, toPem, type Certificate } from '../../core/certificate.js';
import { loadCrl, type LoadedCrl } from '../../core/crl-load.js';
import { toHex } from '../../core/der.js';
import { certIdFor, type CertId } from '../../core/ocsp-certid.js';
import { OcspRequestError, parseOcspRequest } from '../../core/ocsp-request.js';
import { assembleSet } from '../../core/revocation-assembly.js';
import { keyIdOf, type RevocationSet } from '../../core/revocation-set.js';
import { fileChunks } from '../../crl-feed/file-chunks.js';
import { generateRsaKey, openPki, type Holder } from './jlis.js';
import { issueCertificate, responderName, responderSpec, spkiOf } from './issue.js';
import { serialBytes, type RevokedHolder } from './jlis-crl.js';
import { RESPONSE_STATUS, errorResponse, writeOcspResponse, type SingleSpec } from './ocsp-writer.js';

const DAY = 86_400_000;
/** Largest request body read (a request of 256 CertIDs is ~25 KB). */
const MAX_REQUEST_BYTES = 64 * 1024;

/** One root the responder answers for, with its delegated responder. */
export interface ResponderRoot {
  readonly label: string;
  readonly root: Certificate;
  readonly responderDer: Uint8Array;
  readonly responderName: Uint8Array;
  readonly responderKey: KeyObject;
}

/** The delegated responder certificates (and keys) of every root in D, made on first use. */
export function ensureResponders(dir: string, now: number): ResponderRoot[] {
  const out = join(dir, 'ocsp');
  mkdirSync(out, { recursive: true });
  const roots: ResponderRoot[] = [];
  for (const sub of ['trust', 'trust-test']) {
    const folder = join(dir, sub);
    if (!existsSync(folder)) continue;
    for (const f of readdirSync(folder).filter((x) => x.endsWith('.pem'))) {
      const label = f.slice(0, -4);
      const root = parseCertificate(pemBlocks(readFileSync(join(folder, f), 'utf8'), 'CERTIFICATE')[0]);
      if (root.notAfter <= now) continue; // an expired root's certificates need no answers
      const certFile = join(out, `${label}.pem`);
      const keyFile = join(out, `${label}.key.pem`);
      if (!existsSync(certFile) || !existsSync(keyFile)) {
        const { privateKey, publicKey } = generateRsaKey();
        const rootKey = createPrivateKey(readFileSync(join(dir, 'ca', `${label}.key.pem`), 'utf8'));
        const der = issueCertificate(
          responderSpec({
            serial: BigInt(`0x${randomBytes(8).toString('hex')}`) | 1n,
            issuer: root.subject.der,
            issuerKeyId: root.extensions.subjectKeyId!,
            subject: responderName(label.startsWith('sign') ? 'signing' : 'authentication', label, label === 'test-root' ? 'JPKI-TEST' : 'JPKI'),
            notBefore: Math.floor((now - DAY) / 1000) * 1000,
            notAfter: Math.min(root.notAfter, Math.floor((now + 365 * DAY) / 1000) * 1000),
            spki: spkiOf(publicKey),
          }),
          rootKey,
        );
        writeFileSync(certFile, toPem(der, 'CERTIFICATE'));
        writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
      }
      const responderDer = pemBlocks(readFileSync(certFile, 'utf8'), 'CERTIFICATE')[0];
      roots.push({
        label,
        root,
        responderDer,
        responderName: parseCertificate(responderDer).subject.der,
        responderKey: createPrivateKey(readFileSync(keyFile, 'utf8')),
      });
    }
  }
  return roots;
}

type Status = Pick<SingleSpec, 'status' | 'revokedAt' | 'reason'>;

/** What the responder knows, rebuilt whenever a file it reads changes. */
class RevocationData {
  private stamp = '';
  private holders = new Map<string, Holder>(); // root label + serial hex → holder
  private recorded = new Map<string, RevokedHolder>(); // holder id → revocation
  private crls: RevocationSet | null = null;

  constructor(
    private readonly dir: string,
    private readonly roots: readonly ResponderRoot[],
  ) {}

  /** What is watched: the CRL folder (CRLs and revoked.json are replaced by rename, which changes
   *  the folder), the revocation record itself, and the holders. A few stats per request. */
  private watched(): string[] {
    return [
      join(this.dir, 'crl'),
      join(this.dir, 'crl', 'revoked.json'),
      ...['auth.ndjson', 'sign.ndjson', 'test.ndjson'].map((f) => join(this.dir, 'users', f)),
    ];
  }

  /** Reloads when anything watched changed: a `pki revoke` shows in the next answer. */
  refresh(now: number): void {
    const stamp = this.watched()
      .map((f) => {
        const st = statSync(f, { throwIfNoEntry: false });
        return st ? `${st.mtimeMs}:${st.size}` : '-';
      })
      .join('|');
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    const crlDir = join(this.dir, 'crl');
    const files = existsSync(crlDir) ? readdirSync(crlDir).map((f) => join(crlDir, f)) : [];
    const pki = openPki(this.dir);
    this.holders = new Map();
    for (const purpose of ['authentication', 'signing', 'test'] as const) {
      let list: Holder[] = [];
      try {
        list = pki.holders(purpose);
      } catch {
        list = []; // no such file: no holders of that kind
      }
      for (const h of list) this.holders.set(`${h.root}:${toHex(serialBytes(h.serial))}`, h);
    }
    const state = join(this.dir, 'crl', 'revoked.json');
    this.recorded = new Map();
    if (existsSync(state)) for (const r of (JSON.parse(readFileSync(state, 'utf8')) as { revoked: RevokedHolder[] }).revoked) this.recorded.set(r.id, r);
    const anchors = this.roots.map((r) => r.root);
    const loaded: LoadedCrl[] = [];
    for (const f of files.filter((x) => x.endsWith('.crl'))) {
      const res = loadCrl(f, fileChunks(f), anchors, { notAfter: now + DAY });
      if (res.ok) loaded.push(res.crl);
    }
    this.crls = assembleSet(loaded, 1, now).set;
  }

  /** The status of `serial` (INTEGER contents) among the certificates of `root`. */
  status(root: ResponderRoot, serial: Uint8Array): Status {
    const holder = this.holders.get(`${root.label}:${toHex(serial)}`);
    const rec = holder ? this.recorded.get(holder.id) : undefined;
    if (rec) return { status: 'revoked', revokedAt: rec.revokedAt, reason: rec.reason };
    const iss = this.crls?.issuer(keyIdOf(root.root));
    const i = iss ? iss.index.find(serial) : -1;
    if (iss && i >= 0) {
      const reason = iss.index.reasonAt(i);
      return { status: 'revoked', revokedAt: iss.index.revokedAtMs(i), reason: reason > 10 ? null : reason };
    }
    return holder ? { status: 'good' } : { status: 'unknown' };
  }
}

export interface OcspResponderOptions {
  readonly dir: string;
  /** nextUpdate = thisUpdate + this (default one hour). */
  readonly validityMs?: number;
  readonly clock?: () => number;
}

/** Answers OCSP requests for the roots of a simulated PKI. */
export class SimOcspResponder {
  readonly roots: readonly ResponderRoot[];
  private readonly data: RevocationData;
  private readonly clock: () => number;

  constructor(private readonly o: OcspResponderOptions) {
    this.clock = o.clock ?? Date.now;
    this.roots = ensureResponders(o.dir, this.clock());
    this.data = new RevocationData(o.dir, this.roots);
  }

  private readonly byIssuer = new Map<string, ResponderRoot>(); // hash:nameHash:keyHash → root
  private readonly indexed = new Set<CertId['hash']>();

  /** The root a CertID names, by its issuer hashes (computed once per root and hash). */
  private rootOf(id: CertId): ResponderRoot | undefined {
    const key = (x: CertId): string => `${x.hash}:${toHex(x.issuerNameHash)}:${toHex(x.issuerKeyHash)}`;
    if (!this.indexed.has(id.hash)) {
      for (const r of this.roots) this.byIssuer.set(key(certIdFor(r.root, new Uint8Array([1]), id.hash)), r);
      this.indexed.add(id.hash);
    }
    return this.byIssuer.get(key(id));
  }

  /** The DER OCSPResponse to a DER OCSPRequest. */
  answer(request: Uint8Array): Uint8Array {
    let req;
    try {
      req = parseOcspRequest(request);
    } catch (err) {
      if (err instanceof OcspRequestError) return errorResponse(RESPONSE_STATUS.malformedRequest);
      throw err;
    }
    const now = this.clock();
    const signer = this.rootOf(req.ids[0]);
    if (!signer) return errorResponse(RESPONSE_STATUS.unauthorized);
    try {
      this.data.refresh(now);
    } catch {
      return errorResponse(RESPONSE_STATUS.internalError);
    }
    const thisUpdate = Math.floor(now / 1000) * 1000;
    const nextUpdate = thisUpdate + (this.o.validityMs ?? 3_600_000);
    const responses = req.ids.map((id): SingleSpec => {
      // One response, one signer: a CertID of another root is answered unknown.
      const st: Status = this.rootOf(id) === signer ? this.data.status(signer, id.serial) : { status: 'unknown' };
      return { id, ...st, thisUpdate, nextUpdate };
    });
    return writeOcspResponse({
      responderId: { kind: 'name', name: signer.responderName },
      producedAt: thisUpdate,
      responses,
      nonce: req.nonce,
      signerKey: signer.responderKey,
      certs: [signer.responderDer],
    });
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > max) {
        resolve(null);
        req.destroy();
      } else parts.push(c);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    req.on('error', reject);
  });
}

/** The request of a GET: the path after the last-but-one segment is the URL-encoded base64 DER. */
function getRequest(rawUrl: string): Uint8Array | null {
  const path = rawUrl.split('?')[0].replace(/^\/+/, '');
  let b64: string;
  try {
    b64 = decodeURIComponent(path);
  } catch {
    return null;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export interface OcspServer {
  readonly server: Server;
  readonly url: string;
  readonly responder: SimOcspResponder;
  /** Requests answered so far (for tests of batching and caching). */
  readonly requests: { post: number; get: number; certIds: number };
  close(): Promise<void>;
}

export async function serveOcsp(o: OcspResponderOptions & { port: number; host?: string }): Promise<OcspServer> {
  const responder = new SimOcspResponder(o);
  const requests = { post: 0, get: 0, certIds: 0 };
  const send = (res: ServerResponse, der: Uint8Array): void => {
    res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': der.length }).end(der);
  };
  const server = createServer((req, res) => {
    const handle = async (): Promise<void> => {
      let body: Uint8Array | null;
      if (req.method === 'POST') {
        if (req.headers['content-type'] !== 'application/ocsp-request') {
          res.writeHead(415).end();
          return;
        }
        body = await readBody(req, MAX_REQUEST_BYTES);
        if (!body) {
          res.writeHead(413, { connection: 'close' }).end();
          return;
        }
        requests.post++;
      } else if (req.method === 'GET') {
        body = getRequest(req.url ?? '/');
        if (!body) {
          send(res, errorResponse(RESPONSE_STATUS.malformedRequest));
          return;
        }
        requests.get++;
      } else {
        res.writeHead(405, { allow: 'GET, POST' }).end();
        return;
      }
      const der = responder.answer(body);
      try {
        requests.certIds += parseOcspRequest(body).ids.length;
      } catch {
        // malformed: answered malformedRequest above
      }
      send(res, der);
    };
    handle().catch(() => {
      if (!res.headersSent) send(res, errorResponse(RESPONSE_STATUS.internalError));
    });
  });
  await new Promise<void>((r) => server.listen(o.port, o.host ?? '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  return {
    server,
    url: `http://${o.host ?? '127.0.0.1'}:${port}/`,
    responder,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The responder certificate of a root label, PEM (for `openssl ocsp -VAfile`). */
export function responderPem(dir: string, label: string): string {
  return readFileSync(join(dir, 'ocsp', `${label}.pem`), 'utf8');
}
