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
