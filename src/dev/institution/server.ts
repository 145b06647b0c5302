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

// KEYS: account, idempotency. ARGV: kind-check, amount, decision json template parts.
// Returns the decision code: approved, insufficient_funds, over_limit, no_account, wrong_kind.
const DEBIT = `
local kind = redis.call('HGET', KEYS[1], 'kind')
if not kind then return 'no_account' end
local amount = tonumber(ARGV[2])
if ARGV[1] == 'credit' then
  if kind ~= 'credit' then return 'wrong_kind' end
  local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
  if used + amount > tonumber(redis.call('HGET', KEYS[1], 'limit')) then return 'over_limit' end
  redis.call('HINCRBY', KEYS[1], 'used', amount)
  return 'approved'
end
if kind == 'credit' then return 'wrong_kind' end
if tonumber(redis.call('HGET', KEYS[1], 'balance')) < amount then return 'insufficient_funds' end
redis.call('HINCRBY', KEYS[1], 'balance', -amount)
return 'approved'
`;

const pinHash = (id: string, pin: string): string => createHash('sha256').update(`${id}:${pin}`).digest('hex');

export interface Institution {
  readonly url: string;
  readonly redis: Redis;
  readonly stats: { requests: number; approved: number; declined: number };
  close(): Promise<void>;
}

export async function startInstitution(o: InstitutionOptions): Promise<Institution> {
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 1 });
  redis.defineCommand('instDebit', { numberOfKeys: 1, lua: DEBIT });
  const tag = `${o.prefix}:inst:{${o.id}}`;
  const acct = (ref: string) => `${tag}:acct:${ref}`;
  for (const a of o.accounts ?? []) {
    if (await redis.exists(acct(a.accountRef))) continue; // seed once; balances then belong to the bank
    await redis.hset(acct(a.accountRef), { kind: a.kind, balance: a.balance ?? 0, limit: a.limit ?? 0, used: 0, pin: a.pin ? pinHash(o.id, a.pin) : '' });
  }
  const stats = { requests: 0, approved: 0, declined: 0 };

  const decide = async (r: AuthorizationRequest): Promise<{ decision: 'approved' | 'declined'; code: string; authorizationId: string | null }> => {
    const a = await redis.hgetall(acct(r.accountRef));
    if (!a.kind) return { decision: 'declined', code: 'no_account', authorizationId: null };
    if (r.method !== 'credit') {
      const pin = r.pinBlock ? decryptPin(r.pinBlock, o.pinKey) : null;
      if (pin === null || !a.pin || pinHash(o.id, pin) !== a.pin) return { decision: 'declined', code: 'wrong_pin', authorizationId: null };
    }
    const code = await (redis as unknown as { instDebit(k: string, kind: string, amount: number): Promise<string> }).instDebit(
      acct(r.accountRef),
      r.method === 'credit' ? 'credit' : 'debit',
      r.amount,
    );
    return code === 'approved'
      ? { decision: 'approved', code, authorizationId: `${o.id}-${randomUUID()}` }
      : { decision: 'declined', code, authorizationId: null };
  };

  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'x-jpki-signature': signWebhook(o.secret, text, Math.floor(Date.now() / 1000)) });
      res.end(text);
    };
    if (req.method === 'GET' && req.url === '/stats') return send(200, stats);
    if (req.method === 'GET' && req.url === '/healthz') return send(200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/authorize') return send(404, { code: 'not_found' });
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      void (async () => {
        stats.requests++;
        if (!verifySignature(o.secret, body, req.headers['x-jpki-signature'] as string | undefined, Math.floor(Date.now() / 1000)))
          return send(401, { code: 'bad_signature' });
        const r = JSON.parse(body) as AuthorizationRequest;
        // One decision per idempotency key: a repeat gets the first answer and moves no money.
        // The key is claimed before deciding, so two concurrent repeats cannot both move money.
        const idem = `${tag}:idem:${r.idempotencyKey}`;
        if ((await redis.set(idem, 'pending', 'EX', 86_400, 'NX')) === null) {
          for (let i = 0; i < 100; i++) {
            const v = await redis.get(idem);
            if (v && v !== 'pending') return send(200, JSON.parse(v));
            await new Promise((w) => setTimeout(w, 20));
          }
          return send(503, { code: 'in_progress' });
        }
        const d = await decide(r);
        await redis.set(idem, JSON.stringify(d), 'EX', 86_400);
        if (d.decision === 'approved') stats.approved++;
        else stats.declined++;
        send(200, d);
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
