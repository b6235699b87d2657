import type { Logger } from 'pino';

/**
 * What the gateway sees of EM: domain types and one interface, no HTTP.
 * Ids are bare GUIDs (what URLs use); UIDs are `urn:veeam:<Type>:<guid>`.
 */

export interface EmClientOptions {
  /** Base URL of EM's REST API including /api, e.g. http://127.0.0.1:9398/api. */
  url: string;
  username: string;
  password: string;
  /** Timeout of every HTTP call, in ms (default 10,000). */
  timeoutMs?: number;
  /** Retries of a read after the first attempt, on 5xx, timeouts and network errors (default 3). Failover POSTs are never retried. */
  readRetries?: number;
  /** First backoff delay in ms; doubles per retry, with full jitter (default 200). */
  retryBaseDelayMs?: number;
  /** Cap of one backoff delay in ms (default 5,000). */
  retryMaxDelayMs?: number;
  /** Page size for query-service listings (default 250). */
  pageSize?: number;
  /**
   * Spelling of the CDP point-in-time field sent first (default 'RestoreAtPointInTime', EM's JSON example).
   * On a 400 the client tries the other spelling once and keeps whichever EM accepted.
   */
  pointInTimeField?: 'RestoreAtPointInTime' | 'RestoreAtPointinTime';
  logger?: Logger;
}

/** The client options that can cross threads or processes (all but the logger): the same EM, from elsewhere. */
export type EmConnection = Omit<EmClientOptions, 'logger'>;



/** EM's BackupServer: no license or edition field exists (see docs/real-sources.md). */
export interface BackupServer {
  id: string;
  uid: string;
  name: string;
  version?: string;
  description?: string;
}

/** A virtualization host EM knows (vCenter, ESXi, Cloud Director…): the `<HierarchyRootId>` of every EM hierarchy ref under it. */
export interface HierarchyRoot {
  id: string;
  uid: string;
  /** The host's name as added to the backup server (vCenter or Cloud Director DNS name). */
  name: string;
  /** The id EM writes in refs: `urn:<Platform>:<Type>:<HierarchyRootId>.<ref>`. */
  hierarchyRootId: string;
  /** vCenter instance UUID, or a Hyper-V host's DNS name. */
  uniqueId?: string;
  /** ESX, VC, ESXi, HvServer, HvCluster, Scvmm, VcdSystem. */
  hostType: string;
  backupServerUid?: string;
}

/** A job-level replica (named after its replication job). */
export interface Replica {
  id: string;
  uid: string;
  name: string;
  platform: string;
  backupServerUid?: string;
}

export interface VmReplicaPoint {
  id: string;
  uid: string;
  name: string;
  vmDisplayName: string;
  creationTime: Date;
  algorithm?: string;
  pointType?: string;
  /** The job-level replica this point belongs to. */
  replicaUid: string;
  backupServerUid?: string;
  /**
   * Identity of the VM replica (the failover-able unit) this point belongs to:
   * `<replicaUid>/name:<vmDisplayName>` (EM gives a replica point no ref of its VM).
   */
  vmReplicaKey: string;
}

export interface VAppReplicaPoint {
  id: string;
  uid: string;
  name: string;
  vAppDisplayName: string;
  vAppName?: string;
  creationTime: Date;
  algorithm?: string;
  pointType?: string;
  replicaUid: string;
  backupServerUid?: string;
  /** `<replicaUid>/name:<vAppDisplayName>` (EM gives a vApp replica point no ref of its vApp). */
  vAppReplicaKey: string;
}

/** One per CDP policy. */
export interface CdpReplica {
  id: string;
  uid: string;
  name: string;
  backupServerUid?: string;
  /** EM's `BackupServer`: the server's name. */
  backupServerName?: string;
  policyUid?: string;
  policyName?: string;
}

export interface CdpReplicaVm {
  id: string;
  uid: string;
  name: string;
  /** Id of the CDP replica (policy) the VM is in: the first id of the failover URL. */
  cdpReplicaId: string;
  cdpReplicaUid?: string;
  /** EM's documented ref of the protected VM: `urn:VMware:Vm:<root>.<moref>`. */
  vmRef?: string;
  backupServerUid?: string;
  policyUid?: string;
  policyName?: string;
}

export interface CdpVApp {
  id: string;
  uid: string;
  name: string;
  /** EM's documented ref of the protected vApp: `urn:vCloud:Vapp:<root>.urn:vcloud:vapp:<uuid>`. */
  vAppRef?: string;
  cdpReplicaUid?: string;
  backupServerUid?: string;
  policyUid?: string;
  policyName?: string;
}

export interface CdpRange {
  start: Date;
  end: Date;
  /** EM's Rpo; the unit is undocumented (the simulator uses seconds). */
  rpo?: number;
  type: string;
}

export interface CdpLongTermPoint {
  id: string;
  date: Date;
  applicationConsistent: boolean;
}

export interface CdpIntervals {
  from: Date;
  to: Date;
  hasApplicationConsistentState: boolean;
  /** Short-term ranges: any moment inside can be restored. */
  ranges: CdpRange[];
  longTermPoints: CdpLongTermPoint[];
}

/** What to restore a CDP VM or vApp to (EM's CdpFailoverStartSpec, one target at a time). */
export type CdpFailoverTarget =
  | { kind: 'latestCrashConsistent' }
  | { kind: 'latestApplicationConsistent' }
  /** Newest replicated state created before `at`. */
  | { kind: 'pointInTime'; at: Date }
  /** Newest point of the interval containing `at`. */
  | { kind: 'interval'; at: Date };

export type TaskState = 'Running' | 'OperationFinished' | 'Finished';

export interface EmTask {
  /** e.g. task-12. Tasks are visible only to the logon session that created them. */
  id: string;
  state: TaskState | 'Unknown';
  operation: string;
  result?: { success: boolean; message: string };
  /** The restore session where progress lives, once EM links it. */
  restoreSessionId?: string;
}

export type RestoreSessionState = 'Starting' | 'Working' | 'Stopping' | 'Stopped' | 'Unknown';
export type RestoreSessionResult = 'Success' | 'Warning' | 'Failed';

export interface RestoreSession {
  id: string;
  uid: string;
  name: string;
  vmDisplayName?: string;
  jobType?: string;
  state: RestoreSessionState;
  /** Undefined while running (EM's "None"). */
  result?: RestoreSessionResult;
  /** 0–100. */
  progress: number;
  creationTime?: Date;
  endTime?: Date;
  restoredObjRef?: string;
  backupServerUid?: string;
}

export interface RestoreSessionFilter {
  vmDisplayName?: string;
  /** Sessions created at or after this moment. */
  createdAfter?: Date;
}

export interface VmReplicaPointFilter {
  replicaUid?: string;
  vmDisplayName?: string;
  backupServerUid?: string;
}

/** One listing page, parsed only on demand. */
export interface EmPage<T> {
  /** Digest of the page exactly as EM sent it: an equal fingerprint means equal contents. */
  readonly fingerprint: string;
  /** The page's objects (parsed on the first call). */
  items(): T[];
}

/**
 * The gateway's view of EM. Listings stream pages, so a sync never holds the
 * whole inventory. Every method throws only {@link EmError} subclasses.
 */
export interface EmClient {
  /** Logs on now (otherwise the first call does). */
  logon(): Promise<void>;
  /** Ends the logon session, if any; the next call logs on again. */
  logoff(): Promise<void>;
  /** Logs off and refuses further calls. */
  close(): Promise<void>;

  listBackupServers(): Promise<BackupServer[]>;
  /** Every hierarchy root (query type HierarchyRoot): how hosts' names and ids become EM refs. */
  listHierarchyRoots(): Promise<HierarchyRoot[]>;
  getBackupServer(id: string): Promise<BackupServer>;

  listReplicas(): AsyncIterable<Replica[]>;
  listVmReplicaPoints(filter?: VmReplicaPointFilter): AsyncIterable<VmReplicaPoint[]>;
  getVmReplicaPoint(id: string): Promise<VmReplicaPoint>;
  /** Every VM replica point, as pages with fingerprints (see {@link EmPage}): a caller that has seen a page can skip parsing it. */
  listVmReplicaPointPages(): AsyncIterable<EmPage<VmReplicaPoint>>;
  listVAppReplicaPoints(): AsyncIterable<VAppReplicaPoint[]>;
  listVAppReplicaPointPages(): AsyncIterable<EmPage<VAppReplicaPoint>>;
  getVAppReplicaPoint(id: string): Promise<VAppReplicaPoint>;

  listCdpReplicas(): AsyncIterable<CdpReplica[]>;
  listCdpReplicaVms(cdpReplicaId: string): Promise<CdpReplicaVm[]>;
  /** Every CDP replica's VMs, one page per CDP replica. */
  listAllCdpReplicaVms(): AsyncIterable<CdpReplicaVm[]>;
  getCdpReplicaVm(cdpReplicaId: string, vmId: string): Promise<CdpReplicaVm>;
  listCdpVApps(): AsyncIterable<CdpVApp[]>;
  getCdpVApp(id: string): Promise<CdpVApp>;
  getCdpVmIntervals(cdpReplicaId: string, vmId: string, range: { from: Date; to: Date }): Promise<CdpIntervals>;
  getCdpVAppIntervals(vAppId: string, range: { from: Date; to: Date }): Promise<CdpIntervals>;

  /** The four failovers. Each returns the created task; a lost answer is EmOutcomeUnknownError, never a resend. */
  failoverVmReplicaPoint(pointId: string): Promise<EmTask>;
  failoverCdpVm(cdpReplicaId: string, vmId: string, target: CdpFailoverTarget): Promise<EmTask>;
  failoverVAppReplicaPoint(pointId: string): Promise<EmTask>;
  failoverCdpVApp(vAppId: string, target: CdpFailoverTarget): Promise<EmTask>;

  getTask(taskId: string): Promise<EmTask>;
  getRestoreSession(id: string): Promise<RestoreSession>;
  /** Restore sessions by VM name and start time: how to reconcile a failover whose outcome is unknown. */
  findRestoreSessions(filter: RestoreSessionFilter): Promise<RestoreSession[]>;
}
