import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextPollDelay, pollBounds, type PollBounds, type PreviousLook } from '../../../src/failover/poll-interval.js';

/** FAILOVER_POLL_MS allows 50 to 60000 (src/config/settings.ts). */
const baseMs = fc.integer({ min: 50, max: 60_000 });
const progress = fc.integer({ min: 0, max: 100 });
const previousLook = (bounds: PollBounds) =>
  fc.record({
    progress,
    atMs: fc.integer({ min: 0, max: 1_000_000_000 }),
    delayMs: fc.integer({ min: bounds.minMs, max: bounds.maxMs }),
  });

describe('pollBounds', () => {
  it('a quarter of the base at the fastest (never under 50 ms), five times it at the slowest', () => {
    expect(pollBounds(1_000)).toEqual({ minMs: 250, baseMs: 1_000, maxMs: 5_000 });
    expect(pollBounds(100)).toEqual({ minMs: 50, baseMs: 100, maxMs: 500 });
    expect(pollBounds(50)).toEqual({ minMs: 50, baseMs: 50, maxMs: 250 });
  });

  it('min ≤ base ≤ max for every configurable base', () => {
    fc.assert(
      fc.property(baseMs, (base) => {
        const b = pollBounds(base);
        expect(b.minMs).toBeLessThanOrEqual(b.baseMs);
        expect(b.baseMs).toBeLessThanOrEqual(b.maxMs);
        expect(b.minMs).toBeGreaterThanOrEqual(50);
      }),
    );
  });
});

describe('pollBounds with a lease', () => {
  it('never waits longer than a third of the lease (a look renews it), and keeps min ≤ base ≤ max', () => {
    expect(pollBounds(1_000, 30_000)).toEqual({ minMs: 250, baseMs: 1_000, maxMs: 5_000 });
    expect(pollBounds(1_000, 9_000)).toEqual({ minMs: 250, baseMs: 1_000, maxMs: 3_000 });
    expect(pollBounds(10_000, 6_000)).toMatchObject({ baseMs: 2_500, maxMs: 2_500 });
    fc.assert(
      fc.property(baseMs, fc.integer({ min: 1, max: 3_600 }), (base, leaseSeconds) => {
        const leaseMs = leaseSeconds * 1_000;
        const b = pollBounds(base, leaseMs);
        expect(b.minMs).toBeLessThanOrEqual(b.baseMs);
        expect(b.baseMs).toBeLessThanOrEqual(b.maxMs);
        expect(b.maxMs).toBeLessThanOrEqual(Math.max(b.minMs, leaseMs / 3));
        expect(b.maxMs).toBeLessThanOrEqual(base * 5);
        // A stalled operation is looked at, and its lease renewed, well before the lease runs out.
        let delay = nextPollDelay(b, undefined, 10, 0);
        for (let i = 0; i < 10; i++) delay = nextPollDelay(b, { progress: 10, atMs: 0, delayMs: delay }, 10, delay);
        expect(delay).toBeLessThanOrEqual(Math.max(b.minMs, leaseMs / 3));
      }),
    );
  });
});

describe('nextPollDelay', () => {
  const bounds = pollBounds(1_000);

  it('first look: the base interval', () => {
    expect(nextPollDelay(bounds, undefined, 0, 0)).toBe(1_000);
    expect(nextPollDelay(bounds, undefined, 99, 123_456)).toBe(1_000);
    expect(nextPollDelay(pollBounds(60_000), undefined, 10, 0)).toBe(60_000);
  });

  it('always an integer within [min, max], whatever was seen (property)', () => {
    fc.assert(
      fc.property(
        baseMs.chain((base) => {
          const b = pollBounds(base);
          return fc.tuple(fc.constant(b), fc.option(previousLook(b), { nil: undefined }), progress, fc.integer({ min: 0, max: 600_000 }));
        }),
        ([b, previous, now, elapsed]) => {
          const delay = nextPollDelay(b, previous, now, (previous?.atMs ?? 0) + elapsed);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(b.minMs);
          expect(delay).toBeLessThanOrEqual(b.maxMs);
        },
      ),
    );
  });

  it('stalled progress doubles the previous delay, up to the maximum and no further', () => {
    let previous: PreviousLook | undefined;
    let at = 0;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const delay = nextPollDelay(bounds, previous, 40, at);
      delays.push(delay);
      previous = { progress: 40, atMs: at, delayMs: delay };
      at += delay;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000, 5_000]);
  });

  it('progress that went backwards counts as a stall', () => {
    expect(nextPollDelay(bounds, { progress: 50, atMs: 0, delayMs: 1_000 }, 45, 1_000)).toBe(2_000);
  });

  it('stall property: double the previous delay, clamped', () => {
    fc.assert(
      fc.property(
        baseMs.chain((base) => {
          const b = pollBounds(base);
          return fc.tuple(fc.constant(b), previousLook(b), fc.integer({ min: 0, max: 100 }));
        }),
        ([b, previous, drop]) => {
          const now = Math.max(0, previous.progress - drop);
          expect(nextPollDelay(b, previous, now, previous.atMs + previous.delayMs)).toBe(Math.min(b.maxMs, previous.delayMs * 2));
        },
      ),
    );
  });

  it('moving progress is looked at no later than the base interval (property)', () => {
    fc.assert(
      fc.property(
        baseMs.chain((base) => {
          const b = pollBounds(base);
          return fc.tuple(fc.constant(b), previousLook(b), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 600_000 }));
        }),
        ([b, previous, step, elapsed]) => {
          fc.pre(previous.progress + step <= 100);
          const delay = nextPollDelay(b, previous, previous.progress + step, previous.atMs + elapsed);
          expect(delay).toBeLessThanOrEqual(b.baseMs);
          expect(delay).toBeGreaterThanOrEqual(b.minMs);
        },
      ),
    );
  });

  it('slow but moving progress far from the end: the base interval, even after a long backoff', () => {
    // 1 % in 5 s with 80 % to go: the end is minutes away.
    expect(nextPollDelay(bounds, { progress: 20, atMs: 0, delayMs: 5_000 }, 21, 5_000)).toBe(1_000);
  });

  it('near the end, faster: half the time the current pace says is left', () => {
    // 10 % per second at 90 %: one second left, looked at after half of it.
    expect(nextPollDelay(bounds, { progress: 80, atMs: 0, delayMs: 1_000 }, 90, 1_000)).toBe(500);
    // 5 % per second at 96 %: 0.8 s left → 400 ms.
    expect(nextPollDelay(bounds, { progress: 91, atMs: 10_000, delayMs: 1_000 }, 96, 11_000)).toBe(400);
    // Closer still, but never under the minimum.
    expect(nextPollDelay(bounds, { progress: 90, atMs: 0, delayMs: 1_000 }, 99, 1_000)).toBe(250);
    expect(nextPollDelay(bounds, { progress: 90, atMs: 0, delayMs: 1_000 }, 100, 1_000)).toBe(250);
  });

  it('at the same pace, the delay does not grow as the end nears (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 20 }),
        (step, elapsed, from, further) => {
          fc.pre(from + step + further + step <= 100);
          const early = nextPollDelay(bounds, { progress: from, atMs: 0, delayMs: 1_000 }, from + step, elapsed);
          const later = nextPollDelay(bounds, { progress: from + further, atMs: 0, delayMs: 1_000 }, from + further + step, elapsed);
          expect(later).toBeLessThanOrEqual(early);
        },
      ),
    );
  });

  it('two looks in the same millisecond do not divide by zero', () => {
    const delay = nextPollDelay(bounds, { progress: 10, atMs: 5_000, delayMs: 1_000 }, 20, 5_000);
    expect(Number.isFinite(delay)).toBe(true);
    expect(delay).toBe(250);
  });
});
