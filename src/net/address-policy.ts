// Where the service may send a request on a tenant's behalf (webhooks): the address classes a
// URL or a resolved address falls in, and the policy over them. Pure: no DNS, no sockets — the
// caller resolves (src/net/webhook.ts) and asks here about each address it got.
//
// Decimal, octal and hex IPv4 forms (http://2130706433/, http://0x7f.1/) are normalised to
// dotted quads by the WHATWG URL parser before anything here sees them; a test proves it.

export type AddressClass = 'public' | 'loopback' | 'private' | 'link_local' | 'unspecified' | 'multicast' | 'cgnat' | 'metadata' | 'reserved';

/** What an operator allows besides public https: webhooks.allowHosts and webhooks.allowPrivate. */
export interface WebhookPolicy {
  /** Hosts (names or literal addresses, compared case-insensitively) that may be sent plain http. */
  readonly allowHosts: readonly string[];
  /** Allow loopback, private, link-local, CGNAT, metadata … addresses (tests, closed networks). */
  readonly allowPrivate: boolean;
}

function parseIPv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255 || (m[i].length > 1 && m[i].startsWith('0'))) return null; // no octal ambiguity
    n = n * 256 + o;
  }
  return n;
}

/** Eight 16-bit groups, or null. Accepts `::` and a trailing dotted IPv4 (`::ffff:1.2.3.4`). */
function parseIPv6(input: string): number[] | null {
  let s = input;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return null;
  const lastColon = s.lastIndexOf(':');
  const maybeV4 = s.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    // A trailing dotted IPv4 becomes its two hex groups.
    const v4 = parseIPv4(maybeV4);
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !rest) return null;
  const want = 8;
  let all: number[];
  if (halves.length === 2) {
    const fill = want - head.length - rest.length;
    if (fill < 1) return null;
    all = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    if (head.length !== want) return null;
    all = head;
  }
  return all;
}

const inV4 = (ip: number, base: string, bits: number): boolean => {
  const b = parseIPv4(base)!;
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(b / size);
};

function classifyV4(ip: number): AddressClass {
  if (ip === parseIPv4('169.254.169.254')) return 'metadata';
  if (inV4(ip, '0.0.0.0', 8)) return 'unspecified';
  if (inV4(ip, '127.0.0.0', 8)) return 'loopback';
  if (inV4(ip, '10.0.0.0', 8) || inV4(ip, '172.16.0.0', 12) || inV4(ip, '192.168.0.0', 16)) return 'private';
  if (inV4(ip, '169.254.0.0', 16)) return 'link_local';
  if (inV4(ip, '100.64.0.0', 10)) return 'cgnat';
  if (inV4(ip, '224.0.0.0', 4)) return 'multicast';
  // IETF protocol assignments, documentation nets, benchmarking, 240/4 and broadcast.
  if (
    inV4(ip, '192.0.0.0', 24) ||
    inV4(ip, '192.0.2.0', 24) ||
    inV4(ip, '198.18.0.0', 15) ||
    inV4(ip, '198.51.100.0', 24) ||
    inV4(ip, '203.0.113.0', 24) ||
    inV4(ip, '240.0.0.0', 4)
  )
    return 'reserved';
  return 'public';
}

function classifyV6(g: number[]): AddressClass {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => hi * 65536 + lo;
  if (g.every((x) => x === 0)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyV4(v4(g[6], g[7])); // IPv4-mapped
  if (zeroUpTo(6)) return 'reserved'; // IPv4-compatible (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(v4(g[6], g[7])); // NAT64
  if (g[0] === 0x2002) return classifyV4(v4(g[1], g[2])); // 6to4 carries an IPv4 address
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) return 'metadata';
  if ((g[0] & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return 'link_local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // site-local (deprecated)
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'reserved'; // discard-only
  return 'public';
}

/** The class of a literal IPv4 or IPv6 address (brackets allowed), or null if it is not one. */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = parseIPv4(address);
  if (v4 !== null) return classifyV4(v4);
  const v6 = parseIPv6(address);
  return v6 ? classifyV6(v6) : null;
}

/** Why this (resolved) address may not be sent to, or null if it may. */
export function refusedAddress(address: string, policy: WebhookPolicy): string | null {
  const c = classifyAddress(address);
  if (c === null) return 'not an IP address';
  if (c === 'public' || policy.allowPrivate) return null;
  return `${c.replace('_', '-')} address refused (webhooks.allowPrivate is false)`;
}

const bare = (host: string): string => host.toLowerCase().replace(/^\[|\]$/g, '');

/** Why this URL may not be a webhook target, before any DNS: scheme, credentials, allow-list, a
 *  literal address of a refused class, or a name that always means this machine. Null if fine. */
export function refusedUrl(raw: string, policy: WebhookPolicy): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  const host = bare(u.hostname);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `scheme ${u.protocol} refused: https only`;
  if (u.protocol === 'http:' && !policy.allowHosts.some((h) => bare(h) === host))
    return 'plain http refused: https only, or http to a host in webhooks.allowHosts';
  if (u.username || u.password) return 'credentials in the URL refused';
  if (classifyAddress(host) !== null) return refusedAddress(host, policy);
  if (!policy.allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) return 'loopback name refused (webhooks.allowPrivate is false)';
  return null;
}
