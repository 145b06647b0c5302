// How many jobs a worker holds (src/queue/intake.ts): enough items for its pool, never more jobs
// than configured, never fewer than its task slots.
import { describe, expect, it } from 'vitest';
import { intakeFor } from '../../src/queue/intake.js';

describe('job intake', () => {
  it('holds two pool batches per task slot, in jobs of the size it sees', () => {
    const one = intakeFor({ threads: 1, batchSize: 32, concurrentTasksPerWorker: 2 }, 64);
    expect(one.observe(32)).toBe(4); // 128 items in 32-item jobs
    const two = intakeFor({ threads: 2, batchSize: 32, concurrentTasksPerWorker: 2 }, 64);
    expect(two.observe(64)).toBe(4);
  });

  it('single-item jobs: the configured concurrency is the ceiling', () => {
    const i = intakeFor({ threads: 2, batchSize: 32, concurrentTasksPerWorker: 2 }, 64);
    expect(i.observe(1)).toBe(64);
    expect(intakeFor({ threads: 2, batchSize: 32, concurrentTasksPerWorker: 2 }, 8).observe(1)).toBe(8);
  });

  it('a bulk chunk holds a place of its own on top; sizes are averaged, not taken from one job', () => {
    const i = intakeFor({ threads: 1, batchSize: 32, concurrentTasksPerWorker: 2 }, 64);
    expect(i.observe(64)).toBe(2);
    expect(i.bulkChunk(1)).toBe(3); // synchronous jobs still get their places beside the chunk
    expect(i.bulkChunk(-1)).toBe(2);
    expect(i.observe(4096)).toBe(2); // never fewer than the task slots
    const j = intakeFor({ threads: 1, batchSize: 32, concurrentTasksPerWorker: 2 }, 64);
    j.observe(32);
    expect(j.observe(64)).toBe(4); // average 38.4: ceil(128 / 38.4)
  });
});
