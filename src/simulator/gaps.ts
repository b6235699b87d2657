/**
 * Index arithmetic over a range [first, last) from which a few runs of `run`
 * consecutive indexes are gone (the points of a permanently failed-over VM,
 * or a job-level replica none of whose VMs is left). Runs are aligned with
 * the range's bounds. Lookups cost O(runs), and there are few runs.
 */
export interface Gaps {
  /** Start of each gone run, ascending. */
  starts: readonly number[];
  run: number;
}

export function visibleCount(first: number, last: number, gaps: Gaps): number {
  let gone = 0;
  for (const s of gaps.starts) if (s >= first && s < last) gone++;
  return last - first - gone * gaps.run;
}

/** The index of the k-th index of [first, …) that is not gone. */
export function visibleAt(first: number, k: number, gaps: Gaps): number {
  let index = first + k;
  for (const s of gaps.starts) {
    if (s < first) continue;
    if (s > index) break;
    index += gaps.run;
  }
  return index;
}
