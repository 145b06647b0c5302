// Redis connection options from the one configured URL. BullMQ brings its own ioredis, so it gets
// options, not a client; the service's own clients (challenges, replies, jobs) use ours.
import { Redis, type RedisOptions } from 'ioredis';

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

/** A client that fails commands at once while Redis is down (callers answer 503), instead of
 *  queueing them; it reconnects on its own. */
export function failFastClient(url: string, onError: (err: Error) => void): Redis {
  const r = new Redis({ ...redisOptions(url), maxRetriesPerRequest: 1, enableOfflineQueue: false });
  r.on('error', onError);
  return r;
}

/** A client for blocking or subscribing use: commands wait for the connection to come back. */
export function patientClient(url: string, onError: (err: Error) => void): Redis {
  const r = new Redis({ ...redisOptions(url), maxRetriesPerRequest: null });
  r.on('error', onError);
  return r;
}
