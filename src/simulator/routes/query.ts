import { ApiError, ok, type RequestContext, type Route } from '../core.js';
import type { Inventory } from '../inventory-generator.js';
import { evaluateFilter, FilterSyntaxError, parseFilter, type FieldValue } from '../query-filter.js';
import {
  backupServerEntity,
  cdpReplicaEntity,
  hierarchyRootEntity,
  replicaEntity,
  restoreSessionEntity,
  taskEntity,
  vAppReplicaPointEntity,
  vmReplicaPointEntity,
  type Json,
} from '../representation.js';
import type { FailoverRecord, TaskRecord } from '../simulation.js';
import { visibleAt, visibleCount } from '../gaps.js';
import { pageBody, pageOfRange, pageRequest } from './paging.js';

/** One queryable type: indexable items, their entity form and their filter fields (lower-case names). */
interface QuerySource<T> {
  plural: string;
  count: number;
  item(i: number): T | undefined;
  entity(item: T): Json;
  field(item: T, field: string): FieldValue;
}

function sources(ctx: RequestContext): Record<string, () => QuerySource<unknown>> {
  const { core, base } = ctx;
  const inv: Inventory = core.inventory;
  const sim = core.simulation;
  const serverName = (i: number): string => inv.backupServer(i)!.name;
  const serverUid = (i: number): string => inv.backupServer(i)!.uid;
  const list = <T>(s: QuerySource<T>): QuerySource<unknown> => s as QuerySource<unknown>;
  // Permanently failed-over VMs (and job-level replicas with no VM left) are no longer replicas.
  const replicaGaps = sim.removedReplicas();
  const pointGaps = sim.removedPoints();
  return {
    backupserver: () =>
      list({
        plural: 'BackupServers',
        count: inv.counts.backupServers,
        item: (i) => inv.backupServer(i),
        entity: (s) => backupServerEntity(base, s),
        field: (s, f) => ({ uid: s.uid, name: s.name, edition: s.edition, version: s.version, description: s.description })[f],
      }),
    hierarchyroot: () =>
      list({
        plural: 'HierarchyRoots',
        count: inv.hierarchyRootCount,
        item: (i) => inv.hierarchyRoot(i),
        entity: (h) => hierarchyRootEntity(base, inv, h),
        field: (h, f) =>
          ({ uid: h.uid, name: h.name, uniqueid: h.uniqueId, hosttype: h.hostType, backupserveruid: serverUid(h.backupServer), backupservername: serverName(h.backupServer) })[f],
      }),
    replica: () =>
      list({
        plural: 'Replicas',
        count: visibleCount(0, inv.counts.replicas, replicaGaps),
        item: (i) => inv.replica(visibleAt(0, i, replicaGaps)),
        entity: (r) => replicaEntity(base, inv, r),
        field: (r, f) =>
          ({
            uid: r.uid,
            name: r.name,
            jobuid: r.jobUid,
            jobname: r.jobName,
            repositoryuid: r.repositoryUid,
            repositoryname: r.repositoryName,
            platform: r.platform,
            backupserveruid: serverUid(r.backupServer),
            backupservername: serverName(r.backupServer),
          })[f],
      }),
    vmreplicapoint: () =>
      list({
        plural: 'VmReplicaPoints',
        count: visibleCount(0, inv.counts.vmReplicaPoints, pointGaps),
        item: (i) => inv.vmReplicaPoint(visibleAt(0, i, pointGaps)),
        entity: (p) => vmReplicaPointEntity(base, inv, p, sim.replicaState('vm', p.vmReplica)),
        field: (p, f) => {
          switch (f) {
            case 'uid':
              return p.uid;
            case 'name':
              return p.name;
            case 'creationtime':
              return p.creationTime;
            case 'type':
              return p.pointType;
            case 'algorithm':
              return p.algorithm;
            case 'replicauid':
              return inv.replica(p.replica)!.uid;
            case 'replicaname':
              return inv.replica(p.replica)!.name;
            case 'vmdisplayname':
              return p.vmDisplayName;
            case 'backupserveruid':
              return serverUid(p.backupServer);
            case 'backupservername':
              return serverName(p.backupServer);
            case 'vmref':
              return p.vmRef;
            default:
              return undefined;
          }
        },
      }),
    vappreplicapoint: () =>
      list({
        plural: 'VAppReplicaPoints',
        count: inv.counts.vAppReplicaPoints,
        item: (i) => inv.vAppReplicaPoint(i),
        entity: (p) => vAppReplicaPointEntity(base, inv, p, sim.replicaState('vApp', p.vAppReplica)),
        field: (p, f) =>
          ({
            uid: p.uid,
            name: p.name,
            creationtime: p.creationTime,
            type: p.pointType,
            algorithm: p.algorithm,
            replicauid: inv.replica(p.replica)!.uid,
            replicaname: inv.replica(p.replica)!.name,
            vappdisplayname: p.vAppDisplayName,
            vappname: p.vAppName,
            backupserveruid: serverUid(p.backupServer),
            backupservername: serverName(p.backupServer),
          })[f],
      }),
    cdpreplica: () =>
      list({
        plural: 'CdpReplicas',
        count: inv.counts.cdpReplicas,
        item: (i) => inv.cdpReplica(i),
        entity: (c) => cdpReplicaEntity(base, inv, c),
        field: (c, f) =>
          ({
            uid: c.uid,
            name: c.name,
            policyid: c.policyUid,
            policyuid: c.policyUid,
            policyname: c.policyName,
            platform: c.platform,
            backupserveruid: serverUid(c.backupServer),
            backupservername: serverName(c.backupServer),
          })[f],
      }),
    restoresession: () => {
      const all = sim.allRestoreSessions();
      return list<FailoverRecord>({
        plural: 'RestoreSessions',
        count: all.length,
        item: (i) => all[i],
        entity: (r) => restoreSessionEntity(base, inv, r, sim.snapshot(r)),
        field: (r, f) => {
          const snap = sim.snapshot(r);
          return {
            uid: `urn:veeam:RestoreSession:${r.restoreSessionId}`,
            name: r.displayName,
            type: 'Failover',
            jobtype: 'Failover',
            creationtime: r.startedAt,
            endtime: snap.endTime,
            state: snap.sessionState,
            result: snap.result ?? 'None',
            backupserveruid: serverUid(r.backupServer),
            backupservername: serverName(r.backupServer),
            vmdisplayname: r.displayName,
          }[f];
        },
      });
    },
    task: () => {
      const mine = sim.tasksOf(ctx.session.id);
      return list<TaskRecord>({
        plural: 'Tasks',
        count: mine.length,
        item: (i) => mine[i],
        entity: (t) => taskEntity(base, t, sim.snapshot(t.failover)),
        field: (t, f) => ({ taskid: t.id, state: sim.snapshot(t.failover).taskState, operation: t.operation })[f],
      });
    },
  };
}

function query(ctx: RequestContext): Json {
  const type = ctx.url.searchParams.get('type');
  if (!type) throw new ApiError(400, "The 'type' query parameter is required");
  const make = sources(ctx)[type.toLowerCase()];
  if (!make) throw new ApiError(400, `Query type '${type}' is not supported by the simulator`);
  const source = make();
  const request = pageRequest(ctx.url);
  const filterText = ctx.url.searchParams.get('filter');
  const sortAsc = ctx.url.searchParams.get('sortAsc');
  const sortDesc = ctx.url.searchParams.get('sortDesc');
  if (!filterText && !sortAsc && !sortDesc) {
    return pageOfRange(ctx.url, source.plural, source.count, request, (i) => {
      const item = source.item(i);
      return item === undefined ? undefined : source.entity(item);
    });
  }
  let filter;
  try {
    filter = filterText ? parseFilter(filterText) : undefined;
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw new ApiError(400, e.message);
    throw e;
  }
  const matched: unknown[] = [];
  for (let i = 0; i < source.count; i++) {
    const item = source.item(i);
    if (item !== undefined && (!filter || evaluateFilter(filter, item, source.field))) matched.push(item);
  }
  const sortField = (sortAsc ?? sortDesc)?.toLowerCase();
  if (sortField) {
    const sign = sortAsc ? 1 : -1;
    const key = (x: unknown): FieldValue => source.field(x, sortField);
    matched.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === kb) return 0;
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      return (ka < kb ? -1 : 1) * sign;
    });
  }
  const start = (request.page - 1) * request.pageSize;
  return pageBody(ctx.url, source.plural, matched.length, request, matched.slice(start, start + request.pageSize).map((x) => source.entity(x)));
}

export const queryRoutes: Route[] = [{ method: 'GET', pattern: /^\/query\/?$/i, name: 'GET /query', requestClass: 'read', handler: (ctx) => ok(query(ctx)) }];
