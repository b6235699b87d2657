import { describe, expect, it } from 'vitest';
import { isRestorable, momentAt, nearestRestorable, position, ticks, visibleIntervals, windowFor } from '../src/lib/cdp-timeline';

const at = (text: string) => new Date(text).getTime();
const intervals = [
  { start: at('2026-12-03T22:00:00Z'), end: at('2026-12-03T22:30:00Z') },
  { start: at('2026-12-03T22:40:00Z'), end: at('2026-12-03T23:55:00Z') },
];
const points = [
  { at: at('2026-12-03T12:00:00Z'), applicationConsistent: true },
  { at: at('2026-12-03T18:00:00Z'), applicationConsistent: false },
];

describe('the CDP timeline', () => {
  it('ends its window at the newest restorable moment: an hour or a day of history', () => {
    expect(windowFor('hour', intervals, points, 0)).toEqual({ from: at('2026-12-03T22:55:00Z'), to: at('2026-12-03T23:55:00Z') });
    expect(windowFor('day', intervals, points, 0)).toEqual({ from: at('2026-12-02T23:55:00Z'), to: at('2026-12-03T23:55:00Z') });
    // Without any history, it ends now.
    expect(windowFor('hour', [], [], 5_000_000)).toEqual({ from: 5_000_000 - 3_600_000, to: 5_000_000 });
  });

  it('maps moments to positions and back, to the second, clamped to the window', () => {
    const view = { from: 0, to: 3_600_000 };
    expect(position(view, 900_000)).toBe(0.25);
    expect(position(view, -5)).toBe(0);
    expect(position(view, 9_999_999)).toBe(1);
    expect(momentAt(view, 0.25)).toBe(900_000);
    expect(momentAt(view, 0.5001)).toBe(1_800_000);
    expect(momentAt(view, 2)).toBe(3_600_000);
  });

  it('shows only the ranges inside the window, cut at its edges', () => {
    const view = windowFor('hour', intervals, points, 0);
    const shown = visibleIntervals(view, intervals);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ left: 0, right: 1 });
  });

  it('snaps a pick outside the history to the nearest restorable moment', () => {
    expect(isRestorable(at('2026-12-03T22:10:00Z'), intervals, points)).toBe(true);
    expect(isRestorable(at('2026-12-03T22:35:00Z'), intervals, points)).toBe(false);
    expect(nearestRestorable(at('2026-12-03T22:10:00Z'), intervals, points)).toBe(at('2026-12-03T22:10:00Z'));
    expect(nearestRestorable(at('2026-12-03T22:33:00Z'), intervals, points)).toBe(at('2026-12-03T22:30:00Z'));
    expect(nearestRestorable(at('2026-12-03T22:38:00Z'), intervals, points)).toBe(at('2026-12-03T22:40:00Z'));
    expect(nearestRestorable(at('2026-12-03T17:00:00Z'), intervals, points)).toBe(at('2026-12-03T18:00:00Z'));
    expect(nearestRestorable(0, [], [])).toBeUndefined();
  });

  it('puts ticks on the clock: every 10 minutes an hour, every 3 hours a day', () => {
    const hour = ticks({ from: at('2026-12-03T22:55:00Z'), to: at('2026-12-03T23:55:00Z') }, 'hour');
    expect(hour.map((tick) => new Date(tick).toISOString().slice(11, 16))).toEqual(['23:00', '23:10', '23:20', '23:30', '23:40', '23:50']);
    expect(ticks({ from: at('2026-12-03T00:00:00Z'), to: at('2026-12-04T00:00:00Z') }, 'day')).toHaveLength(9);
  });
});
