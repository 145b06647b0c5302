// Service configuration: one JSON file plus JPKI_* environment overrides, validated at start.
// Every field is declared once, in the table below: its type, default, range and doc. The
// `Config` type, `DEFAULTS`, validation and unknown-field detection all come from that table;
// rules between fields follow it, each named. Every error names the field, and all of them are
// reported at once. Fields marked secret may be given as {"file": PATH} or {"env": NAME} instead
// of their value, so passwords and keys stay out of the file (container secrets, vaults). This is
// the only module that reads the environment.
import type { RevocationPolicy } from '../core/verdict.js';
import { REVOCATION_MODES } from '../core/revocation-plan.js';
import { readFileSync } from 'node:fs';
import { refusedUrl } from '../net/address-policy.js';

// ---------------------------------------------------------------------------------------------
// Field kinds: each knows its default, its doc, and how to check a value.

/** One problem, named by the field's path (`pool.threads`, `tenants[0].id`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** What the table says about one field (for docs, and for tests generated from the table). */
export interface FieldInfo {
  /** `pool.threads`; fields of list elements as `tenants[].id`. */
  readonly path: string;
  readonly kind: 'int' | 'str' | 'bool' | 'oneOf' | 'strs' | 'url' | 'object' | 'list';
  readonly doc: string;
  /** false: the field has no default and must be given (fields of list elements only). */
  readonly hasDefault: boolean;
  readonly default?: unknown;
  /** null is a valid value (and the default). */
  readonly nullable: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /** A password or key: it may be given as {"file": PATH} or {"env": NAME}, and errors never show it. */
  readonly secret?: boolean;
}

/** Where secret references are read: a file's contents, an environment variable. */
export interface SecretSource {
  file(path: string): string;
  env(name: string): string | undefined;
}

/** The file system, and the environment given (loadConfig's, by default the process's). */
export const systemSecrets = (env: Record<string, string | undefined> = process.env): SecretSource => ({
  file: (path) => readFileSync(path, 'utf8'),
  env: (name) => env[name],
});

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** In a field's default slot: no default, the field must be given (fields of list elements). */
const required: unique symbol = Symbol('required');
type NoDefault = typeof required;
/** What a field reads as when it is wrong (its error is already recorded). */
const BAD: unique symbol = Symbol('bad');
type Bad = typeof BAD;

interface Reading {
  readonly errors: FieldError[];
  /** In list elements an undefined field takes its default. Elsewhere the merge with DEFAULTS
   *  has filled every absent field, and an explicit undefined is a wrong value. */
  readonly fill: boolean;
  readonly secrets: SecretSource;
}

interface Kind<T> {
  readonly info: Omit<FieldInfo, 'path' | 'hasDefault' | 'default'>;
  readonly def: T | NoDefault;
  readonly fields?: Shape;
  readonly element?: Kind<unknown>;
  /** The value, or BAD once its errors are recorded. parent: the object the value sits in. */
  read(v: unknown, at: string, r: Reading, parent: Json): T | Bad;
}

type Shape = { readonly [name: string]: Kind<unknown> };
type TypeOf<K> = K extends Kind<infer T> ? T : never;
type ObjectOf<S extends Shape> = { readonly [K in keyof S]: TypeOf<S[K]> };

const got = (v: unknown): string => `got ${JSON.stringify(v)}`;

function bad(r: Reading, field: string, message: string): Bad {
  r.errors.push({ field, message });
  return BAD;
}

/** A scalar field; a null default makes null a valid value. test: the error message, or null. */
function scalar<T>(
  kind: FieldInfo['kind'],
  def: T | NoDefault,
  doc: string,
  extra: Partial<FieldInfo>,
  test: (v: unknown, parent: Json) => string | null,
): Kind<T> {
  const nullable = def === null;
  return {
    info: { kind, doc, nullable, ...extra },
    def,
    read(v, at, r, parent) {
      if (v === null && nullable) return v as T;
      const why = test(v, parent);
      return why === null ? (v as T) : bad(r, at, why);
    },
  };
}

/** An integer from min to max. */
function int(min: number, max: number, def: number | NoDefault, doc: string): Kind<number> {
  return scalar('int', def, doc, { min, max }, (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `must be an integer from ${min} to ${max}, ${got(v)}`,
  );
}

/** A non-empty string; check: a further condition, returning the error message or null. */
function str(def: string | NoDefault, doc: string, check?: (s: string) => string | null): Kind<string>;
function str(def: null, doc: string, check?: (s: string) => string | null): Kind<string | null>;
function str(def: string | null | NoDefault, doc: string, check?: (s: string) => string | null): Kind<string | null> {
  return scalar<string | null>('str', def, doc, {}, (v) =>
    typeof v !== 'string' || v === '' ? `must be a non-empty string, ${got(v)}` : (check?.(v) ?? null),
  );
}

function bool(def: boolean | NoDefault, doc: string): Kind<boolean> {
  return scalar('bool', def, doc, {}, (v) => (typeof v === 'boolean' ? null : `must be true or false, ${got(v)}`));
}

/** One of `values`; a null default makes null valid too (a setting that inherits). */
function oneOf<const V extends readonly string[]>(values: V, def: V[number] | NoDefault, doc: string): Kind<V[number]>;
function oneOf<const V extends readonly string[]>(values: V, def: null, doc: string): Kind<V[number] | null>;
function oneOf<const V extends readonly string[]>(values: V, def: V[number] | null | NoDefault, doc: string): Kind<V[number] | null> {
  return scalar<V[number] | null>('oneOf', def, doc, { values }, (v) =>
    values.includes(v as string) ? null : `must be one of ${values.join(', ')}${def === null ? ' or null' : ''}, ${got(v)}`,
  );
}

/** An integer from min to max, or null (the default). */
function intOrNull(min: number, max: number, doc: string): Kind<number | null> {
  return scalar<number | null>('int', null, doc, { min, max }, (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `must be an integer from ${min} to ${max} or null, ${got(v)}`,
  );
}

/** A URL matching pattern; what names it in the error. listIf: the sibling boolean field that,
 *  when true, allows a comma-separated list of such URLs (redis.url with redis.cluster). */
function url(pattern: RegExp, what: string, def: string | NoDefault, doc: string, opts?: { listIf: string }): Kind<string>;
function url(pattern: RegExp, what: string, def: null, doc: string, opts?: { listIf: string }): Kind<string | null>;
function url(pattern: RegExp, what: string, def: string | null | NoDefault, doc: string, opts?: { listIf: string }): Kind<string | null> {
  return scalar<string | null>('url', def, doc, {}, (v, parent) => {
    const list = opts !== undefined && parent[opts.listIf] === true;
    if (typeof v === 'string' && (list ? v.split(',').every((u) => pattern.test(u.trim())) : pattern.test(v))) return null;
    return `must be ${what}${list ? ' or a comma-separated list of them' : ''}, ${got(v)}`;
  });
}

/** A secret given as {"file": PATH} or {"env": NAME}: its value, or why there is none. Trailing
 *  line breaks of a file are dropped (files written with echo end in one). Never the value in an error. */
export function readSecret(v: unknown, source: SecretSource): { value: unknown } | { error: string } {
  if (!isObj(v)) return { value: v };
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === 'file' && typeof v.file === 'string' && v.file !== '') {
    let text: string;
    try {
      text = source.file(v.file);
    } catch (err) {
      return { error: `cannot read the secret file ${v.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    text = text.replace(/[\r\n]+$/, '');
    return text === '' ? { error: `the secret file ${v.file} is empty` } : { value: text };
  }
  if (keys.length === 1 && keys[0] === 'env' && typeof v.env === 'string' && v.env !== '') {
    const text = source.env(v.env);
    return text === undefined || text === '' ? { error: `the environment variable ${v.env} is not set` } : { value: text };
  }
  return { error: 'must be the value, {"file": PATH} or {"env": NAME}' };
}

/** A password or key: given in place, or as {"file": PATH} / {"env": NAME} (read at start). Its
 *  errors never contain the value. */
function secret<T>(kind: Kind<T>): Kind<T> {
  return {
    ...kind,
    info: { ...kind.info, secret: true },
    read(v, at, r, parent) {
      const got = readSecret(v, r.secrets);
      if ('error' in got) return bad(r, at, got.error);
      const errors: FieldError[] = [];
      const out = kind.read(got.value, at, { ...r, errors }, parent);
      const shown = typeof got.value === 'string' ? [JSON.stringify(got.value), got.value] : [];
      for (const e of errors) r.errors.push({ field: e.field, message: shown.reduce((m, x) => m.split(x).join('(secret)'), e.message) });
      return out;
    },
  };
}

/** An array of non-empty strings. */
function strs(def: readonly string[], doc: string): Kind<readonly string[]> {
  const item = str(required, doc);
  return {
    info: { kind: 'strs', doc, nullable: false },
    def,
    read(v, at, r) {
      if (!Array.isArray(v)) return bad(r, at, 'must be an array of strings');
      return v.map((x, i) => item.read(x, `${at}[${i}]`, r, {})) as string[];
    },
  };
}

/** An object with exactly these fields (others are unknown fields); a null default makes it
 *  optional (rateLimit). Its default is its fields' defaults. */
function object<S extends Shape>(doc: string, fields: S): Kind<ObjectOf<S>>;
function object<S extends Shape>(doc: string, fields: S, def: null): Kind<ObjectOf<S> | null>;
function object<S extends Shape>(doc: string, fields: S, def?: null): Kind<ObjectOf<S> | null> {
  const nullable = def === null;
  const entries = Object.entries(fields);
  const defaults = entries.some(([, k]) => k.def === required) ? required : (Object.fromEntries(entries.map(([n, k]) => [n, k.def])) as ObjectOf<S>);
  return {
    info: { kind: 'object', doc, nullable },
    def: nullable ? null : defaults,
    fields,
    read(v, at, r) {
      if (v === null && nullable) return null;
      if (!isObj(v)) return bad(r, at, nullable ? `must be {${Object.keys(fields).join(', ')}} or null` : 'must be an object');
      const dot = at === '' ? '' : `${at}.`;
      for (const k of Object.keys(v)) if (!Object.hasOwn(fields, k)) bad(r, `${dot}${k}`, 'unknown field');
      const out: Json = {};
      for (const [name, kind] of entries) {
        const x = v[name];
        out[name] = x === undefined && r.fill && kind.def !== required ? kind.def : kind.read(x, `${dot}${name}`, r, v);
      }
      return out as ObjectOf<S>;
    },
  };
}

/** An array of objects (tenants, payments.institutions); default []. */
function list<T>(doc: string, element: Kind<T>): Kind<readonly T[]> {
  return {
    info: { kind: 'list', doc, nullable: false },
    def: [],
    element,
    read(v, at, r) {
      if (!Array.isArray(v)) return bad(r, at, 'must be an array');
      const inElement: Reading = { ...r, fill: true };
      return v.map((x, i) => element.read(x, `${at}[${i}]`, inElement, {})) as T[];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The table: every field, once.

const HTTP_URL = /^https?:\/\/\S+$/;

const rateLimit = object(
  'Requests per second per API node (token bucket), or null for no limit.',
  {
    perSecond: int(1, 10_000_000, required, 'Tokens added to the bucket per second.'),
    burst: int(1, 10_000_000, required, 'Bucket size: requests allowed at once after a quiet spell.'),
  },
  null,
);

/** The /v1 routes that verify a card, as revocation policies name them. */
export const VERIFYING_ROUTES = [
  '/verify/auth',
  '/verify/signature',
  '/verify/batch',
  '/jobs',
  '/payments/authorize',
  '/links',
  '/links/identify',
  '/watches',
] as const;
export type VerifyingRoute = (typeof VERIFYING_ROUTES)[number];

const POLICIES = ['hard-fail', 'soft-fail'] satisfies RevocationPolicy[];
const MODE_DOC =
  'crl: the CRL index decides. ocsp: OCSP decides. crl+ocsp: the CRL index first (a revocation there is final); OCSP decides when the CRL data is stale or missing, for 電子署名 always, and for payments above ocspAboveAmount.';
const POLICY_DOC =
  "When the source that must decide gives no usable answer (stale or missing CRL data; OCSP unreachable, refused or answering unknown): 'hard-fail' → indeterminate, 'soft-fail' → pass (the verdict says why).";
const AMOUNT_DOC = 'crl+ocsp: a payment (POST /v1/payments/authorize) of more than this amount is checked by OCSP even when the CRL is current.';

/** Settings that inherit when null: a route's from its tenant's or the global ones. */
const revocationFields = (inherit: string) => ({
  mode: oneOf(REVOCATION_MODES, null, `As revocation.mode; null: ${inherit}.`),
  policy: oneOf(POLICIES, null, `As revocation.policy; null: ${inherit}.`),
  ocspAboveAmount: intOrNull(0, Number.MAX_SAFE_INTEGER, `As revocation.ocspAboveAmount; null: ${inherit}.`),
});

const routeRevocation = (inherit: string) =>
  object('The revocation policy of one route.', {
    route: oneOf(VERIFYING_ROUTES, required, 'The route (under /v1) this entry applies to.'),
    ...revocationFields(inherit),
  });

const tenantRevocation = object(
  "This tenant's revocation policy (null: the global revocation settings). Its routes entries come first, then its own fields, then the global ones.",
  {
    ...revocationFields("the global revocation settings (revocation.routes for this route, then revocation's own)"),
    routes: list("Per-route settings for this tenant, at most one per route (null fields: this tenant's own).", routeRevocation("this tenant's own setting")),
  },
  null,
);

const tenant = object('A tenant: a caller of the API with its own key and permissions.', {
  id: str(required, 'Unique tenant id: in logs, audit records and (with metrics.tenantLabels) metric labels.'),
  apiKeySha256: str(required, "SHA-256 (hex) of the tenant's API key: keys themselves are never stored.", (s) =>
    /^[0-9a-f]{64}$/.test(s) ? null : 'must be 64 lower-case hex digits (SHA-256 of the key)',
  ),
  basicInfo: bool(false, 'May receive the 基本4情報 of signing certificates.'),
  webhookSecret: secret(str(null, "Key for the HMAC-SHA256 signature on this tenant's webhooks (none: webhooks refused).")),
  mode: oneOf(
    ['delegate', 'proxy'],
    'delegate',
    'delegate (委託): the provider is the verifier and receives serials. proxy (代行): the platform verifies; the provider receives conversion IDs, never a serial.',
  ),
  linkedCards: bool(false, 'May link customers to cards and accounts (紐付管理) and register certificates for change confirmation.'),
  operator: bool(false, 'May import J-LIS link data (the platform operator).'),
  webhookUrl: url(
    HTTP_URL,
    'an http(s) URL',
    null,
    'Where change-confirmation notices are POSTed (signed with webhookSecret); must pass the webhook policy (webhooks.*).',
  ),
  rateLimit,
  revocation: tenantRevocation,
});

const institution = object('A bank or card company the payment relay forwards authorisations to.', {
  id: str(required, 'Unique institution id, as payment requests name it.'),
  endpoint: str(required, 'Base URL; the relay POSTs to <endpoint>/authorize.', (s) => (HTTP_URL.test(s) ? null : `must be an http(s) URL, ${got(s)}`)),
  secret: secret(
    str(required, 'Shared secret (at least 16 characters) for the HMAC signatures on requests and answers.', (s) =>
      s.length >= 16 ? null : 'must be at least 16 characters',
    ),
  ),
  timeoutMs: int(50, 60_000, 2000, 'A call to the institution without an answer this long fails with institution_timeout.'),
});

const SCHEMA = object('The service configuration.', {
  mode: oneOf(
    ['embedded', 'queue'],
    'embedded',
    'embedded: API and worker pool in one process. queue: the API enqueues micro-batches on BullMQ and `worker` processes (any number, any machine) verify them.',
  ),
  host: str('127.0.0.1', 'Address the HTTP API listens on.'),
  port: int(0, 65535, 8080, 'Port the HTTP API listens on (0: any free port).'),
  logLevel: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', 'Lowest level written to the log (pino levels; silent: none).'),
  http: object('HTTP API behaviour.', {
    logProbes: bool(false, 'Also write the request line of /healthz, /readyz and /metrics (off: probes and scrapes leave no log noise).'),
    checkResponses: bool(
      false,
      'Check every answer against its documented schema (/openapi.json) before it is sent; a mismatch is a 500 internal and an error log. For development and tests: it costs CPU per request.',
    ),
  }),
  trust: object('Trust anchors.', {
    roots: strs([], 'Files or folders of JPKI root (CA) certificates: the trust anchors. serve and worker need at least one.'),
    allowTestHierarchy: bool(false, 'Accept certificates of the JPKI test hierarchy (else verdict test_hierarchy).'),
    acceptEcdsa: bool(
      false,
      'Accept certificates of the ECDSA P-384 generation: the next-generation My Number Card (announced 2024: ECDSA P-384 with SHA-384, 10-year certificates). Off: such a certificate gets verdict unsupported_algorithm. Turn it on once J-LIS issues them and their roots are in trust.roots.',
    ),
  }),
  crl: object('The CRL feed.', {
    sources: strs([], 'CRL files, folders of *.crl files, or http(s) URLs.'),
    cacheDir: str('var/crl-cache', 'Where last-good copies of the CRLs and the feed state live.'),
    refreshIntervalSec: int(1, 86_400 * 7, 3600, 'How often every source is fetched again.'),
    graceSec: int(0, 86_400 * 7, 3600, 'Past nextUpdate by more than this, a source is stale (readiness turns false; see revocation.policy).'),
    retries: int(1, 20, 3, 'Download attempts per source per refresh.'),
    backoffMs: int(0, 600_000, 500, 'Wait before the second download attempt (doubling after each).'),
  }),
  revocation: object('Which revocation source decides and what happens when it cannot: the default of every tenant and route.', {
    mode: oneOf(REVOCATION_MODES, 'crl', MODE_DOC),
    policy: oneOf(POLICIES, 'hard-fail', POLICY_DOC),
    ocspAboveAmount: intOrNull(0, Number.MAX_SAFE_INTEGER, `${AMOUNT_DOC} null: never by amount.`),
    routes: list('Per-route settings for every tenant, at most one per route (null fields: the settings above).', routeRevocation('the setting above')),
  }),
  // 2 s: J-LIS answers from Japan to Japan; a lookup slower than that is better refused (or passed,
  // by policy) than left holding a payment. SHA-1 CertIDs: what responders index by (RFC 5019 §2.1.1).
  ocsp: object('The OCSP client (revocation.mode ocsp or crl+ocsp).', {
    url: url(
      HTTP_URL,
      'an http(s) URL or null',
      null,
      "Ask this responder for every certificate instead of the one in the certificate's authorityInfoAccess (a relay, or a test responder).",
    ),
    timeoutMs: int(50, 60_000, 2000, 'The most one lookup may take, retries included; then the lookup fails (timeout) and counts against the circuit breaker.'),
    retries: int(0, 10, 1, 'Further attempts after a failure the responder may recover from (refused connection, HTTP 5xx, tryLater), within timeoutMs.'),
    backoffMs: int(0, 60_000, 50, 'Wait before the second attempt (doubling after each).'),
    maxResponseBytes: int(1024, 16 * 1024 * 1024, 64 * 1024, 'A larger response is refused (too_large) and the connection closed.'),
    skewSec: int(0, 3600, 300, 'Clock skew allowed against the responder: thisUpdate up to this far ahead, nextUpdate up to this far behind.'),
    maxAgeSec: int(1, 86_400 * 7, 3600, 'A response without nextUpdate is stale once its thisUpdate is older than this (and is never cached).'),
    nonce: bool(true, 'Send a nonce (RFC 8954) and require it back: a replayed response is refused.'),
    get: bool(true, 'Use GET for requests under 255 bytes once encoded (RFC 6960 A.1), POST otherwise.'),
    hash: oneOf(['sha1', 'sha256'], 'sha1', 'Hash of the CertID (issuer name and key).'),
    batchMax: int(1, 256, 16, 'Most certificates of one issuer asked in one request; lookups that arrive together are batched.'),
    batchDelayUs: int(0, 1_000_000, 500, 'A batch goes out this long after its first lookup (under 1000: at the end of the event-loop turn).'),
    cacheEntries: int(0, 10_000_000, 100_000, 'Responses cached per process by CertID until their nextUpdate (0: none), shared by every pool thread.'),
    circuitFailures: int(1, 1000, 5, 'Failed exchanges with one responder in a row (a batch of lookups is one exchange) that open its circuit…'),
    circuitOpenMs: int(100, 3_600_000, 10_000, '…and how long it stays open (lookups then fail at once with circuit_open).'),
  }),
  // 32 items per task and two tasks in flight per worker: piscina's measured sweet spot on 2 cores
  // (performance-facts.md: 1 per task caps at 20k/s, 32 per task reaches 77-84k/s).
  pool: object('The verifier worker-thread pool.', {
    threads: int(1, 256, 2, 'Worker threads verifying signatures and paths.'),
    batchSize: int(1, 4096, 32, 'Flush a micro-batch at this many items…'),
    batchDelayUs: int(0, 1_000_000, 200, '…or this long after its first item arrived.'),
    maxPending: int(1, 10_000_000, 20_000, 'Most items waiting or running; beyond it requests get 503 with Retry-After.'),
    concurrentTasksPerWorker: int(1, 64, 2, 'Micro-batches in flight per worker thread.'),
    pathCacheSize: int(
      0,
      10_000_000,
      20_000,
      'Per-worker LRU of certificate-path results (with the imported end-entity key), by certificate fingerprint. Measured ≈7 KB of process memory per entry (1 KB heap, the certificate’s DER, the native key): npm run bench -- core.',
    ),
    youngGenerationMb: int(
      0,
      1024,
      0,
      'Young-generation size of each worker thread, MB (V8 resourceLimits.maxYoungGenerationSizeMb); 0: V8’s default. npm run bench -- core sweeps it.',
    ),
    verifiedEntries: int(
      0,
      100_000_000,
      1_048_576,
      'Certificates remembered as fully checked in memory shared by every worker thread (40 bytes each): one seen by any thread costs the others one RSA verify instead of two. 0: none.',
    ),
  }),
  // 10,000 outstanding: a tenant at 80/s with the 120 s TTL holds ~10,000 (rate × TTL).
  challenge: object('Challenges (POST /v1/challenges).', {
    ttlSec: int(1, 86_400, 120, 'A challenge is usable this long after it is issued.'),
    store: oneOf(['memory', 'redis'], 'memory', 'memory: this process only. redis: shared by every API node (required in queue mode).'),
    maxOutstandingPerTenant: int(
      1,
      10_000_000,
      10_000,
      'Challenges a tenant may hold issued, not yet used and not expired; beyond it POST /v1/challenges answers 429 too_many_challenges (bounds the store per tenant).',
    ),
  }),
  redis: object('Every Redis user (challenges, queue, jobs, heartbeats) shares the server and the key prefix (redis-keys.ts builds every key).', {
    url: secret(
      url(
        /^rediss?:\/\/[^\s,]+$/,
        'a redis:// or rediss:// URL',
        'redis://127.0.0.1:6379',
        'redis:// or rediss:// URL (with its password, if any); with `cluster`, a comma-separated list of seed nodes.',
        { listIf: 'cluster' },
      ),
    ),
    prefix: str('jpki', 'First part of every Redis key and channel.', (s) =>
      /[{}:\s]/.test(s) ? 'must not contain braces, colons or spaces (the key builder adds them)' : null,
    ),
    cluster: bool(false, 'Redis Cluster: url lists seed nodes, and keys carry hash tags.'),
  }),
  // 64 items per job: one job per request caps at ~12k/s (performance-facts.md); 64 spreads the
  // ~142 µs of Redis work per job to ~2 µs per item.
  queue: object('Queue mode: the BullMQ queue between API nodes and workers.', {
    name: str('verify', 'BullMQ queue name (under redis.prefix).'),
    batchSize: int(1, 4096, 64, 'API side: flush a job at this many items…'),
    batchDelayUs: int(0, 1_000_000, 1000, '…or this long after its first item arrived.'),
    maxPending: int(1, 10_000_000, 20_000, 'Most items an API node has enqueued and not yet answered; beyond it 503 with Retry-After.'),
    timeoutMs: int(100, 600_000, 30_000, "A caller waits at most this long for its job's result (then 503 queue_timeout)."),
    attempts: int(1, 100, 3, 'Runs of a job before it goes to the dead-letter queue.'),
    backoffMs: int(0, 600_000, 200, 'Wait between runs of a failed job.'),
    resultPath: oneOf(['reply', 'events'], 'reply', 'How results reach the API node: its own pub/sub reply channel, or BullMQ QueueEvents.'),
    concurrency: int(1, 1024, 8, 'Worker side: jobs one worker process runs at once.'),
    lockDurationMs: int(500, 3_600_000, 30_000, 'A job whose worker stops renewing its lock this long is stalled and runs again.'),
    stalledIntervalMs: int(100, 3_600_000, 15_000, 'How often workers look for stalled jobs.'),
    maxStalledCount: int(0, 100, 1, 'Times a job may stall before it fails.'),
    heartbeatMs: int(100, 600_000, 5_000, 'Workers heartbeat into Redis this often; an API node is ready only while a worker has beaten within 3 × this.'),
  }),
  worker: object('A `worker` process serves /metrics, /healthz and /readyz here.', {
    host: str('127.0.0.1', "Address of the worker's HTTP endpoint."),
    port: int(0, 65535, 9464, "Port of the worker's HTTP endpoint (0: any free port)."),
  }),
  payments: object('Payment relay (POST /v1/payments/authorize).', {
    institutions: list('Banks and card companies, each with a unique id.', institution),
    circuitFailures: int(1, 1000, 5, "Failed calls in a row that open an institution's circuit…"),
    circuitOpenMs: int(100, 3_600_000, 10_000, '…and how long it stays open.'),
    idempotencyTtlSec: int(60, 86_400 * 30, 86_400, 'How long a decision is kept for its idempotency key.'),
    callMarginMs: int(
      0,
      600_000,
      1_000,
      'A pending institution call is presumed over this long after its timeout (its relay crashed): a retry with the same key then asks the institution again.',
    ),
  }),
  database: object(
    'The system of record (links, conversion IDs, aliases, watches, changes, audit, payment idempotency, bulk jobs): a PostgreSQL server at `url` (required in queue mode: every node shares it), else PGlite (PostgreSQL in this process) keeping its files in `dir`.',
    {
      url: secret(url(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// URL or null', null, 'postgres://user:pass@host/db, or null for PGlite in `dir`.')),
      password: secret(str(null, 'The url user\'s password, when it is not in the url (e.g. {"file": "/run/secrets/postgres_password"}).')),
      dir: str('var/db', 'PGlite files (":memory:" for tests).'),
      poolSize: int(1, 1000, 10, 'Database connections per process.'),
      timeoutMs: int(100, 600_000, 5_000, 'A query waits at most this long for a connection, and runs at most this long (then 503 store_unavailable).'),
    },
  ),
  // Audit batches: at most 5 ms apart under load (measured: 2 ms cost ~12% of the HTTP rate on
  // PGlite, 5 ms nothing measurable), at once when the database is idle.
  platform: object('The audit trail: its size is retention × rate, so both are bounded. Records are group-committed.', {
    auditRetentionSec: int(60, 86_400 * 3650, 90 * 86_400, 'Audit records are kept this long.'),
    auditMaxPerTenant: int(100, 1_000_000_000, 1_000_000, 'At most this many audit records per tenant (the oldest go first).'),
    auditFlushMs: int(0, 1000, 5, 'Under load, one audit INSERT per this many ms at most…'),
    auditBatch: int(1, 100_000, 512, '…or per this many records.'),
  }),
  // 4,096 bytes per item × maxItems: the bound the route had before it was a setting.
  jobs: object('Async bulk jobs (POST /v1/jobs).', {
    maxItems: int(1, 1_000_000, 10_000, 'Most items in one job.'),
    chunkSize: int(1, 4096, 64, 'A job is verified in chunks of this many items, behind synchronous traffic.'),
    retentionSec: int(60, 86_400 * 90, 86_400, 'Finished jobs and their results are kept this long.'),
    webhookAttempts: int(1, 50, 5, 'Deliveries of a completion webhook before giving up.'),
    webhookTimeoutMs: int(100, 120_000, 5_000, 'One webhook delivery waits at most this long.'),
    maxBodyBytes: int(
      1024,
      1024 * 1024 * 1024,
      10_000 * 4096,
      'The body limit of POST /v1/jobs alone (other routes: limits.bodyBytes). The API key is checked before any of it is read.',
    ),
    maxPendingItemsPerTenant: int(
      1,
      100_000_000,
      100_000,
      'Items a tenant may have waiting in its running jobs; beyond it POST /v1/jobs answers 429 too_many_jobs (bounds the work and storage one tenant can queue).',
    ),
  }),
  webhooks: object(
    'Where webhooks (bulk jobs, change confirmation) may go: https anywhere public; plain http only to allowHosts; loopback, private, link-local, CGNAT and metadata addresses (checked after DNS, at send time) only with allowPrivate.',
    {
      allowHosts: strs([], 'Hosts that may receive webhooks over plain http.'),
      allowPrivate: bool(false, 'Allow webhooks to loopback, private, link-local, CGNAT and metadata addresses.'),
    },
  ),
  metrics: object('Prometheus metrics.', {
    tenantLabels: bool(
      false,
      'Tenant ids as metric label values (jpki_rate_limited_total{tenant}); off, the label is the constant "all" (tenant ids are customer names to whoever scrapes /metrics).',
    ),
  }),
  // 72 s keep-alive: fastify's default (above the 60 s idle timeout of common load balancers).
  // 8 KB of URL: what common proxies take; the routes need < 100 bytes.
  limits: object('HTTP limits.', {
    bodyBytes: int(1024, 64 * 1024 * 1024, 64 * 1024, 'Body limit of every route but POST /v1/jobs (then 413).'),
    batchItems: int(1, 100_000, 256, 'Most items in one POST /v1/verify/batch.'),
    requestTimeoutMs: int(
      100,
      3_600_000,
      30_000,
      'A whole request (headers and body) must arrive within it, or 408 request_timeout and the connection closes (a slow-body client holds no socket longer).',
    ),
    headersTimeoutMs: int(100, 3_600_000, 10_000, 'The same for the header block (≤ requestTimeoutMs).'),
    keepAliveTimeoutMs: int(100, 3_600_000, 72_000, 'Idle keep-alive connections close after it.'),
    maxUrlBytes: int(256, 64 * 1024, 8192, 'Longer request targets get 414.'),
  }),
  tenants: list('Who may call the API, each with a unique id.', tenant),
});

export interface Config extends TypeOf<typeof SCHEMA> {}
export interface TenantConfig extends TypeOf<typeof tenant> {}
/** A bank or card company the payment relay forwards authorisations to. */
export interface InstitutionConfig extends TypeOf<typeof institution> {}

export const DEFAULTS: Config = SCHEMA.def as Config;

// ---------------------------------------------------------------------------------------------
// Rules between fields, after every field has been read. ok(path): that field (and everything
// above and below it) read without error, so the rule may look at it.

interface Rule {
  readonly name: string;
  check(c: Config, ok: (path: string) => boolean, fail: (field: string, message: string) => void): void;
}

/** Elements of a list that read as an array (else there is nothing to check). */
const each = <T>(xs: readonly T[]): readonly T[] => (Array.isArray(xs) ? xs : []);

const RULES: readonly Rule[] = [
  {
    // API nodes and workers share challenges and platform state: memory would split them.
    name: 'queue mode shares challenges and the database',
    check(c, ok, fail) {
      if (c.mode !== 'queue') return;
      if (ok('challenge.store') && c.challenge.store !== 'redis') fail('challenge.store', 'must be "redis" in queue mode');
      if (ok('database.url') && c.database.url === null)
        fail('database.url', 'must be a postgres:// URL in queue mode (PGlite is one process; nodes share a PostgreSQL server)');
    },
  },
  {
    name: 'a database password goes with a database url',
    check(c, ok, fail) {
      if (ok('database') && c.database.password !== null && c.database.url === null) fail('database.password', 'needs database.url (PGlite has no password)');
    },
  },
  {
    name: 'tenant webhook URLs pass the webhook policy',
    check(c, ok, fail) {
      if (!ok('webhooks')) return;
      each(c.tenants).forEach((t, i) => {
        const f = `tenants[${i}].webhookUrl`;
        const why = ok(f) && t.webhookUrl !== null ? refusedUrl(t.webhookUrl, c.webhooks) : null;
        if (why) fail(f, why);
      });
    },
  },
  {
    name: 'a tenant webhook URL needs a webhook secret',
    check(c, ok, fail) {
      each(c.tenants).forEach((t, i) => {
        const f = `tenants[${i}]`;
        if (ok(`${f}.webhookUrl`) && ok(`${f}.webhookSecret`) && t.webhookUrl && !t.webhookSecret)
          fail(`${f}.webhookSecret`, 'required when webhookUrl is set');
      });
    },
  },
  {
    name: 'tenant ids are unique',
    check(c, ok, fail) {
      const seen = new Set<string>();
      each(c.tenants).forEach((t, i) => {
        if (!ok(`tenants[${i}].id`)) return;
        if (seen.has(t.id)) fail('tenants', `duplicate tenant id "${t.id}"`);
        seen.add(t.id);
      });
    },
  },
  {
    name: 'one revocation entry per route',
    check(c, ok, fail) {
      const lists: [string, readonly { route: string }[]][] = [['revocation.routes', c.revocation.routes]];
      each(c.tenants).forEach((t, i) => {
        if (t.revocation) lists.push([`tenants[${i}].revocation.routes`, t.revocation.routes]);
      });
      for (const [field, routes] of lists) {
        if (!ok(field)) continue;
        const seen = new Set<string>();
        for (const r of each(routes)) {
          if (seen.has(r.route)) fail(field, `route ${r.route} listed twice`);
          seen.add(r.route);
        }
      }
    },
  },
  {
    name: 'institution ids are unique',
    check(c, ok, fail) {
      const ids = each(c.payments.institutions)
        .filter((_, i) => ok(`payments.institutions[${i}].id`))
        .map((x) => x.id);
      if (new Set(ids).size !== ids.length) fail('payments.institutions', 'duplicate institution id');
    },
  },
  {
    // Node refuses a header timeout above the request timeout.
    name: 'headers arrive within the request timeout',
    check(c, ok, fail) {
      const { requestTimeoutMs, headersTimeoutMs } = c.limits;
      if (ok('limits.requestTimeoutMs') && ok('limits.headersTimeoutMs') && headersTimeoutMs > requestTimeoutMs) {
        fail('limits.headersTimeoutMs', `must not exceed limits.requestTimeoutMs (${requestTimeoutMs})`);
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Every problem found, in table order then rule order; the first is `field`'s. */
  readonly errors: readonly FieldError[];
  constructor(
    readonly field: string,
    message: string,
    more: readonly FieldError[] = [],
  ) {
    const all = [{ field, message }, ...more];
    super(all.length === 1 ? `config ${field}: ${message}` : `config: ${all.length} errors: ${all.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.errors = all;
  }
}

/** Every field of the table, depth first, with its doc, default and range. */
export function describeConfig(): readonly FieldInfo[] {
  const out: FieldInfo[] = [];
  const walk = (kind: Kind<unknown>, path: string): void => {
    if (path !== '') out.push({ path, ...kind.info, hasDefault: kind.def !== required, ...(kind.def === required ? {} : { default: kind.def }) });
    const dot = path === '' ? '' : `${path}.`;
    for (const [name, k] of Object.entries(kind.fields ?? {})) walk(k, `${dot}${name}`);
    for (const [name, k] of Object.entries(kind.element?.fields ?? {})) walk(k, `${path}[].${name}`);
  };
  walk(SCHEMA, '');
  return out;
}

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
    const path = name
      .slice(5)
      .toLowerCase()
      .split('__')
      .map((p) => p.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
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

/** Reads a whole (merged) configuration: every field, then every rule; throws all errors at once
 *  (field errors in table order, then rule errors in rule order). */
function check(raw: Json, secrets: SecretSource): Config {
  const errors: FieldError[] = [];
  const config = SCHEMA.read(raw, '', { errors, fill: false, secrets }, {}) as Config;
  const fieldErrors = errors.map((e) => e.field);
  // Related: one path is the other, or above or below it (`tenants` and `tenants[0].id`).
  const under = (p: string, q: string): boolean => p === q || p.startsWith(`${q}.`) || p.startsWith(`${q}[`);
  const ok = (path: string): boolean => !fieldErrors.some((f) => under(f, path) || under(path, f));
  for (const rule of RULES) rule.check(config, ok, (field, message) => errors.push({ field, message }));
  if (errors.length > 0) throw new ConfigError(errors[0].field, errors[0].message, errors.slice(1));
  return config;
}

/** Defaults, then the file (if any), then JPKI_* variables; validated as a whole. */
export function loadConfig(file: string | null, env: Record<string, string | undefined> = process.env, secrets: SecretSource = systemSecrets(env)): Config {
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
  return check(merge(merge(DEFAULTS as unknown as Json, fromFile), envOverrides(env)), secrets);
}

/** A configuration given as a value; secret references are read from `secrets`. */
export function validateConfig(raw: unknown, secrets: SecretSource = systemSecrets()): Config {
  if (!isObj(raw)) throw new ConfigError('(root)', 'must be an object');
  return check(merge(DEFAULTS as unknown as Json, raw), secrets);
}
