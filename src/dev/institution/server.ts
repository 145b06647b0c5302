// A reference institution (a bank or card company) for the payment relay, as its own process:
// accounts and cards in Redis; it checks the relay's signature, the PIN (for debit and ATM), the
// balance or credit limit, and answers approved or declined, signed. One idempotency key gets one
// decision. Used by the tests, the benchmark and the demo; a real institution has its own system.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { signWebhook } from '../../net/webhook.js';
import { verifySignature, type AuthorizationRequest } from '../../payments/institution-client.js';
import { decryptPin } from './pin.js';

export interface AccountSeed {
  readonly accountRef: string;
  readonly kind: 'credit' | 'debit' | 'bank';
  /** Debit and bank accounts: balance in minor units. */
  readonly balance?: number;
  /** Credit cards: limit in minor units. */
  readonly limit?: number;
  /** Debit cards and bank accounts: the card PIN. */
  readonly pin?: string;
}

export interface InstitutionOptions {
  readonly id: string;
  readonly host?: string;
  readonly port: number;
  /** Shared with the relay: signs requests and answers. */
  readonly secret: string;
  /** Shared with the terminals: encrypts PIN blocks. */
  readonly pinKey: string;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly accounts?: readonly AccountSeed[];
}

// One authorisation in one atomic step (one Redis round trip): a repeat of an idempotency key
// gets its first decision and moves no money; a new key is checked (account, kind, PIN, funds or
// limit), debited when approved, and its decision stored for a day.
// KEYS: account, idempotency. ARGV: method kind (credit | debit), amount, the PIN's hash ('' for
// credit: no PIN), authorizationId if approved.
// Returns {1, decision json} for a new decision, {0, decision json} for a repeat.
const AUTHORIZE = `
local first = redis.call('GET', KEYS[2])
if first then return {0, first} end
local function decide()
  local a = redis.call('HMGET', KEYS[1], 'kind', 'balance', 'limit', 'used', 'pin')
  local kind = a[1]
  if not kind then return 'no_account' end
  if ARGV[3] ~= '' and (a[5] == false or a[5] == '' or a[5] ~= ARGV[3]) then return 'wrong_pin' end
  local amount = tonumber(ARGV[2])
  if ARGV[1] == 'credit' then
    if kind ~= 'credit' then return 'wrong_kind' end
    if tonumber(a[4] or '0') + amount > tonumber(a[3]) then return 'over_limit' end
    redis.call('HINCRBY', KEYS[1], 'used', amount)
    return 'approved'
  end
  if kind == 'credit' then return 'wrong_kind' end
  if tonumber(a[2]) < amount then return 'insufficient_funds' end
  redis.call('HINCRBY', KEYS[1], 'balance', -amount)
  return 'approved'
end
local code = decide()
local d
if code == 'approved' then
  d = cjson.encode({decision = 'approved', code = code, authorizationId = ARGV[4]})
else
  d = cjson.encode({decision = 'declined', code = code, authorizationId = cjson.null})
end
redis.call('SET', KEYS[2], d, 'EX', 86400)
return {1, d}
`;

const pinHash = (id: string, pin: string): string => createHash('sha256').update(`${id}:${pin}`).digest('hex');

export interface Institution {
  readonly url: string;
  readonly redis: Redis;
  readonly stats: { requests: number; approved: number; declined: number };
  close(): Promise<void>;
}

export async function startInstitution(o: InstitutionOptions): Promise<Institution> {
  // Auto-pipelining: the calls of one turn reach Redis in one write (the bank's own cost shares
  // the cores with the relay in the benchmark).
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
  redis.defineCommand('instAuthorize', { numberOfKeys: 2, lua: AUTHORIZE });
  const tag = `${o.prefix}:inst:{${o.id}}`;
  const acct = (ref: string) => `${tag}:acct:${ref}`;
  for (const a of o.accounts ?? []) {
    if (await redis.exists(acct(a.accountRef))) continue; // seed once; balances then belong to the bank
    await redis.hset(acct(a.accountRef), { kind: a.kind, balance: a.balance ?? 0, limit: a.limit ?? 0, used: 0, pin: a.pin ? pinHash(o.id, a.pin) : '' });
  }
  const stats = { requests: 0, approved: 0, declined: 0 };

  type Authorize = (acct: string, idem: string, kind: string, amount: number, pin: string, authorizationId: string) => Promise<[number, string]>;
  const authorize = (redis as unknown as { instAuthorize: Authorize }).instAuthorize.bind(redis);

  /** The decision JSON for `r` (the first one for its idempotency key), in one Redis call. */
  const decide = async (r: AuthorizationRequest): Promise<string> => {
    let pin = '';
    if (r.method !== 'credit') {
      // A PIN block that does not decrypt can never match: '-' is no account's PIN hash.
      const clear = r.pinBlock ? decryptPin(r.pinBlock, o.pinKey) : null;
      pin = clear === null ? '-' : pinHash(o.id, clear);
    }
    const [fresh, d] = await authorize(
      acct(r.accountRef),
      `${tag}:idem:${r.idempotencyKey}`,
      r.method === 'credit' ? 'credit' : 'debit',
      r.amount,
      pin,
      `${o.id}-${randomUUID()}`,
    );
    if (fresh === 1) {
      if (d.includes('"approved"')) stats.approved++;
      else stats.declined++;
    }
    return d;
  };

  const server: Server = createServer((req, res) => {
    const reply = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-jpki-signature': signWebhook(o.secret, text, Math.floor(Date.now() / 1000)) });
      res.end(text);
    };
    const send = (status: number, body: unknown): void => reply(status, JSON.stringify(body));
    if (req.method === 'GET' && req.url === '/stats') return send(200, stats);
    if (req.method === 'GET' && req.url === '/healthz') return send(200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/authorize') return send(404, { code: 'not_found' });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      void (async () => {
        stats.requests++;
        if (!verifySignature(o.secret, body, req.headers['x-jpki-signature'] as string | undefined, Math.floor(Date.now() / 1000)))
          return send(401, { code: 'bad_signature' });
        // The decision goes out as Redis stored it: a repeat gets the same bytes.
        reply(200, await decide(JSON.parse(body) as AuthorizationRequest));
      })().catch(() => send(500, { code: 'internal' }));
    });
  });
  await new Promise<void>((r) => server.listen(o.port, o.host ?? '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    redis,
    stats,
    async close() {
      await new Promise((r) => server.close(r));
      server.closeAllConnections();
      redis.disconnect();
    },
  };
}
