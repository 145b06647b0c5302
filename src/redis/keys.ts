// Every Redis key and channel the service uses, built in one place from the configured prefix.
// Redis Cluster: a multi-key operation must touch one hash slot, so keys used together share a
// hash tag (the part in braces). BullMQ's keys all carry `{prefix}`, so one queue lives in one
// slot, as BullMQ requires; a bulk job's keys share `{job id}`; single-key data needs no tag.
export type RedisKeys = ReturnType<typeof redisKeys>;

export function redisKeys(prefix: string) {
  const tag = `{${prefix}}`;
  return {
    /** One key per challenge, under its tenant's tag (another tenant's lookup misses it)… */
    tenantChallenge: (tenant: string, id: string): string => `${prefix}:t:{${tenant}}:ch:${id}`,
    /** …and the tenant's outstanding challenge ids, scored by expiry (same slot: one script). */
    tenantChallenges: (tenant: string): string => `${prefix}:t:{${tenant}}:challenges`,
    /** BullMQ's `prefix` option: its keys become `{prefix}:<queue>:…`. */
    bullPrefix: tag,
    /** Dead-letter queue beside a queue (same slot, same prefix). */
    deadLetterQueue: (queue: string): string => `${queue}-dead`,
    /** Sorted set of live worker processes, scored by when their heartbeat expires. */
    workers: `${tag}:workers`,
    /** One worker's last status (JSON), expiring with its heartbeat; in the workers set's slot,
     *  as the heartbeat writes both in one transaction. */
    workerStatus: (workerId: string): string => `${tag}:worker:${workerId}`,
    /** Pub/sub channel on which workers answer one API node. */
    replyChannel: (nodeId: string): string => `${prefix}:reply:${nodeId}`,
    /** A bulk job: its record, its results by item index, and the chunks already counted. */
    jobMeta: (jobId: string): string => `${prefix}:job:{${jobId}}:meta`,
    jobResults: (jobId: string): string => `${prefix}:job:{${jobId}}:results`,
    jobChunks: (jobId: string): string => `${prefix}:job:{${jobId}}:chunks`,
    // Platform state. A tenant's keys share its tag (conversion IDs are made in one script over
    // two of them); different tenants spread over a Cluster.
    tenantS2c: (tenant: string): string => `${prefix}:t:{${tenant}}:s2c`,
    tenantC2s: (tenant: string): string => `${prefix}:t:{${tenant}}:c2s`,
    tenantLinks: (tenant: string): string => `${prefix}:t:{${tenant}}:links`,
    tenantChanges: (tenant: string): string => `${prefix}:t:{${tenant}}:changes`,
    tenantAudit: (tenant: string): string => `${prefix}:t:{${tenant}}:audit`,
    /** A payment's idempotency key: the decision made for it. */
    tenantIdempotency: (tenant: string, key: string): string => `${prefix}:t:{${tenant}}:idem:${key}`,
    /** Serial → the serial it continues (J-LIS link data); one key each. */
    alias: (serial: string): string => `${prefix}:alias:${serial}`,
    /** Every watched signing certificate, by watch id (scanned after each CRL refresh). */
    watches: `${prefix}:watches`,
    claim: (name: string): string => `${prefix}:claim:${name}`,
  };
}
