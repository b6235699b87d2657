import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { FailoverOperation, FailoverRefusal, FailoverState } from './types.js';

/** The columns of a new operation; the store fills in state, lease and timestamps. */
export type OperationDraft = Omit<Prisma.FailoverOperationCreateManyInput, 'id' | 'state' | 'leaseOwner' | 'leaseExpiresAt' | 'createdAt' | 'updatedAt'> & {
  replicaId: string;
};

export type ClaimResult =
  | { type: 'claimed'; operation: FailoverOperation }
  /** Another operation is active on the replica (null: it ended while we looked; the claim was retried and lost again). */
  | { type: 'busy'; operationId: string | null }
  /** The caller's idempotency key already belongs to this operation. */
  | { type: 'keyTaken'; operation: FailoverOperation };

class ReplicaBusy extends Error {}

/** How many times a claim is retried when what blocked it (an expired key, an ending operation) went away meanwhile. */
const CLAIM_ATTEMPTS = 3;

/**
 * Creates the operation in state DISPATCHING and takes the replica's
 * active-failover row, in one transaction: both or neither. The database
 * decides every race: the key's unique index between duplicates, the
 * replica's primary key between different callers, across all instances.
 */
export async function claimOperation(prisma: PrismaClient, draft: OperationDraft, owner: { instanceId: string; leaseMs: number }, now: Date): Promise<ClaimResult> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    try {
      const claimed = await prisma.$transaction(async (tx) => {
        const [operation] = await tx.failoverOperation.createManyAndReturn({
          data: [{ ...draft, state: 'DISPATCHING', leaseOwner: owner.instanceId, leaseExpiresAt: new Date(now.getTime() + owner.leaseMs) }],
          skipDuplicates: true,
        });
        if (!operation) return null;
        const { count } = await tx.activeFailover.createMany({ data: [{ replicaId: draft.replicaId, operationId: operation.id }], skipDuplicates: true });
        if (count === 0) throw new ReplicaBusy();
        return operation;
      });
      if (claimed) return { type: 'claimed', operation: claimed };
    } catch (error) {
      if (!(error instanceof ReplicaBusy)) throw error;
      const holder = await prisma.activeFailover.findUnique({ where: { replicaId: draft.replicaId }, select: { operationId: true } });
      if (holder) return { type: 'busy', operationId: holder.operationId };
      continue; // it ended meanwhile: try again
    }
    // Only a key conflicts on insert: find its operation.
    const key = draft.idempotencyKey!;
    const existing = await prisma.failoverOperation.findUnique({ where: { initiatorSubject_idempotencyKey: { initiatorSubject: draft.initiatorSubject, idempotencyKey: key } } });
    if (!existing) continue; // released meanwhile (nothing started): try again
    if (existing.idempotencyExpiresAt && existing.idempotencyExpiresAt.getTime() <= now.getTime()) {
      await prisma.failoverOperation.updateMany({ where: { id: existing.id, idempotencyKey: key }, data: { idempotencyKey: null, idempotencyExpiresAt: null } });
      continue;
    }
    return { type: 'keyTaken', operation: existing };
  }
  return { type: 'busy', operationId: null };
}

/** EM accepted the failover. */
export function markRunning(prisma: PrismaClient, id: string, task: { id: string; restoreSessionId?: string }, now: Date): Promise<FailoverOperation> {
  return prisma.failoverOperation.update({
    where: { id },
    data: { state: 'RUNNING', emTaskId: task.id, restoreSessionId: task.restoreSessionId ?? null, dispatchedAt: now, updatedAt: now },
  });
}

/**
 * No answer came: the failover may have started. The tracker reconciles it; it is never resent.
 * Only from DISPATCHING: an answer stored meanwhile wins. Returns the operation as it now is.
 */
export async function markOutcomeUnknown(prisma: PrismaClient, id: string, message: string, now: Date): Promise<FailoverOperation> {
  await prisma.failoverOperation.updateMany({ where: { id, state: 'DISPATCHING' }, data: { state: 'OUTCOME_UNKNOWN', message, dispatchedAt: now, updatedAt: now } });
  return prisma.failoverOperation.findUniqueOrThrow({ where: { id } });
}

/**
 * Nothing started: the operation stays on record as NOT_STARTED with why, and
 * frees the replica and the caller's key, so a retry (same key included) can run.
 */
export async function markNotStarted(prisma: PrismaClient, id: string, refusal: Pick<FailoverRefusal, 'code' | 'message'>, now: Date): Promise<FailoverOperation> {
  const [operation] = await prisma.$transaction([
    prisma.failoverOperation.update({
      where: { id },
      data: { state: 'NOT_STARTED', result: refusal.code, message: refusal.message, idempotencyKey: null, idempotencyExpiresAt: null, finishedAt: now, updatedAt: now, leaseOwner: null, leaseExpiresAt: null },
    }),
    prisma.activeFailover.deleteMany({ where: { operationId: id } }),
  ]);
  return operation;
}

export interface Ending {
  state: Extract<FailoverState, 'SUCCEEDED' | 'WARNING' | 'FAILED' | 'NOT_STARTED'>;
  result: string;
  message: string | null;
  progress: number;
  replicaState: string | null;
}

/** The operation ended (EM's restore session stopped, or reconciliation proved it never started): frees the replica. */
export async function finishOperation(prisma: PrismaClient, id: string, ending: Ending, now: Date): Promise<FailoverOperation> {
  const keyReleased = ending.state === 'NOT_STARTED' ? { idempotencyKey: null, idempotencyExpiresAt: null } : {};
  const [operation] = await prisma.$transaction([
    prisma.failoverOperation.update({
      where: { id },
      data: { ...ending, ...keyReleased, finishedAt: now, updatedAt: now, leaseOwner: null, leaseExpiresAt: null },
    }),
    prisma.activeFailover.deleteMany({ where: { operationId: id } }),
  ]);
  return operation;
}
