// Every Redis key the service uses, built in one place. The prefix is configurable; the part in
// braces is a Redis Cluster hash tag where keys must share a slot.
export function redisKeys(prefix: string) {
  return {
    /** One key per challenge: no multi-key operations, so no hash tag is needed. */
    challenge: (id: string): string => `${prefix}challenge:${id}`,
  };
}
