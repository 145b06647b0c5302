// Service configuration: one JSON file plus JPKI_* environment overrides, validated at start.
// Every error names the field. This is the only module that reads the environment.
import { readFileSync } from 'node:fs';
import { refusedUrl } from './net/address-policy.js';

export interface TenantConfig {
  readonly id: string;
  /** SHA-256 (hex) of the tenant's API key: keys themselves are never stored. */
  readonly apiKeySha256: string;
  /** May receive the 基本4情報 of signing certificates. */
  readonly basicInfo: boolean;
  /** Key for the HMAC-SHA256 signature on this tenant's webhooks (none: webhooks refused). */
  readonly webhookSecret: string | null;
  /** delegate (委託): the provider is the verifier and receives serials. proxy (代行): the
   *  platform verifies; the provider receives conversion IDs, never a serial. */
  readonly mode: 'delegate' | 'proxy';
  /** May link customers to cards and accounts (紐付管理) and register certificates for change
   *  confirmation. */
  readonly linkedCards: boolean;
  /** May import J-LIS link data (the platform operator). */
  readonly operator: boolean;
  /** Where change-confirmation notices are POSTed (signed with webhookSecret). */
  readonly webhookUrl: string | null;
  /** Requests per second per API node (token bucket), or null for no limit. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number } | null;
}

/** A bank or card company the payment relay forwards authorisations to. */
export interface InstitutionConfig {
  readonly id: string;
  /** Base URL; the relay POSTs to <endpoint>/authorize. */
  readonly endpoint: string;
  /** Shared secret for the HMAC signatures on requests and answers. */
  readonly secret: string;
  readonly timeoutMs: number;
}

export interface Config {
  /** embedded: API and worker pool in one process. queue: the API enqueues micro-batches on
   *  BullMQ and `worker` processes (any number, any machine) verify them. */
  readonly mode: 'embedded' | 'queue';
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly trust: { readonly roots: readonly string[]; readonly allowTestHierarchy: boolean };
  readonly crl: {
    readonly sources: readonly string[];
    readonly cacheDir: string;
    readonly refreshIntervalSec: number;
    readonly graceSec: number;
    /** Stale or missing CRL data: 'hard-fail' → indeterminate (default), 'soft-fail' → pass. */
    readonly policy: 'hard-fail' | 'soft-fail';
    readonly retries: number;
    readonly backoffMs: number;
  };
  readonly pool: {
    readonly threads: number;
    /** Flush a micro-batch at this many items… */
    readonly batchSize: number;
    /** …or this long after its first item arrived. */
    readonly batchDelayUs: number;
    /** Most items waiting or running; beyond it requests get 503 with Retry-After. */
    readonly maxPending: number;
    readonly concurrentTasksPerWorker: number;
    /** Per-worker LRU of certificate-path results (with the imported end-entity key), by
     *  certificate fingerprint. Measured ≈10 KB per entry, native key included. */
    readonly pathCacheSize: number;
  };
  /** maxOutstandingPerTenant: challenges a tenant may hold issued, not yet used and not expired;
   *  beyond it POST /v1/challenges answers 429 too_many_challenges (bounds the store per tenant). */
  readonly challenge: { readonly ttlSec: number; readonly store: 'memory' | 'redis'; readonly maxOutstandingPerTenant: number };
  /** Every Redis user (challenges, queue, jobs, heartbeats) shares the server and the key prefix
   *  (redis-keys.ts builds every key). */
  readonly redis: {
    /** redis:// or rediss:// URL; with `cluster`, a comma-separated list of seed nodes. */
    readonly url: string;
    readonly prefix: string;
    readonly cluster: boolean;
  };
  readonly queue: {
    readonly name: string;
    /** API side: flush a job at this many items or this long after its first. */
    readonly batchSize: number;
    readonly batchDelayUs: number;
    readonly maxPending: number;
    /** A caller waits at most this long for its job's result (then 503 queue_timeout). */
    readonly timeoutMs: number;
    /** Runs of a job before it goes to the dead-letter queue. */
    readonly attempts: number;
    readonly backoffMs: number;
    /** How results reach the API node: its own pub/sub reply channel, or BullMQ QueueEvents. */
    readonly resultPath: 'reply' | 'events';
    /** Worker side: jobs one worker process runs at once. */
    readonly concurrency: number;
    /** A job whose worker stops renewing its lock this long is stalled and runs again. */
    readonly lockDurationMs: number;
    readonly stalledIntervalMs: number;
    readonly maxStalledCount: number;
    readonly heartbeatMs: number;
  };
  /** A `worker` process serves /metrics, /healthz and /readyz here. */
  readonly worker: { readonly host: string; readonly port: number };
  /** The system of record (links, conversion IDs, aliases, watches, changes, audit, payment
   *  idempotency, bulk jobs): a PostgreSQL server at `url` (required in queue mode: every node
   *  shares it), else PGlite (PostgreSQL in this process) keeping its files in `dir`. */
  readonly database: {
    readonly url: string | null;
    readonly dir: string;
    readonly poolSize: number;
    /** A query waits at most this long for a connection, and runs at most this long. */
    readonly timeoutMs: number;
  };
  /** The audit trail keeps records for auditRetentionSec, and at most auditMaxPerTenant records
   *  per tenant (the oldest go first): its size is retention × rate, so bound both. Records are
   *  group-committed: under load one INSERT per auditFlushMs at most, or per auditBatch records. */
  readonly platform: { readonly auditRetentionSec: number; readonly auditMaxPerTenant: number; readonly auditFlushMs: number; readonly auditBatch: number };
  /** Payment relay (POST /v1/payments/authorize). */
  readonly payments: {
    readonly institutions: readonly InstitutionConfig[];
    /** Failed calls in a row that open an institution's circuit, and how long it stays open. */
    readonly circuitFailures: number;
    readonly circuitOpenMs: number;
    /** How long a decision is kept for its idempotency key. */
    readonly idempotencyTtlSec: number;
    /** A pending institution call is presumed over this long after its timeout (its relay
     *  crashed): a retry with the same key then asks the institution again. */
    readonly callMarginMs: number;
  };
  /** Async bulk jobs (POST /v1/jobs). */
  /** maxBodyBytes: the body limit of POST /v1/jobs alone (other routes: limits.bodyBytes). The
   *  API key is checked before any of it is read. */
  readonly jobs: { readonly maxItems: number; readonly chunkSize: number; readonly retentionSec: number; readonly webhookAttempts: number; readonly webhookTimeoutMs: number; readonly maxBodyBytes: number };
  /** Where webhooks (bulk jobs, change confirmation) may go: https anywhere public; plain http
   *  only to allowHosts; loopback, private, link-local, CGNAT and metadata addresses (checked
   *  after DNS, at send time) only with allowPrivate. */
  readonly webhooks: { readonly allowHosts: readonly string[]; readonly allowPrivate: boolean };
  /** tenantLabels: tenant ids as metric label values (jpki_rate_limited_total{tenant}); off, the
   *  label is the constant "all" (tenant ids are customer names to whoever scrapes /metrics). */
  readonly metrics: { readonly tenantLabels: boolean };
  /** HTTP limits. requestTimeoutMs: a whole request (headers and body) must arrive within it, or
   *  408 request_timeout and the connection closes (a slow-body client holds no socket longer);
   *  headersTimeoutMs: the same for the header block (≤ requestTimeoutMs); keepAliveTimeoutMs:
   *  idle keep-alive connections close after it; maxUrlBytes: longer request targets get 414. */
  readonly limits: {
    readonly bodyBytes: number;
    readonly batchItems: number;
    readonly requestTimeoutMs: number;
    readonly headersTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxUrlBytes: number;
  };
  readonly tenants: readonly TenantConfig[];
}

export const DEFAULTS: Config = {
  mode: 'embedded',
  host: '127.0.0.1',
  port: 8080,
  logLevel: 'info',
  trust: { roots: [], allowTestHierarchy: false },
  crl: { sources: [], cacheDir: 'var/crl-cache', refreshIntervalSec: 3600, graceSec: 3600, policy: 'hard-fail', retries: 3, backoffMs: 500 },
  // 32 items per task and two tasks in flight per worker: piscina's measured sweet spot on 2 cores
  // (performance-facts.md: 1 per task caps at 20k/s, 32 per task reaches 77-84k/s).
  pool: { threads: 2, batchSize: 32, batchDelayUs: 200, maxPending: 20_000, concurrentTasksPerWorker: 2, pathCacheSize: 20_000 },
  // 10,000 outstanding: a tenant at 80/s with the 120 s TTL holds ~10,000 (rate × TTL).
  challenge: { ttlSec: 120, store: 'memory', maxOutstandingPerTenant: 10_000 },
  redis: { url: 'redis://127.0.0.1:6379', prefix: 'jpki', cluster: false },
  // 64 items per job: one job per request caps at ~12k/s (performance-facts.md); 64 spreads the
  // ~142 µs of Redis work per job to ~2 µs per item.
  queue: {
    name: 'verify', batchSize: 64, batchDelayUs: 1000, maxPending: 20_000, timeoutMs: 30_000, attempts: 3, backoffMs: 200,
    resultPath: 'reply', concurrency: 8, lockDurationMs: 30_000, stalledIntervalMs: 15_000, maxStalledCount: 1, heartbeatMs: 5_000,
  },
  worker: { host: '127.0.0.1', port: 9464 },
  payments: { institutions: [], circuitFailures: 5, circuitOpenMs: 10_000, idempotencyTtlSec: 86_400, callMarginMs: 1_000 },
  database: { url: null, dir: 'var/db', poolSize: 10, timeoutMs: 5_000 },
  // Audit batches: at most 5 ms apart under load (measured: 2 ms cost ~12% of the HTTP rate on
  // PGlite, 5 ms nothing measurable), at once when the database is idle.
  platform: { auditRetentionSec: 90 * 86_400, auditMaxPerTenant: 1_000_000, auditFlushMs: 5, auditBatch: 512 },
  // 4,096 bytes per item × maxItems: the bound the route had before it was a setting.
  jobs: { maxItems: 10_000, chunkSize: 64, retentionSec: 86_400, webhookAttempts: 5, webhookTimeoutMs: 5_000, maxBodyBytes: 10_000 * 4096 },
  webhooks: { allowHosts: [], allowPrivate: false },
  metrics: { tenantLabels: false },
  // 72 s keep-alive: fastify's default (above the 60 s idle timeout of common load balancers).
  // 8 KB of URL: what common proxies take; the routes need < 100 bytes.
  limits: { bodyBytes: 64 * 1024, batchItems: 256, requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000, maxUrlBytes: 8192 },
  tenants: [],
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`config ${field}: ${message}`);
  }
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects; arrays and scalars replace. */
function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(base[k]) ? merge(base[k] as Json, v) : v;
  return out;
}

/** JPKI_PORT=9000, JPKI_POOL__THREADS=4, JPKI_CRL__SOURCES='["http://…"]' (JSON values accepted). */
export function envOverrides(env: Record<string, string | undefined>): Json {
  const out: Json = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('JPKI_') || raw === undefined) continue;
    const path = name.slice(5).toLowerCase().split('__').map((p) => p.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    let o = out;
    for (const p of path.slice(0, -1)) o = (o[p] = isObj(o[p]) ? o[p] : {}) as Json;
    o[path[path.length - 1]] = value;
  }
  return out;
}

function redisUrls(v: unknown, field: string, list: boolean): string {
  const one = /^rediss?:\/\/[^\s,]+$/;
  if (typeof v !== 'string' || !(list ? v.split(',').every((u) => one.test(u.trim())) : one.test(v))) {
    throw new ConfigError(field, `must be a redis:// or rediss:// URL${list ? ' or a comma-separated list of them' : ''}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function postgresUrl(v: unknown, field: string): string {
  if (typeof v !== 'string' || !/^postgres(ql)?:\/\/\S+$/.test(v)) throw new ConfigError(field, `must be a postgres:// URL or null, got ${JSON.stringify(v)}`);
  return v;
}

function check(raw: Json): Config {
  const known = (obj: Json, allowed: object, where: string): void => {
    for (const k of Object.keys(obj)) if (!(k in allowed)) throw new ConfigError(`${where}${k}`, 'unknown field');
  };
  const int = (v: unknown, field: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ConfigError(field, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v;
  };
  const str = (v: unknown, field: string): string => {
    if (typeof v !== 'string' || v === '') throw new ConfigError(field, `must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  };
  const strs = (v: unknown, field: string): string[] => {
    if (!Array.isArray(v)) throw new ConfigError(field, 'must be an array of strings');
    return v.map((x, i) => str(x, `${field}[${i}]`));
  };
  const bool = (v: unknown, field: string): boolean => {
    if (typeof v !== 'boolean') throw new ConfigError(field, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  };
  const oneOf = <T extends string>(v: unknown, field: string, values: readonly T[]): T => {
    if (!values.includes(v as T)) throw new ConfigError(field, `must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  };
  const sub = (k: keyof Config): Json => {
    const v = raw[k];
    if (!isObj(v)) throw new ConfigError(k, 'must be an object');
    known(v, DEFAULTS[k] as object, `${k}.`);
    return v;
  };
  known(raw, DEFAULTS, '');
  const trust = sub('trust');
  const crl = sub('crl');
  const pool = sub('pool');
  const challenge = sub('challenge');
  const limits = sub('limits');
  const redis = sub('redis');
  const queue = sub('queue');
  const worker = sub('worker');
  const jobs = sub('jobs');
  const platform = sub('platform');
  const payments = sub('payments');
  const database = sub('database');
  const webhooksRaw = sub('webhooks');
  const metricsRaw = sub('metrics');
  const webhooks = { allowHosts: strs(webhooksRaw.allowHosts, 'webhooks.allowHosts'), allowPrivate: bool(webhooksRaw.allowPrivate, 'webhooks.allowPrivate') };
  if (!Array.isArray(payments.institutions)) throw new ConfigError('payments.institutions', 'must be an array');
  const institutions = payments.institutions.map((x, i): InstitutionConfig => {
    const f = `payments.institutions[${i}]`;
    if (!isObj(x)) throw new ConfigError(f, 'must be an object');
    known(x, { id: 1, endpoint: 1, secret: 1, timeoutMs: 1 }, `${f}.`);
    const endpoint = str(x.endpoint, `${f}.endpoint`);
    if (!/^https?:\/\/\S+$/.test(endpoint)) throw new ConfigError(`${f}.endpoint`, `must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
    const secret = str(x.secret, `${f}.secret`);
    if (secret.length < 16) throw new ConfigError(`${f}.secret`, 'must be at least 16 characters');
    return { id: str(x.id, `${f}.id`), endpoint, secret, timeoutMs: x.timeoutMs === undefined ? 2000 : int(x.timeoutMs, `${f}.timeoutMs`, 50, 60_000) };
  });
  if (new Set(institutions.map((x) => x.id)).size !== institutions.length) throw new ConfigError('payments.institutions', 'duplicate institution id');
  if (!Array.isArray(raw.tenants)) throw new ConfigError('tenants', 'must be an array');
  const httpUrl = (v: unknown, field: string): string => {
    if (typeof v !== 'string' || !/^https?:\/\/\S+$/.test(v)) throw new ConfigError(field, `must be an http(s) URL, got ${JSON.stringify(v)}`);
    return v;
  };
  const webhookUrl = (v: unknown, field: string): string => {
    const why = refusedUrl(httpUrl(v, field), webhooks);
    if (why) throw new ConfigError(field, why);
    return v as string;
  };
  const rateLimit = (v: unknown, field: string): { perSecond: number; burst: number } => {
    if (!isObj(v)) throw new ConfigError(field, 'must be {perSecond, burst} or null');
    known(v, { perSecond: 1, burst: 1 }, `${field}.`);
    return { perSecond: int(v.perSecond, `${field}.perSecond`, 1, 10_000_000), burst: int(v.burst, `${field}.burst`, 1, 10_000_000) };
  };
  const tenants = raw.tenants.map((t, i): TenantConfig => {
    const f = `tenants[${i}]`;
    if (!isObj(t)) throw new ConfigError(f, 'must be an object');
    known(t, { id: 1, apiKeySha256: 1, basicInfo: 1, webhookSecret: 1, mode: 1, linkedCards: 1, operator: 1, webhookUrl: 1, rateLimit: 1 }, `${f}.`);
    const hash = str(t.apiKeySha256, `${f}.apiKeySha256`);
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new ConfigError(`${f}.apiKeySha256`, 'must be 64 lower-case hex digits (SHA-256 of the key)');
    const tenant: TenantConfig = { id: str(t.id, `${f}.id`), apiKeySha256: hash, basicInfo: t.basicInfo === undefined ? false : bool(t.basicInfo, `${f}.basicInfo`),
      webhookSecret: t.webhookSecret === undefined || t.webhookSecret === null ? null : str(t.webhookSecret, `${f}.webhookSecret`),
      mode: t.mode === undefined ? 'delegate' : oneOf(t.mode, `${f}.mode`, ['delegate', 'proxy'] as const),
      linkedCards: t.linkedCards === undefined ? false : bool(t.linkedCards, `${f}.linkedCards`),
      operator: t.operator === undefined ? false : bool(t.operator, `${f}.operator`),
      webhookUrl: t.webhookUrl === undefined || t.webhookUrl === null ? null : webhookUrl(t.webhookUrl, `${f}.webhookUrl`),
      rateLimit: t.rateLimit === undefined || t.rateLimit === null ? null : rateLimit(t.rateLimit, `${f}.rateLimit`),
    };
    if (tenant.webhookUrl && !tenant.webhookSecret) throw new ConfigError(`${f}.webhookSecret`, 'required when webhookUrl is set');
    return tenant;
  });
  const ids = new Set<string>();
  for (const t of tenants) {
    if (ids.has(t.id)) throw new ConfigError('tenants', `duplicate tenant id "${t.id}"`);
    ids.add(t.id);
  }
  if (raw.mode === 'queue') {
    // API nodes and workers share challenges and platform state: memory would split them.
    if (challenge.store !== 'redis') throw new ConfigError('challenge.store', 'must be "redis" in queue mode');
    if (database.url === null) throw new ConfigError('database.url', 'must be a postgres:// URL in queue mode (PGlite is one process; nodes share a PostgreSQL server)');
  }
  const httpLimits = (l: Json): Config['limits'] => {
    const requestTimeoutMs = int(l.requestTimeoutMs, 'limits.requestTimeoutMs', 100, 3_600_000);
    const headersTimeoutMs = int(l.headersTimeoutMs, 'limits.headersTimeoutMs', 100, 3_600_000);
    // Node refuses a header timeout above the request timeout.
    if (headersTimeoutMs > requestTimeoutMs) throw new ConfigError('limits.headersTimeoutMs', `must not exceed limits.requestTimeoutMs (${requestTimeoutMs})`);
    return {
      bodyBytes: int(l.bodyBytes, 'limits.bodyBytes', 1024, 64 * 1024 * 1024),
      batchItems: int(l.batchItems, 'limits.batchItems', 1, 100_000),
      requestTimeoutMs,
      headersTimeoutMs,
      keepAliveTimeoutMs: int(l.keepAliveTimeoutMs, 'limits.keepAliveTimeoutMs', 100, 3_600_000),
      maxUrlBytes: int(l.maxUrlBytes, 'limits.maxUrlBytes', 256, 64 * 1024),
    };
  };
  const prefix = str(redis.prefix, 'redis.prefix');
  if (/[{}:\s]/.test(prefix)) throw new ConfigError('redis.prefix', 'must not contain braces, colons or spaces (the key builder adds them)');
  return {
    mode: oneOf(raw.mode, 'mode', ['embedded', 'queue'] as const),
    host: str(raw.host, 'host'),
    port: int(raw.port, 'port', 0, 65535),
    logLevel: oneOf(raw.logLevel, 'logLevel', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    trust: { roots: strs(trust.roots, 'trust.roots'), allowTestHierarchy: bool(trust.allowTestHierarchy, 'trust.allowTestHierarchy') },
    crl: {
      sources: strs(crl.sources, 'crl.sources'),
      cacheDir: str(crl.cacheDir, 'crl.cacheDir'),
      refreshIntervalSec: int(crl.refreshIntervalSec, 'crl.refreshIntervalSec', 1, 86_400 * 7),
      graceSec: int(crl.graceSec, 'crl.graceSec', 0, 86_400 * 7),
      policy: oneOf(crl.policy, 'crl.policy', ['hard-fail', 'soft-fail'] as const),
      retries: int(crl.retries, 'crl.retries', 1, 20),
      backoffMs: int(crl.backoffMs, 'crl.backoffMs', 0, 600_000),
    },
    pool: {
      threads: int(pool.threads, 'pool.threads', 1, 256),
      batchSize: int(pool.batchSize, 'pool.batchSize', 1, 4096),
      batchDelayUs: int(pool.batchDelayUs, 'pool.batchDelayUs', 0, 1_000_000),
      maxPending: int(pool.maxPending, 'pool.maxPending', 1, 10_000_000),
      concurrentTasksPerWorker: int(pool.concurrentTasksPerWorker, 'pool.concurrentTasksPerWorker', 1, 64),
      pathCacheSize: int(pool.pathCacheSize, 'pool.pathCacheSize', 0, 10_000_000),
    },
    challenge: {
      ttlSec: int(challenge.ttlSec, 'challenge.ttlSec', 1, 86_400),
      store: oneOf(challenge.store, 'challenge.store', ['memory', 'redis'] as const),
      maxOutstandingPerTenant: int(challenge.maxOutstandingPerTenant, 'challenge.maxOutstandingPerTenant', 1, 10_000_000),
    },
    redis: { url: redisUrls(redis.url, 'redis.url', redis.cluster === true), prefix, cluster: bool(redis.cluster, 'redis.cluster') },
    queue: {
      name: str(queue.name, 'queue.name'),
      batchSize: int(queue.batchSize, 'queue.batchSize', 1, 4096),
      batchDelayUs: int(queue.batchDelayUs, 'queue.batchDelayUs', 0, 1_000_000),
      maxPending: int(queue.maxPending, 'queue.maxPending', 1, 10_000_000),
      timeoutMs: int(queue.timeoutMs, 'queue.timeoutMs', 100, 600_000),
      attempts: int(queue.attempts, 'queue.attempts', 1, 100),
      backoffMs: int(queue.backoffMs, 'queue.backoffMs', 0, 600_000),
      resultPath: oneOf(queue.resultPath, 'queue.resultPath', ['reply', 'events'] as const),
      concurrency: int(queue.concurrency, 'queue.concurrency', 1, 1024),
      lockDurationMs: int(queue.lockDurationMs, 'queue.lockDurationMs', 500, 3_600_000),
      stalledIntervalMs: int(queue.stalledIntervalMs, 'queue.stalledIntervalMs', 100, 3_600_000),
      maxStalledCount: int(queue.maxStalledCount, 'queue.maxStalledCount', 0, 100),
      heartbeatMs: int(queue.heartbeatMs, 'queue.heartbeatMs', 100, 600_000),
    },
    worker: { host: str(worker.host, 'worker.host'), port: int(worker.port, 'worker.port', 0, 65535) },
    payments: {
      institutions,
      circuitFailures: int(payments.circuitFailures, 'payments.circuitFailures', 1, 1000),
      circuitOpenMs: int(payments.circuitOpenMs, 'payments.circuitOpenMs', 100, 3_600_000),
      idempotencyTtlSec: int(payments.idempotencyTtlSec, 'payments.idempotencyTtlSec', 60, 86_400 * 30),
      callMarginMs: int(payments.callMarginMs, 'payments.callMarginMs', 0, 600_000),
    },
    database: {
      url: database.url === null ? null : postgresUrl(database.url, 'database.url'),
      dir: str(database.dir, 'database.dir'),
      poolSize: int(database.poolSize, 'database.poolSize', 1, 1000),
      timeoutMs: int(database.timeoutMs, 'database.timeoutMs', 100, 600_000),
    },
    platform: {
      auditFlushMs: int(platform.auditFlushMs, 'platform.auditFlushMs', 0, 1000),
      auditBatch: int(platform.auditBatch, 'platform.auditBatch', 1, 100_000),
      auditRetentionSec: int(platform.auditRetentionSec, 'platform.auditRetentionSec', 60, 86_400 * 3650),
      auditMaxPerTenant: int(platform.auditMaxPerTenant, 'platform.auditMaxPerTenant', 100, 1_000_000_000),
    },
    jobs: {
      maxItems: int(jobs.maxItems, 'jobs.maxItems', 1, 1_000_000),
      chunkSize: int(jobs.chunkSize, 'jobs.chunkSize', 1, 4096),
      retentionSec: int(jobs.retentionSec, 'jobs.retentionSec', 60, 86_400 * 90),
      webhookAttempts: int(jobs.webhookAttempts, 'jobs.webhookAttempts', 1, 50),
      webhookTimeoutMs: int(jobs.webhookTimeoutMs, 'jobs.webhookTimeoutMs', 100, 120_000),
      maxBodyBytes: int(jobs.maxBodyBytes, 'jobs.maxBodyBytes', 1024, 1024 * 1024 * 1024),
    },
    webhooks,
    metrics: { tenantLabels: bool(metricsRaw.tenantLabels, 'metrics.tenantLabels') },
    limits: httpLimits(limits),
    tenants,
  };
}

/** Defaults, then the file (if any), then JPKI_* variables; validated as a whole. */
export function loadConfig(file: string | null, env: Record<string, string | undefined> = process.env): Config {
  let fromFile: Json = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError('(file)', `cannot read ${file}: ${(err as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!isObj(parsed)) throw new Error('top level must be an object');
      fromFile = parsed;
    } catch (err) {
      throw new ConfigError('(file)', `${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  return check(merge(merge(DEFAULTS as unknown as Json, fromFile), envOverrides(env)));
}

export function validateConfig(raw: unknown): Config {
  if (!isObj(raw)) throw new ConfigError('(root)', 'must be an object');
  return check(merge(DEFAULTS as unknown as Json, raw));
}
