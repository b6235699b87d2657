import { Failovers } from './failover.js';
import { collection, collectionPages, filterValue, queryPages, queryRawPages } from './query.js';
import { EmSession } from './session.js';
import type { CdpIntervals, EmClient, EmClientOptions, RestoreSession } from './types.js';
import {
  parseBackupServer,
  parseCdpReplica,
  parseCdpReplicaVm,
  parseCdpVApp,
  parseHierarchyRoot,
  parseIntervals,
  parseRestoreSession,
  parseReplica,
  parseTask,
  parseVAppReplicaPoint,
  parseVmReplicaPoint,
  type Json,
} from './wire.js';

const seg = encodeURIComponent;

/** Creates the EM REST client. It logs on lazily, on the first call. See {@link EmClientOptions} for defaults. */
export function createEmClient(options: EmClientOptions): EmClient {
  const baseUrl = options.url.replace(/\/+$/, '');
  const session = new EmSession({
    baseUrl,
    username: options.username,
    password: options.password,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: { retries: options.readRetries ?? 3, baseDelayMs: options.retryBaseDelayMs ?? 200, maxDelayMs: options.retryMaxDelayMs ?? 5_000 },
    logger: options.logger,
  });
  // 250, not 1,000: a parsed page of 1,000 restore points is ~8 MB of short-lived objects that
  // survive long enough to be promoted; smaller pages cut the sync's peak RSS by ~100 MB for 4x the query calls.
  const pageSize = options.pageSize ?? 250;
  const failovers = new Failovers(session, options.pointInTimeField ?? 'RestoreAtPointInTime');

  const get = async (path: string): Promise<Json> => (await session.call({ method: 'GET', path, kind: 'read' })).body as Json;
  const intervals = async (path: string, range: { from: Date; to: Date }): Promise<CdpIntervals> => {
    // action=intervals is a POST but changes nothing: retried like a read.
    const res = await session.call({ method: 'POST', path, body: { StartDate: range.from.toISOString(), EndDate: range.to.toISOString() }, kind: 'read' });
    return parseIntervals(res.body as Json);
  };

  const client: EmClient = {
    async logon() {
      await session.logon();
    },
    logoff: () => session.logoff(),
    close: () => session.close(),

    async listBackupServers() {
      const out = [];
      for await (const page of queryPages(session, 'BackupServer', 'BackupServers', parseBackupServer, { pageSize })) out.push(...page);
      return out;
    },
    async listHierarchyRoots() {
      const out = [];
      for await (const page of queryPages(session, 'HierarchyRoot', 'HierarchyRoots', parseHierarchyRoot, { pageSize })) out.push(...page);
      return out;
    },
    getBackupServer: async (id) => parseBackupServer(await get(`/backupServers/${seg(id)}?format=Entity`)),

    listReplicas: () => queryPages(session, 'Replica', 'Replicas', parseReplica, { pageSize }),
    listVmReplicaPoints(filter = {}) {
      const parts = [];
      if (filter.replicaUid) parts.push(`ReplicaUid==${filterValue(filter.replicaUid)}`);
      if (filter.vmDisplayName) parts.push(`VmDisplayName==${filterValue(filter.vmDisplayName)}`);
      if (filter.backupServerUid) parts.push(`BackupServerUid==${filterValue(filter.backupServerUid)}`);
      return queryPages(session, 'VmReplicaPoint', 'VmReplicaPoints', parseVmReplicaPoint, { pageSize, filter: parts.join(';') || undefined });
    },
    getVmReplicaPoint: async (id) => parseVmReplicaPoint(await get(`/vmReplicaPoints/${seg(id)}?format=Entity`)),
    listVmReplicaPointPages: () => queryRawPages(session, 'VmReplicaPoint', 'VmReplicaPoints', parseVmReplicaPoint, { pageSize }),
    listVAppReplicaPointPages: () => queryRawPages(session, 'vAppReplicaPoint', 'VAppReplicaPoints', parseVAppReplicaPoint, { pageSize }),
    listVAppReplicaPoints: () => queryPages(session, 'vAppReplicaPoint', 'VAppReplicaPoints', parseVAppReplicaPoint, { pageSize }),
    getVAppReplicaPoint: async (id) => parseVAppReplicaPoint(await get(`/vAppReplicaPoints/${seg(id)}?format=Entity`)),

    listCdpReplicas: () => queryPages(session, 'CdpReplica', 'CdpReplicas', parseCdpReplica, { pageSize }),
    listCdpReplicaVms: (cdpReplicaId) => collection(session, `/cdpReplicas/${seg(cdpReplicaId)}/vms`, 'CdpReplicaVms', (o) => parseCdpReplicaVm(o, cdpReplicaId), pageSize),
    async *listAllCdpReplicaVms() {
      for await (const replicas of client.listCdpReplicas()) {
        for (const replica of replicas) {
          // EM documents no platform on a CDP replica: a Cloud Director policy's /vms answers empty (its vApps come through listCdpVApps).
          const vms = await client.listCdpReplicaVms(replica.id);
          if (vms.length > 0) yield vms;
        }
      }
    },
    getCdpReplicaVm: async (cdpReplicaId, vmId) => parseCdpReplicaVm(await get(`/cdpReplicas/${seg(cdpReplicaId)}/vms/${seg(vmId)}?format=Entity`), cdpReplicaId),
    // No query type exists for CDP vApps: navigate the collection.
    listCdpVApps: () => collectionPages(session, '/cdpReplica/vApps', 'VAppCdpReplicas', parseCdpVApp, pageSize),
    getCdpVApp: async (id) => parseCdpVApp(await get(`/cdpReplica/vApps/${seg(id)}?format=Entity`)),
    getCdpVmIntervals: (cdpReplicaId, vmId, range) => intervals(`/cdpReplicas/${seg(cdpReplicaId)}/vms/${seg(vmId)}?action=intervals`, range),
    getCdpVAppIntervals: (vAppId, range) => intervals(`/cdpReplica/vApps/${seg(vAppId)}?action=intervals`, range),

    failoverVmReplicaPoint: (pointId) => failovers.vmReplicaPoint(pointId),
    failoverCdpVm: (cdpReplicaId, vmId, target) => failovers.cdpVm(cdpReplicaId, vmId, target),
    failoverVAppReplicaPoint: (pointId) => failovers.vAppReplicaPoint(pointId),
    failoverCdpVApp: (vAppId, target) => failovers.cdpVApp(vAppId, target),

    getTask: async (taskId) => parseTask(await get(`/tasks/${seg(taskId)}`)),
    getRestoreSession: async (id) => parseRestoreSession(await get(`/restoreSessions/${seg(id)}?format=Entity`)),
    async findRestoreSessions(filter) {
      const parts = [];
      if (filter.vmDisplayName) parts.push(`VmDisplayName==${filterValue(filter.vmDisplayName)}`);
      if (filter.createdAfter) parts.push(`CreationTime>=${filter.createdAfter.toISOString()}`);
      const out: RestoreSession[] = [];
      for await (const page of queryPages(session, 'RestoreSession', 'RestoreSessions', parseRestoreSession, { pageSize, filter: parts.join(';') || undefined, sortDesc: 'CreationTime' })) {
        out.push(...page);
      }
      return out;
    },
  };
  return client;
}
