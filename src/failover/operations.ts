import { randomUUID } from 'node:crypto';
import { isForeignKeyViolation } from '../db/sql-state.js';
import { createWriteBatcher, type WriteBatcher } from '../db/write-batcher.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { FailoverOperation, FailoverRefusal, FailoverState } from './types.js';

/** The columns of a new operation; the store fills in id, state, lease and timestamps. */
export interface OperationDraft {
  kind: FailoverOperation['kind'];
  replicaId: string;
  replicaEmKey: string;
  replicaName: string;
  emDisplayName: string;
  backupServerId: string;
  restorePointId: string | null;
  restorePointTime: Date | null;
  cdpTarget: string | null;
  cdpTargetAt: Date | null;
  initiatorSubject: string;
  initiatorGroups: string[];
  initiatorRoles: string[];
  callerReason: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  idempotencyExpiresAt: Date | null;
  requestHash: string;
}

export type ClaimResult =
  | { type: 'claimed'; operation: FailoverOperation }
  /** Another operation is active on the replica (null: it ended while we looked, and the claim lost again). */
  | { type: 'busy'; operationId: string | null }
  /** The caller's idempotency key already belongs to this operation. */
  | { type: 'keyTaken'; operation: FailoverOperation };

/** How many times a claim is retried when what blocked it (an expired key, an ending operation) went away meanwhile. */
const CLAIM_ATTEMPTS = 3;

/**
 * Creates the operation in state DISPATCHING and takes the replica's
 * active-failover row, both or neither, in one statement. The database decides
 * every race, across all instances: the replica's primary key between
 * different callers, the key's unique index between duplicates.
 *
 * The statement takes the replica's row first and inserts the operation only
 * if it got it. When the key conflicts, the operation is skipped and the new
 * active-failover row points at nothing: the foreign key fails the statement,
 * which undoes the row. One round trip where an interactive transaction takes
 * four, on the path of every failover.
 */
export async function claimOperation(prisma: PrismaClient, draft: OperationDraft, owner: { instanceId: string; leaseMs: number }, now: Date): Promise<ClaimResult> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const id = randomUUID();
    let rows: FailoverOperation[];
    try {
      rows = await prisma.$queryRaw<FailoverOperation[]>`
        WITH slot AS (
          INSERT INTO active_failover ("replicaId", "operationId", "createdAt") VALUES (${draft.replicaId}::uuid, ${id}::uuid, ${now})
          ON CONFLICT ("replicaId") DO NOTHING
          RETURNING "operationId"
        )
        INSERT INTO failover_operation (
          id, kind, "replicaId", "replicaEmKey", "replicaName", "emDisplayName", "backupServerId", "restorePointId", "restorePointTime",
          "cdpTarget", "cdpTargetAt", "initiatorSubject", "initiatorGroups", "initiatorRoles", "callerReason", "requestId",
          "idempotencyKey", "idempotencyExpiresAt", "requestHash", state, "createdAt", "updatedAt", "leaseOwner", "leaseExpiresAt")
        SELECT ${id}::uuid, ${draft.kind}::"ReplicaKind", ${draft.replicaId}::uuid, ${draft.replicaEmKey}, ${draft.replicaName}, ${draft.emDisplayName},
          ${draft.backupServerId}, ${draft.restorePointId}, ${draft.restorePointTime}, ${draft.cdpTarget}, ${draft.cdpTargetAt}, ${draft.initiatorSubject},
          ${draft.initiatorGroups}::text[], ${draft.initiatorRoles}::text[], ${draft.callerReason}, ${draft.requestId}, ${draft.idempotencyKey},
          ${draft.idempotencyExpiresAt}, ${draft.requestHash}, 'DISPATCHING'::"FailoverState", ${now}, ${now}, ${owner.instanceId},
          ${new Date(now.getTime() + owner.leaseMs)}
        WHERE EXISTS (SELECT 1 FROM slot)
        ON CONFLICT ("initiatorSubject", "idempotencyKey") DO NOTHING
        RETURNING *`;
    } catch (error) {
      if (!isForeignKeyViolation(error) || draft.idempotencyKey === null) throw error;
      const existing = await keyHolder(prisma, draft.initiatorSubject, draft.idempotencyKey, now);
      if (existing) return { type: 'keyTaken', operation: existing };
      continue; // the key expired or was released meanwhile: try again
    }
    if (rows[0]) return { type: 'claimed', operation: rows[0] };
    // A duplicate meets its original on the replica's row before the key's: the key decides what it is.
    if (draft.idempotencyKey !== null) {
      const existing = await keyHolder(prisma, draft.initiatorSubject, draft.idempotencyKey, now);
      if (existing) return { type: 'keyTaken', operation: existing };
    }
    const holder = await prisma.activeFailover.findUnique({ where: { replicaId: draft.replicaId }, select: { operationId: true } });
    if (holder) return { type: 'busy', operationId: holder.operationId };
    // The active one ended while we looked: try again.
  }
  return { type: 'busy', operationId: null };
}

/** The operation holding the caller's key, unless the key expired (then it is released for reuse). */
export async function keyHolder(prisma: PrismaClient, initiatorSubject: string, key: string, now: Date): Promise<FailoverOperation | null> {
  const existing = await prisma.failoverOperation.findUnique({ where: { initiatorSubject_idempotencyKey: { initiatorSubject, idempotencyKey: key } } });
  if (!existing) return null;
  if (existing.idempotencyExpiresAt && existing.idempotencyExpiresAt.getTime() <= now.getTime()) {
    await prisma.failoverOperation.updateMany({ where: { id: existing.id, idempotencyKey: key }, data: { idempotencyKey: null, idempotencyExpiresAt: null } });
    return null;
  }
  return existing;
}

export interface RunningRecord {
  id: string;
  task: { id: string; state?: string; restoreSessionId?: string };
  at: Date;
}

/**
 * Stores "EM accepted the failover" (task, restore session), batched across
 * concurrent dispatches: one UPDATE for all of them. From DISPATCHING, or from
 * OUTCOME_UNKNOWN when another instance already took the operation for lost
 * (EM's answer is better news than a reconciliation).
 */
export function runningWriter(prisma: PrismaClient): WriteBatcher<RunningRecord, FailoverOperation> {
  return createWriteBatcher(async (records) => {
    const values = JSON.stringify(
      records.map((r) => ({ id: r.id, task: r.task.id, task_state: r.task.state ?? null, session: r.task.restoreSessionId ?? null, at: r.at.toISOString() })),
    );
    const rows = await prisma.$queryRaw<FailoverOperation[]>`
      UPDATE failover_operation o
         SET state = 'RUNNING', "emTaskId" = v.task, "taskState" = v.task_state, "restoreSessionId" = v.session, "dispatchedAt" = v.at, "updatedAt" = v.at
        FROM json_to_recordset(${values}::json) AS v(id uuid, task text, task_state text, session text, at timestamptz)
       WHERE o.id = v.id AND o.state IN ('DISPATCHING', 'OUTCOME_UNKNOWN')
      RETURNING o.*`;
    const byId = new Map(rows.map((row) => [row.id, row]));
    // An operation that moved on meanwhile (ended by a reconciliation) is returned as it is.
    return Promise.all(records.map(async (r) => byId.get(r.id) ?? (await prisma.failoverOperation.findUniqueOrThrow({ where: { id: r.id } }))));
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
export function markNotStarted(prisma: PrismaClient, id: string, refusal: Pick<FailoverRefusal, 'code' | 'message'>, now: Date): Promise<FailoverOperation> {
  return finishOperation(prisma, id, { state: 'NOT_STARTED', result: refusal.code, message: refusal.message, progress: 0, replicaState: null }, now);
}

export interface Ending {
  state: Extract<FailoverState, 'SUCCEEDED' | 'WARNING' | 'FAILED' | 'NOT_STARTED'>;
  result: string;
  message: string | null;
  progress: number;
  replicaState: string | null;
  /** EM's task and restore session states as last seen; unchanged when absent. */
  taskState?: string | null;
  sessionState?: string | null;
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
