import { describe, expect, it } from 'vitest';
import { canFailover, failoverSnapshot } from '../../../src/simulator/index.js';

const timings = { durationMs: 1_000, collectMs: 100 };

describe('failover state machine', () => {
  it('moves the task Running → OperationFinished → Finished and the session Starting → Working → Stopped', () => {
    const at = (t: number) => failoverSnapshot('vm', 'Success', timings, t);
    expect(at(0)).toMatchObject({ taskState: 'Running', sessionState: 'Starting', progress: 1, replicaState: 'Failover' });
    expect(at(500)).toMatchObject({ taskState: 'Running', sessionState: 'Working' });
    expect(at(999).sessionState).toBe('Stopping');
    expect(at(1_000)).toMatchObject({ taskState: 'OperationFinished', sessionState: 'Stopped', progress: 100, result: 'Success' });
    expect(at(1_100)).toMatchObject({ taskState: 'Finished', sessionState: 'Stopped', result: 'Success' });
    expect(at(500).result).toBeUndefined();
  });

  it('progress never goes down and stays within 1..100', () => {
    let last = 0;
    for (let t = 0; t <= 1_200; t += 7) {
      const p = failoverSnapshot('cdpVm', 'Success', timings, t).progress;
      expect(p).toBeGreaterThanOrEqual(last);
      expect(p).toBeGreaterThanOrEqual(1);
      expect(p).toBeLessThanOrEqual(100);
      last = p;
    }
  });

  it('VM: Ready → Failover, or FailedFailover when it fails', () => {
    expect(failoverSnapshot('vm', 'Warning', timings, 2_000).replicaState).toBe('Failover');
    expect(failoverSnapshot('vm', 'Failed', timings, 2_000).replicaState).toBe('FailedFailover');
    expect(failoverSnapshot('cdpVm', 'Failed', timings, 2_000).replicaState).toBe('FailedFailover');
  });

  it('vApp: Ready → Processing → Failover, or Incomplete on (partial) failure', () => {
    expect(failoverSnapshot('vApp', 'Success', timings, 10).replicaState).toBe('Processing');
    expect(failoverSnapshot('vApp', 'Success', timings, 2_000).replicaState).toBe('Failover');
    expect(failoverSnapshot('cdpVApp', 'Failed', timings, 2_000).replicaState).toBe('Incomplete');
  });

  it('only Ready replicas can fail over', () => {
    expect(canFailover('Ready')).toBe(true);
    for (const s of ['Processing', 'Failover', 'FailedFailover', 'Incomplete'] as const) expect(canFailover(s)).toBe(false);
  });

  it('a zero duration finishes immediately', () => {
    expect(failoverSnapshot('vm', 'Success', { durationMs: 0, collectMs: 0 }, 0)).toMatchObject({ taskState: 'Finished', sessionState: 'Stopped' });
  });
});
