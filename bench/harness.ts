/**
 * Shared shape of every benchmark. Each `bench/*.bench.ts` module exports
 * `benchmarks: Benchmark[]`; `bench/run.ts` runs them, prints a table and writes
 * JSON to `bench/results/`. Figures are reported against a baseline measured in
 * the same run, because absolute numbers drift from run to run on shared machines.
 */
export interface Measurement {
  /** What was measured, e.g. "cold start to ready (median)". */
  metric: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline measured in this run, if any. */
  baseline?: { name: string; value: number };
  /** value / baseline.value (or the inverse where smaller is better); computed by the bench. */
  ratio?: number;
  /** Human-readable goal, e.g. "≤ 2000 ms" or "≥ 0.9× baseline". */
  goal?: string;
  /** Whether the goal was met in this run. */
  pass?: boolean;
}

export interface Benchmark {
  /** Short unique name, used in `npm run bench -- <name>` to run only this one. */
  name: string;
  /** What it is for, e.g. "issue 2: foundation". */
  description: string;
  /** Services the benchmark needs; it is skipped with a note when one is missing. */
  needs?: Array<'postgres' | 'redis'>;
  run(): Promise<Measurement[]>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * A client's per-call cost against a raw fetch of the same endpoint (goal
 * ≤ 1.3×): both paths are warmed (JIT, keep-alive sockets), then measured in
 * interleaved rounds so drift hits both alike.
 */
export async function overheadVsRaw(metric: string, raw: () => Promise<unknown>, client: () => Promise<unknown>, calls = 1_500): Promise<Measurement> {
  await timeEach(200, raw);
  await timeEach(200, client);
  const rawTimes: number[] = [];
  const clientTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    rawTimes.push(...(await timeEach(calls / 5, raw)));
    clientTimes.push(...(await timeEach(calls / 5, client)));
  }
  const rawMedian = median(rawTimes);
  const clientMedian = median(clientTimes);
  const ratio = clientMedian / rawMedian;
  return {
    metric,
    value: Number((clientMedian * 1000).toFixed(1)),
    unit: 'µs',
    baseline: { name: 'raw fetch + JSON.parse', value: Number((rawMedian * 1000).toFixed(1)) },
    ratio: Number(ratio.toFixed(2)),
    goal: '≤ 1.3× raw fetch',
    pass: ratio <= 1.3,
  };
}
