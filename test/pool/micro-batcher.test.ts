import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../../src/pool/micro-batcher.js';

const errors = { overloaded: (max: number) => new Error(`more than ${max} pending`), closing: () => new Error('closing') };

describe('micro-batcher', () => {
  it('gathers single items into batches of batchSize, answering each caller with its own result', async () => {
    const sent: number[][] = [];
    const b = new MicroBatcher<number, number>(
      { batchSize: 3, batchDelayUs: 100, maxPending: 100 },
      async (items) => {
        sent.push(items);
        return items.map((x) => x * 10);
      },
      errors,
    );
    const results = await Promise.all([1, 2, 3, 4].map((x) => b.submit(x)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(sent).toEqual([[1, 2, 3], [4]]);
    expect(b.pending).toBe(0);
  });

  it('sends a whole batch at once, counted against the same pending bound', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = new MicroBatcher<number, number>({ batchSize: 4, batchDelayUs: 100, maxPending: 10 }, async (items) => items, errors);
    const whole = b.whole(8, async () => {
      await gate;
      return [1, 2, 3, 4, 5, 6, 7, 8];
    });
    expect(b.pending).toBe(8);
    // 8 pending: a 3-item batch would pass 10, single items still fit.
    await expect(b.whole(3, async () => [0, 0, 0])).rejects.toThrow('more than 10 pending');
    const single = b.submit(9);
    expect(b.pending).toBe(9);
    release();
    expect(await whole).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await single).toBe(9);
    expect(b.pending).toBe(0);
  });

  it('releases the count when a whole batch fails, and refuses everything while draining', async () => {
    const b = new MicroBatcher<number, number>({ batchSize: 4, batchDelayUs: 100, maxPending: 10 }, async (items) => items, errors);
    await expect(
      b.whole(5, async () => {
        throw new Error('worker died');
      }),
    ).rejects.toThrow('worker died');
    expect(b.pending).toBe(0);
    await b.drain();
    await expect(b.whole(1, async () => [1])).rejects.toThrow('closing');
    await expect(b.submit(1)).rejects.toThrow('closing');
  });
});
