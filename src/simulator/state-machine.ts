import type { ReplicaKind, ReplicaState } from './inventory-types.js';

/**
 * Failover progression as a pure function of elapsed time. Nothing ticks: the
 * task, restore session and replica states are computed when someone looks,
 * which keeps a failover deterministic under test and free when idle.
 */
export type TaskState = 'Running' | 'OperationFinished' | 'Finished';
export type SessionState = 'Starting' | 'Working' | 'Stopping' | 'Stopped';
export type FailoverResult = 'Success' | 'Warning' | 'Failed';

export interface FailoverTimings {
  /** From the POST to the restore session's Stopped (default 10,000 ms). */
  durationMs: number;
  /** From Stopped to the task's Finished: EM collecting the result (default 10 % of durationMs). */
  collectMs: number;
}

export interface FailoverSnapshot {
  taskState: TaskState;
  sessionState: SessionState;
  /** 1–100, as EM's restore session Progress. */
  progress: number;
  /** Set once the session has stopped. */
  result?: FailoverResult;
  replicaState: ReplicaState;
  /** When the session stopped (epoch ms), once it has. */
  endTime?: number;
}

const STARTING = 0.1;
const STOPPING = 0.95;

export function failoverSnapshot(
  kind: ReplicaKind,
  result: FailoverResult,
  timings: FailoverTimings,
  elapsedMs: number,
  startedAt = 0,
): FailoverSnapshot {
  const d = Math.max(0, timings.durationMs);
  const vApp = kind === 'vApp' || kind === 'cdpVApp';
  if (elapsedMs < d) {
    const f = d === 0 ? 1 : elapsedMs / d;
    const sessionState: SessionState = f < STARTING ? 'Starting' : f < STOPPING ? 'Working' : 'Stopping';
    const working = Math.min(1, Math.max(0, (f - STARTING) / (STOPPING - STARTING)));
    return {
      taskState: 'Running',
      sessionState,
      progress: sessionState === 'Starting' ? 1 : Math.max(1, Math.min(99, Math.floor(1 + working * 98))),
      // A VM is in Failover as soon as the request is accepted (so a second one is refused); a vApp shows Processing.
      replicaState: vApp ? 'Processing' : 'Failover',
    };
  }
  return {
    taskState: elapsedMs < d + Math.max(0, timings.collectMs) ? 'OperationFinished' : 'Finished',
    sessionState: 'Stopped',
    progress: 100,
    result,
    replicaState: finalReplicaState(kind, result),
    endTime: startedAt + d,
  };
}

/** VM: Failover, or FailedFailover on failure. vApp: Failover, or Incomplete when it failed (some VMs did not come up). */
export function finalReplicaState(kind: ReplicaKind, result: FailoverResult): ReplicaState {
  if (result !== 'Failed') return 'Failover';
  return kind === 'vApp' || kind === 'cdpVApp' ? 'Incomplete' : 'FailedFailover';
}

/** Only a Ready replica can be failed over (UG: failover_before_you_begin). */
export function canFailover(state: ReplicaState): boolean {
  return state === 'Ready';
}

/** The task's Result once known: Warning still counts as success, with its message. */
export function taskResult(result: FailoverResult | undefined): { Success: boolean; Message: string } | undefined {
  switch (result) {
    case undefined:
      return undefined;
    case 'Success':
      return { Success: true, Message: 'Ok' };
    case 'Warning':
      return { Success: true, Message: 'Failover completed with warnings' };
    case 'Failed':
      return { Success: false, Message: 'Failover failed: the replica could not be powered on' };
  }
}
