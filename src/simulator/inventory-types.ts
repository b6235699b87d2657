/** Domain vocabulary shared by the simulator's generator, state machine and routes. */

export type Edition = 'Community' | 'Standard' | 'Enterprise' | 'EnterprisePlus';
export const EDITIONS: readonly Edition[] = ['Community', 'Standard', 'Enterprise', 'EnterprisePlus'];

/** The four failover-able kinds of replica. */
export type ReplicaKind = 'vm' | 'cdpVm' | 'vApp' | 'cdpVApp';
export const REPLICA_KINDS: readonly ReplicaKind[] = ['vm', 'cdpVm', 'vApp', 'cdpVApp'];

/**
 * EReplicaState values the simulator uses, plus the vApp-only Incomplete. The
 * failback states and PermanentFailover are reached only through the VBR
 * faces' lifecycle endpoints (vSphere snapshot replicas).
 */
export type ReplicaState = 'Ready' | 'Processing' | 'Failover' | 'FailedFailover' | 'Incomplete' | 'PermanentFailover' | 'ReadyToSwitch' | 'Failback';

export type InventorySize = 'demo' | 'small' | 'medium' | 'large' | number;

export interface InventoryOptions {
  /** Seed of every generated attribute (default 42). Same seed and size: same inventory. */
  seed?: number;
  /**
   * Number of failover-able replicas (VM replicas + CDP VMs + vApp replicas + CDP vApps),
   * or a preset: 'demo' = 40, 'small' = 1,000, 'medium' = 10,000, 'large' = 100,000 (default 'demo').
   */
  size?: InventorySize;
  /** Restore points per VM replica and per vApp replica (default 3). */
  pointsPerReplica?: number;
  /** The "now" the generated history ends at (default 2025-06-01T00:00:00Z, so output is reproducible). */
  referenceTime?: Date | number;
}

export interface BackupServerRecord {
  index: number;
  id: string;
  uid: string;
  name: string;
  description: string;
  edition: Edition;
  version: string;
  port: number;
}

export interface ReplicaJobRecord {
  index: number;
  id: string;
  uid: string;
  name: string;
  platform: 'VMware' | 'vCloud';
  backupServer: number;
  jobUid: string;
  jobName: string;
  repositoryUid: string;
  repositoryName: string;
}

export interface VmReplicaPointRecord {
  index: number;
  id: string;
  uid: string;
  name: string;
  vmDisplayName: string;
  creationTime: number;
  algorithm: 'Full' | 'Incremental';
  pointType: 'Snapshot';
  /** Index of the job-level replica. */
  replica: number;
  /** Index of the VM replica (the failover-able unit) this point belongs to. */
  vmReplica: number;
  backupServer: number;
  vmRef: string;
  hierarchyRefs: string[];
}

export interface CdpReplicaRecord {
  index: number;
  id: string;
  uid: string;
  name: string;
  platform: 'VMware' | 'vCloud';
  backupServer: number;
  policyUid: string;
  policyName: string;
  repositoryUid: string;
  repositoryName: string;
}

export interface CdpVmRecord {
  index: number;
  id: string;
  uid: string;
  name: string;
  cdpReplica: number;
  backupServer: number;
  vmRef: string;
  hierarchyRefs: string[];
}

export interface VAppReplicaPointRecord {
  index: number;
  id: string;
  uid: string;
  name: string;
  vAppDisplayName: string;
  vAppName: string;
  creationTime: number;
  algorithm: 'Full' | 'Incremental';
  pointType: 'Snapshot';
  replica: number;
  /** Index of the vApp replica (the failover-able unit). */
  vAppReplica: number;
  backupServer: number;
  vAppRef: string;
  vmRefs: string[];
  hierarchyRefs: string[];
}

export interface CdpVAppRecord {
  index: number;
  id: string;
  uid: string;
  name: string;
  cdpReplica: number;
  backupServer: number;
  vAppRef: string;
  vmRefs: string[];
  hierarchyRefs: string[];
}

export interface CdpRange {
  start: number;
  end: number;
  rpoSeconds: number;
}

export interface CdpLongTermPoint {
  id: string;
  date: number;
  applicationConsistent: boolean;
}

/** Everything that can be restored for one CDP VM or vApp, over its whole retention. */
export interface CdpHistory {
  ranges: CdpRange[];
  longTermPoints: CdpLongTermPoint[];
}

/** A vCenter or Cloud Director added to a backup server, as EM's HierarchyRoot. */
export interface HierarchyRootRecord {
  index: number;
  /** HierarchyRootId: the `<root>` of EM refs. */
  id: string;
  uid: string;
  /** The host name. */
  name: string;
  /** vCenter instance UUID (upper case, as EM's sample) or the Cloud Director's id. */
  uniqueId: string;
  hostType: 'VC' | 'VcdSystem';
  backupServer: number;
}

/** A node of the vSphere or Cloud Director hierarchy (for scopes in tests and demos). */
export interface HierarchyNode {
  ref: string;
  name: string;
  type: string;
  parentRef?: string;
}

export interface InventoryCounts {
  backupServers: number;
  vmReplicas: number;
  cdpVms: number;
  vAppReplicas: number;
  cdpVApps: number;
  vmJobs: number;
  vcdJobs: number;
  vmPolicies: number;
  vcdPolicies: number;
  pointsPerReplica: number;
  vmReplicaPoints: number;
  vAppReplicaPoints: number;
  replicas: number;
  cdpReplicas: number;
}
