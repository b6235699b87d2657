import { describe, expect, it } from 'vitest';
import { operationsPerHour } from '../src/lib/operations-chart';

describe('operations per hour and state', () => {
  it('counts each operation in the hour it was asked for, over the last hours only', () => {
    const now = Date.UTC(2026, 11, 4, 18, 30);
    const buckets = operationsPerHour(
      [
        { createdAt: '2026-12-04T18:05:00Z', state: 'RUNNING' },
        { createdAt: '2026-12-04T18:25:00Z', state: 'SUCCEEDED' },
        { createdAt: '2026-12-04T16:59:59Z', state: 'FAILED' },
        { createdAt: '2026-12-04T11:00:00Z', state: 'SUCCEEDED' },
      ],
      3,
      now,
    );
    expect(buckets.map((bucket) => new Date(bucket.at).toISOString().slice(11, 16))).toEqual(['16:00', '17:00', '18:00']);
    expect(buckets.map((bucket) => [bucket.counts.RUNNING, bucket.counts.SUCCEEDED, bucket.counts.FAILED])).toEqual([
      [0, 0, 1],
      [0, 0, 0],
      [1, 1, 0],
    ]);
  });
});
