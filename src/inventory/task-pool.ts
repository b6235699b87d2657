/**
 * Runs at most `limit` tasks at once. `add` waits for a free slot, which gives
 * the producer backpressure: a listing never runs ahead of the calls it feeds.
 * Tasks must handle their own errors (a rejection here would be lost).
 */
export class TaskPool {
  private running = 0;
  private waiters: Array<() => void> = [];
  private idle: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  }

  async add(task: () => Promise<void>): Promise<void> {
    while (this.running >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.running++;
    void task().finally(() => {
      this.running--;
      this.waiters.shift()?.();
      if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  /** Resolves once every task added so far has finished. */
  async drain(): Promise<void> {
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
