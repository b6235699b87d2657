import type { Logger } from 'pino';
import type { VbrLifecycleEndpoint } from '../operations/actions.js';

export type { VbrLifecycleEndpoint };

/**
 * What the gateway sees of one backup server's own REST API (VBR REST, port
 * 9419, OAuth2): domain types and one interface, no HTTP. Field names follow
 * Veeam's published OpenAPI documents (1.1-rev1 … 1.3-rev2); nothing here is
 * read that those documents do not describe.
 */

/** `x-api-version` revisions this client speaks, highest first. */
export const VBR_API_REVISIONS = ['1.3-rev1', '1.3-rev0', '1.2-rev1', '1.2-rev0', '1.1-rev2', '1.1-rev1'] as const;
export type VbrApiRevision = (typeof VBR_API_REVISIONS)[number];

export interface VbrClientOptions {
  /** Base URL of the server, without /api: e.g. https://vbr01.example.com:9419. */
  url: string;
  username: string;
  password: string;
  /** PEM text of the CA (or self-signed certificate) to trust for https. */
  ca?: string;
  /** SHA-256 fingerprint of the server's certificate (hex, colons optional): the connection is refused unless it matches. */
  fingerprint?: string;
  /** Pin one revision instead of negotiating (must be one of VBR_API_REVISIONS). */
  apiVersion?: VbrApiRevision;
  /** Timeout of every HTTP call, in ms (default 10,000). */
  timeoutMs?: number;
  /** Retries of a read after the first attempt (default 3). POSTs that change something are never resent blindly. */
  readRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Page size of listings (`limit`; default 500). */
  pageSize?: number;
  /** Refresh this long before the access token's `expires_in` runs out (default 30,000 ms). */
  refreshMarginMs?: number;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => number;
}

/** EInstalledLicenseEdition. */
export type VbrLicenseEdition = 'Community' | 'Standard' | 'Enterprise' | 'EnterprisePlus' | 'Unspecified';

/** The subset of InstalledLicenseModel the gateway reads. */
export interface VbrLicense {
  status: string;
  edition: VbrLicenseEdition | string;
  type?: string;
  /** `instanceLicenseSummary.package` or `socketLicenseSummary.package`, when present. */
  package?: string;
  expirationDate?: Date;
}

/** EReplicaState. */
export type VbrReplicaState = 'Ready' | 'Processing' | 'SureBackup' | 'Failover' | 'FailedFailover' | 'PermanentFailover' | 'Failback' | 'ReadyToSwitch';

/** ReplicaModel (+ RegularReplicaModel's creationTime and state). */
export interface VbrReplica {
  id: string;
  /** `Regular` (≤ 1.3-rev1) or `Snapshot` (1.3-rev2), `CDP`. */
  type: string;
  jobId: string;
  /** Name of the job that created the replica. */
  name: string;
  platformName: string;
  platformId?: string;
  creationTime?: Date;
  state?: VbrReplicaState | string;
}

/** ReplicaPointModel. */
export interface VbrReplicaPoint {
  id: string;
  /** Name of the object (VM) the point was created for. */
  name: string;
  platformName: string;
  platformId: string;
  creationTime: Date;
  replicaId: string;
  allowedOperations: string[];
  state?: VbrReplicaState | string;
}

/** InventoryObjectModel, VSphere and CloudDirector members (the others are passed over). */
export interface VbrInventoryObject {
  platform: 'VSphere' | 'CloudDirector' | string;
  hostName: string;
  name: string;
  /** EVmwareInventoryType or ECloudDirectorInventoryType. */
  type: string;
  objectId?: string;
  urn?: string;
}

/** PredicateExpression / GroupExpression of InventoryBrowserFilters.filter. */
export type VbrFilter =
  | { type: 'PredicateExpression'; property: 'platform' | 'size' | 'hostName' | 'name' | 'type' | 'objectId' | 'urn'; operation: 'In' | 'Contains' | 'Equals' | 'NotEquals'; value: string }
  | { type: 'GroupExpression'; operation: 'And' | 'Or' | 'Not'; items: VbrFilter[] };

/**
 * One listing page as VBR sent it. VBR REST has no change stamp, ETag or
 * modified filter, so an equal fingerprint (SHA-1 of the answer's bytes) is
 * the only sign that a page did not change; its objects are read only when
 * asked for.
 */
export interface VbrPage<T> {
  readonly fingerprint: string;
  items(): T[];
}

export interface VbrInventoryQuery {
  /** EHierarchyType: HostsAndClusters, VmsAndTemplates, VmsAndTags; VAppsAndVms for Cloud Director. */
  hierarchyType: string;
  filter?: VbrFilter;
}

/** One include of a replication job (InventoryObjectModel of VSphereReplicaJobModel.virtualMachines.includes). */
export interface VbrJobInclude {
  objectId?: string;
  name: string;
  type: string;
  hostName: string;
  urn?: string;
}

export interface VbrJob {
  id: string;
  name: string;
  type: string;
  includes: VbrJobInclude[];
}

/**
 * A vSphere inventory object as the gateway names it (VmwareObjectModel
 * without `platform`, which is always `VSphere` here): what the Inventory
 * Browser lists. `objectId` (e.g. `host-12`, `vm-2042`) is required by VBR
 * for every object but a vCenter Server or a standalone ESXi host.
 */
export interface VbrInventoryObjectRef {
  /** The vCenter Server (or standalone host) the object belongs to. */
  hostName: string;
  name: string;
  /** EVmwareInventoryType: VirtualMachine, Host, Cluster, ResourcePool, Datastore, Folder, Network, … */
  type: string;
  objectId?: string;
  urn?: string;
}

/** ESessionState; `ActionRequired` arrives with 1.3-rev2. */
export type VbrSessionState =
  | 'Stopped'
  | 'Starting'
  | 'Stopping'
  | 'Working'
  | 'Pausing'
  | 'Resuming'
  | 'WaitingTape'
  | 'Idle'
  | 'Postprocessing'
  | 'WaitingRepository'
  | 'WaitingSlot'
  | 'ActionRequired';

/** ESessionResult. */
export type VbrSessionResult = 'None' | 'Success' | 'Warning' | 'Failed';

/**
 * SessionModel: the fields the gateway follows. A lifecycle POST creates one
 * session per replica point; `name` is the VM's name (the documented examples
 * carry nothing else that links a session to its point).
 */
export interface VbrSessionModel {
  id: string;
  name: string;
  /** ESessionType: Failover, PlannedFailover, UndoFailover, Failback, SwitchReplicaToProduction, … */
  sessionType: string;
  state: VbrSessionState | string;
  /** 0–100. */
  progressPercent?: number;
  creationTime: Date;
  /** Absent while the session runs (VBR may also send .NET's `0001-01-01T00:00:00`, read as absent). */
  endTime?: Date;
  /** `result.result` is `None` until the session ends. */
  result?: { result: VbrSessionResult | string; message?: string; isCanceled?: boolean };
}

/** GET /api/v1/sessions filters (query parameters of the published API; all optional, combined with "and"). */
export interface VbrSessionFilter {
  /** createdAfterFilter, compared with `creationTime` on the VBR server's clock. */
  createdAfter?: Date;
  /** createdBeforeFilter. */
  createdBefore?: Date;
  /** endedAfterFilter. */
  endedAfter?: Date;
  /** endedBeforeFilter. */
  endedBefore?: Date;
  /** typeFilter: one ESessionType (a single value before 1.3-rev0, an array from it; one value suits both). */
  type?: string;
  /** stateFilter: one ESessionState. */
  state?: string;
  /** resultFilter: one ESessionResult. */
  result?: string;
  /** nameFilter: the session name (a VM's name for lifecycle sessions). */
  name?: string;
  /** jobIdFilter. */
  jobId?: string;
}

/** ViVMSnapshotReplicaFailoverSpec: the body of the Failover tag's POSTs. */
export interface VbrFailoverSpec {
  replicaPointIds: string[];
  /** "Operation reason". */
  reason?: string;
}

/** The body of switch to production, commit failback and undo failback (their specs hold `replicaPointIds` only). */
export interface VbrReplicaPointsSpec {
  replicaPointIds: string[];
}

/** InventoryObjectModel of a vSphere object, as sent. */
export interface VbrInventoryObjectSpec extends VbrInventoryObjectRef {
  platform: 'VSphere';
}

/** ReplicaFailbackModeSpec: when to switch over to production. */
export interface VbrFailbackModeSpec {
  type: 'Auto' | 'Scheduled' | 'Manual';
  /** ISO 8601, for Scheduled. */
  scheduledTime?: string;
}

interface VbrFailbackSpecCommon {
  replicaPointIds: string[];
  powerOnTargetVM: boolean;
  failbackMode: VbrFailbackModeSpec;
}

/** ViVMSnapshotReplicaFailbackSpec, polymorphic on `type` (built by failback-spec.ts). */
export type VbrFailbackSpec =
  | (VbrFailbackSpecCommon & { type: 'OriginalLocation'; quickRollback?: boolean })
  | (VbrFailbackSpecCommon & { type: 'OriginalVM'; targetVM: Array<{ replicaPointId: string; destinationVM: VbrInventoryObjectSpec }> })
  | (VbrFailbackSpecCommon & { type: 'Customized' } & VbrCustomizedFailbackTarget);

/** The location fields of a Customized failback spec, each per point except `datastore` (per VM). */
export interface VbrCustomizedFailbackTarget {
  /** Lower-case h, as the published document spells it. */
  destinationhost: Array<{ replicaPointId: string; host: VbrInventoryObjectSpec }>;
  resourcePool?: Array<{ replicaPointId: string; resourcePool: VbrInventoryObjectSpec }>;
  datastore?: VbrFailbackDatastoreSpec[];
  folder?: { restoreVMTags?: boolean; folderMapping?: Array<{ replicaPointId: string; folder: VbrInventoryObjectSpec }> };
  network?: Array<{ replicaPointId: string; networks: Array<{ sourceNetwork: VbrInventoryObjectSpec; targetNetwork: VbrInventoryObjectSpec }> }>;
}

/** ViVMSnapshotReplicaFailbackTargetDatastoreSpec. */
export interface VbrFailbackDatastoreSpec {
  vmObject: VbrInventoryObjectSpec;
  disks: Array<{ diskName: string; datastore: VbrInventoryObjectSpec; diskType?: VbrDiskType }>;
}

/** EDiskCreationMode. */
export type VbrDiskType = 'Source' | 'Thick' | 'Thin' | 'ThickEagerZeroed';

/** The body of a lifecycle POST: the Failover tag's spec, the failback spec, or the point ids alone. */
export type VbrLifecycleBody = VbrFailoverSpec | VbrFailbackSpec | VbrReplicaPointsSpec;

/** When a failback switches over to production: as soon as the sync ends, at a time, or on an explicit switch. */
export type VbrSwitchover = { type: 'auto' } | { type: 'scheduled'; at: Date } | { type: 'manual' };

/** ServerInfoModel subset. */
export interface VbrServerInfo {
  vbrId: string;
  name: string;
  buildVersion: string;
  platform?: string;
}

/**
 * One backup server's REST API. Listings stream pages (`skip`/`limit`). Every
 * method throws only VbrError subclasses (see errors.ts).
 */
export interface VbrClient {
  /** The revision in use: negotiated (highest first, stepping down on 400 NotImplemented) on the first call, or pinned. */
  apiRevision(): Promise<VbrApiRevision>;
  /** Logs on now (otherwise the first call does). */
  logon(): Promise<void>;
  /** POST /api/oauth2/logout and refuse further calls. */
  close(): Promise<void>;

  getServerInfo(): Promise<VbrServerInfo>;
  /** GET /api/v1/license (Backup Administrator; 1.2-rev0 and later). */
  getLicense(): Promise<VbrLicense>;
  /** GET /api/v1/replicas (1.1-rev1 and later). */
  listReplicas(): AsyncIterable<VbrReplica[]>;
  /** GET /api/v1/replicas/{id}. */
  getReplica(id: string): Promise<VbrReplica>;
  /** GET /api/v1/replicaPoints, or /api/v1/replicas/{id}/replicaPoints with `replicaId`; `name` is sent as `nameFilter` (a pattern: `*` matches anything). */
  listReplicaPoints(filter?: { replicaId?: string; name?: string }): AsyncIterable<VbrReplicaPoint[]>;
  /** GET /api/v1/jobs/{id}: the job and its includes (vSphere replica jobs). */
  getJob(id: string): Promise<VbrJob>;
  /** POST /api/v1/inventory: every server added to this backup server (vCenter, Cloud Director, …). */
  listInventoryHosts(): AsyncIterable<VbrInventoryObject[]>;
  /** POST /api/v1/inventory/{hostname} (1.2-rev1 and later): each page with the fingerprint of its bytes, its objects read only when asked for (see VbrPage). */
  browseInventoryPages(hostName: string, query: VbrInventoryQuery): AsyncIterable<VbrPage<VbrInventoryObject>>;

  /**
   * POST one lifecycle endpoint (an `upstream` row of src/operations/actions.ts)
   * once: never resent, except once after a 401 (VBR refused it before acting).
   * Resolves with the sessions the 201 lists (one per point). Fails
   * `outcome_unknown` when it may have been carried out with no readable
   * answer (lost answer, 5xx other than 503, a 201 the client cannot read):
   * reconcile with `listSessions({ type: endpoint.sessionType, createdAfter })`,
   * never by resending. `rejected` (400: VBR's message kept), `not_found`,
   * `forbidden`, `unavailable` (503, 429, nothing sent): nothing was started.
   */
  startReplicaAction(endpoint: VbrLifecycleEndpoint, body: VbrLifecycleBody): Promise<VbrSessionModel[]>;
  /**
   * POST /api/v1/failback/changeSwitchoverTime/vSphere/snapshot (200, no
   * session), sent once like the other lifecycle POSTs. A scheduled time in
   * the past is refused before sending (VbrFailbackSpecError).
   */
  changeFailbackSwitchoverTime(pointIds: string[], mode: VbrSwitchover): Promise<void>;
  /** GET /api/v1/sessions/{id}. */
  getSession(id: string): Promise<VbrSessionModel>;
  /** GET /api/v1/sessions, oldest first (stable paging while sessions are being created). */
  listSessions(filter?: VbrSessionFilter): AsyncIterable<VbrSessionModel[]>;
}
