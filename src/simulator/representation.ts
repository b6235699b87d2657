import type { Inventory } from './inventory-generator.js';
import type {
  BackupServerRecord,
  CdpReplicaRecord,
  CdpVAppRecord,
  CdpVmRecord,
  HierarchyRootRecord,
  ReplicaJobRecord,
  ReplicaState,
  VAppReplicaPointRecord,
  VmReplicaPointRecord,
} from './inventory-types.js';
import type { FailoverRecord, TaskRecord } from './simulation.js';
import { taskResult, type FailoverSnapshot } from './state-machine.js';

/**
 * EM's JSON representations. Property names follow the XML schema (PascalCase);
 * links are a `Links` array of {Rel, Href, Type, Name}. Fields marked
 * "extension" are not EM's: see docs/em.md.
 */
export interface WireLink {
  Rel: string;
  Href: string;
  Type: string;
  Name?: string;
}

export type Json = Record<string, unknown>;

export const link = (Rel: string, Href: string, Type: string, Name?: string): WireLink => (Name === undefined ? { Rel, Href, Type } : { Rel, Href, Type, Name });

const iso = (ms: number): string => new Date(ms).toISOString();

export function errorBody(status: number, message: string): Json {
  return { Message: message, StatusCode: status };
}

export function backupServerEntity(base: string, s: BackupServerRecord): Json {
  const href = `${base}/backupServers/${s.id}`;
  return {
    Type: 'BackupServer',
    Href: `${href}?format=Entity`,
    Name: s.name,
    UID: s.uid,
    Links: [link('Alternate', href, 'BackupServerReference', s.name), link('Down', `${href}/jobs`, 'JobReferenceList')],
    Description: s.description,
    Port: s.port,
    Version: s.version,
  };
}

function serverUp(base: string, s: BackupServerRecord): WireLink {
  return link('Up', `${base}/backupServers/${s.id}`, 'BackupServerReference', s.name);
}

export function replicaEntity(base: string, inv: Inventory, r: ReplicaJobRecord): Json {
  const href = `${base}/replicas/${r.id}`;
  const server = inv.backupServer(r.backupServer)!;
  return {
    Type: 'Replica',
    Href: `${href}?format=Entity`,
    Name: r.name,
    UID: r.uid,
    Links: [
      serverUp(base, server),
      link('Alternate', href, 'ReplicaReference', r.name),
      r.platform === 'vCloud'
        ? link('Down', `${href}/vAppReplicaPoints`, 'VAppReplicaPointReferenceList')
        : link('Down', `${href}/vmReplicaPoints`, 'VmReplicaPointReferenceList'),
    ],
    Platform: r.platform,
  };
}

export function vmReplicaPointEntity(base: string, inv: Inventory, p: VmReplicaPointRecord, state: ReplicaState): Json {
  const href = `${base}/vmReplicaPoints/${p.id}`;
  const server = inv.backupServer(p.backupServer)!;
  const replica = inv.replica(p.replica)!;
  return {
    Type: 'VmReplicaPoint',
    Href: `${href}?format=Entity`,
    Name: p.name,
    UID: p.uid,
    VmDisplayName: p.vmDisplayName,
    Links: [
      link('Failover', `${href}?action=failover`, 'Task'),
      serverUp(base, server),
      link('Up', `${base}/replicas/${replica.id}`, 'ReplicaReference', replica.name),
      link('Alternate', href, 'VmReplicaPointReference', p.name),
    ],
    CreationTimeUTC: iso(p.creationTime),
    Algorithm: p.algorithm,
    PointType: p.pointType,
  };
}

export function vAppReplicaPointEntity(base: string, inv: Inventory, p: VAppReplicaPointRecord, state: ReplicaState): Json {
  const href = `${base}/vAppReplicaPoints/${p.id}`;
  const server = inv.backupServer(p.backupServer)!;
  const replica = inv.replica(p.replica)!;
  return {
    Type: 'VAppReplicaPoint',
    Href: `${href}?format=Entity`,
    Name: p.name,
    UID: p.uid,
    VAppDisplayName: p.vAppDisplayName,
    Links: [
      link('Failover', `${href}?action=failover`, 'Task'),
      serverUp(base, server),
      link('Up', `${base}/replicas/${replica.id}`, 'ReplicaReference', replica.name),
      link('Alternate', href, 'VAppReplicaPointReference', p.name),
    ],
    CreationTimeUTC: iso(p.creationTime),
    VAppName: p.vAppName,
    Algorithm: p.algorithm,
    PointType: p.pointType,
  };
}

export function cdpReplicaEntity(base: string, inv: Inventory, c: CdpReplicaRecord): Json {
  const href = `${base}/cdpReplicas/${c.id}`;
  const server = inv.backupServer(c.backupServer)!;
  return {
    Type: 'CdpReplica',
    Href: `${href}?format=Entity`,
    Name: c.name,
    UID: c.uid,
    Links: [
      serverUp(base, server),
      link('Alternate', href, 'CdpReplicaReference', c.name),
      c.platform === 'vCloud' ? link('Down', `${base}/cdpReplica/vApps`, 'VAppCdpReplicaReferenceList') : link('Down', `${href}/vms`, 'CdpReplicaVmReferenceList'),
    ],
    BackupServer: server.name,
    PolicyUid: c.policyUid,
    PolicyName: c.policyName,
  };
}

export function cdpVmEntity(base: string, inv: Inventory, vm: CdpVmRecord, state: ReplicaState): Json {
  const replica = inv.cdpReplica(vm.cdpReplica)!;
  const server = inv.backupServer(vm.backupServer)!;
  const href = `${base}/cdpReplicas/${replica.id}/vms/${vm.id}`;
  return {
    Type: 'CdpReplicaVm',
    Href: `${href}?format=Entity`,
    Name: vm.name,
    UID: vm.uid,
    Links: [
      link('Intervals', `${href}?action=intervals`, 'CdpReplicaIntervals'),
      link('Failover', `${href}?action=failover`, 'Task'),
      serverUp(base, server),
      link('Up', `${base}/repositories/${replica.repositoryUid.split(':').pop()}`, 'RepositoryReference', replica.repositoryName),
      link('Up', `${base}/cdpReplicas/${replica.id}`, 'CdpReplicaReference', replica.name),
      link('Up', `${base}/cdpPolicies/${replica.policyUid.split(':').pop()}`, 'CdpPolicyReference', replica.policyName),
      link('Alternate', href, 'CdpReplicaVmReference', vm.name),
    ],
    VmRef: vm.vmRef,
    ReplicaUid: replica.uid,
    BackupServer: server.name,
    PolicyUid: replica.policyUid,
    PolicyName: replica.policyName,
    RepositoryName: replica.repositoryName,
  };
}

export function cdpVAppEntity(base: string, inv: Inventory, v: CdpVAppRecord, state: ReplicaState): Json {
  const replica = inv.cdpReplica(v.cdpReplica)!;
  const server = inv.backupServer(v.backupServer)!;
  const href = `${base}/cdpReplica/vApps/${v.id}`;
  return {
    Type: 'VAppCdpReplica',
    Href: `${href}?format=Entity`,
    Name: v.name,
    UID: v.uid,
    Links: [
      link('Intervals', `${href}?action=intervals`, 'CdpReplicaIntervals'),
      link('Failover', `${href}?action=failover`, 'Task'),
      link('Down', `${href}/vms`, 'VAppCdpReplicaVmReferenceList'),
      serverUp(base, server),
      link('Alternate', href, 'VAppCdpReplicaReference', v.name),
    ],
    vAppRef: v.vAppRef,
    ReplicaUid: replica.uid,
    BackupServer: server.name,
    PolicyUid: replica.policyUid,
    PolicyName: replica.policyName,
  };
}

export function cdpVAppVmEntities(base: string, inv: Inventory, v: CdpVAppRecord): Json[] {
  const replica = inv.cdpReplica(v.cdpReplica)!;
  return v.vmRefs.map((vmRef, i) => ({
    Type: 'VAppCdpReplicaVm',
    Name: `${v.name}-vm${i + 1}`,
    UID: `urn:veeam:VAppCdpReplicaVm:${v.id.slice(0, -2)}${String(i).padStart(2, '0')}`,
    Links: [link('Up', `${base}/cdpReplica/vApps/${v.id}`, 'VAppCdpReplicaReference', v.name)],
    ReplicaUid: replica.uid,
    VmRef: vmRef,
  }));
}

export function taskEntity(base: string, task: TaskRecord, snap: FailoverSnapshot): Json {
  const href = `${base}/tasks/${task.id}`;
  const result = snap.taskState === 'Running' ? undefined : taskResult(snap.result);
  return {
    Type: 'Task',
    Href: href,
    TaskId: task.id,
    State: snap.taskState,
    Operation: task.operation,
    ...(result ? { Result: result } : {}),
    Links: [
      link('Delete', href, 'Task'),
      // Present from the start (guess): EM's docs show it once done, but progress lives on the session.
      link('Related', `${base}/restoreSessions/${task.failover.restoreSessionId}?format=Entity`, 'RestoreSession', task.failover.displayName),
    ],
  };
}

export function restoreSessionEntity(base: string, inv: Inventory, r: FailoverRecord, snap: FailoverSnapshot): Json {
  const href = `${base}/restoreSessions/${r.restoreSessionId}`;
  const server = inv.backupServer(r.backupServer)!;
  const links = [serverUp(base, server), link('Alternate', href, 'RestoreSessionReference', r.displayName)];
  if (r.restorePointPath) links.push(link('Related', `${base}${r.restorePointPath}`, 'RestorePointReference'));
  return {
    Type: 'RestoreSession',
    Href: `${href}?format=Entity`,
    Name: `${r.displayName}@${iso(r.startedAt).slice(0, 19).replace('T', ' ')}`,
    UID: `urn:veeam:RestoreSession:${r.restoreSessionId}`,
    VmDisplayName: r.displayName,
    Links: links,
    JobType: 'Failover', // guess: EM documents only FileLevelRestore and RestoreVm
    CreationTimeUTC: iso(r.startedAt),
    ...(snap.endTime !== undefined ? { EndTimeUTC: iso(snap.endTime) } : {}),
    State: snap.sessionState,
    Result: snap.result ?? 'None',
    Progress: snap.progress,
    RestoredObjRef: r.restoredObjRef,
  };
}

export function hierarchyRootEntity(base: string, inv: Inventory, h: HierarchyRootRecord): Json {
  const href = `${base}/hierarchyRoots/${h.id}`;
  return {
    Type: 'HierarchyRoot',
    Href: `${href}?format=Entity`,
    Name: h.name,
    UID: h.uid,
    Links: [serverUp(base, inv.backupServer(h.backupServer)!), link('Alternate', href, 'HierarchyRootReference', h.name)],
    HierarchyRootId: h.id,
    UniqueId: h.uniqueId,
    HostType: h.hostType,
  };
}

/** Reference form (the default without ?format=Entity). */
export function refOf(entity: Json): Json {
  const href = String(entity['Href']).replace(/\?format=Entity$/, '');
  return { Type: `${String(entity['Type'])}Reference`, Href: href, Name: entity['Name'], UID: entity['UID'], Links: entity['Links'] };
}
