import { describe, expect, it } from 'vitest';
import { ACTIONS, REPLICA_ACTIONS } from '../../../src/operations/actions.js';
import { visibleAt, visibleCount } from '../../../src/simulator/gaps.js';
import type { ReplicaState } from '../../../src/simulator/index.js';
import { allowedOperations, lifecycleSnapshot, LIFECYCLE_SESSION_TYPES, OPERATIONS_BY_STATE, resolveVbrDurations, sessionTypeOf, TRANSITIONS, type LifecycleSessionType, type LifecycleStep } from '../../../src/simulator/lifecycle-machine.js';

const step = (type: LifecycleSessionType, from: ReplicaState, result: LifecycleStep['result'] = 'Success', extra: Partial<LifecycleStep> = {}): LifecycleStep => ({ type, startedAt: 1_000, durationMs: 1_000, from, result, ...extra });

/** The lifecycle diagram of vbr-rest.md §3 and issue 15, written out independently of the machine's table. */
const DIAGRAM: Array<[LifecycleSessionType, ReplicaState, during: ReplicaState, success: ReplicaState | null, failed: ReplicaState]> = [
  ['Failover', 'Ready', 'Failover', 'Failover', 'FailedFailover'],
  ['PlannedFailover', 'Ready', 'Failover', 'Failover', 'FailedFailover'],
  ['UndoFailover', 'Failover', 'Failover', 'Ready', 'Failover'],
  ['UndoFailover', 'FailedFailover', 'FailedFailover', 'Ready', 'FailedFailover'],
  ['PermanentFailover', 'Failover', 'PermanentFailover', null, 'Failover'],
  ['Failback', 'Failover', 'Failover', 'ReadyToSwitch', 'Failover'],
  ['SwitchReplicaToProduction', 'ReadyToSwitch', 'ReadyToSwitch', 'Failback', 'ReadyToSwitch'],
  ['CommitFailback', 'Failback', 'Failback', 'Ready', 'Failback'],
  ['UndoFailback', 'ReadyToSwitch', 'ReadyToSwitch', 'Failover', 'ReadyToSwitch'],
  ['UndoFailback', 'Failback', 'Failback', 'Failover', 'Failback'],
];

describe('VBR replica lifecycle machine', () => {
  it.each(DIAGRAM)('%s from %s: %s while it runs, then %s (or %s when it fails)', (type, from, during, success, failed) => {
    expect(lifecycleSnapshot(step(type, from), 1_500).replicaState).toBe(during);
    expect(lifecycleSnapshot(step(type, from), 2_000).replicaState).toBe(success);
    expect(lifecycleSnapshot(step(type, from, 'Warning'), 2_000).replicaState).toBe(success);
    expect(lifecycleSnapshot(step(type, from, 'Failed'), 2_000).replicaState).toBe(failed);
  });

  it('moves a session Starting → Working → Stopping → Stopped with progress 0 … 100 and one more usn per change', () => {
    const at = (t: number) => lifecycleSnapshot(step('UndoFailover', 'Failover'), t);
    expect(at(1_000)).toMatchObject({ sessionState: 'Starting', progressPercent: 0, usn: 0 });
    expect(at(1_500)).toMatchObject({ sessionState: 'Working', usn: 1 });
    expect(at(1_999)).toMatchObject({ sessionState: 'Stopping', usn: 2 });
    expect(at(2_000)).toMatchObject({ sessionState: 'Stopped', progressPercent: 100, result: 'Success', endTime: 2_000, usn: 3 });
    expect(at(1_500).result).toBeUndefined();
    let last = -1;
    for (let t = 1_000; t <= 2_100; t += 13) {
      const p = at(t).progressPercent;
      expect(p).toBeGreaterThanOrEqual(last);
      expect(p).toBeLessThanOrEqual(100);
      last = p;
    }
  });

  it('an Auto failback syncs, passes through ReadyToSwitch while it switches, and ends in Failback', () => {
    const auto = step('Failback', 'Failover', 'Success', { switchMs: 500 });
    expect(lifecycleSnapshot(auto, 1_999).replicaState).toBe('Failover');
    expect(lifecycleSnapshot(auto, 2_000)).toMatchObject({ replicaState: 'ReadyToSwitch', sessionState: 'Working' });
    expect(lifecycleSnapshot(auto, 2_500)).toMatchObject({ replicaState: 'Failback', sessionState: 'Stopped', endTime: 2_500 });
    // A failed one ends with its sync, never reaching the switch.
    expect(lifecycleSnapshot({ ...auto, result: 'Failed' }, 2_000)).toMatchObject({ replicaState: 'Failover', sessionState: 'Stopped', result: 'Failed', endTime: 2_000 });
  });

  it('a zero duration ends at once', () => {
    expect(lifecycleSnapshot(step('CommitFailback', 'Failback', 'Success', { durationMs: 0 }), 1_000)).toMatchObject({ sessionState: 'Stopped', replicaState: 'Ready' });
  });

  it('allowedOperations: by state for the point the replica runs from; only Ready lets its other points act; none while a session runs', () => {
    expect(allowedOperations('Ready', false, false)).toEqual(['StartViVMSnapshotReplicaFailover', 'StartViVMSnapshotReplicaPlannedFailover', 'StartFlrRestore']);
    expect(allowedOperations('Failover', true, false)).toEqual(['StartViVMSnapshotReplicaUndoFailover', 'StartViVMSnapshotReplicaPermanentFailover', 'StartViVMSnapshotReplicaFailback']);
    expect(allowedOperations('ReadyToSwitch', true, false)).toEqual(['StartViVMSnapshotReplicaSwitchToProductionFailback', 'ChangeReplicaFailbackSwitchoverTime', 'StartViVMSnapshotReplicaUndoFailback']);
    expect(allowedOperations('Failback', true, false)).toEqual(['StartViVMSnapshotReplicaCommitFailback', 'StartViVMSnapshotReplicaUndoFailback']);
    for (const state of ['Failover', 'FailedFailover', 'ReadyToSwitch', 'Failback'] as const) expect(allowedOperations(state, false, false)).toEqual([]);
    for (const state of ['Processing', 'PermanentFailover'] as const) expect(allowedOperations(state, true, false)).toEqual([]);
    for (const state of Object.keys(OPERATIONS_BY_STATE) as ReplicaState[]) expect(allowedOperations(state, true, true)).toEqual([]);
  });

  it("agrees with the gateway's table of actions: each VBR action's operation is allowed in every state it starts from, and starts its session type", () => {
    for (const action of REPLICA_ACTIONS) {
      const upstream = ACTIONS[action].upstream;
      if (upstream.type !== 'vbr') continue;
      expect(sessionTypeOf(upstream.allowedOperation), action).toBe(upstream.sessionType);
      for (const from of ACTIONS[action].from) expect(OPERATIONS_BY_STATE[from as ReplicaState].current, `${action} from ${from}`).toContain(upstream.allowedOperation);
      expect(TRANSITIONS[upstream.sessionType as LifecycleSessionType].success ?? null, action).toBe(action === 'FAILBACK' ? 'ReadyToSwitch' : ACTIONS[action].to);
    }
  });

  it('durations default to one length and refuse unknown types and bad lengths', () => {
    const d = resolveVbrDurations(700, { Failback: 50 });
    expect(d.Failback).toBe(50);
    expect(LIFECYCLE_SESSION_TYPES.filter((t) => t !== 'Failback').every((t) => d[t] === 700)).toBe(true);
    expect(() => resolveVbrDurations(1, { Rescan: 5 })).toThrow(RangeError);
    expect(() => resolveVbrDurations(1, { Failover: -1 })).toThrow(/non-negative/);
  });
});

describe('gaps: index arithmetic without removed runs', () => {
  const gaps = { starts: [3, 9], run: 3 };
  it('counts and maps around the gone runs', () => {
    const visible = Array.from({ length: 15 }, (_, i) => i).filter((i) => !((i >= 3 && i < 6) || (i >= 9 && i < 12)));
    expect(visibleCount(0, 15, gaps)).toBe(visible.length);
    expect(Array.from({ length: visible.length }, (_, k) => visibleAt(0, k, gaps))).toEqual(visible);
    expect(visibleCount(6, 12, gaps)).toBe(3);
    expect([0, 1, 2].map((k) => visibleAt(6, k, gaps))).toEqual([6, 7, 8]);
  });
});
