import { describe, expect, it } from 'vitest';
import { appendEvent, lastSequence, missingSequences } from '../src/lib/event-log';

const event = (sequence: number) => ({ sequence, progress: sequence * 10 });

describe('the events of one operation', () => {
  it('keeps each sequence once, in order, whatever arrives twice', () => {
    let log: ReadonlyArray<{ sequence: number; progress: number }> = [];
    for (const sequence of [1, 2, 3, 2, 3, 4, 1, 5]) log = appendEvent(log, event(sequence));
    expect(log.map((item) => item.sequence)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns the same log when nothing new came (no re-render)', () => {
    const log = [event(1), event(2)];
    expect(appendEvent(log, event(2))).toBe(log);
  });

  it('resumes after the newest sequence held, or 0', () => {
    expect(lastSequence([])).toBe(0);
    expect(lastSequence([event(1), event(7)])).toBe(7);
  });

  it('names the sequences a stream skipped', () => {
    expect(missingSequences([event(1), event(2), event(5), event(6), event(9)])).toEqual([3, 4, 7, 8]);
    expect(missingSequences([event(3)])).toEqual([1, 2]);
    expect(missingSequences([event(1), event(2)])).toEqual([]);
  });
});
