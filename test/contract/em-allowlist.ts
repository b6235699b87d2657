/**
 * The fields EM documents, per entity the gateway reads, and a walker that
 * lists every key of an answer outside them. Sources (see em-domain.md and
 * real-sources.md for the text): EMREST pages are
 * https://helpcenter.veeam.com/docs/vbr/em_rest/<page>.html; XSD2016 is the
 * Go rendering of EM's RestAPI.xsd in tdewin/veeamrestapi (veeamrest_object.go).
 * A field is here only if one of them names it on that entity; query filter
 * fields (get_query_*) are not entity fields and are not here.
 *
 * Each field maps to `null` (a value, not walked) or to the shape its object
 * or array items have.
 */

type Fields = Readonly<Record<string, string | null>>;

/** Type, Href, Name, UID and Links: every resource and reference (EMREST: resource_representations; XSD2016 EntityType/ResourceType). */
const RESOURCE: Fields = { Type: null, Href: null, Name: null, UID: null, Links: 'Link' };

export const EM_ALLOWLIST: Readonly<Record<string, Fields>> = {
  // EMREST: resource_representations: a link's Rel, Href, Type and Name (XML attributes, JSON properties).
  Link: { Rel: null, Href: null, Type: null, Name: null },
  // EMREST: resource_representations (EntityRef); representation_collections: JSON `{"Refs":[…]}`.
  Reference: RESOURCE,
  // EMREST: pagesize_and_page; XSD2016 PagingInfoType.
  PagingInfo: { Links: 'Link', PageNum: null, PageSize: null, PagesCount: null },
  // EMREST: query_service. No Veeam page shows the JSON query result; em-domain.md §3 cites the only sample
  // (a third-party fixture): {"Entities":{"<Plural>":{"<Plural>":[…]}},"PagingInfo":…}; references are {"Refs":[…]}.
  QueryResult: { Entities: 'EntityCollections', Refs: 'Reference', PagingInfo: 'PagingInfo' },
  // EMREST: get_backupservers_id (WcfPort, VbrCertificateThumbprint); XSD2016 BackupServerEntityType. No edition.
  BackupServer: { ...RESOURCE, Description: null, Port: null, Version: null, WcfPort: null, VbrCertificateThumbprint: null },
  // EMREST: get_replicas_id; XSD2016 ReplicaEntityType. Job-level: no state, no job or repository fields.
  Replica: { ...RESOURCE, Platform: null },
  // EMREST: get_vmreplicapoints_id (table misspells PointType as PoinType); XSD2016 VmReplicaPointEntityType. No ref, no state.
  VmReplicaPoint: { ...RESOURCE, VmDisplayName: null, CreationTimeUTC: null, Algorithm: null, PointType: null },
  // EMREST: get_vappreplicapoints_id. Member VMs are Down links, not fields.
  VAppReplicaPoint: { ...RESOURCE, VAppDisplayName: null, CreationTimeUTC: null, VAppName: null, Algorithm: null, PointType: null },
  // EMREST: get_cdpreplicas_id.
  CdpReplica: { ...RESOURCE, BackupServer: null, PolicyUid: null, PolicyName: null },
  // EMREST: get_cdpreplicas_id_vms_id (RepositoryName from its sample).
  CdpReplicaVm: { ...RESOURCE, VmRef: null, ReplicaUid: null, BackupServer: null, PolicyUid: null, PolicyName: null, RepositoryName: null },
  // EMREST: get_cdpreplica_vapps_id (`vAppRef`, lower-case v).
  VAppCdpReplica: { ...RESOURCE, vAppRef: null, ReplicaUid: null, BackupServer: null, PolicyUid: null, PolicyName: null },
  // EMREST: cdpreplica_vapps_id_vms.
  VAppCdpReplicaVm: { ...RESOURCE, ReplicaUid: null, VmRef: null },
  // EMREST: post_cdpreplicavm_id_actionintervals, post_cdpreplicavapp_id_actionintervals (CdpReplicaIntervals, shown in full).
  CdpReplicaIntervals: { StartDate: null, EndDate: null, HasApplicationConsistentState: null, Intervals: 'CdpInterval', RestorePoints: 'CdpRestorePoint' },
  CdpInterval: { StartDate: null, EndDate: null, Rpo: null, IntervalType: null },
  CdpRestorePoint: { Id: null, Date: null, IsApplicationConsistent: null },
  // EMREST: get_hierarchyroots_id, get_query_hierarchyroot.
  HierarchyRoot: { ...RESOURCE, HierarchyRootId: null, UniqueId: null, HostType: null },
  // EMREST: get_tasks_id. A task has no Name or UID.
  Task: { Type: null, Href: null, Links: 'Link', TaskId: null, State: null, Operation: null, Result: 'TaskResult' },
  TaskResult: { Success: null, Message: null },
  // EMREST: get_restoresessions_id: the table says CreationTime/EndTime, the sample CreationTimeUTC/EndTimeUTC.
  RestoreSession: { ...RESOURCE, VmDisplayName: null, RestoredObjRef: null, JobType: null, CreationTime: null, EndTime: null, CreationTimeUTC: null, EndTimeUTC: null, State: null, Result: null, Progress: null },
  // EMREST: post_sessionmngr.
  LogonSession: { ...RESOURCE, UserName: null, SessionId: null },
  // EMREST: http_response_codes says errors carry an "Error" body but no page shows it; em-domain.md §4: Message and StatusCode (a guess).
  Error: { Message: null, StatusCode: null },
};

/** `Entities.<Plural>.<Plural>[]` of a query result or navigation collection: the entity each plural holds. */
export const EM_PLURALS: Readonly<Record<string, string>> = {
  BackupServers: 'BackupServer',
  Replicas: 'Replica',
  VmReplicaPoints: 'VmReplicaPoint',
  VAppReplicaPoints: 'VAppReplicaPoint',
  CdpReplicas: 'CdpReplica',
  CdpReplicaVms: 'CdpReplicaVm',
  VAppCdpReplicas: 'VAppCdpReplica',
  VAppCdpReplicaVms: 'VAppCdpReplicaVm',
  HierarchyRoots: 'HierarchyRoot',
  RestoreSessions: 'RestoreSession',
  Tasks: 'Task',
};

export type EmShape = keyof typeof EM_ALLOWLIST;

/**
 * Every key path of `json` (read as `shape`) that EM does not document, e.g.
 * `Entities.VmReplicaPoints.VmReplicaPoints[3].ReplicaState`. An undocumented
 * key is reported once; what it holds is not walked.
 */
export function undocumentedKeys(shape: string, json: unknown): string[] {
  if (!EM_ALLOWLIST[shape]) throw new Error(`no EM allowlist for ${shape}`);
  const out: string[] = [];
  walk(shape, json, '', out);
  return out;
}

function walk(shape: string, value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(shape, item, `${path}[${i}]`, out));
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (shape === 'EntityCollections') {
      walkCollection(key, child, at, out);
      continue;
    }
    const fields = EM_ALLOWLIST[shape]!;
    if (!Object.hasOwn(fields, key)) out.push(at);
    else if (fields[key] !== null) walk(fields[key]!, child, at, out);
  }
}

function walkCollection(plural: string, value: unknown, path: string, out: string[]): void {
  const entity = EM_PLURALS[plural];
  if (!entity || !value || typeof value !== 'object' || Array.isArray(value)) {
    out.push(path);
    return;
  }
  for (const [key, items] of Object.entries(value)) {
    if (key === plural) walk(entity, items, `${path}.${key}`, out);
    else out.push(`${path}.${key}`);
  }
}
