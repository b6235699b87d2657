import { randomUUID } from 'node:crypto';
import type { Inventory } from './inventory-generator.js';
import type { ReplicaKind, ReplicaState } from './inventory-types.js';
import { failoverSnapshot, type FailoverResult, type FailoverSnapshot, type FailoverTimings } from './state-machine.js';

/** One failover: the replica it acts on, and what the restore session reports about it. */
export interface FailoverRecord {
  kind: ReplicaKind;
  /** Index of the failover-able unit (VM replica, CDP VM, vApp replica, CDP vApp). */
  unit: number;
  startedAt: number;
  timings: FailoverTimings;
  result: FailoverResult;
  restoreSessionId: string;
  /** Restore session Name / VmDisplayName. */
  displayName: string;
  restoredObjRef: string;
  backupServer: number;
  /** Href path (after /api) of the restore point it restored, for the session's Related link. */
  restorePointPath?: string;
  /** For CDP: the moment restored to (epoch ms). */
  restoredTo?: number;
}

export interface TaskRecord {
  id: string;
  /** Tasks are scoped to the logon session that created them. */
  sessionId: string;
  operation: 'StartReplicaFailover' | 'StartFailover';
  failover: FailoverRecord;
}

/** The mutable part of the simulator: failovers, tasks, restore sessions and the replica states they change. */
export class Simulation {
  private taskSeq = 0;
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly restoreSessions = new Map<string, FailoverRecord>();
  /** Latest failover per replica; a replica without one is in its generated initial state. */
  private readonly latest = new Map<string, FailoverRecord>();

  constructor(
    private readonly inventory: Inventory,
    public timings: FailoverTimings,
    private readonly now: () => number,
  ) {}

  replicaState(kind: ReplicaKind, unit: number): ReplicaState {
    const record = this.latest.get(`${kind}:${unit}`);
    return record ? this.snapshot(record).replicaState : this.inventory.initialState(kind, unit);
  }

  /** The replica's latest failover, if the simulation started one. */
  latestFailover(kind: ReplicaKind, unit: number): FailoverRecord | undefined {
    return this.latest.get(`${kind}:${unit}`);
  }

  snapshot(record: FailoverRecord): FailoverSnapshot {
    return failoverSnapshot(record.kind, record.result, record.timings, this.now() - record.startedAt, record.startedAt);
  }

  start(
    sessionId: string,
    operation: TaskRecord['operation'],
    failover: Omit<FailoverRecord, 'startedAt' | 'timings' | 'restoreSessionId'>,
  ): TaskRecord {
    const record: FailoverRecord = { ...failover, startedAt: this.now(), timings: { ...this.timings }, restoreSessionId: randomUUID() };
    this.latest.set(`${record.kind}:${record.unit}`, record);
    this.restoreSessions.set(record.restoreSessionId, record);
    const task: TaskRecord = { id: `task-${++this.taskSeq}`, sessionId, operation, failover: record };
    this.tasks.set(task.id, task);
    return task;
  }

  task(id: string, sessionId: string): TaskRecord | undefined {
    const task = this.tasks.get(id);
    return task && task.sessionId === sessionId ? task : undefined;
  }

  tasksOf(sessionId: string): TaskRecord[] {
    return [...this.tasks.values()].filter((t) => t.sessionId === sessionId);
  }

  /** DELETE /tasks/{id}: forgets the task record; the failover itself carries on (guess). */
  deleteTask(id: string, sessionId: string): boolean {
    return this.task(id, sessionId) !== undefined && this.tasks.delete(id);
  }

  restoreSession(id: string): FailoverRecord | undefined {
    return this.restoreSessions.get(id.toLowerCase());
  }

  allRestoreSessions(): FailoverRecord[] {
    return [...this.restoreSessions.values()];
  }

  /** Back to the generated inventory: no failovers, tasks or restore sessions; task ids restart at task-1. */
  reset(): void {
    this.taskSeq = 0;
    this.tasks.clear();
    this.restoreSessions.clear();
    this.latest.clear();
  }

  dump(): { tasks: Array<TaskRecord & { snapshot: FailoverSnapshot }>; replicas: Array<{ kind: ReplicaKind; unit: number; state: ReplicaState }> } {
    return {
      tasks: [...this.tasks.values()].map((t) => ({ ...t, snapshot: this.snapshot(t.failover) })),
      replicas: [...this.latest.values()].map((r) => ({ kind: r.kind, unit: r.unit, state: this.snapshot(r).replicaState })),
    };
  }
}
