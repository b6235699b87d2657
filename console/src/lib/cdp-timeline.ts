/** A stretch of CDP history in which any moment can be restored. */
export interface Interval {
  start: number;
  end: number;
}

/** A long-term CDP restore point. */
export interface LongTermPoint {
  at: number;
  applicationConsistent: boolean;
}

/** How much history the timeline shows at once, as EM's own page offers. */
export const ZOOMS = {
  hour: { label: 'Hour', spanMs: 3_600_000, tickMs: 600_000 },
  day: { label: 'Day', spanMs: 86_400_000, tickMs: 3 * 3_600_000 },
} as const;

export type Zoom = keyof typeof ZOOMS;

export interface TimelineWindow {
  from: number;
  to: number;
}

/** The window of the given zoom that ends at the newest restorable moment (or `now` without history). */
export function windowFor(zoom: Zoom, intervals: readonly Interval[], points: readonly LongTermPoint[], now: number): TimelineWindow {
  const newest = Math.max(...intervals.map((interval) => interval.end), ...points.map((point) => point.at), Number.NEGATIVE_INFINITY);
  const to = Number.isFinite(newest) ? newest : now;
  return { from: to - ZOOMS[zoom].spanMs, to };
}

/** Where a moment sits in the window, from 0 (left) to 1 (right), clamped. */
export function position(window: TimelineWindow, at: number): number {
  const span = window.to - window.from;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (at - window.from) / span));
}

/** The moment at a position of the window, to the second (EM keeps CDP history per second). */
export function momentAt(window: TimelineWindow, fraction: number): number {
  const at = window.from + Math.min(1, Math.max(0, fraction)) * (window.to - window.from);
  return Math.floor(at / 1000) * 1000;
}

/** The intervals' parts inside the window, as positions. */
export function visibleIntervals(window: TimelineWindow, intervals: readonly Interval[]): Array<{ left: number; right: number; interval: Interval }> {
  return intervals
    .filter((interval) => interval.end >= window.from && interval.start <= window.to)
    .map((interval) => ({ left: position(window, interval.start), right: position(window, interval.end), interval }));
}

/** Whether a moment can be restored: inside an interval, or exactly a long-term point. */
export function isRestorable(at: number, intervals: readonly Interval[], points: readonly LongTermPoint[]): boolean {
  return intervals.some((interval) => at >= interval.start && at <= interval.end) || points.some((point) => point.at === at);
}

/**
 * The nearest restorable moment to the one picked: itself when restorable, else
 * the nearest edge of an interval or the nearest long-term point, so a click
 * just beside a range still picks something the gateway accepts.
 */
export function nearestRestorable(at: number, intervals: readonly Interval[], points: readonly LongTermPoint[]): number | undefined {
  if (isRestorable(at, intervals, points)) return at;
  const candidates = [...intervals.flatMap((interval) => [interval.start, interval.end]), ...points.map((point) => point.at)];
  let best: number | undefined;
  for (const candidate of candidates) {
    if (best === undefined || Math.abs(candidate - at) < Math.abs(best - at)) best = candidate;
  }
  return best;
}

/** Tick marks of the window: every tickMs, aligned to the clock. */
export function ticks(window: TimelineWindow, zoom: Zoom): number[] {
  const step = ZOOMS[zoom].tickMs;
  const result: number[] = [];
  for (let at = Math.ceil(window.from / step) * step; at <= window.to; at += step) result.push(at);
  return result;
}
