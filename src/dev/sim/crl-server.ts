// Serves a simulated J-LIS's CRLs over HTTP, as a verifier downloads them: strong ETags,
// Last-Modified, 304 on a match, and an optional rotation that publishes the next day's CRLs.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';
import { rotateCrls } from './jlis-crl.js';

export interface CrlServerOptions {
  readonly dir: string; // PKI directory; CRLs are read from dir/crl
  readonly port: number;
  readonly host?: string;
  /** Publish the next day's CRLs this often (ms); 0 = never. */
  readonly rotateEveryMs?: number;
  readonly onRotate?: (day: number) => void;
}

export interface CrlServer {
  readonly server: Server;
  readonly url: string;
  /** Publishes the next day's CRLs, stamped `now` (default: the clock). */
  rotate(now?: number): number;
  close(): Promise<void>;
}

export async function serveCrls(o: CrlServerOptions): Promise<CrlServer> {
  const crlDir = join(o.dir, 'crl');
  const etags = new Map<string, { stamp: string; etag: string }>();
  const etagOf = (path: string, stamp: string): string => {
    const c = etags.get(path);
    if (c && c.stamp === stamp) return c.etag;
    const h = createHash('sha256');
    h.update(stamp); // cheap and exact enough for files we write atomically
    h.update(path);
    const etag = `"${h.digest('hex').slice(0, 32)}"`;
    etags.set(path, { stamp, etag });
    return etag;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/crl/' || url.pathname === '/crl') {
      const list = existsSync(crlDir)
        ? readdirSync(crlDir)
            .filter((f) => f.endsWith('.crl'))
            .sort()
        : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list.map((f) => `/crl/${f}`)));
      return;
    }
    const m = /^\/crl\/([\w.-]+\.crl)$/.exec(url.pathname);
    const path = m ? join(crlDir, basename(m[1])) : null;
    if (!path || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    const st = statSync(path);
    const etag = etagOf(path, `${st.mtimeMs}:${st.size}`);
    const lastModified = new Date(Math.floor(st.mtimeMs / 1000) * 1000).toUTCString();
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(/\s*,\s*/).includes(etag)) {
      res.writeHead(304, { etag, 'last-modified': lastModified }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': st.size, etag, 'last-modified': lastModified, 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(o.port, o.host ?? '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const rotate = (now = Date.now()): number => {
    const { day } = rotateCrls({ dir: o.dir, now });
    o.onRotate?.(day);
    return day;
  };
  const timer = o.rotateEveryMs ? setInterval(() => rotate(), o.rotateEveryMs) : null;
  return {
    server,
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    rotate,
    close: () =>
      new Promise<void>((r) => {
        if (timer) clearInterval(timer);
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
