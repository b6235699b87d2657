import type { ReplicaState } from './inventory-types.js';
import type { FailoverResult, SessionState } from './state-machine.js';

/**
 * The lifecycle of VMware vSphere snapshot replicas that the VBR faces serve
 * (vbr-rest.md §2.2–§3), as a pure function of elapsed time like
 * state-machine.ts: a session's state, progress and effect on its replica are
 * computed when someone looks. Tables, not switches: one row per session type
 * (what allows it, what the replica shows while it runs and after), one row
 * per replica state (what its points allow).
 */
export const LIFECYCLE_SESSION_TYPES = [
  'Failover',
  'PlannedFailover',
  'PermanentFailover',
  'UndoFailover',
  'Failback',
  'SwitchReplicaToProduction',
  'CommitFailback',
  'UndoFailback',
] as const;

/** The ESessionType of each lifecycle session. */
export type LifecycleSessionType = (typeof LIFECYCLE_SESSION_TYPES)[number];

/** How long each session type runs, in ms (Failback: its first phase, the sync; an Auto failback adds SwitchReplicaToProduction's). */
export type VbrSessionDurations = Record<LifecycleSessionType, number>;

/** EFailbackModeType. */
export type FailbackModeType = 'Auto' | 'Scheduled' | 'Manual';
export const FAILBACK_MODES: readonly FailbackModeType[] = ['Auto', 'Scheduled', 'Manual'];

/** The EObjectRestorePointOperation that is not a session: changing a scheduled switch. */
export const CHANGE_SWITCHOVER_TIME = 'ChangeReplicaFailbackSwitchoverTime';

interface Transition {
  /** The point's allowedOperations value that lets a client start it. */
  operation: string;
  /** The replica's state while the session runs; 'from': the state it was accepted in. */
  during: ReplicaState | 'from';
  /** After success (or warning); null: no longer a replica. */
  success: ReplicaState | null;
  /** After failure. */
  failed: ReplicaState | 'from';
  /** Words for messages. */
  label: string;
  failureMessage: string;
}

/**
 * One row per session type. A failover shows Failover from the moment it is
 * accepted, as the EM face's does (one world: a failover looks the same
 * whichever API started it). The others keep the state they started from
 * until they end (UG: failback, "changes the state of the VM replica from
 * Failover to Ready to switch" at the end of the phase), except a permanent
 * failover, which shows the otherwise unused PermanentFailover.
 */
export const TRANSITIONS: Record<LifecycleSessionType, Transition> = {
  Failover: {
    operation: 'StartViVMSnapshotReplicaFailover',
    during: 'Failover',
    success: 'Failover',
    failed: 'FailedFailover',
    label: 'Failover',
    failureMessage: 'Failover failed: the replica could not be powered on.',
  },
  PlannedFailover: {
    operation: 'StartViVMSnapshotReplicaPlannedFailover',
    during: 'Failover',
    success: 'Failover',
    failed: 'FailedFailover',
    label: 'Planned failover',
    failureMessage: 'Planned failover failed: the replica could not be powered on.',
  },
  PermanentFailover: {
    operation: 'StartViVMSnapshotReplicaPermanentFailover',
    during: 'PermanentFailover',
    success: null,
    failed: 'from',
    label: 'Permanent failover',
    failureMessage: 'Permanent failover failed: the replica snapshots could not be removed.',
  },
  UndoFailover: {
    operation: 'StartViVMSnapshotReplicaUndoFailover',
    during: 'from',
    success: 'Ready',
    failed: 'from',
    label: 'Undo failover',
    failureMessage: 'Undo failover failed: the replica could not be reverted to its latest snapshot.',
  },
  Failback: {
    operation: 'StartViVMSnapshotReplicaFailback',
    during: 'from',
    success: 'ReadyToSwitch',
    failed: 'from',
    label: 'Failback',
    failureMessage: 'Failback failed: the production VM could not be synchronized with the replica.',
  },
  SwitchReplicaToProduction: {
    operation: 'StartViVMSnapshotReplicaSwitchToProductionFailback',
    during: 'from',
    success: 'Failback',
    failed: 'from',
    label: 'Switch to production',
    failureMessage: 'Switch to production failed: the replica guest OS could not be shut down.',
  },
  CommitFailback: {
    operation: 'StartViVMSnapshotReplicaCommitFailback',
    during: 'from',
    success: 'Ready',
    failed: 'from',
    label: 'Commit failback',
    failureMessage: 'Commit failback failed: replication of the production VM could not be resumed.',
  },
  UndoFailback: {
    operation: 'StartViVMSnapshotReplicaUndoFailback',
    during: 'from',
    success: 'Failover',
    failed: 'from',
    label: 'Undo failback',
    failureMessage: 'Undo failback failed: the replica could not be reverted to its pre-failback state.',
  },
};

/** The session type an allowedOperations value starts. */
export function sessionTypeOf(operation: string): LifecycleSessionType | undefined {
  return LIFECYCLE_SESSION_TYPES.find((t) => TRANSITIONS[t].operation === operation);
}

const op = (t: LifecycleSessionType): string => TRANSITIONS[t].operation;
const NONE = { current: [], others: [] } as const;

/**
 * EObjectRestorePointOperation per replica state: for the point the replica
 * runs from (the one it failed over to, else its latest) and for its other
 * points. Only Ready is documented (ReplicaPointModelExample); the others
 * follow the UG transitions (vbr-rest.md §3). FailedFailover allows undo, the
 * console's way out of a failed failover.
 */
export const OPERATIONS_BY_STATE: Record<ReplicaState, { current: readonly string[]; others: readonly string[] }> = {
  Ready: {
    current: [op('Failover'), op('PlannedFailover'), 'StartFlrRestore'],
    others: [op('Failover'), op('PlannedFailover'), 'StartFlrRestore'],
  },
  Failover: { current: [op('UndoFailover'), op('PermanentFailover'), op('Failback')], others: [] },
  FailedFailover: { current: [op('UndoFailover')], others: [] },
  ReadyToSwitch: { current: [op('SwitchReplicaToProduction'), CHANGE_SWITCHOVER_TIME, op('UndoFailback')], others: [] },
  Failback: { current: [op('CommitFailback'), op('UndoFailback')], others: [] },
  Processing: NONE,
  PermanentFailover: NONE,
  Incomplete: NONE,
};

/** A point's allowedOperations: none at all while a session of its replica runs (VBR runs one operation on a VM at a time). */
export function allowedOperations(state: ReplicaState, current: boolean, busy: boolean): string[] {
  if (busy) return [];
  const ops = OPERATIONS_BY_STATE[state];
  return [...(current ? ops.current : ops.others)];
}

/** One session of the lifecycle, as far as its progress goes. */
export interface LifecycleStep {
  type: LifecycleSessionType;
  startedAt: number;
  /** The session's length; for a Failback, its first phase. */
  durationMs: number;
  /** Auto failback: the switch to production that follows the sync in the same session. */
  switchMs?: number;
  /** The replica's state when the session was accepted. */
  from: ReplicaState;
  /** How it ends (decided when it starts). */
  result: FailoverResult;
}

export interface LifecycleSnapshot {
  sessionState: SessionState;
  /** 0 while Starting, 1–99 while Working, 100 once Stopped. */
  progressPercent: number;
  /** Set once the session has stopped. */
  result?: FailoverResult;
  /** When it stopped (epoch ms), once it has. */
  endTime?: number;
  /** The replica's state; null once it is no longer a replica (permanent failover). */
  replicaState: ReplicaState | null;
  /** The session's update sequence number: one more per state change. */
  usn: number;
}

const STARTING = 0.1;
const STOPPING = 0.95;

/** A failed Auto failback ends with its sync: it never reaches the switch. */
export function sessionLengthMs(step: LifecycleStep): number {
  const phase = Math.max(0, step.durationMs);
  return step.result === 'Failed' ? phase : phase + Math.max(0, step.switchMs ?? 0);
}

export function lifecycleSnapshot(step: LifecycleStep, now: number): LifecycleSnapshot {
  const t = TRANSITIONS[step.type];
  const length = sessionLengthMs(step);
  const elapsed = now - step.startedAt;
  if (elapsed < length) {
    const f = elapsed / length;
    const sessionState: SessionState = f < STARTING ? 'Starting' : f < STOPPING ? 'Working' : 'Stopping';
    const working = Math.min(1, Math.max(0, (f - STARTING) / (STOPPING - STARTING)));
    // An Auto failback's switch phase: the sync is done, the replica is Ready to switch.
    const switching = step.switchMs !== undefined && elapsed >= Math.max(0, step.durationMs);
    return {
      sessionState,
      progressPercent: sessionState === 'Starting' ? 0 : Math.max(1, Math.min(99, Math.floor(1 + working * 98))),
      replicaState: switching ? 'ReadyToSwitch' : t.during === 'from' ? step.from : t.during,
      usn: sessionState === 'Starting' ? 0 : sessionState === 'Working' ? 1 : 2,
    };
  }
  const success = step.result !== 'Failed';
  const autoFailback = step.type === 'Failback' && step.switchMs !== undefined;
  return {
    sessionState: 'Stopped',
    progressPercent: 100,
    result: step.result,
    endTime: step.startedAt + length,
    replicaState: success ? (autoFailback ? TRANSITIONS.SwitchReplicaToProduction.success : t.success) : t.failed === 'from' ? step.from : t.failed,
    usn: 3,
  };
}

/** SessionResultModel.message: "Success" as in the documented examples. */
export function resultMessage(type: LifecycleSessionType, result: FailoverResult): string {
  switch (result) {
    case 'Success':
      return 'Success';
    case 'Warning':
      return `${TRANSITIONS[type].label} completed with warnings.`;
    case 'Failed':
      return TRANSITIONS[type].failureMessage;
  }
}

/**
 * Session lengths: every type `defaultMs` (the EM failover duration) unless
 * given. Throws a RangeError naming a bad type or length.
 */
export function resolveVbrDurations(defaultMs: number, given: Partial<Record<string, unknown>> = {}): VbrSessionDurations {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new RangeError('vbrSessionDurationsMs must be an object of session type → ms');
  for (const [type, ms] of Object.entries(given)) {
    if (!(LIFECYCLE_SESSION_TYPES as readonly string[]).includes(type)) throw new RangeError(`vbrSessionDurationsMs: unknown session type '${type}' (known: ${LIFECYCLE_SESSION_TYPES.join(', ')})`);
    if (!Number.isInteger(ms) || (ms as number) < 0) throw new RangeError(`vbrSessionDurationsMs.${type} must be a non-negative integer`);
  }
  return Object.fromEntries(LIFECYCLE_SESSION_TYPES.map((type) => [type, (given[type] as number | undefined) ?? defaultMs])) as VbrSessionDurations;
}
