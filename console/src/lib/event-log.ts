/** Anything numbered 1, 2, 3, … per operation, as failover events are. */
export interface Sequenced {
  sequence: number;
}

/**
 * The events of one operation as the page shows them: each sequence once, in
 * order. A stream resumed after a dropped connection asks for what follows the
 * last sequence seen, so nothing should come twice; an event that still does
 * (a retry racing the resume) is dropped here rather than shown twice.
 */
export function appendEvent<E extends Sequenced>(log: readonly E[], event: E): readonly E[] {
  const last = log.at(-1);
  if (last !== undefined && event.sequence <= last.sequence) return log;
  return [...log, event];
}

/** The sequence to resume after: the newest event held, or 0 for none. */
export function lastSequence(log: readonly Sequenced[]): number {
  return log.at(-1)?.sequence ?? 0;
}

/** Sequences missing between the first event held and the newest (the gateway promises none). */
export function missingSequences(log: readonly Sequenced[]): number[] {
  const missing: number[] = [];
  let expected = 1;
  for (const { sequence } of log) {
    for (; expected < sequence; expected += 1) missing.push(expected);
    expected = sequence + 1;
  }
  return missing;
}
