/** Bounds of the tracker's adaptive look interval. */
export interface PollBounds {
  /** Never sooner than this. */
  minMs: number;
  /** The interval while nothing is known yet (starting, reconciling). */
  baseMs: number;
  /** Never later than this, however long progress stalls. */
  maxMs: number;
}

/**
 * Bounds from the configured base interval: a quarter of it at the fastest,
 * five times it at the slowest, but never longer than a third of the lease:
 * a look renews the lease, and an owner that looked too seldom would lose its
 * operations to other instances while alive.
 */
export function pollBounds(baseMs: number, leaseMs = Number.POSITIVE_INFINITY): PollBounds {
  const minMs = Math.max(50, Math.round(baseMs / 4));
  const maxMs = Math.max(minMs, Math.min(baseMs * 5, Math.floor(leaseMs / 3)));
  return { minMs, baseMs: Math.min(baseMs, maxMs), maxMs };
}

/** What the tracker saw at its previous look at an operation. */
export interface PreviousLook {
  progress: number;
  atMs: number;
  delayMs: number;
}

/**
 * The wait before the next look at a running failover. Moving progress is
 * looked at every base interval, and more often as the end nears (half the
 * time the current pace says is left), so the ending reaches watchers soon;
 * progress that stalls backs off, doubling up to the maximum, so a long
 * failover costs EM few calls.
 */
export function nextPollDelay(bounds: PollBounds, previous: PreviousLook | undefined, progress: number, atMs: number): number {
  const clamp = (ms: number) => Math.round(Math.min(bounds.maxMs, Math.max(bounds.minMs, ms)));
  if (!previous) return clamp(bounds.baseMs);
  const moved = progress - previous.progress;
  if (moved <= 0) return clamp(previous.delayMs * 2);
  const msPerPercent = Math.max(1, atMs - previous.atMs) / moved;
  const remainingMs = msPerPercent * Math.max(0, 100 - progress);
  return clamp(Math.min(remainingMs / 2, bounds.baseMs));
}
