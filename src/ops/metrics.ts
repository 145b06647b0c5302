// Prometheus metrics (prom-client). Labels are bounded: routes, outcomes, codes, issuer key ids
// and configured sources — never serials, names or card numbers.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolObserver } from '../pool/verifier-pool.js';
import type { DispatchObserver } from '../queue/dispatcher.js';
import { CRL_REJECTIONS } from '../core/crl-rejections.js';
import { OCSP_FAILURE_CODES } from '../core/ocsp-failure.js';
import type { OcspObserver } from '../ocsp/client.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics {
  readonly registry = new Registry();
  readonly role: 'embedded' | 'api' | 'worker';
  readonly httpDuration = new Histogram({
    name: 'jpki_http_request_duration_seconds',
    help: 'HTTP request latency by route and outcome',
    labelNames: ['route', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly verdicts = new Counter({
    name: 'jpki_verdicts_total',
    help: 'Verdicts and request errors by code',
    labelNames: ['kind', 'code'] as const,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'jpki_batch_items',
    help: 'Items per micro-batch (one pool task or queue job)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });
  readonly batchWait = new Histogram({
    name: 'jpki_batch_wait_seconds',
    help: 'Time the first item of a batch waited for the batch to fill',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: 'jpki_queue_wait_seconds',
    help: 'Task time outside the worker: pool queue and thread hand-off',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly workerTime = new Histogram({
    name: 'jpki_worker_time_seconds',
    help: 'Time a worker spent on one task',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly pathCache = new Counter({
    name: 'jpki_path_cache_lookups_total',
    help: 'Certificate-path cache lookups by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly verifiedTable = new Counter({
    name: 'jpki_verified_table_lookups_total',
    help: 'Lookups in the verified-certificate table the pool threads share, after a path-cache miss, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly workerFailures = new Counter({ name: 'jpki_worker_failures_total', help: 'Items failed because their worker failed', registers: [this.registry] });
  readonly poolUtilization = new Gauge({ name: 'jpki_pool_utilization_ratio', help: 'Share of pool capacity in use (piscina)', registers: [this.registry] });
  readonly poolPending = new Gauge({ name: 'jpki_pool_pending_items', help: 'Verifications queued or running', registers: [this.registry] });
  readonly poolThreads = new Gauge({ name: 'jpki_pool_threads', help: 'Live worker threads', registers: [this.registry] });
  readonly crlAge = new Gauge({
    name: 'jpki_crl_age_seconds',
    help: 'Age of the newest CRL data per issuer key (now − thisUpdate of the oldest partition)',
    labelNames: ['issuer_key'] as const,
    registers: [this.registry],
  });
  readonly crlNextUpdate = new Gauge({
    name: 'jpki_crl_next_update_seconds',
    help: 'Seconds until the earliest nextUpdate per issuer key (negative: stale)',
    labelNames: ['issuer_key'] as const,
    registers: [this.registry],
  });
  readonly crlEntries = new Gauge({
    name: 'jpki_crl_entries',
    help: 'Revoked serials indexed per issuer key',
    labelNames: ['issuer_key'] as const,
    registers: [this.registry],
  });
  readonly crlRefreshFailures = new Counter({
    name: 'jpki_crl_refresh_failures_total',
    help: 'CRL source refresh failures by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly crlSourceFailures = new Gauge({
    name: 'jpki_crl_source_consecutive_failures',
    help: 'Consecutive failed refreshes per CRL source (0: its last refresh worked)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly crlRefreshes = new Counter({ name: 'jpki_crl_refreshes_total', help: 'Revocation index rebuilds', registers: [this.registry] });
  readonly crlBuildSeconds = new Histogram({
    name: 'jpki_crl_build_seconds',
    help: 'Time to parse, verify and index the CRLs (worker thread)',
    buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  // OCSP (revocation.mode ocsp / crl+ocsp). `responder`: the responder's host, from the
  // configuration or J-LIS-signed certificates (a handful).
  readonly ocspRequestSeconds = new Histogram({
    name: 'jpki_ocsp_request_seconds',
    help: 'OCSP exchanges (one request, possibly several certificates) by responder and result (ok, error)',
    labelNames: ['responder', 'result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly ocspResponderErrors = new Counter({
    name: 'jpki_ocsp_responder_errors_total',
    help: 'Failed OCSP exchanges by responder and failure code (timeout, bad_signature, …)',
    labelNames: ['responder', 'code'] as const,
    registers: [this.registry],
  });
  readonly ocspLookups = new Counter({
    name: 'jpki_ocsp_lookups_total',
    help: 'OCSP lookups by cache result: hit (cached response), joined (a lookup in flight), miss (asked the responder)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly ocspOutcomes = new Counter({
    name: 'jpki_ocsp_outcomes_total',
    help: 'OCSP lookups by outcome: good, revoked, unknown, or the failure code',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly ocspWait = new Histogram({
    name: 'jpki_ocsp_wait_seconds',
    help: 'What OCSP added to a verification that needed it (cache, batching and exchange)',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly ocspCircuitOpen = new Gauge({
    name: 'jpki_ocsp_circuit_open',
    help: "1 while an OCSP responder's circuit breaker is open",
    labelNames: ['responder'] as const,
    registers: [this.registry],
  });
  readonly ocspCacheEntries = new Gauge({ name: 'jpki_ocsp_cache_entries', help: 'OCSP responses cached in this process', registers: [this.registry] });
  // Queue mode: API side.
  readonly queueJobs = new Counter({
    name: 'jpki_queue_jobs_total',
    help: 'Verification jobs sent by this API node, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly queueJobSeconds = new Histogram({
    name: 'jpki_queue_job_seconds',
    help: 'Job round trip seen by the API node: enqueue to result',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'jpki_queue_jobs',
    help: 'Jobs in the verification queue by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly queueDeadLetters = new Gauge({ name: 'jpki_queue_dead_letters', help: 'Jobs in the dead-letter queue', registers: [this.registry] });
  readonly queueLiveWorkers = new Gauge({ name: 'jpki_queue_live_workers', help: 'Worker processes with a live heartbeat', registers: [this.registry] });
  readonly queueConnected = new Gauge({ name: 'jpki_queue_connected', help: '1 while the queue Redis connection is up', registers: [this.registry] });
  // Queue mode: worker side.
  readonly workerJobs = new Counter({
    name: 'jpki_queue_worker_jobs_total',
    help: 'Jobs this worker process finished, by outcome (completed, retried, dead_lettered)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly workerJobSeconds = new Histogram({
    name: 'jpki_queue_worker_job_seconds',
    help: 'Time this worker process spent on one job',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly stalledJobs = new Counter({
    name: 'jpki_queue_stalled_total',
    help: 'Jobs this worker found stalled (their worker died or hung) and put back',
    registers: [this.registry],
  });
  // Change confirmation (変更確認).
  readonly changeChecked = new Counter({
    name: 'jpki_change_confirmation_checked_total',
    help: 'Watched certificates re-checked after CRL refreshes',
    registers: [this.registry],
  });
  readonly changeFound = new Counter({
    name: 'jpki_change_confirmation_changes_total',
    help: 'Status changes found among watched certificates',
    registers: [this.registry],
  });
  readonly changeSeconds = new Histogram({
    name: 'jpki_change_confirmation_seconds',
    help: 'Time to re-check every watched certificate after a refresh',
    buckets: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  /** `tenant` is the tenant id only with metrics.tenantLabels; otherwise the constant "all". */
  readonly rateLimited = new Counter({
    name: 'jpki_rate_limited_total',
    help: 'Requests refused by a tenant rate limit, by tenant (one series, all, unless metrics.tenantLabels)',
    labelNames: ['tenant'] as const,
    registers: [this.registry],
  });
  readonly challengesIssued = new Counter({
    name: 'jpki_challenges_issued_total',
    help: 'Challenges issued (POST /v1/challenges)',
    registers: [this.registry],
  });
  // Payment relay.
  readonly paymentDecisions = new Counter({
    name: 'jpki_payment_decisions_total',
    help: 'Payment authorisations by method and decision',
    labelNames: ['method', 'decision'] as const,
    registers: [this.registry],
  });
  readonly institutionSeconds = new Histogram({
    name: 'jpki_institution_call_seconds',
    help: 'Institution authorisation calls by institution and outcome',
    labelNames: ['institution', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly paymentStageSeconds = new Histogram({
    name: 'jpki_payment_stage_seconds',
    help: 'Time of payment authorisations in each stage (verify, lookup, pending, institution, commit)',
    labelNames: ['stage'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly institutionCircuitOpen = new Gauge({
    name: 'jpki_institution_circuit_open',
    help: "1 while an institution's circuit breaker is open",
    labelNames: ['institution'] as const,
    registers: [this.registry],
  });
  readonly ready = new Gauge({ name: 'jpki_ready', help: '1 when the trust store is loaded and every CRL is fresh', registers: [this.registry] });

  /** `role` keeps only the metrics that mean something in this process: a gauge nobody sets reads
   *  0, and a 0 for live workers or Redis on an embedded node would fire alerts. */
  constructor(role: 'embedded' | 'api' | 'worker' = 'embedded') {
    const apiQueue = ['jpki_queue_jobs_total', 'jpki_queue_job_seconds', 'jpki_queue_jobs', 'jpki_queue_dead_letters', 'jpki_queue_live_workers'];
    const workerQueue = ['jpki_queue_worker_jobs_total', 'jpki_queue_worker_job_seconds', 'jpki_queue_stalled_total'];
    const pool = [
      'jpki_pool_utilization_ratio',
      'jpki_pool_threads',
      'jpki_worker_time_seconds',
      'jpki_queue_wait_seconds',
      'jpki_path_cache_lookups_total',
      'jpki_verified_table_lookups_total',
      'jpki_worker_failures_total',
    ];
    const crl = [
      'jpki_crl_age_seconds',
      'jpki_crl_next_update_seconds',
      'jpki_crl_entries',
      'jpki_crl_refresh_failures_total',
      'jpki_crl_source_consecutive_failures',
      'jpki_crl_refreshes_total',
      'jpki_crl_build_seconds',
    ];
    const change = ['jpki_change_confirmation_checked_total', 'jpki_change_confirmation_changes_total', 'jpki_change_confirmation_seconds'];
    const ocsp = [
      'jpki_ocsp_request_seconds',
      'jpki_ocsp_responder_errors_total',
      'jpki_ocsp_lookups_total',
      'jpki_ocsp_outcomes_total',
      'jpki_ocsp_wait_seconds',
      'jpki_ocsp_circuit_open',
      'jpki_ocsp_cache_entries',
    ];
    const payments = ['jpki_payment_decisions_total', 'jpki_institution_call_seconds', 'jpki_institution_circuit_open'];
    const drop = {
      embedded: [...apiQueue, ...workerQueue, 'jpki_queue_connected'],
      api: [...workerQueue, ...pool, ...crl, ...change, ...ocsp],
      worker: [...apiQueue, ...payments, 'jpki_http_request_duration_seconds', 'jpki_rate_limited_total', 'jpki_challenges_issued_total'],
    }[role];
    for (const name of drop) this.registry.removeSingleMetric(name);
    this.role = role;
    // Default names (process_*, nodejs_*), unprefixed: stock Node.js dashboards and alerts find them.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    // Labelled counters start at 0 for every known label value, so dashboards and alert rules
    // see a series before the first failure.
    if (role !== 'api') for (const reason of [...CRL_REJECTIONS, 'unreadable']) this.crlRefreshFailures.inc({ reason }, 0);
    if (role === 'api') for (const outcome of ['ok', 'failed', 'timeout', 'unavailable']) this.queueJobs.inc({ outcome }, 0);
    if (role === 'worker') for (const outcome of ['completed', 'retried', 'dead_lettered']) this.workerJobs.inc({ outcome }, 0);
    if (role !== 'api') for (const result of ['hit', 'miss']) this.pathCache.inc({ result }, 0);
    if (role !== 'api') for (const result of ['hit', 'miss']) this.verifiedTable.inc({ result }, 0);
    if (role !== 'api') for (const result of ['hit', 'miss', 'joined']) this.ocspLookups.inc({ result }, 0);
    if (role !== 'api') for (const outcome of ['good', 'revoked', 'unknown', ...OCSP_FAILURE_CODES]) this.ocspOutcomes.inc({ outcome }, 0);
  }

  /** Series for responders known in advance (ocsp.url) before their first exchange, so panels and
   *  alert rules see them at 0 (responders named only by certificates appear when first asked). */
  ocspResponders(hosts: readonly string[]): void {
    for (const responder of hosts) {
      for (const code of OCSP_FAILURE_CODES) this.ocspResponderErrors.inc({ responder, code }, 0);
      for (const result of ['ok', 'error']) this.ocspRequestSeconds.zero({ responder, result });
      this.ocspCircuitOpen.set({ responder }, 0);
    }
  }

  ocspObserver(): OcspObserver {
    return {
      lookup: (result) => this.ocspLookups.inc({ result }),
      exchange: (responder, seconds, outcome) => {
        this.ocspRequestSeconds.observe({ responder, result: outcome === 'ok' ? 'ok' : 'error' }, seconds);
        if (outcome !== 'ok') this.ocspResponderErrors.inc({ responder, code: outcome });
      },
      outcome: (outcome) => this.ocspOutcomes.inc({ outcome }),
      circuit: (responder, open) => this.ocspCircuitOpen.set({ responder }, open ? 1 : 0),
    };
  }

  changeRecheck(r: { checked: number; changed: number; ms: number }): void {
    this.changeChecked.inc(r.checked);
    this.changeFound.inc(r.changed);
    this.changeSeconds.observe(r.ms / 1000);
  }

  dispatchObserver(): DispatchObserver {
    return {
      batch: (size, waitMs) => {
        this.batchSize.observe(size);
        this.batchWait.observe(waitMs / 1000);
      },
      job: (seconds, outcome) => {
        this.queueJobs.inc({ outcome });
        if (outcome === 'ok') this.queueJobSeconds.observe(seconds);
      },
    };
  }

  poolObserver(): PoolObserver {
    return {
      batch: (size, waitMs) => {
        this.batchSize.observe(size);
        this.batchWait.observe(waitMs / 1000);
      },
      task: (workerMs, totalMs, l) => {
        this.workerTime.observe(workerMs / 1000);
        this.queueWait.observe(Math.max(0, totalMs - workerMs) / 1000);
        if (l.pathHits) this.pathCache.inc({ result: 'hit' }, l.pathHits);
        if (l.pathMisses) this.pathCache.inc({ result: 'miss' }, l.pathMisses);
        if (l.verifiedHits) this.verifiedTable.inc({ result: 'hit' }, l.verifiedHits);
        if (l.verifiedMisses) this.verifiedTable.inc({ result: 'miss' }, l.verifiedMisses);
      },
      failed: (items) => this.workerFailures.inc(items),
    };
  }
}
