import { sessionLengthMs, type FailbackModeType, type LifecycleStep } from './lifecycle-machine.js';

/** One lifecycle session started through a VBR face (or by VBR itself: a scheduled switch). */
export interface LifecycleSession extends LifecycleStep {
  /** The session id (SessionModel.id). */
  id: string;
  /** SessionModel.jobId: a per-session activity id, as in the documented failover session examples. */
  jobId: string;
  /** Order of creation across the EM and VBR faces, so that the latest operation wins even within one clock tick. */
  seq: number;
  /** Index of the VM replica (the unit it acts on). */
  unit: number;
  /** Index of the replica point it was started for. */
  point: number;
  backupServer: number;
  /** SessionModel.name: the VM's name, as in the examples. */
  name: string;
  /** The VBR account that started it (or scheduled it). */
  initiatedBy: string;
  reason?: string;
  /** Failback: how it switches to production. */
  failbackMode?: FailbackModeType;
  /** A switch VBR starts by itself at the scheduled time; invisible before it starts. */
  scheduled?: boolean;
}

/**
 * Every lifecycle session, per VM replica in creation order. A session is
 * visible once it has started (startedAt ≤ now): a scheduled switch is
 * recorded when it is scheduled and shows up when its time comes, which
 * keeps everything a function of the clock. Nothing ticks.
 */
export class LifecycleStore {
  private readonly byUnit = new Map<number, LifecycleSession[]>();
  private readonly byId = new Map<string, LifecycleSession>();
  /** VM replicas whose permanent failover will succeed, with the moment it ends: gone from then on. */
  private readonly permanent = new Map<number, number>();

  constructor(private readonly now: () => number) {}

  /** The unit's latest started session. */
  latest(unit: number): LifecycleSession | undefined {
    const list = this.byUnit.get(unit);
    if (!list) return undefined;
    const t = this.now();
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.startedAt <= t) return list[i];
    return undefined;
  }

  /** The unit's latest started session that satisfies `test`. */
  latestWhere(unit: number, test: (s: LifecycleSession) => boolean): LifecycleSession | undefined {
    const list = this.byUnit.get(unit) ?? [];
    const t = this.now();
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.startedAt <= t && test(list[i]!)) return list[i];
    return undefined;
  }

  /** A switch scheduled for later, if one is. */
  pendingSwitch(unit: number): LifecycleSession | undefined {
    const t = this.now();
    return this.byUnit.get(unit)?.find((s) => s.scheduled && s.startedAt > t);
  }

  /** Records a session. Whatever had not started yet on the unit (a scheduled switch) is superseded by it. */
  add(session: LifecycleSession): void {
    this.cancelPending(session.unit);
    const list = this.byUnit.get(session.unit) ?? [];
    list.push(session);
    this.byUnit.set(session.unit, list);
    this.byId.set(session.id, session);
    if (session.type === 'PermanentFailover' && session.result !== 'Failed') this.permanent.set(session.unit, session.startedAt + sessionLengthMs(session));
  }

  /** Drops the unit's sessions that have not started (a scheduled switch made manual, or superseded). */
  cancelPending(unit: number): void {
    const list = this.byUnit.get(unit);
    if (!list) return;
    const t = this.now();
    for (const s of list.filter((x) => x.startedAt > t)) this.byId.delete(s.id);
    this.byUnit.set(
      unit,
      list.filter((x) => x.startedAt <= t),
    );
  }

  /** A started session by id (lower-case). */
  get(id: string): LifecycleSession | undefined {
    const s = this.byId.get(id.toLowerCase());
    return s && s.startedAt <= this.now() ? s : undefined;
  }

  /** Every started session, in creation order. */
  all(): LifecycleSession[] {
    const t = this.now();
    return [...this.byId.values()].filter((s) => s.startedAt <= t).sort((a, b) => a.seq - b.seq);
  }

  /** Units with at least one session (started or not). */
  units(): number[] {
    return [...this.byUnit.keys()];
  }

  /** Whether the VM replica's permanent failover has ended: it is no longer a replica. */
  removed(unit: number): boolean {
    const end = this.permanent.get(unit);
    return end !== undefined && this.now() >= end;
  }

  /** Every VM replica that is no longer a replica, ascending. */
  removedUnits(): number[] {
    const t = this.now();
    return [...this.permanent.entries()]
      .filter(([, end]) => t >= end)
      .map(([unit]) => unit)
      .sort((a, b) => a - b);
  }

  reset(): void {
    this.byUnit.clear();
    this.byId.clear();
    this.permanent.clear();
  }
}
