import type { FailoverState } from '../generated/graphql';

export interface HourBucket {
  /** Start of the hour. */
  at: number;
  counts: Record<FailoverState, number>;
}

const STATES: FailoverState[] = ['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED'];
const HOUR = 3_600_000;

/** Operations per state for each of the last `hours` hours (by when they were asked for), oldest first. */
export function operationsPerHour(operations: ReadonlyArray<{ createdAt: string; state: FailoverState }>, hours: number, now: number): HourBucket[] {
  const newest = Math.floor(now / HOUR) * HOUR;
  const buckets: HourBucket[] = [];
  for (let index = hours - 1; index >= 0; index -= 1) {
    buckets.push({ at: newest - index * HOUR, counts: Object.fromEntries(STATES.map((state) => [state, 0])) as Record<FailoverState, number> });
  }
  for (const operation of operations) {
    const at = Math.floor(new Date(operation.createdAt).getTime() / HOUR) * HOUR;
    const bucket = buckets.find((candidate) => candidate.at === at);
    if (bucket) bucket.counts[operation.state] += 1;
  }
  return buckets;
}

export const CHART_STATES = STATES;
