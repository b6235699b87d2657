import type { AuditEntryInput } from '../audit/index.js';
import { ACTIONS } from '../operations/actions.js';
import { describeTarget } from './request.js';
import type { FailoverActor, FailoverOperation, FailoverRefusal, FailoverTargetRequest, RequestOrigin } from './types.js';

/** Audit action of a failover decision (dry runs included: `details.dryRun`). */
export const FAILOVER_ACTION = 'failover';
/** Audit action written when an operation ends: by the gateway, with the outcome. */
export const FAILOVER_END_ACTION = 'failover.end';

/** Rules of decisions the CASL policy does not make: validation, idempotency, concurrency and EM's answer. */
export const FAILOVER_RULE = {
  unknown: 'inventory.unknown',
  wrongKind: 'validation.wrong-kind',
  replay: 'idempotency.replay',
  keyReused: 'idempotency.key-reused',
  inProgress: 'failover.in-progress',
  upstream: (code: FailoverRefusal['code']) => `upstream.${code.toLowerCase().replaceAll('_', '-')}`,
  validation: (problem: string) => `validation.${problem}`,
} as const;

/** What the audit entry says about the request, whatever the decision. */
export function requestDetails(target: FailoverTargetRequest | null): Record<string, unknown> {
  if (!target) return {};
  const object = 'restorePointId' in target ? { restorePointId: target.restorePointId } : { replicaId: target.replicaId, ...describeTarget(target.target) };
  return { kind: target.kind, ...object };
}

export interface DecisionEntry {
  /** The audit action: the policy action of the replica action (`failover`, `undoFailover`, …). */
  action: string;
  actor: FailoverActor;
  origin: RequestOrigin;
  callerReason: string | null;
  subject: { type: string; id: string } | null;
  allowed: boolean;
  rule: string;
  reason: string;
  details: Record<string, unknown>;
}

export function decisionEntry(entry: DecisionEntry): AuditEntryInput {
  return {
    actor: { subject: entry.actor.subject, groups: entry.actor.groups, roles: entry.actor.roles },
    action: entry.action,
    subject: entry.subject,
    decision: entry.allowed ? 'ALLOW' : 'DENY',
    rule: entry.rule,
    reason: entry.reason,
    callerReason: entry.callerReason,
    ...entry.origin,
    details: entry.details,
  };
}

/** The end of an operation, recorded by the gateway itself. */
export function endEntry(operation: FailoverOperation): AuditEntryInput {
  // A permanent failover that succeeded took the replica out of the inventory (operation-store: removeReplica).
  const removed = ACTIONS[operation.action].to === null && (operation.state === 'SUCCEEDED' || operation.state === 'WARNING');
  return {
    actor: { subject: null },
    action: operation.action === 'FAILOVER' ? FAILOVER_END_ACTION : `${ACTIONS[operation.action].policyAction}.end`,
    subject: { type: 'Replica', id: operation.replicaId ?? operation.replicaEmKey },
    decision: 'ALLOW',
    rule: null,
    reason: `${capitalised(ACTIONS[operation.action].label)} ${operation.state === 'NOT_STARTED' ? 'not started' : 'ended'}: ${operation.state}${removed ? '; the replica left the inventory and every restore scope' : ''}`,
    requestId: operation.requestId,
    details: {
      operationId: operation.id,
      kind: operation.kind,
      ...(operation.action === 'FAILOVER' ? {} : { action: operation.action, upstreamPointId: operation.upstreamPointId }),
      ...(removed ? { removedFromInventory: true } : {}),
      initiator: operation.initiatorSubject,
      state: operation.state,
      result: operation.result,
      message: operation.message,
      replicaState: operation.replicaState,
      emTaskId: operation.emTaskId,
      restoreSessionId: operation.restoreSessionId,
    },
  };
}

const capitalised = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;
