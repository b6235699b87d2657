import type { FailoverOperation, FailoverState, ReplicaKind } from '../generated/prisma/client.js';
import type { ReplicaAction } from '../operations/actions.js';
import type { RefusalCode } from '../operations/refusals.js';
import type { VbrFailbackRequest } from '../vbr/index.js';

export type { FailoverOperation, FailoverState, ReplicaKind };

/** What a CDP VM or vApp is restored to. */
export type CdpTarget =
  | { kind: 'latestCrashConsistent' }
  | { kind: 'latestApplicationConsistent' }
  /** The newest replicated state created at or before `at`; `at` must lie inside the replica's CDP history. */
  | { kind: 'pointInTime'; at: Date };

/** One failover as the caller asked for it, ids already decoded to database ids. */
export type FailoverTargetRequest =
  | { kind: 'VM_REPLICA'; restorePointId: string }
  | { kind: 'VCD_VAPP_REPLICA'; restorePointId: string }
  | { kind: 'CDP_VM'; replicaId: string; target: CdpTarget }
  | { kind: 'VCD_CDP_VAPP'; replicaId: string; target: CdpTarget };

/** A refusal, as data: what the caller sees and what the audit entry records. */
export type FailoverRefusal =
  | { code: 'NOT_FOUND'; message: string }
  | { code: 'FORBIDDEN'; message: string; rule: string }
  | { code: 'EDITION_NOT_SUPPORTED'; message: string; edition: string; backupServerId: string }
  | { code: 'REPLICA_NOT_READY'; message: string; replicaState: string | null }
  | { code: 'FAILOVER_IN_PROGRESS'; message: string; operationId: string | null }
  | { code: 'INVALID_RESTORE_TARGET'; message: string; availableFrom: Date | null; availableTo: Date | null }
  | { code: 'IDEMPOTENCY_KEY_REUSED'; message: string }
  | { code: 'UPSTREAM_UNAVAILABLE'; message: string }
  | { code: 'UPSTREAM_REJECTED'; message: string; emMessage: string | null }
  | { code: 'BAD_USER_INPUT'; message: string; field: string }
  | { code: 'WRONG_REPLICA_STATE'; message: string; replicaState: string | null; allowedActions: ReplicaAction[] }
  | { code: 'ACTION_NOT_SUPPORTED'; message: string; kind: ReplicaKind | null };

// Every code of the refusal table has its shape here, and no other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const everyRefusalShaped: Same<FailoverRefusal['code'], RefusalCode> = true;
void everyRefusalShaped;

/** What the lifecycle actions after failover are (everything VBR's REST API does for vSphere snapshot replicas). */
export type LifecycleAction = Exclude<ReplicaAction, 'FAILOVER'>;

/** A failback as VBR's REST API takes it, but for the replica point, which the gateway reads just before it posts. */
export type FailbackRequest = Omit<VbrFailbackRequest, 'pointIds'>;

/** One lifecycle action as the caller asked for it, ids decoded. */
export interface ActionRequest {
  action: LifecycleAction;
  replicaId: string;
  /** FAILBACK only. */
  failback: FailbackRequest | null;
}

/** What a dry run of a lifecycle action found: what would be sent. */
export interface ActionPlan {
  action: LifecycleAction;
  replicaId: string;
  replicaState: string | null;
  /** The backup server's replica point the POST would name. */
  upstreamPointId: string | null;
  rule: string;
  reason: string;
}

export type DryRunPlan = FailoverPlan | ActionPlan;

/** What a dry run found: the failover that would be sent. */
export interface FailoverPlan {
  kind: ReplicaKind;
  replicaId: string;
  restorePointId: string | null;
  restorePointTime: Date | null;
  cdpTarget: CdpTarget | null;
  /** The rule that allowed it. */
  rule: string;
  reason: string;
}

export type FailoverOutcome =
  | { type: 'started'; operation: FailoverOperation; /** True when an earlier call with the same key made it. */ replayed: boolean }
  | { type: 'dryRun'; plan: DryRunPlan }
  | { type: 'refused'; refusal: FailoverRefusal };

/** Who asks, as the operation and the audit log record it. */
export interface FailoverActor {
  subject: string;
  groups: readonly string[];
  roles: readonly string[];
  /** Principal's matching account ids: which visibility rows count. */
  accountIds: readonly string[];
}

/** Where the request came from (audit). */
export interface RequestOrigin {
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
}

export const ACTIVE_STATES: readonly FailoverState[] = ['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING'];
export const isActive = (state: FailoverState): boolean => ACTIVE_STATES.includes(state);
