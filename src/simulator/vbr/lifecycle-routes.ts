import { CHANGE_SWITCHOVER_TIME, TRANSITIONS, type LifecycleSessionType } from '../lifecycle-machine.js';
import type { LifecycleSession } from '../lifecycle-store.js';
import type { LifecycleStart, VmReplicaNow } from '../simulation.js';
import type { FailoverResult } from '../state-machine.js';
import { parseFailbackSpec, parseFailoverSpec, parsePointsSpec, parseSwitchoverTimeSpec, type FailbackMode, type PointsSpec } from './lifecycle-spec.js';
import { isCurrentPoint, pointOfFace, pointOperations } from './replica-view.js';
import { ANY, invalid, type VbrContext, type VbrReply, type VbrRoute } from './route-types.js';
import { lifecycleSessionView, sessionsResult } from './session-model.js';

/**
 * The Failover and Failback tags for VMware vSphere snapshot replicas
 * (vbr-rest.md §2.2, §2.3). Every call names replica points; each point must
 * exist on this server (404 NotFound with its id), name a replica no other
 * point of the call names, and list the operation in its allowedOperations
 * right now (400 UnexpectedContent naming the state otherwise). The checks
 * cover every point before anything starts: a call starts all its sessions
 * or none. Then one session per point (201 SessionsResult).
 */

interface Target {
  id: string;
  index: number;
  unit: number;
  name: string;
  vm: VmReplicaNow;
}

function resolve(ctx: VbrContext, spec: PointsSpec): Target[] {
  const inv = ctx.core.inventory;
  const targets = spec.replicaPointIds.map((id) => {
    const index = pointOfFace(ctx, id);
    const p = inv.vmReplicaPoint(index)!;
    return { id, index, unit: p.vmReplica, name: p.vmDisplayName, vm: ctx.core.simulation.vmReplica(p.vmReplica) };
  });
  const seen = new Map<number, string>();
  for (const t of targets) {
    const other = seen.get(t.unit);
    if (other !== undefined) throw invalid(`Replica points ${other} and ${t.id} belong to the same replica (${t.name}): give one point per replica.`, t.id);
    seen.set(t.unit, t.id);
  }
  return targets;
}

function requireOperation(ctx: VbrContext, t: Target, operation: string): void {
  const allowed = pointOperations(ctx, t.index, t.vm);
  if (allowed.includes(operation)) return;
  const why = t.vm.running
    ? ` Session ${t.vm.running.id} (${t.vm.running.type}) is running on it.`
    : t.vm.state !== 'Ready' && !isCurrentPoint(ctx, t.index, t.vm)
      ? ` The replica runs from restore point ${ctx.core.inventory.vmReplicaPoint(t.vm.failedOverTo ?? ctx.core.inventory.vmReplicaPointRange(t.unit)[1] - 1)!.id}.`
      : '';
  throw invalid(
    `Cannot perform ${operation} for replica point ${t.id} (${t.name}): the replica is in the ${t.vm.state} state.${why} Allowed operations for this point: ${allowed.length > 0 ? allowed.join(', ') : 'none'}.`,
    t.id,
  );
}

/** What the face's faults make of a new session and of the answer. */
function outcome(ctx: VbrContext): { result: FailoverResult; control: VbrReply['control'] } {
  const f = ctx.face.faults.current;
  return { result: f.failoverResult ?? 'Success', control: f.failoverResponse ?? 'normal' };
}

function start(ctx: VbrContext, t: Target, type: LifecycleSessionType, result: FailoverResult, extra: Partial<LifecycleStart> = {}): LifecycleSession {
  return ctx.core.simulation.startLifecycle({
    type,
    unit: t.unit,
    point: t.index,
    backupServer: ctx.face.server.index,
    name: t.name,
    initiatedBy: ctx.grant.userName,
    from: t.vm.state,
    result,
    ...extra,
  });
}

/** A switch VBR starts by itself at `at` (or at once when that has passed). */
function scheduleSwitch(ctx: VbrContext, t: Target, at: number, result: FailoverResult): void {
  start(ctx, t, 'SwitchReplicaToProduction', result, { from: 'ReadyToSwitch', startedAt: Math.max(at, ctx.core.now()), scheduled: true });
}

function answer(ctx: VbrContext, sessions: LifecycleSession[], control: VbrReply['control']): VbrReply {
  const now = ctx.core.now();
  return { status: 201, body: sessionsResult(sessions.map((s) => lifecycleSessionView(s, now))), control };
}

/** An action that starts one session per point and needs nothing else. */
function simple(type: LifecycleSessionType, parse: (body: unknown) => PointsSpec & { reason?: string }) {
  return (ctx: VbrContext): VbrReply => {
    const spec = parse(ctx.body);
    const targets = resolve(ctx, spec);
    for (const t of targets) requireOperation(ctx, t, TRANSITIONS[type].operation);
    const { result, control } = outcome(ctx);
    return answer(
      ctx,
      targets.map((t) => start(ctx, t, type, result, spec.reason === undefined ? {} : { reason: spec.reason })),
      control,
    );
  };
}

/**
 * Failback: Auto runs the switch in the same session (the replica passes
 * through ReadyToSwitch to Failback); Manual and Scheduled stop at
 * ReadyToSwitch, and Scheduled has VBR start the switch by itself at
 * scheduledTime, or right after the sync when that time comes first. A
 * failback that fails schedules nothing.
 */
function failback(ctx: VbrContext): VbrReply {
  const spec = parseFailbackSpec(ctx.body);
  const targets = resolve(ctx, spec);
  for (const t of targets) requireOperation(ctx, t, TRANSITIONS.Failback.operation);
  const { result, control } = outcome(ctx);
  const mode = spec.failbackMode;
  const sessions = targets.map((t) => {
    const s = start(ctx, t, 'Failback', result, { failbackMode: mode.type, autoSwitch: mode.type === 'Auto' });
    if (mode.type === 'Scheduled' && result !== 'Failed') scheduleSwitch(ctx, t, Math.max(mode.scheduledTime!, s.startedAt + s.durationMs), result);
    return s;
  });
  return answer(ctx, sessions, control);
}

/** New switchover mode for replicas Ready to switch: Manual cancels a scheduled switch, Scheduled moves it, Auto switches now. 200, no session. */
function changeSwitchoverTime(ctx: VbrContext): VbrReply {
  const spec = parseSwitchoverTimeSpec(ctx.body);
  const targets = resolve(ctx, spec);
  for (const t of targets) requireOperation(ctx, t, CHANGE_SWITCHOVER_TIME);
  const { result, control } = outcome(ctx);
  const mode: FailbackMode = spec.failbackMode;
  for (const t of targets) {
    ctx.core.simulation.lifecycle.cancelPending(t.unit);
    if (mode.type === 'Scheduled') scheduleSwitch(ctx, t, mode.scheduledTime!, result);
    if (mode.type === 'Auto') scheduleSwitch(ctx, t, ctx.core.now(), result);
  }
  // EmptySuccessResponse: an empty JSON object.
  return { status: 200, body: {}, control };
}

function route(tag: 'failover' | 'failback', action: string, handler: (ctx: VbrContext) => VbrReply): VbrRoute {
  const path = `/api/v1/${tag}/${action}/vSphere/snapshot`;
  return {
    method: 'POST',
    pattern: new RegExp(`^${path.replace(/\//g, '\\/')}\\/?$`, 'i'),
    name: `POST ${path}`,
    requestClass: 'failover',
    since: '1.1-rev1',
    roles: ANY,
    handler,
  };
}

export const LIFECYCLE_ROUTES: VbrRoute[] = [
  route('failover', 'failoverNow', simple('Failover', parseFailoverSpec)),
  route('failover', 'plannedFailover', simple('PlannedFailover', parseFailoverSpec)),
  route('failover', 'permanentFailover', simple('PermanentFailover', parseFailoverSpec)),
  route('failover', 'undoFailover', simple('UndoFailover', parseFailoverSpec)),
  route('failback', 'failbackToProduction', failback),
  route('failback', 'switchToProduction', simple('SwitchReplicaToProduction', parsePointsSpec)),
  route('failback', 'changeSwitchoverTime', changeSwitchoverTime),
  route('failback', 'commitFailback', simple('CommitFailback', parsePointsSpec)),
  route('failback', 'undoFailback', simple('UndoFailback', parsePointsSpec)),
];
