// HTTP/1.1 over a raw socket (node:net): the request target goes out byte for byte, as no HTTP
// client would send it (absolute-form, percent-encoding, dot segments, 100 KB paths …).
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any;
  /** The server closed the connection (without us asking for it). */
  closed: boolean;
}

export function parseResponse(raw: string): RawResponse | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const text = raw.slice(end + 4, headers['content-length'] ? end + 4 + Number(headers['content-length']) : undefined);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status, headers, text, body, closed: false };
}

/** Writes `head` (+ body) on a fresh connection and reads one response (Connection: close). */
export function rawRequest(port: number, head: string, body: Buffer | string = '', timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${head.slice(0, 80)}`));
    }, timeoutMs);
    s.setEncoding('latin1');
    s.on('data', (d: string) => (data += d));
    s.on('error', () => undefined); // a reset after the answer is fine; no answer rejects below
    s.on('close', () => {
      clearTimeout(timer);
      const r = parseResponse(data);
      if (r) resolve({ ...r, closed: true });
      else reject(new Error(`connection closed without an answer to ${head.slice(0, 80)}`));
    });
    s.write(head);
    if (body.length) s.write(body);
  });
}

/** A request head with Host and Connection: close; `body` sets content-type JSON and length. */
export function head(method: string, target: string, headers: Record<string, string> = {}, body?: string): string {
  const h: Record<string, string> = { host: 'x', connection: 'close', ...headers };
  if (body !== undefined) {
    h['content-type'] ??= 'application/json';
    h['content-length'] = String(Buffer.byteLength(body));
  }
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body ?? ''}`;
}

/** Sum of every sample of a metric (all label sets) in a Prometheus text exposition. */
export function metricSum(text: string, name: string, labelFilter = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (labelFilter && !rest.includes(labelFilter)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
