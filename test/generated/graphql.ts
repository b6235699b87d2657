/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const FailoverOperationFieldsFragmentDoc = new TypedDocumentString(`
    fragment FailoverOperationFields on FailoverOperation {
  id
  kind
  state
  active
  progress
  replicaName
  restorePointEmId
  restorePointTime
  cdpTarget
  cdpPointInTime
  initiator
  reason
  emTaskId
  restoreSessionId
  result
  message
  createdAt
  dispatchedAt
  finishedAt
}
    `, {"fragmentName":"FailoverOperationFields"}) as unknown as TypedDocumentString<FailoverOperationFieldsFragment, unknown>;
export const FailoverEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment FailoverEventFields on FailoverEvent {
  operationId
  sequence
  at
  kind
  state
  progress
  taskState
  restoreSessionState
  result
  message
  replicaState
  final
}
    `, {"fragmentName":"FailoverEventFields"}) as unknown as TypedDocumentString<FailoverEventFieldsFragment, unknown>;
export const FailoverDocument = new TypedDocumentString(`
    mutation Failover($input: FailoverInput!, $idempotencyKey: String) {
  failover(input: $input, idempotencyKey: $idempotencyKey) {
    __typename
    ... on FailoverStarted {
      replayed
      operation {
        ...FailoverOperationFields
      }
    }
    ... on FailoverDryRun {
      kind
      rule
      reason
      restorePointEmId
      restorePointTime
      cdpTarget
      cdpPointInTime
      replica {
        id
        name
      }
    }
    ... on Error {
      code
      message
    }
    ... on ForbiddenError {
      rule
    }
    ... on EditionNotSupportedError {
      edition
    }
    ... on ReplicaNotReadyError {
      replicaState
    }
    ... on FailoverInProgressError {
      activeOperation: operation {
        id
        state
      }
    }
    ... on InvalidRestoreTargetError {
      availableFrom
      availableTo
    }
    ... on UpstreamRejectedError {
      emMessage
    }
    ... on BadUserInputError {
      field
    }
  }
}
    fragment FailoverOperationFields on FailoverOperation {
  id
  kind
  state
  active
  progress
  replicaName
  restorePointEmId
  restorePointTime
  cdpTarget
  cdpPointInTime
  initiator
  reason
  emTaskId
  restoreSessionId
  result
  message
  createdAt
  dispatchedAt
  finishedAt
}`) as unknown as TypedDocumentString<FailoverMutation, FailoverMutationVariables>;
export const FailoverOperationDocument = new TypedDocumentString(`
    query FailoverOperation($id: ID!) {
  failoverOperation(id: $id) {
    ...FailoverOperationFields
  }
}
    fragment FailoverOperationFields on FailoverOperation {
  id
  kind
  state
  active
  progress
  replicaName
  restorePointEmId
  restorePointTime
  cdpTarget
  cdpPointInTime
  initiator
  reason
  emTaskId
  restoreSessionId
  result
  message
  createdAt
  dispatchedAt
  finishedAt
}`) as unknown as TypedDocumentString<FailoverOperationQuery, FailoverOperationQueryVariables>;
export const FailoverOperationsDocument = new TypedDocumentString(`
    query FailoverOperations($filter: FailoverOperationFilter, $first: Int, $after: String) {
  failoverOperations(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...FailoverOperationFields
      }
    }
  }
}
    fragment FailoverOperationFields on FailoverOperation {
  id
  kind
  state
  active
  progress
  replicaName
  restorePointEmId
  restorePointTime
  cdpTarget
  cdpPointInTime
  initiator
  reason
  emTaskId
  restoreSessionId
  result
  message
  createdAt
  dispatchedAt
  finishedAt
}`) as unknown as TypedDocumentString<FailoverOperationsQuery, FailoverOperationsQueryVariables>;
export const GatewayInfoDocument = new TypedDocumentString(`
    query GatewayInfo {
  gateway {
    version
    startedAt
    database
  }
}
    `) as unknown as TypedDocumentString<GatewayInfoQuery, GatewayInfoQueryVariables>;
export const HeartbeatDocument = new TypedDocumentString(`
    subscription Heartbeat($intervalMs: Int!, $count: Int) {
  heartbeat(intervalMs: $intervalMs, count: $count) {
    sequence
    at
  }
}
    `) as unknown as TypedDocumentString<HeartbeatSubscription, HeartbeatSubscriptionVariables>;
export const FailoverProgressDocument = new TypedDocumentString(`
    subscription FailoverProgress($operationId: ID!, $afterSequence: Int = 0) {
  failoverProgress(operationId: $operationId, afterSequence: $afterSequence) {
    ...FailoverEventFields
  }
}
    fragment FailoverEventFields on FailoverEvent {
  operationId
  sequence
  at
  kind
  state
  progress
  taskState
  restoreSessionState
  result
  message
  replicaState
  final
}`) as unknown as TypedDocumentString<FailoverProgressSubscription, FailoverProgressSubscriptionVariables>;
export const FailoverEventsDocument = new TypedDocumentString(`
    subscription FailoverEvents($filter: FailoverEventFilter) {
  failoverEvents(filter: $filter) {
    ...FailoverEventFields
  }
}
    fragment FailoverEventFields on FailoverEvent {
  operationId
  sequence
  at
  kind
  state
  progress
  taskState
  restoreSessionState
  result
  message
  replicaState
  final
}`) as unknown as TypedDocumentString<FailoverEventsSubscription, FailoverEventsSubscriptionVariables>;