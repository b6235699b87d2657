/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AccountType =
  /** Matched against the token's groups. */
  | 'GROUP'
  /** Matched against the token's subject. */
  | 'USER';

export type AuditDecision =
  | 'ALLOW'
  | 'DENY';

export type AuditLogFilter = {
  /** e.g. failover, account.update. */
  action?: string | null | undefined;
  /** The actor's subject. */
  actor?: string | null | undefined;
  decision?: AuditDecision | null | undefined;
  /** At or after. */
  from?: string | null | undefined;
  subjectId?: string | null | undefined;
  subjectType?: string | null | undefined;
  /** Strictly before. */
  to?: string | null | undefined;
};

/** What a CDP VM or vApp is restored to: exactly one member. */
export type CdpFailoverTargetInput =
  {   /** Must be true: the latest application-consistent long-term point. */
  latestApplicationConsistent: boolean; latestCrashConsistent?: never; pointInTime?: never; }
  |  { latestApplicationConsistent?: never;   /** Must be true: the latest crash-consistent state. */
  latestCrashConsistent: boolean; pointInTime?: never; }
  |  { latestApplicationConsistent?: never; latestCrashConsistent?: never;   /** The newest state replicated at or before this moment; it must lie inside the replica's CDP history, not in the future. */
  pointInTime: string; };

/** What a CDP failover restores to. */
export type CdpTargetKind =
  /** The latest application-consistent long-term point. */
  | 'LATEST_APPLICATION_CONSISTENT'
  /** The latest crash-consistent state. */
  | 'LATEST_CRASH_CONSISTENT'
  /** The newest state replicated at or before a moment. */
  | 'POINT_IN_TIME';

/** A VM from a CDP policy, to a target in its CDP history. */
export type CdpVmReplicaFailoverInput = {
  /** Validate and decide, audit, dispatch nothing. Default: false. */
  dryRun?: boolean | null | undefined;
  /** Why (recorded in the audit log and on the operation). Printable text; the gateway may require it. */
  reason?: string | null | undefined;
  /** A CdpVmReplica. */
  replicaId: string | number;
  target: CdpFailoverTargetInput;
};

export type CreateAccountInput = {
  /** Default: all four. */
  allowedKinds?: Array<ReplicaKind> | null | undefined;
  displayName?: string | null | undefined;
  /** Actions beyond the roles' defaults (PERMANENT_FAILOVER and the failback actions). Default: none. Listing a default action is refused. */
  grantedActions?: Array<ReplicaAction> | null | undefined;
  name: string;
  roles: Array<PortalRole>;
  /** Default: nothing. */
  scope?: RestoreScopeInput | null | undefined;
  type: AccountType;
};

/** Where the gateway keeps its state. */
export type DatabaseKind =
  /** Embedded PGlite in a local data folder. */
  | 'PGLITE'
  /** A PostgreSQL server. */
  | 'POSTGRESQL';

/** Why an operation was refused. Results carry it in `Error.code`; transport-level failures in `extensions.code`. */
export type ErrorCode =
  /** No API offers this action for the replica's kind (CDP, Cloud Director and Hyper-V replicas): use the Veeam console. */
  | 'ACTION_NOT_SUPPORTED'
  /** The input is malformed: `field` names the culprit. Nothing changed. */
  | 'BAD_USER_INPUT'
  /** The backup server's edition does not allow failover (Enterprise or Enterprise Plus needed). */
  | 'EDITION_NOT_SUPPORTED'
  /** Another operation on this replica (a failover or any other action) is active. */
  | 'FAILOVER_IN_PROGRESS'
  /** You may see the object but not do this to it (e.g. a kind your account may not fail over). */
  | 'FORBIDDEN'
  /** The idempotency key belongs to a different request. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The restore point or CDP target does not exist (any more) for this replica. */
  | 'INVALID_RESTORE_TARGET'
  /** No such object, or it is outside your restore scope: the two are indistinguishable. */
  | 'NOT_FOUND'
  /** The replica is not Ready in EM. */
  | 'REPLICA_NOT_READY'
  /** No valid bearer token (a GraphQL error, HTTP 401). */
  | 'UNAUTHENTICATED'
  /** Enterprise Manager or the backup server refused the request; its message says why. Nothing was started. */
  | 'UPSTREAM_REJECTED'
  /** Enterprise Manager or the backup server could not be reached; nothing was started. Safe to retry, same key included. */
  | 'UPSTREAM_UNAVAILABLE'
  /** The replica's current state does not allow this action: `replicaState` says where it stands and `allowedActions` what it allows. */
  | 'WRONG_REPLICA_STATE';

export type FailoverEventFilter = {
  /** Only operations this subject asked for. */
  initiator?: string | null | undefined;
  /** Only operations of these kinds. */
  kinds?: Array<ReplicaKind> | null | undefined;
  /** Only these operations. */
  operationIds?: Array<string | number> | null | undefined;
  /** Only operations on this replica. */
  replicaId?: string | number | null | undefined;
};

/** One failover: exactly one member, one per kind of EM failover. */
export type FailoverInput =
  {   cdpVmReplica: CdpVmReplicaFailoverInput; vcdCdpVAppReplica?: never; vcdVAppReplica?: never; vmReplica?: never; }
  |  { cdpVmReplica?: never;   vcdCdpVAppReplica: VcdCdpVAppReplicaFailoverInput; vcdVAppReplica?: never; vmReplica?: never; }
  |  { cdpVmReplica?: never; vcdCdpVAppReplica?: never;   vcdVAppReplica: VcdVAppReplicaFailoverInput; vmReplica?: never; }
  |  { cdpVmReplica?: never; vcdCdpVAppReplica?: never; vcdVAppReplica?: never;   vmReplica: VmReplicaFailoverInput; };

export type FailoverOperationFilter = {
  /** Only active (true) or only ended (false) operations. */
  active?: boolean | null | undefined;
  /** Only operations this subject asked for. */
  initiator?: string | null | undefined;
  kinds?: Array<ReplicaKind> | null | undefined;
  /** Only operations on this replica. */
  replicaId?: string | number | null | undefined;
  states?: Array<FailoverState> | null | undefined;
};

/** Where a failover operation stands. DISPATCHING, OUTCOME_UNKNOWN and RUNNING are active: one at most per replica. */
export type FailoverState =
  /** Accepted by the gateway; the request to EM is being sent. */
  | 'DISPATCHING'
  /** EM ran the failover and it failed. */
  | 'FAILED'
  /** EM refused it or could not be reached: nothing started. `result` holds the error code. */
  | 'NOT_STARTED'
  /** EM's answer was lost: the gateway is finding out from EM whether it started. It is never sent twice. */
  | 'OUTCOME_UNKNOWN'
  /** EM started it; progress comes from its restore session. */
  | 'RUNNING'
  /** The replica failed over. */
  | 'SUCCEEDED'
  /** The replica failed over, with warnings. */
  | 'WARNING';

/** License edition of a backup server. EM fails over only on Enterprise and Enterprise Plus. */
export type LicenseEdition =
  | 'COMMUNITY'
  | 'ENTERPRISE'
  | 'ENTERPRISE_PLUS'
  | 'STANDARD'
  /** EM did not say. */
  | 'UNKNOWN';

/** What `explain` asks about: reading the object, or one of the replica actions (the values of ReplicaAction). */
export type PolicyAction =
  /** Start the commit failback of the replica. */
  | 'COMMIT_FAILBACK'
  /** Start the failback of the replica. */
  | 'FAILBACK'
  /** Start the failover of the replica. */
  | 'FAILOVER'
  /** Start the permanent failover of the replica. */
  | 'PERMANENT_FAILOVER'
  /** Start the planned failover of the replica. */
  | 'PLANNED_FAILOVER'
  /** Read the object. */
  | 'READ'
  /** Start the switch to production of the replica. */
  | 'SWITCH_TO_PRODUCTION'
  /** Start the undo failback of the replica. */
  | 'UNDO_FAILBACK'
  /** Start the undo failover of the replica. */
  | 'UNDO_FAILOVER';

/** EM's portal roles. */
export type PortalRole =
  /** Sees and fails over anything. */
  | 'PORTAL_ADMINISTRATOR'
  /** Acts only inside the restore scope. */
  | 'PORTAL_USER'
  /** Acts only inside the restore scope. */
  | 'RESTORE_OPERATOR';

/** What can be done to a replica over its lifecycle: each value names the states it starts from and the state it leads to. */
export type ReplicaAction =
  /** Commit failback: Failback to Ready. */
  | 'COMMIT_FAILBACK'
  /** Failback: Failover to ReadyToSwitch. */
  | 'FAILBACK'
  /** Failover: Ready to Failover. */
  | 'FAILOVER'
  /** Permanent failover: from Failover; the VM is no longer a replica afterwards. */
  | 'PERMANENT_FAILOVER'
  /** Planned failover: Ready to Failover. */
  | 'PLANNED_FAILOVER'
  /** Switch to production: ReadyToSwitch to Failback. */
  | 'SWITCH_TO_PRODUCTION'
  /** Undo failback: ReadyToSwitch or Failback to Failover. */
  | 'UNDO_FAILBACK'
  /** Undo failover: Failover to Ready. */
  | 'UNDO_FAILOVER';

export type ReplicaFilter = {
  /** Only replicas of this backup server. */
  backupServerId?: string | number | null | undefined;
  /** Only replicas of backup servers of these editions. */
  editions?: Array<LicenseEdition> | null | undefined;
  kinds?: Array<ReplicaKind> | null | undefined;
  /** Case-insensitive part of the name. */
  search?: string | null | undefined;
  /** EM states, e.g. ["Ready"]. */
  states?: Array<string> | null | undefined;
};

/** The four kinds of failover-able units in EM. */
export type ReplicaKind =
  /** A VM protected by a CDP policy. */
  | 'CDP_VM'
  /** A vApp protected by a Cloud Director CDP policy. */
  | 'VCD_CDP_VAPP'
  /** A vApp in a Cloud Director replication job. */
  | 'VCD_VAPP_REPLICA'
  /** A VM in a replication job. */
  | 'VM_REPLICA';

/** Either all objects, or a list of references (an empty list grants nothing). */
export type RestoreScopeInput =
  {   /** Must be true. */
  allObjects: boolean; items?: never; }
  |  { allObjects?: never;   items: Array<ScopeItemInput>; };

export type ScopeItemInput = {
  /** Display name. Absent or blank: the inventory's name of the ref (see `containers`), else the ref itself. */
  name?: string | null | undefined;
  /** A hierarchy reference the inventory knows, e.g. urn:VMware:Cluster:<root>.<moref>. */
  ref: string;
};

/** Fields to change; absent ones stay as they are. */
export type UpdateAccountInput = {
  allowedKinds?: Array<ReplicaKind> | null | undefined;
  displayName?: string | null | undefined;
  /** Replaces the granted actions; [] grants none beyond the defaults. */
  grantedActions?: Array<ReplicaAction> | null | undefined;
  name?: string | null | undefined;
  roles?: Array<PortalRole> | null | undefined;
  scope?: RestoreScopeInput | null | undefined;
};

/** A vApp from a Cloud Director CDP policy, to a target in its CDP history. */
export type VcdCdpVAppReplicaFailoverInput = {
  /** Validate and decide, audit, dispatch nothing. Default: false. */
  dryRun?: boolean | null | undefined;
  /** Why (recorded in the audit log and on the operation). Printable text; the gateway may require it. */
  reason?: string | null | undefined;
  /** A VcdCdpVAppReplica. */
  replicaId: string | number;
  target: CdpFailoverTargetInput;
};

/** A vApp from a Cloud Director replication job, to one of its restore points. */
export type VcdVAppReplicaFailoverInput = {
  /** Validate and decide, audit, dispatch nothing. Default: false. */
  dryRun?: boolean | null | undefined;
  /** Why (recorded in the audit log and on the operation). Printable text; the gateway may require it. */
  reason?: string | null | undefined;
  /** A RestorePoint of a VcdVAppReplica. */
  restorePointId: string | number;
};

/** A VM from a replication job, to one of its restore points. */
export type VmReplicaFailoverInput = {
  /** Validate and decide, audit, dispatch nothing. Default: false. */
  dryRun?: boolean | null | undefined;
  /** Why (recorded in the audit log and on the operation). Printable text; the gateway may require it. */
  reason?: string | null | undefined;
  /** A RestorePoint of a VmReplica. */
  restorePointId: string | number;
};

export type AccountFieldsFragment = { id: string, type: AccountType, name: string, displayName: string | null, roles: Array<PortalRole>, allowedKinds: Array<ReplicaKind>, visibleReplicaCount: number, updatedAt: string, scope: { all: boolean, items: Array<{ ref: string, name: string }> } };

export type AccountsQueryVariables = Exact<{ [key: string]: never; }>;


export type AccountsQuery = { accounts: Array<{ id: string, type: AccountType, name: string, displayName: string | null, roles: Array<PortalRole>, allowedKinds: Array<ReplicaKind>, visibleReplicaCount: number, updatedAt: string, scope: { all: boolean, items: Array<{ ref: string, name: string }> } }> };

export type CreateAccountMutationVariables = Exact<{
  input: CreateAccountInput;
}>;


export type CreateAccountMutation = { createAccount: { id: string, type: AccountType, name: string, displayName: string | null, roles: Array<PortalRole>, allowedKinds: Array<ReplicaKind>, visibleReplicaCount: number, updatedAt: string, scope: { all: boolean, items: Array<{ ref: string, name: string }> } } };

export type UpdateAccountMutationVariables = Exact<{
  id: string | number;
  input: UpdateAccountInput;
}>;


export type UpdateAccountMutation = { updateAccount: { id: string, type: AccountType, name: string, displayName: string | null, roles: Array<PortalRole>, allowedKinds: Array<ReplicaKind>, visibleReplicaCount: number, updatedAt: string, scope: { all: boolean, items: Array<{ ref: string, name: string }> } } };

export type DeleteAccountMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteAccountMutation = { deleteAccount: string };

export type ExplainQueryVariables = Exact<{
  account: string | number;
  action: PolicyAction;
  object: string | number;
}>;


export type ExplainQuery = { explain: { allowed: boolean, rule: string, reason: string, grantingAccounts: Array<{ id: string, type: AccountType, name: string }> } };

export type ReplicaChoicesQueryVariables = Exact<{
  search?: string | null | undefined;
}>;


export type ReplicaChoicesQuery = { replicas: { edges: Array<{ node:
        | { id: string, name: string, kind: ReplicaKind }
        | { id: string, name: string, kind: ReplicaKind }
        | { id: string, name: string, kind: ReplicaKind }
        | { id: string, name: string, kind: ReplicaKind }
       }> } };

export type AuditLogQueryVariables = Exact<{
  filter?: AuditLogFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { nextCursor: string | null, entries: Array<{ seq: string, at: string, action: string, decision: AuditDecision, actorSubject: string | null, actorGroups: Array<string>, actorRoles: Array<string>, subjectType: string | null, subjectId: string | null, rule: string | null, reason: string | null, callerReason: string | null, requestId: string | null, clientAddress: string | null, hash: string, details: unknown }> } };

export type VerifyAuditLogQueryVariables = Exact<{ [key: string]: never; }>;


export type VerifyAuditLogQuery = { verifyAuditLog: { ok: boolean, checked: number, headSeq: string | null, headHash: string | null, firstBroken: { seq: string, problem: string, message: string } | null } };

type ReplicaRow_CdpVmReplica_Fragment = { id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } };

type ReplicaRow_VcdCdpVAppReplica_Fragment = { id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } };

type ReplicaRow_VcdVAppReplica_Fragment = { id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } };

type ReplicaRow_VmReplica_Fragment = { id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } };

export type ReplicaRowFragment =
  | ReplicaRow_CdpVmReplica_Fragment
  | ReplicaRow_VcdCdpVAppReplica_Fragment
  | ReplicaRow_VcdVAppReplica_Fragment
  | ReplicaRow_VmReplica_Fragment
;

export type InventoryReplicasQueryVariables = Exact<{
  filter?: ReplicaFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type InventoryReplicasQuery = { replicas: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ node:
        | { id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } }
        | { id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } }
        | { id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } }
        | { id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } }
       }> } };

export type InventoryBackupServersQueryVariables = Exact<{ [key: string]: never; }>;


export type InventoryBackupServersQuery = { backupServers: { totalCount: number, edges: Array<{ node: { id: string, name: string, description: string | null, edition: LicenseEdition, version: string | null, canFailOver: boolean, stale: boolean, lastSyncedAt: string | null, lastSyncFailedAt: string | null, lastSyncError: string | null } }> } };

export type OperationProgressFragment = { id: string, state: FailoverState, progress: number, active: boolean, result: string | null, message: string | null };

export type RestorePointRowFragment = { id: string, emId: string, name: string, creationTime: string, pointType: string | null, algorithm: string | null };

export type CdpHistoryFragment = { totalCount: number, edges: Array<{ node: { start: string, end: string, rpoSeconds: number | null } }> };

export type CdpPointsFragment = { totalCount: number, edges: Array<{ node: { emId: string, date: string, applicationConsistent: boolean } }> };

export type ReplicaDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type ReplicaDetailQuery = { node:
    | { __typename: 'Account', id: string }
    | { __typename: 'BackupServer', id: string }
    | { __typename: 'CdpVmReplica', objectRef: string | null, hierarchyRefs: Array<string>, policyName: string | null, hasApplicationConsistentState: boolean | null, id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, shortTermRanges: { totalCount: number, edges: Array<{ node: { start: string, end: string, rpoSeconds: number | null } }> }, longTermPoints: { totalCount: number, edges: Array<{ node: { emId: string, date: string, applicationConsistent: boolean } }> }, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } }
    | { __typename: 'FailoverOperation', id: string }
    | { __typename: 'RestorePoint', id: string }
    | { __typename: 'VcdCdpVAppReplica', objectRef: string | null, hierarchyRefs: Array<string>, policyName: string | null, memberVmRefs: Array<string>, hasApplicationConsistentState: boolean | null, id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, shortTermRanges: { totalCount: number, edges: Array<{ node: { start: string, end: string, rpoSeconds: number | null } }> }, longTermPoints: { totalCount: number, edges: Array<{ node: { emId: string, date: string, applicationConsistent: boolean } }> }, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } }
    | { __typename: 'VcdVAppReplica', objectRef: string | null, hierarchyRefs: Array<string>, jobName: string | null, memberVmRefs: Array<string>, id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, restorePoints: { totalCount: number, edges: Array<{ node: { id: string, emId: string, name: string, creationTime: string, pointType: string | null, algorithm: string | null } }> }, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } }
    | { __typename: 'VmReplica', objectRef: string | null, hierarchyRefs: Array<string>, jobName: string | null, id: string, name: string, kind: ReplicaKind, state: string | null, platform: string, syncedAt: string, restorePoints: { totalCount: number, edges: Array<{ node: { id: string, emId: string, name: string, creationTime: string, pointType: string | null, algorithm: string | null } }> }, backupServer: { id: string, name: string, edition: LicenseEdition, canFailOver: boolean, stale: boolean } }
   | null, failoverOperations: { totalCount: number, edges: Array<{ node: { id: string, kind: ReplicaKind, state: FailoverState, active: boolean, progress: number, replicaName: string, restorePointEmId: string | null, restorePointTime: string | null, cdpTarget: CdpTargetKind | null, cdpPointInTime: string | null, initiator: string, reason: string | null, emTaskId: string | null, restoreSessionId: string | null, result: string | null, message: string | null, createdAt: string, dispatchedAt: string | null, finishedAt: string | null } }> } };

export type ConsoleViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleViewerQuery = { viewer: { subject: string, groups: Array<string>, roles: Array<PortalRole>, scopeAll: boolean, allowedKinds: Array<ReplicaKind>, tokenExpiresAt: string, scope: Array<{ ref: string, name: string }> }, gateway: { version: string } };

export type FailoverMutationVariables = Exact<{
  input: FailoverInput;
  idempotencyKey?: string | null | undefined;
}>;


export type FailoverMutation = { failover:
    | { __typename: 'ActionNotSupportedError', code: ErrorCode, message: string }
    | { __typename: 'BadUserInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'EditionNotSupportedError', code: ErrorCode, message: string, edition: LicenseEdition }
    | { __typename: 'FailoverDryRun', kind: ReplicaKind, rule: string, reason: string, restorePointEmId: string | null, restorePointTime: string | null, cdpTarget: CdpTargetKind | null, cdpPointInTime: string | null, replica:
        | { id: string, name: string }
        | { id: string, name: string }
        | { id: string, name: string }
        | { id: string, name: string }
       }
    | { __typename: 'FailoverInProgressError', code: ErrorCode, message: string, activeOperation: { id: string, state: FailoverState } | null }
    | { __typename: 'FailoverStarted', replayed: boolean, operation: { id: string, kind: ReplicaKind, state: FailoverState, active: boolean, progress: number, replicaName: string, restorePointEmId: string | null, restorePointTime: string | null, cdpTarget: CdpTargetKind | null, cdpPointInTime: string | null, initiator: string, reason: string | null, emTaskId: string | null, restoreSessionId: string | null, result: string | null, message: string | null, createdAt: string, dispatchedAt: string | null, finishedAt: string | null } }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string, rule: string }
    | { __typename: 'IdempotencyKeyReusedError', code: ErrorCode, message: string }
    | { __typename: 'InvalidRestoreTargetError', code: ErrorCode, message: string, availableFrom: string | null, availableTo: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ReplicaNotReadyError', code: ErrorCode, message: string, replicaState: string | null }
    | { __typename: 'UpstreamRejectedError', code: ErrorCode, message: string, emMessage: string | null }
    | { __typename: 'UpstreamUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'WrongReplicaStateError', code: ErrorCode, message: string }
   };

export type FailoverOperationFieldsFragment = { id: string, kind: ReplicaKind, state: FailoverState, active: boolean, progress: number, replicaName: string, restorePointEmId: string | null, restorePointTime: string | null, cdpTarget: CdpTargetKind | null, cdpPointInTime: string | null, initiator: string, reason: string | null, emTaskId: string | null, restoreSessionId: string | null, result: string | null, message: string | null, createdAt: string, dispatchedAt: string | null, finishedAt: string | null };

export type FailoverOperationQueryVariables = Exact<{
  id: string | number;
}>;


export type FailoverOperationQuery = { failoverOperation: { id: string, kind: ReplicaKind, state: FailoverState, active: boolean, progress: number, replicaName: string, restorePointEmId: string | null, restorePointTime: string | null, cdpTarget: CdpTargetKind | null, cdpPointInTime: string | null, initiator: string, reason: string | null, emTaskId: string | null, restoreSessionId: string | null, result: string | null, message: string | null, createdAt: string, dispatchedAt: string | null, finishedAt: string | null } | null };

export type FailoverOperationsQueryVariables = Exact<{
  filter?: FailoverOperationFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FailoverOperationsQuery = { failoverOperations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, kind: ReplicaKind, state: FailoverState, active: boolean, progress: number, replicaName: string, restorePointEmId: string | null, restorePointTime: string | null, cdpTarget: CdpTargetKind | null, cdpPointInTime: string | null, initiator: string, reason: string | null, emTaskId: string | null, restoreSessionId: string | null, result: string | null, message: string | null, createdAt: string, dispatchedAt: string | null, finishedAt: string | null } }> } };

export type GatewayInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type GatewayInfoQuery = { gateway: { version: string, startedAt: string, database: DatabaseKind } };

export type HeartbeatSubscriptionVariables = Exact<{
  intervalMs: number;
  count?: number | null | undefined;
}>;


export type HeartbeatSubscription = { heartbeat: { sequence: number, at: string } };

export type FailoverEventFieldsFragment = { operationId: string, sequence: number, at: string, kind: ReplicaKind, state: FailoverState, progress: number, taskState: string | null, restoreSessionState: string | null, result: string | null, message: string | null, replicaState: string | null, final: boolean };

export type FailoverProgressSubscriptionVariables = Exact<{
  operationId: string | number;
  afterSequence?: number | null | undefined;
}>;


export type FailoverProgressSubscription = { failoverProgress: { operationId: string, sequence: number, at: string, kind: ReplicaKind, state: FailoverState, progress: number, taskState: string | null, restoreSessionState: string | null, result: string | null, message: string | null, replicaState: string | null, final: boolean } };

export type FailoverEventsSubscriptionVariables = Exact<{
  filter?: FailoverEventFilter | null | undefined;
}>;


export type FailoverEventsSubscription = { failoverEvents: { operationId: string, sequence: number, at: string, kind: ReplicaKind, state: FailoverState, progress: number, taskState: string | null, restoreSessionState: string | null, result: string | null, message: string | null, replicaState: string | null, final: boolean } };

export const AccountFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccountFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Account"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"allowedKinds"}},{"kind":"Field","name":{"kind":"Name","value":"visibleReplicaCount"}},{"kind":"Field","name":{"kind":"Name","value":"scope"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"all"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ref"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<AccountFieldsFragment, unknown>;
export const ReplicaRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReplicaRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Replica"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"platform"}},{"kind":"Field","name":{"kind":"Name","value":"syncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"backupServer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"edition"}},{"kind":"Field","name":{"kind":"Name","value":"canFailOver"}},{"kind":"Field","name":{"kind":"Name","value":"stale"}}]}}]}}]} as unknown as DocumentNode<ReplicaRowFragment, unknown>;
export const OperationProgressFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationProgress"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverOperation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]} as unknown as DocumentNode<OperationProgressFragment, unknown>;
export const RestorePointRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RestorePointRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestorePoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"emId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"creationTime"}},{"kind":"Field","name":{"kind":"Name","value":"pointType"}},{"kind":"Field","name":{"kind":"Name","value":"algorithm"}}]}}]} as unknown as DocumentNode<RestorePointRowFragment, unknown>;
export const CdpHistoryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CdpHistory"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CdpShortTermRangeConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"rpoSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<CdpHistoryFragment, unknown>;
export const CdpPointsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CdpPoints"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CdpLongTermPointConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"emId"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"applicationConsistent"}}]}}]}}]}}]} as unknown as DocumentNode<CdpPointsFragment, unknown>;
export const FailoverOperationFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FailoverOperationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverOperation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"replicaName"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointEmId"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointTime"}},{"kind":"Field","name":{"kind":"Name","value":"cdpTarget"}},{"kind":"Field","name":{"kind":"Name","value":"cdpPointInTime"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"emTaskId"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dispatchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<FailoverOperationFieldsFragment, unknown>;
export const FailoverEventFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FailoverEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"operationId"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"taskState"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionState"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"replicaState"}},{"kind":"Field","name":{"kind":"Name","value":"final"}}]}}]} as unknown as DocumentNode<FailoverEventFieldsFragment, unknown>;
export const AccountsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccountFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccountFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Account"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"allowedKinds"}},{"kind":"Field","name":{"kind":"Name","value":"visibleReplicaCount"}},{"kind":"Field","name":{"kind":"Name","value":"scope"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"all"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ref"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<AccountsQuery, AccountsQueryVariables>;
export const CreateAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateAccountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccountFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccountFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Account"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"allowedKinds"}},{"kind":"Field","name":{"kind":"Name","value":"visibleReplicaCount"}},{"kind":"Field","name":{"kind":"Name","value":"scope"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"all"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ref"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CreateAccountMutation, CreateAccountMutationVariables>;
export const UpdateAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateAccountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccountFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccountFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Account"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"allowedKinds"}},{"kind":"Field","name":{"kind":"Name","value":"visibleReplicaCount"}},{"kind":"Field","name":{"kind":"Name","value":"scope"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"all"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ref"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<UpdateAccountMutation, UpdateAccountMutationVariables>;
export const DeleteAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteAccountMutation, DeleteAccountMutationVariables>;
export const ExplainDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Explain"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"account"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"action"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PolicyAction"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"object"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"account"},"value":{"kind":"Variable","name":{"kind":"Name","value":"account"}}},{"kind":"Argument","name":{"kind":"Name","value":"action"},"value":{"kind":"Variable","name":{"kind":"Name","value":"action"}}},{"kind":"Argument","name":{"kind":"Name","value":"object"},"value":{"kind":"Variable","name":{"kind":"Name","value":"object"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"grantingAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ExplainQuery, ExplainQueryVariables>;
export const ReplicaChoicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReplicaChoices"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replicas"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ReplicaChoicesQuery, ReplicaChoicesQueryVariables>;
export const AuditLogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditLog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditLogFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nextCursor"}},{"kind":"Field","name":{"kind":"Name","value":"entries"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"actorSubject"}},{"kind":"Field","name":{"kind":"Name","value":"actorGroups"}},{"kind":"Field","name":{"kind":"Name","value":"actorRoles"}},{"kind":"Field","name":{"kind":"Name","value":"subjectType"}},{"kind":"Field","name":{"kind":"Name","value":"subjectId"}},{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"callerReason"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"clientAddress"}},{"kind":"Field","name":{"kind":"Name","value":"hash"}},{"kind":"Field","name":{"kind":"Name","value":"details"}}]}}]}}]}}]} as unknown as DocumentNode<AuditLogQuery, AuditLogQueryVariables>;
export const VerifyAuditLogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VerifyAuditLog"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"verifyAuditLog"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"checked"}},{"kind":"Field","name":{"kind":"Name","value":"headSeq"}},{"kind":"Field","name":{"kind":"Name","value":"headHash"}},{"kind":"Field","name":{"kind":"Name","value":"firstBroken"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"problem"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<VerifyAuditLogQuery, VerifyAuditLogQueryVariables>;
export const InventoryReplicasDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"InventoryReplicas"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ReplicaFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replicas"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReplicaRow"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReplicaRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Replica"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"platform"}},{"kind":"Field","name":{"kind":"Name","value":"syncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"backupServer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"edition"}},{"kind":"Field","name":{"kind":"Name","value":"canFailOver"}},{"kind":"Field","name":{"kind":"Name","value":"stale"}}]}}]}}]} as unknown as DocumentNode<InventoryReplicasQuery, InventoryReplicasQueryVariables>;
export const InventoryBackupServersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"InventoryBackupServers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"backupServers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"edition"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"canFailOver"}},{"kind":"Field","name":{"kind":"Name","value":"stale"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncFailedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncError"}}]}}]}}]}}]}}]} as unknown as DocumentNode<InventoryBackupServersQuery, InventoryBackupServersQueryVariables>;
export const ReplicaDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReplicaDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Replica"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReplicaRow"}},{"kind":"Field","name":{"kind":"Name","value":"objectRef"}},{"kind":"Field","name":{"kind":"Name","value":"hierarchyRefs"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VmReplica"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobName"}},{"kind":"Field","name":{"kind":"Name","value":"restorePoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RestorePointRow"}}]}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VcdVAppReplica"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobName"}},{"kind":"Field","name":{"kind":"Name","value":"memberVmRefs"}},{"kind":"Field","name":{"kind":"Name","value":"restorePoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RestorePointRow"}}]}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CdpVmReplica"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"policyName"}},{"kind":"Field","name":{"kind":"Name","value":"hasApplicationConsistentState"}},{"kind":"Field","name":{"kind":"Name","value":"shortTermRanges"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CdpHistory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"longTermPoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CdpPoints"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VcdCdpVAppReplica"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"policyName"}},{"kind":"Field","name":{"kind":"Name","value":"memberVmRefs"}},{"kind":"Field","name":{"kind":"Name","value":"hasApplicationConsistentState"}},{"kind":"Field","name":{"kind":"Name","value":"shortTermRanges"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CdpHistory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"longTermPoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CdpPoints"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"failoverOperations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"replicaId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FailoverOperationFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReplicaRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Replica"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"platform"}},{"kind":"Field","name":{"kind":"Name","value":"syncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"backupServer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"edition"}},{"kind":"Field","name":{"kind":"Name","value":"canFailOver"}},{"kind":"Field","name":{"kind":"Name","value":"stale"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RestorePointRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestorePoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"emId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"creationTime"}},{"kind":"Field","name":{"kind":"Name","value":"pointType"}},{"kind":"Field","name":{"kind":"Name","value":"algorithm"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CdpHistory"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CdpShortTermRangeConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"rpoSeconds"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CdpPoints"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CdpLongTermPointConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"emId"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"applicationConsistent"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FailoverOperationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverOperation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"replicaName"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointEmId"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointTime"}},{"kind":"Field","name":{"kind":"Name","value":"cdpTarget"}},{"kind":"Field","name":{"kind":"Name","value":"cdpPointInTime"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"emTaskId"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dispatchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<ReplicaDetailQuery, ReplicaDetailQueryVariables>;
export const ConsoleViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleViewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"scopeAll"}},{"kind":"Field","name":{"kind":"Name","value":"allowedKinds"}},{"kind":"Field","name":{"kind":"Name","value":"tokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"scope"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ref"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"gateway"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<ConsoleViewerQuery, ConsoleViewerQueryVariables>;
export const FailoverDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Failover"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failover"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"operation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FailoverOperationFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverDryRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointEmId"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointTime"}},{"kind":"Field","name":{"kind":"Name","value":"cdpTarget"}},{"kind":"Field","name":{"kind":"Name","value":"cdpPointInTime"}},{"kind":"Field","name":{"kind":"Name","value":"replica"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ForbiddenError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EditionNotSupportedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edition"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplicaNotReadyError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replicaState"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverInProgressError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"activeOperation"},"name":{"kind":"Name","value":"operation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidRestoreTargetError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"availableFrom"}},{"kind":"Field","name":{"kind":"Name","value":"availableTo"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpstreamRejectedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"emMessage"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"BadUserInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FailoverOperationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverOperation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"replicaName"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointEmId"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointTime"}},{"kind":"Field","name":{"kind":"Name","value":"cdpTarget"}},{"kind":"Field","name":{"kind":"Name","value":"cdpPointInTime"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"emTaskId"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dispatchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<FailoverMutation, FailoverMutationVariables>;
export const FailoverOperationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FailoverOperation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failoverOperation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FailoverOperationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FailoverOperationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverOperation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"replicaName"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointEmId"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointTime"}},{"kind":"Field","name":{"kind":"Name","value":"cdpTarget"}},{"kind":"Field","name":{"kind":"Name","value":"cdpPointInTime"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"emTaskId"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dispatchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<FailoverOperationQuery, FailoverOperationQueryVariables>;
export const FailoverOperationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FailoverOperations"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverOperationFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failoverOperations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FailoverOperationFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FailoverOperationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverOperation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"replicaName"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointEmId"}},{"kind":"Field","name":{"kind":"Name","value":"restorePointTime"}},{"kind":"Field","name":{"kind":"Name","value":"cdpTarget"}},{"kind":"Field","name":{"kind":"Name","value":"cdpPointInTime"}},{"kind":"Field","name":{"kind":"Name","value":"initiator"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"emTaskId"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dispatchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<FailoverOperationsQuery, FailoverOperationsQueryVariables>;
export const GatewayInfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GatewayInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gateway"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"database"}}]}}]}}]} as unknown as DocumentNode<GatewayInfoQuery, GatewayInfoQueryVariables>;
export const HeartbeatDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"Heartbeat"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"intervalMs"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"count"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"heartbeat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"intervalMs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"intervalMs"}}},{"kind":"Argument","name":{"kind":"Name","value":"count"},"value":{"kind":"Variable","name":{"kind":"Name","value":"count"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<HeartbeatSubscription, HeartbeatSubscriptionVariables>;
export const FailoverProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FailoverProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"operationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"0"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failoverProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"operationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"operationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterSequence"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FailoverEventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FailoverEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"operationId"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"taskState"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionState"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"replicaState"}},{"kind":"Field","name":{"kind":"Name","value":"final"}}]}}]} as unknown as DocumentNode<FailoverProgressSubscription, FailoverProgressSubscriptionVariables>;
export const FailoverEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FailoverEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverEventFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failoverEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FailoverEventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FailoverEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FailoverEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"operationId"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"taskState"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionState"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"replicaState"}},{"kind":"Field","name":{"kind":"Name","value":"final"}}]}}]} as unknown as DocumentNode<FailoverEventsSubscription, FailoverEventsSubscriptionVariables>;