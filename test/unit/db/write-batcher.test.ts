import { describe, expect, it } from 'vitest';
import { createWriteBatcher } from '../../../src/db/write-batcher.js';

describe('write batcher', () => {
  it('writes adds made while a batch is in flight as the next batch, each caller getting its own result', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = createWriteBatcher<number, string>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items.map((item) => `r${item}`);
    });
    const first = batcher.add(1);
    await Promise.resolve();
    await Promise.resolve();
    const rest = [2, 3, 4].map((item) => batcher.add(item));
    release();
    expect(await Promise.all([first, ...rest])).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('splits at the batch size and rejects every caller of a failed batch, not the next one', async () => {
    const batches: number[][] = [];
    const batcher = createWriteBatcher<number, number>(async (items) => {
      batches.push(items);
      if (items.includes(2)) throw new Error('disk full');
      return items;
    }, 2);
    const results = await Promise.allSettled([1, 2, 3].map((item) => batcher.add(item)));
    expect(batches).toEqual([[1, 2], [3]]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('disk full'));
  });
});
