// Redis clients from the one configured `redis` section: a standalone server (redis.url) or a
// Redis Cluster (redis.cluster: true, redis.url a comma-separated list of seed nodes). BullMQ and
// the service share one ioredis version, so BullMQ takes the same clients.
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';

export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  readonly url: string;
  readonly cluster: boolean;
}

export function redisOptions(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // Reconnect forever with a capped backoff: a Redis restart must not need ours.
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
  };
}

/** fail-fast: commands fail at once while Redis is down (callers answer 503) instead of queueing.
 *  patient: commands wait for the connection (blocking and subscribing clients, BullMQ workers). */
export type ClientMode = 'fail-fast' | 'patient';

const modeOptions = (mode: ClientMode): RedisOptions =>
  mode === 'fail-fast' ? { maxRetriesPerRequest: 1, enableOfflineQueue: false } : { maxRetriesPerRequest: null };

// Standalone fail-fast clients serve the per-request stores (challenges, platform state): with
// auto-pipelining, the commands of every request handled in one event-loop turn (and those issued
// while a pipeline is in flight) go to Redis in one write, not one syscall and round trip each.
// Not for BullMQ's clients (users report job-state errors with it on), and not for Cluster
// clients, which BullMQ shares in Cluster mode.
const autoPipelining = (mode: ClientMode): RedisOptions => (mode === 'fail-fast' ? { enableAutoPipelining: true } : {});

export function redisClient(r: RedisSettings, mode: ClientMode, onError: (err: Error) => void): RedisClient {
  let client: RedisClient;
  if (r.cluster) {
    const seeds = r.url.split(',').map((u) => redisOptions(u.trim()));
    const { username, password, tls } = seeds[0];
    client = new Cluster(
      seeds.map((s) => ({ host: s.host, port: s.port })),
      {
        redisOptions: { username, password, tls, ...modeOptions(mode) },
        enableOfflineQueue: mode === 'patient',
        clusterRetryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
      },
    );
  } else client = new Redis({ ...redisOptions(r.url), ...modeOptions(mode), ...autoPipelining(mode) });
  client.on('error', onError);
  return client;
}

/** Waits (bounded) for a client's first connection, so the first commands of a fail-fast client
 *  do not fail merely because it is still connecting. Resolves false if Redis is not there yet:
 *  the process starts anyway and answers 503 until it is. */
export function whenReady(client: RedisClient, ms = 10_000): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, ms);
    timer.unref();
    const onReady = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}

/** BullMQ's `connection`: options for a standalone server (BullMQ makes its own clients, with
 *  the settings it needs), a Cluster client for a Cluster. BullMQ does not close a client it was
 *  given, so the client goes into `owned` for the caller to disconnect. */
export function bullConnection(r: RedisSettings, mode: ClientMode, onError: (err: Error) => void, owned: RedisClient[]): ConnectionOptions {
  if (r.cluster) {
    const c = redisClient(r, mode, onError);
    owned.push(c);
    return c as Cluster;
  }
  return { ...redisOptions(r.url), ...(mode === 'fail-fast' ? { enableOfflineQueue: false } : { maxRetriesPerRequest: null }) };
}
