import { CdpSpecError, parseCdpSpec, resolveCdpTarget } from '../cdp-targets.js';
import { ApiError, notFound, type Reply, type RequestContext, type Route } from '../core.js';
import type { BackupServerRecord, ReplicaKind } from '../inventory-types.js';
import { taskEntity } from '../representation.js';
import type { FailoverRecord, TaskRecord } from '../simulation.js';
import { canFailover } from '../state-machine.js';
import { cdpVAppOf, cdpVmOf } from './inventory.js';

const ID = '([^/?]+)';

/**
 * Checks shared by the four failover calls, in the order EM would plausibly
 * apply them (guess): role, then edition, then replica state. All are
 * synchronous errors, so nothing has started when they are returned.
 */
function preconditions(ctx: RequestContext, kind: ReplicaKind, unit: number, server: BackupServerRecord): void {
  const cdp = kind === 'cdpVm' || kind === 'cdpVApp';
  // EM's REST role matrix: only Portal Administrators may fail over CDP replicas.
  if (cdp && ctx.session.role !== 'PortalAdministrator') throw new ApiError(403, 'Access denied');
  if (server.edition !== 'Enterprise' && server.edition !== 'EnterprisePlus') {
    throw new ApiError(403, `Failover requires the Enterprise or Enterprise Plus edition; backup server '${server.name}' runs ${server.edition}`);
  }
  const state = ctx.core.simulation.replicaState(kind, unit);
  if (!canFailover(state)) throw new ApiError(400, `Failover is not possible: the replica is in state '${state}', it must be 'Ready'`);
}

function start(ctx: RequestContext, operation: TaskRecord['operation'], failover: Omit<FailoverRecord, 'startedAt' | 'timings' | 'restoreSessionId' | 'result' | 'seq' | 'activityId'>): Reply {
  const faults = ctx.core.faults.current;
  const task = ctx.core.simulation.start(ctx.session.id, operation, { ...failover, result: faults.failoverResult ?? 'Success' });
  const body = taskEntity(ctx.base, task, ctx.core.simulation.snapshot(task.failover));
  return { status: 202, body, headers: { Location: `${ctx.base}/tasks/${task.id}` }, control: faults.failoverResponse ?? 'normal' };
}

function cdpTarget(ctx: RequestContext, kind: 'cdpVm' | 'cdpVApp', index: number): number {
  try {
    return resolveCdpTarget(parseCdpSpec(ctx.body), ctx.core.inventory.cdpHistory(kind, index));
  } catch (e) {
    if (e instanceof CdpSpecError) throw new ApiError(400, e.message);
    throw e;
  }
}

export const failoverRoutes: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/vmReplicaPoints/${ID}$`, 'i'),
    action: 'failover',
    name: 'POST /vmReplicaPoints/{id}?action=failover',
    requestClass: 'failover',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.vmReplicaPointIndex(ctx.params[0]!);
      // A permanently failed-over VM has no replica points any more.
      if (i === undefined || ctx.core.simulation.removed('vm', inv.vmReplicaPoint(i)!.vmReplica)) throw notFound('VM replica point', ctx.params[0]!);
      const p = inv.vmReplicaPoint(i)!;
      preconditions(ctx, 'vm', p.vmReplica, inv.backupServer(p.backupServer)!);
      return start(ctx, 'StartReplicaFailover', {
        kind: 'vm',
        unit: p.vmReplica,
        displayName: p.vmDisplayName,
        restoredObjRef: p.vmRef,
        backupServer: p.backupServer,
        restorePointPath: `/vmReplicaPoints/${p.id}`,
      });
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/vAppReplicaPoints/${ID}$`, 'i'),
    action: 'failover',
    name: 'POST /vAppReplicaPoints/{id}?action=failover',
    requestClass: 'failover',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.vAppReplicaPointIndex(ctx.params[0]!);
      if (i === undefined) throw notFound('vApp replica point', ctx.params[0]!);
      const p = inv.vAppReplicaPoint(i)!;
      preconditions(ctx, 'vApp', p.vAppReplica, inv.backupServer(p.backupServer)!);
      return start(ctx, 'StartReplicaFailover', {
        kind: 'vApp',
        unit: p.vAppReplica,
        displayName: p.vAppDisplayName,
        restoredObjRef: p.vAppRef,
        backupServer: p.backupServer,
        restorePointPath: `/vAppReplicaPoints/${p.id}`,
      });
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/cdpReplicas/${ID}/vms/${ID}$`, 'i'),
    action: 'failover',
    name: 'POST /cdpReplicas/{id}/vms/{id}?action=failover',
    requestClass: 'failover',
    handler: (ctx) => {
      const vm = cdpVmOf(ctx, ctx.params[0]!, ctx.params[1]!);
      preconditions(ctx, 'cdpVm', vm.index, ctx.core.inventory.backupServer(vm.backupServer)!);
      const restoredTo = cdpTarget(ctx, 'cdpVm', vm.index);
      return start(ctx, 'StartFailover', { kind: 'cdpVm', unit: vm.index, displayName: vm.name, restoredObjRef: vm.vmRef, backupServer: vm.backupServer, restoredTo });
    },
  },
  {
    method: 'POST',
    // Singular as in EM's resource pages; the plural of some doc examples is accepted as an alias.
    pattern: new RegExp(`^/cdpReplicas?/vApps/${ID}$`, 'i'),
    action: 'failover',
    name: 'POST /cdpReplica/vApps/{id}?action=failover',
    requestClass: 'failover',
    handler: (ctx) => {
      const v = cdpVAppOf(ctx, ctx.params[0]!);
      preconditions(ctx, 'cdpVApp', v.index, ctx.core.inventory.backupServer(v.backupServer)!);
      const restoredTo = cdpTarget(ctx, 'cdpVApp', v.index);
      return start(ctx, 'StartFailover', { kind: 'cdpVApp', unit: v.index, displayName: v.name, restoredObjRef: v.vAppRef, backupServer: v.backupServer, restoredTo });
    },
  },
];
