import type { Logger } from 'pino';

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
  /** GET /api/v1/replicaPoints, or /api/v1/replicas/{id}/replicaPoints with `replicaId`. */
  listReplicaPoints(filter?: { replicaId?: string }): AsyncIterable<VbrReplicaPoint[]>;
  /** GET /api/v1/jobs/{id}: the job and its includes (vSphere replica jobs). */
  getJob(id: string): Promise<VbrJob>;
  /** POST /api/v1/inventory: every server added to this backup server (vCenter, Cloud Director, …). */
  listInventoryHosts(): AsyncIterable<VbrInventoryObject[]>;
  /** POST /api/v1/inventory/{hostname} (1.2-rev1 and later). */
  browseInventory(hostName: string, query: VbrInventoryQuery): AsyncIterable<VbrInventoryObject[]>;
}
