// The bulk-job store (SQL system of record): the same suite on PGlite and on the real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { SqlJobStore } from '../../src/jobs/sql-store.js';
import { openTestDatabase } from '../helpers/db.js';

describe.each(['pglite', 'postgres'] as const)('%s job store', (kind) => {
  const clock = { now: 1_000_000 };
  let db: Database;
  let close: () => Promise<void>;
  let store: SqlJobStore;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
    store = new SqlJobStore(db, 60_000, () => clock.now);
  });
  afterAll(() => close());
  const id = () => `job${Math.random().toString(36).slice(2)}`;

  it('records known results at creation and chunks once each, completing exactly once', async () => {
    const j = id();
    await store.create({ id: j, tenant: 'a', total: 5, createdAt: 1, webhook: null }, [[4, '{"error":{"code":"malformed_base64"}}', true]]);
    expect(await store.get(j)).toMatchObject({ tenant: 'a', total: 5, done: 1, errors: 1, state: 'running', completedAt: null });
    expect(
      await store.record(
        j,
        0,
        [
          [0, '"r0"', false],
          [1, '"r1"', false],
        ],
        10,
      ),
    ).toBe('recorded');
    // The same chunk again (its worker died after recording): not counted twice.
    expect(
      await store.record(
        j,
        0,
        [
          [0, '"r0"', false],
          [1, '"r1"', false],
        ],
        11,
      ),
    ).toBe('duplicate');
    expect((await store.get(j))!.done).toBe(3);
    expect(
      await store.record(
        j,
        1,
        [
          [2, '"r2"', false],
          [3, '"r3"', false],
        ],
        12,
      ),
    ).toBe('completed');
    expect(await store.get(j)).toMatchObject({ done: 5, errors: 1, state: 'completed', completedAt: 12 });
    expect(await store.results(j, 0, 5)).toEqual(['"r0"', '"r1"', '"r2"', '"r3"', '{"error":{"code":"malformed_base64"}}']);
    expect(await store.results(j, 3, 1)).toEqual(['"r3"']);
  });

  it('counts chunks recorded concurrently once each', async () => {
    const j = id();
    await store.create({ id: j, tenant: 'a', total: 40, createdAt: 1, webhook: null }, []);
    const runs = Array.from({ length: 40 }, (_, c) =>
      store.record(
        j,
        c % 20,
        [
          [c % 20, `"${c % 20}"`, false],
          [20 + (c % 20), '"x"', false],
        ],
        5,
      ),
    );
    const outcomes = await Promise.all(runs);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(1);
    expect((await store.get(j))!.done).toBe(40);
  });

  it('answers null for unknown jobs and gone for chunks of unknown jobs', async () => {
    expect(await store.get('nope')).toBeNull();
    expect(await store.record('nope', 0, [[0, '"x"', false]], 1)).toBe('gone');
  });

  it('shows nulls for results not in yet', async () => {
    const j = id();
    await store.create({ id: j, tenant: 'b', total: 3, createdAt: 1, webhook: 'http://x/y' }, []);
    await store.record(j, 2, [[1, '"mid"', false]], 2);
    expect(await store.results(j, 0, 3)).toEqual([null, '"mid"', null]);
    expect((await store.get(j))!.webhook).toBe('http://x/y');
  });

  it("counts the items still waiting in a tenant's running jobs", async () => {
    const tenant = `pending-${kind}`;
    expect(await store.pendingItems(tenant)).toBe(0);
    const a = id();
    const b = id();
    await store.create({ id: a, tenant, total: 5, createdAt: 1, webhook: null }, [[0, '"x"', false]]);
    await store.create({ id: b, tenant, total: 2, createdAt: 1, webhook: null }, []);
    expect(await store.pendingItems(tenant)).toBe(6);
    await store.record(
      b,
      0,
      [
        [0, '"y"', false],
        [1, '"z"', false],
      ],
      2,
    ); // b completes
    expect(await store.pendingItems(tenant)).toBe(4);
    expect(await store.pendingItems('someone-else')).toBe(0);
  });

  it('forgets a job after the retention time', async () => {
    const j = id();
    await store.create({ id: j, tenant: 'a', total: 1, createdAt: clock.now, webhook: null }, []);
    clock.now += 60_001;
    expect(await store.get(j)).toBeNull();
    expect(await store.record(j, 0, [[0, '"late"', false]], clock.now)).toBe('gone');
  });
});
