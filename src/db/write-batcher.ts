/**
 * Gathers writes made while the previous batch is in flight into one
 * statement. Under load, a write per request costs a round trip each (and on
 * a busy gateway the socket writes alone are a large share of the CPU); in
 * batches, concurrent requests share them. A lone write goes out at once, a
 * microtask later.
 */
export interface WriteBatcher<T, R> {
  /** Resolves with this item's result once its batch is written; rejects with the batch's error. */
  add(item: T): Promise<R>;
}

export function createWriteBatcher<T, R>(write: (items: T[]) => Promise<R[]>, maxBatch = 200): WriteBatcher<T, R> {
  const queue: Array<{ item: T; resolve(result: R): void; reject(error: unknown): void }> = [];
  let draining: Promise<void> | undefined;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const results = await write(batch.map((pending) => pending.item));
        batch.forEach((pending, index) => pending.resolve(results[index]!));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    draining = undefined;
  }

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        draining ??= Promise.resolve().then(drain);
      });
    },
  };
}
