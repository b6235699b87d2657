import { randomUUID } from 'node:crypto';
import type { Gaps } from './gaps.js';
import type { Inventory } from './inventory-generator.js';
import type { ReplicaKind, ReplicaState } from './inventory-types.js';
import { lifecycleSnapshot, type LifecycleSessionType, type VbrSessionDurations } from './lifecycle-machine.js';
import { LifecycleStore, type LifecycleSession } from './lifecycle-store.js';
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
  /** Order of creation across the EM and VBR faces. */
  seq: number;
  /** The jobId a VBR face shows for this failover's session. */
  activityId: string;
}

/** A VM replica now, as the VBR faces see it. */
export interface VmReplicaNow {
  state: ReplicaState;
  /** Its permanent failover has ended: it is no longer a replica. */
  removed: boolean;
  /** The session running on it, if one is (EM failover or VBR lifecycle). */
  running?: { id: string; type: LifecycleSessionType };
  /** The point it was last failed over to (EM or VBR), if it ever was. */
  failedOverTo?: number;
}

/** What a new lifecycle session needs; the simulation adds its id, order, start and duration. */
export type LifecycleStart = Omit<LifecycleSession, 'id' | 'jobId' | 'seq' | 'startedAt' | 'durationMs' | 'switchMs'> & {
  /** Default now; a scheduled switch starts later. */
  startedAt?: number;
  /** Failback in Auto mode: the switch runs in the same session. */
  autoSwitch?: boolean;
};

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
  private seq = 0;
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly restoreSessions = new Map<string, FailoverRecord>();
  /** Latest failover per replica; a replica without one is in its generated initial state. */
  private readonly latest = new Map<string, FailoverRecord>();

  /** VBR lifecycle sessions of vSphere snapshot (VM) replicas. */
  readonly lifecycle: LifecycleStore;

  constructor(
    private readonly inventory: Inventory,
    public timings: FailoverTimings,
    private readonly now: () => number,
    /** Lengths of VBR lifecycle sessions started from now on. */
    public vbrDurations: VbrSessionDurations,
  ) {
    this.lifecycle = new LifecycleStore(now);
  }

  replicaState(kind: ReplicaKind, unit: number): ReplicaState {
    if (kind === 'vm') return this.vmReplica(unit).state;
    const record = this.latest.get(`${kind}:${unit}`);
    return record ? this.snapshot(record).replicaState : this.inventory.initialState(kind, unit);
  }

  /**
   * A VM replica's state from its latest operation, whichever face started
   * it: an EM failover or a VBR lifecycle session.
   */
  vmReplica(unit: number): VmReplicaNow {
    const em = this.latest.get(`vm:${unit}`);
    const step = this.lifecycle.latest(unit);
    const failedOverTo = this.failedOverTo(unit, em);
    const extra = failedOverTo === undefined ? {} : { failedOverTo };
    if (step && (!em || step.seq > em.seq)) {
      const snap = lifecycleSnapshot(step, this.now());
      const running = snap.sessionState === 'Stopped' ? {} : { running: { id: step.id, type: step.type } };
      return { state: snap.replicaState ?? 'PermanentFailover', removed: snap.replicaState === null, ...running, ...extra };
    }
    if (em) {
      const snap = this.snapshot(em);
      const running = snap.sessionState === 'Stopped' ? {} : { running: { id: em.restoreSessionId, type: 'Failover' as const } };
      return { state: snap.replicaState, removed: false, ...running, ...extra };
    }
    return { state: this.inventory.initialState('vm', unit), removed: false };
  }

  /** The point of the unit's latest failover, EM's or VBR's (failover now or planned). */
  private failedOverTo(unit: number, em: FailoverRecord | undefined): number | undefined {
    const step = this.lifecycle.latestWhere(unit, (s) => s.type === 'Failover' || s.type === 'PlannedFailover');
    if (step && (!em || step.seq > em.seq)) return step.point;
    const id = em?.restorePointPath?.split('/').pop();
    return id === undefined ? undefined : this.inventory.vmReplicaPointIndex(id);
  }

  /** Whether a replica is gone (only a VM replica's permanent failover does that). */
  removed(kind: ReplicaKind, unit: number): boolean {
    return kind === 'vm' && this.lifecycle.removed(unit);
  }

  /** VM replicas that are no longer replicas, ascending. */
  removedVmUnits(): number[] {
    return this.lifecycle.removedUnits();
  }

  /** Job-level VM replicas none of whose VMs is a replica any more, ascending. */
  removedJobs(): number[] {
    const removed = new Set(this.removedVmUnits());
    const jobs = new Set<number>();
    const P = this.inventory.counts.pointsPerReplica;
    for (const unit of removed) jobs.add(this.inventory.vmReplicaPoint(unit * P)!.replica);
    return [...jobs]
      .filter((job) => {
        const [first, last] = this.inventory.vmReplicasOfJob(job);
        for (let v = first; v < last; v++) if (!removed.has(v)) return false;
        return true;
      })
      .sort((a, b) => a - b);
  }

  /** Gone VM replica points (of permanently failed-over VMs), for index arithmetic over the point list. */
  removedPoints(): Gaps {
    const P = this.inventory.counts.pointsPerReplica;
    return { starts: this.removedVmUnits().map((u) => u * P), run: P };
  }

  /** Gone job-level replicas, for index arithmetic over the replica list. */
  removedReplicas(): Gaps {
    return { starts: this.removedJobs(), run: 1 };
  }

  /** Records a VBR lifecycle session, timed by the current durations. */
  startLifecycle(start: LifecycleStart): LifecycleSession {
    const { autoSwitch, startedAt, ...rest } = start;
    const session: LifecycleSession = {
      ...rest,
      id: randomUUID(),
      jobId: randomUUID(),
      seq: ++this.seq,
      startedAt: startedAt ?? this.now(),
      durationMs: this.vbrDurations[start.type],
      ...(autoSwitch ? { switchMs: this.vbrDurations.SwitchReplicaToProduction } : {}),
    };
    this.lifecycle.add(session);
    return session;
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
    failover: Omit<FailoverRecord, 'startedAt' | 'timings' | 'restoreSessionId' | 'seq' | 'activityId'>,
  ): TaskRecord {
    const record: FailoverRecord = { ...failover, startedAt: this.now(), timings: { ...this.timings }, restoreSessionId: randomUUID(), seq: ++this.seq, activityId: randomUUID() };
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

  /** Back to the generated inventory: no failovers, lifecycle sessions, tasks or restore sessions; task ids restart at task-1. */
  reset(): void {
    this.taskSeq = 0;
    this.tasks.clear();
    this.restoreSessions.clear();
    this.latest.clear();
    this.lifecycle.reset();
  }

  dump(): {
    tasks: Array<TaskRecord & { snapshot: FailoverSnapshot }>;
    replicas: Array<{ kind: ReplicaKind; unit: number; state: ReplicaState; removed?: true }>;
  } {
    const replicas = new Map<string, { kind: ReplicaKind; unit: number; state: ReplicaState; removed?: true }>();
    for (const r of this.latest.values()) replicas.set(`${r.kind}:${r.unit}`, { kind: r.kind, unit: r.unit, state: this.replicaState(r.kind, r.unit) });
    for (const unit of this.lifecycle.units()) {
      const now = this.vmReplica(unit);
      replicas.set(`vm:${unit}`, { kind: 'vm', unit, state: now.state, ...(now.removed ? { removed: true as const } : {}) });
    }
    return {
      tasks: [...this.tasks.values()].map((t) => ({ ...t, snapshot: this.snapshot(t.failover) })),
      replicas: [...replicas.values()],
    };
  }
}
