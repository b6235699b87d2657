import { CdpSpecError } from '../cdp-targets.js';
import { ApiError, notFound, ok, type RequestContext, type Route } from '../core.js';
import type { CdpHistory } from '../inventory-types.js';
import {
  backupServerEntity,
  cdpReplicaEntity,
  cdpVAppEntity,
  cdpVAppVmEntities,
  cdpVmEntity,
  hierarchyRootEntity,
  refOf,
  replicaEntity,
  vAppReplicaPointEntity,
  vmReplicaPointEntity,
  type Json,
} from '../representation.js';
import { visibleAt, visibleCount, type Gaps } from '../gaps.js';
import { pageBody, pageOfRange, pageRequest } from './paging.js';

const ID = '([^/?]+)';
const wantsEntity = (ctx: RequestContext): boolean => (ctx.url.searchParams.get('format') ?? '').toLowerCase() === 'entity';
const single = (ctx: RequestContext, entity: Json) => ok(wantsEntity(ctx) ? entity : refOf(entity));

/** Navigation collections take the query service's format and (extension) pageSize/page parameters. */
function collection(ctx: RequestContext, plural: string, range: [number, number], entityAt: (i: number) => Json | undefined, gaps?: Gaps) {
  const request = pageRequest(ctx.url);
  const count = gaps ? visibleCount(range[0], range[1], gaps) : range[1] - range[0];
  if (!ctx.url.searchParams.has('pageSize')) request.pageSize = Math.max(1, count);
  return ok(pageOfRange(ctx.url, plural, count, request, (i) => entityAt(gaps ? visibleAt(range[0], i, gaps) : range[0] + i)));
}

export function backupServerOf(ctx: RequestContext, id: string) {
  const i = ctx.core.inventory.backupServerIndex(id);
  if (i === undefined) throw notFound('Backup server', id);
  return ctx.core.inventory.backupServer(i)!;
}

export function cdpVmOf(ctx: RequestContext, replicaId: string, vmId: string) {
  const inv = ctx.core.inventory;
  const r = inv.cdpReplicaIndex(replicaId);
  if (r === undefined) throw notFound('CDP replica', replicaId);
  const v = inv.cdpVmIndex(vmId);
  const vm = v === undefined ? undefined : inv.cdpVm(v);
  if (!vm || vm.cdpReplica !== r) throw notFound('CDP replica VM', vmId);
  return vm;
}

export function cdpVAppOf(ctx: RequestContext, id: string) {
  const i = ctx.core.inventory.cdpVAppIndex(id);
  if (i === undefined) throw notFound('CDP vApp replica', id);
  return ctx.core.inventory.cdpVApp(i)!;
}

function date(body: Record<string, unknown>, name: string): number {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : body[key];
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(t)) throw new CdpSpecError(`${name} is required and must be an ISO 8601 UTC date`);
  return t;
}

/** CdpReplicaIntervals for [StartDate, EndDate]; Rpo is in seconds (guess). */
export function intervalsBody(history: CdpHistory, rawBody: unknown): Json {
  if (typeof rawBody !== 'object' || rawBody === null) throw new ApiError(400, 'A body with StartDate and EndDate is required');
  let start: number;
  let end: number;
  try {
    start = date(rawBody as Record<string, unknown>, 'StartDate');
    end = date(rawBody as Record<string, unknown>, 'EndDate');
  } catch (e) {
    throw new ApiError(400, (e as Error).message);
  }
  if (end < start) throw new ApiError(400, 'EndDate is before StartDate');
  const iso = (t: number): string => new Date(t).toISOString();
  const intervals = history.ranges
    .filter((r) => r.end >= start && r.start <= end)
    .map((r) => ({ StartDate: iso(Math.max(r.start, start)), EndDate: iso(Math.min(r.end, end)), Rpo: r.rpoSeconds, IntervalType: 'RestoreAvailable' }));
  const points = history.longTermPoints.filter((p) => p.date >= start && p.date <= end);
  return {
    StartDate: iso(start),
    EndDate: iso(end),
    HasApplicationConsistentState: points.some((p) => p.applicationConsistent),
    Intervals: intervals,
    RestorePoints: points.map((p) => ({ Id: p.id, Date: iso(p.date), IsApplicationConsistent: p.applicationConsistent })),
  };
}

export const inventoryRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/hierarchyRoots\/?$/i,
    name: 'GET /hierarchyRoots',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      return collection(ctx, 'HierarchyRoots', [0, inv.hierarchyRootCount], (i) => hierarchyRootEntity(ctx.base, inv, inv.hierarchyRoot(i)!));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/hierarchyRoots/${ID}$`, 'i'),
    name: 'GET /hierarchyRoots/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.hierarchyRootIndex(ctx.params[0]!);
      if (i === undefined) throw notFound('Hierarchy root', ctx.params[0]!);
      return single(ctx, hierarchyRootEntity(ctx.base, inv, inv.hierarchyRoot(i)!));
    },
  },
  {
    method: 'GET',
    pattern: /^\/backupServers\/?$/i,
    name: 'GET /backupServers',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      return collection(ctx, 'BackupServers', [0, inv.counts.backupServers], (i) => backupServerEntity(ctx.base, inv.backupServer(i)!));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/backupServers/${ID}$`, 'i'),
    name: 'GET /backupServers/{id}',
    requestClass: 'read',
    handler: (ctx) => single(ctx, backupServerEntity(ctx.base, backupServerOf(ctx, ctx.params[0]!))),
  },
  {
    method: 'GET',
    pattern: /^\/replicas\/?$/i,
    name: 'GET /replicas',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      // A job-level replica none of whose VMs is left (permanent failover) is no longer listed.
      return collection(ctx, 'Replicas', [0, inv.counts.replicas], (i) => replicaEntity(ctx.base, inv, inv.replica(i)!), ctx.core.simulation.removedReplicas());
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/replicas/${ID}$`, 'i'),
    name: 'GET /replicas/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.replicaIndex(ctx.params[0]!);
      if (i === undefined || ctx.core.simulation.removedJobs().includes(i)) throw notFound('Replica', ctx.params[0]!);
      return single(ctx, replicaEntity(ctx.base, inv, inv.replica(i)!));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/replicas/${ID}/vmReplicaPoints$`, 'i'),
    name: 'GET /replicas/{id}/vmReplicaPoints',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.replicaIndex(ctx.params[0]!);
      if (i === undefined) throw notFound('Replica', ctx.params[0]!);
      const [first, last] = inv.vmReplicasOfJob(i);
      const P = inv.counts.pointsPerReplica;
      if (ctx.core.simulation.removedJobs().includes(i)) throw notFound('Replica', ctx.params[0]!);
      return collection(
        ctx,
        'VmReplicaPoints',
        [first * P, last * P],
        (k) => {
          const p = inv.vmReplicaPoint(k)!;
          return vmReplicaPointEntity(ctx.base, inv, p, ctx.core.simulation.replicaState('vm', p.vmReplica));
        },
        ctx.core.simulation.removedPoints(),
      );
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/replicas/${ID}/vAppReplicaPoints$`, 'i'),
    name: 'GET /replicas/{id}/vAppReplicaPoints',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.replicaIndex(ctx.params[0]!);
      if (i === undefined) throw notFound('Replica', ctx.params[0]!);
      const [first, last] = inv.vAppReplicasOfJob(i);
      const P = inv.counts.pointsPerReplica;
      return collection(ctx, 'VAppReplicaPoints', [first * P, last * P], (k) => {
        const p = inv.vAppReplicaPoint(k)!;
        return vAppReplicaPointEntity(ctx.base, inv, p, ctx.core.simulation.replicaState('vApp', p.vAppReplica));
      });
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/vmReplicaPoints/${ID}$`, 'i'),
    name: 'GET /vmReplicaPoints/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.vmReplicaPointIndex(ctx.params[0]!);
      if (i === undefined || ctx.core.simulation.removed('vm', inv.vmReplicaPoint(i)!.vmReplica)) throw notFound('VM replica point', ctx.params[0]!);
      const p = inv.vmReplicaPoint(i)!;
      return single(ctx, vmReplicaPointEntity(ctx.base, inv, p, ctx.core.simulation.replicaState('vm', p.vmReplica)));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/vAppReplicaPoints/${ID}$`, 'i'),
    name: 'GET /vAppReplicaPoints/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.vAppReplicaPointIndex(ctx.params[0]!);
      if (i === undefined) throw notFound('vApp replica point', ctx.params[0]!);
      const p = inv.vAppReplicaPoint(i)!;
      return single(ctx, vAppReplicaPointEntity(ctx.base, inv, p, ctx.core.simulation.replicaState('vApp', p.vAppReplica)));
    },
  },
  // The CDP vApp collection; registered before /cdpReplicas/{id} so the plural alias is not taken for an id.
  {
    method: 'GET',
    pattern: /^\/cdpReplicas?\/vApps\/?$/i,
    name: 'GET /cdpReplica/vApps',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      return collection(ctx, 'VAppCdpReplicas', [0, inv.counts.cdpVApps], (i) => {
        const v = inv.cdpVApp(i)!;
        return cdpVAppEntity(ctx.base, inv, v, ctx.core.simulation.replicaState('cdpVApp', i));
      });
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/cdpReplicas?/vApps/${ID}$`, 'i'),
    name: 'GET /cdpReplica/vApps/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      const v = cdpVAppOf(ctx, ctx.params[0]!);
      return single(ctx, cdpVAppEntity(ctx.base, ctx.core.inventory, v, ctx.core.simulation.replicaState('cdpVApp', v.index)));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/cdpReplicas?/vApps/${ID}/vms$`, 'i'),
    name: 'GET /cdpReplica/vApps/{id}/vms',
    requestClass: 'read',
    handler: (ctx) => {
      const v = cdpVAppOf(ctx, ctx.params[0]!);
      const vms = cdpVAppVmEntities(ctx.base, ctx.core.inventory, v);
      return ok(pageBody(ctx.url, 'VAppCdpReplicaVms', vms.length, { ...pageRequest(ctx.url), pageSize: Math.max(1, vms.length), page: 1 }, vms));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/cdpReplicas?/vApps/${ID}$`, 'i'),
    action: 'intervals',
    name: 'POST /cdpReplica/vApps/{id}?action=intervals',
    requestClass: 'read',
    handler: (ctx) => {
      const v = cdpVAppOf(ctx, ctx.params[0]!);
      return ok(intervalsBody(ctx.core.inventory.cdpHistory('cdpVApp', v.index), ctx.body));
    },
  },
  {
    method: 'GET',
    pattern: /^\/cdpReplicas\/?$/i,
    name: 'GET /cdpReplicas',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      return collection(ctx, 'CdpReplicas', [0, inv.counts.cdpReplicas], (i) => cdpReplicaEntity(ctx.base, inv, inv.cdpReplica(i)!));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/cdpReplicas/${ID}$`, 'i'),
    name: 'GET /cdpReplicas/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.cdpReplicaIndex(ctx.params[0]!);
      if (i === undefined) throw notFound('CDP replica', ctx.params[0]!);
      return single(ctx, cdpReplicaEntity(ctx.base, inv, inv.cdpReplica(i)!));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/cdpReplicas/${ID}/vms$`, 'i'),
    name: 'GET /cdpReplicas/{id}/vms',
    requestClass: 'read',
    handler: (ctx) => {
      const inv = ctx.core.inventory;
      const i = inv.cdpReplicaIndex(ctx.params[0]!);
      if (i === undefined) throw notFound('CDP replica', ctx.params[0]!);
      return collection(ctx, 'CdpReplicaVms', inv.cdpVmsOf(i), (k) => cdpVmEntity(ctx.base, inv, inv.cdpVm(k)!, ctx.core.simulation.replicaState('cdpVm', k)));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/cdpReplicas/${ID}/vms/${ID}$`, 'i'),
    name: 'GET /cdpReplicas/{id}/vms/{id}',
    requestClass: 'read',
    handler: (ctx) => {
      const vm = cdpVmOf(ctx, ctx.params[0]!, ctx.params[1]!);
      return single(ctx, cdpVmEntity(ctx.base, ctx.core.inventory, vm, ctx.core.simulation.replicaState('cdpVm', vm.index)));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/cdpReplicas/${ID}/vms/${ID}$`, 'i'),
    action: 'intervals',
    name: 'POST /cdpReplicas/{id}/vms/{id}?action=intervals',
    requestClass: 'read',
    handler: (ctx) => {
      const vm = cdpVmOf(ctx, ctx.params[0]!, ctx.params[1]!);
      return ok(intervalsBody(ctx.core.inventory.cdpHistory('cdpVm', vm.index), ctx.body));
    },
  },
];
