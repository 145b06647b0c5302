// The store's batcher: one statement per turn; with maxInFlight, calls that arrive while a
// statement runs go together in the next one; a failed batch fails each of its callers.
import { describe, expect, it } from 'vitest';
import { TurnBatcher } from '../../src/db/turn-batcher.js';

/** A batcher whose runs wait until released, recording each batch. */
function gated(maxInFlight: number, fail?: (items: readonly number[]) => boolean) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const b = new TurnBatcher<number, number>(
    async (items) => {
      batches.push([...items]);
      await new Promise<void>((r) => gates.push(r));
      if (fail?.(items)) throw new Error('statement failed');
      return items.map((i) => i * 10);
    },
    256,
    maxInFlight,
  );
  return { b, batches, release: () => gates.shift()?.() };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('TurnBatcher', () => {
  it('with one in flight, sends what arrived meanwhile as the next batch, each caller its own answer', async () => {
    const { b, batches, release } = gated(1);
    const first = [b.push(1), b.push(2)];
    await turn();
    const later = [b.push(3), b.push(4)];
    await turn();
    const last = b.push(5);
    await turn();
    expect(batches).toEqual([[1, 2]]); // 3, 4 and 5 wait for the statement in flight
    release();
    expect(await Promise.all(first)).toEqual([10, 20]);
    await turn();
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    release();
    expect(await Promise.all([...later, last])).toEqual([30, 40, 50]);
  });

  it('fails every caller of a failed batch, and the next batch still runs', async () => {
    const { b, batches, release } = gated(1, (items) => items.includes(2));
    const first = [b.push(1), b.push(2)].map((p) =>
      p.then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    );
    await turn();
    const next = b.push(3);
    release();
    expect(await Promise.all(first)).toEqual(['statement failed', 'statement failed']);
    await turn();
    release();
    expect(await next).toBe(30);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('without a limit, runs one batch per turn however many are in flight', async () => {
    const { b, batches, release } = gated(Infinity);
    const all = [b.push(1)];
    await turn();
    all.push(b.push(2));
    await turn();
    expect(batches).toEqual([[1], [2]]);
    release();
    release();
    expect(await Promise.all(all)).toEqual([10, 20]);
  });
});
