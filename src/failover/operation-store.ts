import { randomUUID } from 'node:crypto';
import type { AuditEntryInput, AuditLog } from '../audit/index.js';
import { isForeignKeyViolation } from '../db/sql-state.js';
import { createWriteBatcher, type WriteBatcher } from '../db/write-batcher.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { prepared } from '../db/prepared.js';
import { endEntry } from './audit-entries.js';
import type { FailoverOperation, FailoverRefusal, FailoverState } from './types.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** The columns of a new operation; the store fills in id, state, lease and timestamps. */
export interface OperationDraft {
  action: FailoverOperation['action'];
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
  upstreamPointId: string | null;
  parameters: Prisma.InputJsonValue | null;
  initiatorSubject: string;
  initiatorGroups: string[];
  initiatorRoles: string[];
  callerReason: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  idempotencyExpiresAt: Date | null;
  requestHash: string;
}

/** A draft with the id its operation gets: what a claim's ALLOW entry is written from. */
export type ClaimedDraft = OperationDraft & { id: string };

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
 * which undoes the row; a savepoint keeps the caller's transaction usable.
 */
async function claimOperation(prisma: Prisma.TransactionClient, draft: OperationDraft, owner: { instanceId: string; leaseMs: number }, now: Date): Promise<ClaimResult> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    let rows: FailoverOperation[];
    // Only a key can conflict that way: unkeyed claims need no savepoint (one round trip less).
    const key = draft.idempotencyKey;
    try {
      if (key !== null) await prisma.$executeRawUnsafe('SAVEPOINT claim');
      rows = await prisma.$queryRaw<FailoverOperation[]>(prepared('claimOperation', Prisma.sql`WITH ${claimCtes(draft, randomUUID(), owner, now)} SELECT * FROM written`));
    } catch (error) {
      if (!isForeignKeyViolation(error) || key === null) throw error;
      await prisma.$executeRawUnsafe('ROLLBACK TO SAVEPOINT claim');
      const existing = await keyHolder(prisma, draft.initiatorSubject, key, now);
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

/**
 * The claim's two inserts: the replica's active-failover row, then (only when
 * that was taken) the operation as `written`, skipped when the caller's key
 * holds another. See claimOperation for what each outcome means.
 */
function claimCtes(draft: OperationDraft, id: string, owner: { instanceId: string; leaseMs: number }, now: Date): Prisma.Sql {
  return Prisma.sql`
    slot AS (
      INSERT INTO active_failover ("replicaId", "operationId", "createdAt") VALUES (${draft.replicaId}::uuid, ${id}::uuid, ${now})
      ON CONFLICT ("replicaId") DO NOTHING
      RETURNING "operationId"
    ), written AS (
      INSERT INTO failover_operation (
        id, action, kind, "replicaId", "replicaEmKey", "replicaName", "emDisplayName", "backupServerId", "restorePointId", "restorePointTime",
        "cdpTarget", "cdpTargetAt", "upstreamPointId", "parameters", "initiatorSubject", "initiatorGroups", "initiatorRoles", "callerReason", "requestId",
        "idempotencyKey", "idempotencyExpiresAt", "requestHash", state, "createdAt", "updatedAt", "leaseOwner", "leaseExpiresAt")
      SELECT ${id}::uuid, ${draft.action}::"ReplicaAction", ${draft.kind}::"ReplicaKind", ${draft.replicaId}::uuid, ${draft.replicaEmKey}, ${draft.replicaName}, ${draft.emDisplayName},
        ${draft.backupServerId}, ${draft.restorePointId}, ${draft.restorePointTime}, ${draft.cdpTarget}, ${draft.cdpTargetAt}, ${draft.upstreamPointId}, ${draft.parameters === null ? null : JSON.stringify(draft.parameters)}::jsonb, ${draft.initiatorSubject},
        ${draft.initiatorGroups}::text[], ${draft.initiatorRoles}::text[], ${draft.callerReason}, ${draft.requestId}, ${draft.idempotencyKey},
        ${draft.idempotencyExpiresAt}, ${draft.requestHash}, 'DISPATCHING'::"FailoverState", ${now}, ${now}, ${owner.instanceId},
        ${new Date(now.getTime() + owner.leaseMs)}
      WHERE EXISTS (SELECT 1 FROM slot)
      ON CONFLICT ("initiatorSubject", "idempotencyKey") DO NOTHING
      RETURNING *
    )`;
}

/** The operation holding the caller's key, unless the key expired (then it is released for reuse). */
async function keyHolder(prisma: Db, initiatorSubject: string, key: string, now: Date): Promise<FailoverOperation | null> {
  const existing = await prisma.failoverOperation.findUnique({ where: { initiatorSubject_idempotencyKey: { initiatorSubject, idempotencyKey: key } } });
  if (!existing) return null;
  if (existing.idempotencyExpiresAt && existing.idempotencyExpiresAt.getTime() <= now.getTime()) {
    await prisma.failoverOperation.updateMany({ where: { id: existing.id, idempotencyKey: key }, data: { idempotencyKey: null, idempotencyExpiresAt: null } });
    return null;
  }
  return existing;
}

/** What the upstream answered when it took the operation on: EM's task (and its restore session, once linked), or VBR's session. */
export interface Accepted {
  taskId: string | null;
  taskState: string | null;
  sessionId: string | null;
  sessionState: string | null;
}

export interface RunningRecord {
  id: string;
  accepted: Accepted;
  at: Date;
  /** The operation's sequence before: a higher one after the write means watchers have news. */
  sequence: number;
}

/**
 * Stores "the upstream accepted it" (EM's task and restore session, or VBR's session), batched across
 * concurrent dispatches: one UPDATE for all of them. From DISPATCHING, or from
 * OUTCOME_UNKNOWN when another instance already took the operation for lost
 * (EM's answer is better news than a reconciliation).
 */
function runningWriter(prisma: PrismaClient): WriteBatcher<RunningRecord, FailoverOperation> {
  return createWriteBatcher(async (records) => {
    const values = JSON.stringify(
      records.map((r) => ({ id: r.id, task: r.accepted.taskId, task_state: r.accepted.taskState, session: r.accepted.sessionId, session_state: r.accepted.sessionState, at: r.at.toISOString() })),
    );
    const rows = await prisma.$queryRaw<FailoverOperation[]>(
      prepared(
        'markRunning',
        Prisma.sql`
      UPDATE failover_operation o
         SET state = 'RUNNING', "emTaskId" = v.task, "taskState" = v.task_state, "restoreSessionId" = v.session, "sessionState" = COALESCE(v.session_state, o."sessionState"),
             "dispatchedAt" = v.at, "updatedAt" = v.at
        FROM json_to_recordset(${values}::json) AS v(id uuid, task text, task_state text, session text, session_state text, at timestamptz)
       WHERE o.id = v.id AND o.state IN ('DISPATCHING', 'OUTCOME_UNKNOWN')
      RETURNING o.*`,
      ),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    // An operation that moved on meanwhile (ended by a reconciliation) is returned as it is.
    return Promise.all(records.map(async (r) => byId.get(r.id) ?? (await prisma.failoverOperation.findUniqueOrThrow({ where: { id: r.id } }))));
  });
}

/**
 * No answer came: the failover may have started. The tracker reconciles it; it is never resent.
 * Only from DISPATCHING: an answer stored meanwhile wins. Returns the operation as it now is.
 */
async function markOutcomeUnknown(prisma: PrismaClient, id: string, message: string, now: Date): Promise<FailoverOperation> {
  await prisma.failoverOperation.updateMany({ where: { id, state: 'DISPATCHING' }, data: { state: 'OUTCOME_UNKNOWN', message, dispatchedAt: now, updatedAt: now } });
  return prisma.failoverOperation.findUniqueOrThrow({ where: { id } });
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
  /** The replica is no longer one (permanent failover): it leaves the inventory, and every scope, with this write. */
  removeReplica?: boolean;
}

/** States of an operation that has not ended: only these may end. */
const ACTIVE_STATES: FailoverState[] = ['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING'];

/**
 * The operation ended (EM's restore session stopped, or reconciliation proved it never started): frees the replica.
 * Null when it had ended already: an instance whose lease ran out during its look must not end it a second time
 * (a second final event, a second end in the audit log) after the instance that took it over did.
 */
async function finishOperation(tx: Prisma.TransactionClient, id: string, ending: Ending, now: Date): Promise<FailoverOperation | null> {
  const keyReleased = ending.state === 'NOT_STARTED' ? { idempotencyKey: null, idempotencyExpiresAt: null } : {};
  const { removeReplica, ...columns } = ending;
  const { count } = await tx.failoverOperation.updateMany({
    where: { id, state: { in: ACTIVE_STATES } },
    data: { ...columns, ...keyReleased, finishedAt: now, updatedAt: now, leaseOwner: null, leaseExpiresAt: null },
  });
  if (count === 0) return null;
  // Read before the replica goes: the row still names it, so its event reaches the replica's watchers and caches.
  const operation = await tx.failoverOperation.findUniqueOrThrow({ where: { id } });
  await tx.activeFailover.deleteMany({ where: { operationId: id } });
  if (removeReplica) await tx.$executeRaw`DELETE FROM "Replica" WHERE id = (SELECT "replicaId" FROM failover_operation WHERE id = ${id}::uuid)`;
  // The inventory shows the new state at once (the next sync confirms it), written by the one end that counts.
  else if (ending.replicaState && operation.replicaId) await tx.replica.updateMany({ where: { id: operation.replicaId }, data: { state: ending.replicaState } });
  return operation;
}

/** One look's outcome for a running operation, written in a batch with the others of the tick. */
export interface Look {
  id: string;
  progress: number;
  sessionState: string | null;
  taskState: string | null;
  /** The replica's state seen while the operation runs (failback's phases); null: unchanged. */
  replicaState: string | null;
  at: Date;
  nextLookAt: Date;
  /** The operation's sequence when claimed: a higher one after the write means it changed. */
  sequence: number;
  /** The instance that looked: the look is written only while it holds the lease (one that lost it meanwhile saw older news). */
  owner: string;
}

/**
 * Every write to the operation table goes through here, and each write that
 * changes what watchers see is published by the store itself (the operation
 * as it now is): the service and the tracker never announce changes.
 */
export interface OperationStore {
  /**
   * Creates the operation (DISPATCHING) and takes the replica, both or neither (claimOperation),
   * committed with the audit entry `allowed` gives for it: no claim without its decision on record.
   */
  claim(draft: OperationDraft, owner: { instanceId: string; leaseMs: number }, now: Date, allowed: (operation: ClaimedDraft) => AuditEntryInput): Promise<ClaimResult>;
  /** The operation holding the caller's key, unless the key expired (then it is released). */
  keyHolder(initiatorSubject: string, key: string, now: Date): Promise<FailoverOperation | null>;
  /** The operation of the replica's active slot, if one holds it. */
  activeOn(replicaId: string): Promise<string | null>;
  find(id: string): Promise<FailoverOperation | null>;
  /** Which of these upstream sessions other operations already follow (a lost dispatch must not take one of them for its own). */
  takenSessions(sessionIds: readonly string[], except: string): Promise<Set<string>>;
  /** The upstream accepted it (batched across concurrent dispatches). */
  running(record: RunningRecord): Promise<FailoverOperation>;
  /** No answer came: reconcile, never resend. Only from DISPATCHING. */
  outcomeUnknown(id: string, message: string, now: Date): Promise<FailoverOperation>;
  /** Nothing started: on record with why; the replica and the key are free again. Every end commits with its audit entry. */
  notStarted(id: string, refusal: Pick<FailoverRefusal, 'code' | 'message'>, now: Date): Promise<FailoverOperation>;
  /** It ended: frees the replica. Returns the operation as it now is (unchanged when it had ended already). */
  finish(id: string, ending: Ending, now: Date): Promise<FailoverOperation>;
  /** The same, null when it had ended already and nothing was written: the tracker records only the end it wrote. */
  finishActive(id: string, ending: Ending, now: Date): Promise<FailoverOperation | null>;
  /** A lost dispatch found upstream: it runs. Only from OUTCOME_UNKNOWN; returns the operation as it now is. */
  reconciled(id: string, session: { id: string; state: string | null }, message: string, now: Date): Promise<FailoverOperation>;
  /** Which upstream session is the operation's, once its task names it (no event: watchers do not see the id). */
  noteSession(id: string, sessionId: string): Promise<void>;
  /** A tracker's look (batched across the tick's operations). */
  look(look: Look): Promise<void>;
  /** Leases the due active operations this instance owns or may take over. */
  claimDue(owner: { instanceId: string; leaseMs: number }, batch: number, now: Date): Promise<FailoverOperation[]>;
  /** Hands this instance's leases back, so another takes over at once. */
  handBack(instanceId: string): Promise<void>;
}

export interface OperationStoreOptions {
  prisma: PrismaClient;
  /** Where a claim's decision and every end are recorded, each in the transaction of its write. */
  audit: AuditLog;
  /** Told about every change a watcher sees: wakes the watchers, drops cached answers. */
  publish(operation: FailoverOperation): void;
}

export function createOperationStore({ prisma, audit, publish }: OperationStoreOptions): OperationStore {
  const running = runningWriter(prisma);
  /** Publishes the operation when its sequence moved past `before` (the trigger raised it: an event exists). */
  const published = (operation: FailoverOperation, before: number): FailoverOperation => {
    if (operation.sequence > before) publish(operation);
    return operation;
  };

  /** The end and its audit entry commit together: a crash between them cannot leave an end unrecorded. */
  const finishActive = async (id: string, ending: Ending, now: Date): Promise<FailoverOperation | null> => {
    const ended = await audit.appendWith(
      (tx) => finishOperation(tx, id, ending, now),
      (operation) => operation && endEntry(operation),
    );
    return ended && published(ended, 0);
  };

  /** The same end, answering with the operation as it now is when it had ended already. */
  const finish = async (id: string, ending: Ending, now: Date): Promise<FailoverOperation> =>
    (await finishActive(id, ending, now)) ?? prisma.failoverOperation.findUniqueOrThrow({ where: { id } });

  const looks = createWriteBatcher<Look, void>(async (writes) => {
    const values = JSON.stringify(
      writes.map((w) => ({ id: w.id, progress: w.progress, session: w.sessionState, task: w.taskState, replica: w.replicaState, at: w.at.toISOString(), next: w.nextLookAt.toISOString(), owner: w.owner })),
    );
    // A replica state seen by the look (failback's phases) goes to the inventory in the same statement, so only
    // the lease holder writes it: an instance whose lease ran out mid-look must not put back an older phase.
    const rows = await prisma.$queryRaw<FailoverOperation[]>`
      WITH v AS (
        SELECT * FROM json_to_recordset(${values}::json) AS v(id uuid, progress int, session text, task text, replica text, at timestamptz, next timestamptz, owner text)
      ), looked AS (
        UPDATE failover_operation o
           SET progress = v.progress, "sessionState" = v.session, "taskState" = v.task, "replicaState" = COALESCE(v.replica, o."replicaState"), "nextLookAt" = v.next,
               "updatedAt" = CASE WHEN (o.progress, o."sessionState", o."taskState", o."replicaState") IS DISTINCT FROM (v.progress, v.session, v.task, COALESCE(v.replica, o."replicaState")) THEN v.at ELSE o."updatedAt" END
          FROM v
         WHERE o.id = v.id AND o.state = 'RUNNING' AND o."leaseOwner" = v.owner
        RETURNING o.*
      ), moved AS (
        UPDATE "Replica" r SET state = v.replica
          FROM looked JOIN v ON v.id = looked.id
         WHERE r.id = looked."replicaId" AND v.replica IS NOT NULL AND r.state IS DISTINCT FROM v.replica
      )
      SELECT * FROM looked`;
    const before = new Map(writes.map((w) => [w.id, w.sequence]));
    for (const row of rows) published(row, before.get(row.id) ?? 0);
    return writes.map(() => undefined);
  });

  return {
    async claim(draft, owner, now, allowed) {
      // The usual claim (a free replica, no other append in the batch) is one statement with its entry; the transaction
      // below handles the rest: busy replicas, keys, conflicts.
      const id = randomUUID();
      const claimed = await audit.appendWith<ClaimResult>(
        (tx) => claimOperation(tx, draft, owner, now),
        (result) => (result.type === 'claimed' ? allowed({ ...draft, id: result.operation.id }) : null),
        {
          name: 'claimWithEntry',
          ctes: claimCtes(draft, id, owner, now),
          entry: allowed({ ...draft, id }),
          result: (rows) => (rows[0] ? { type: 'claimed' as const, operation: rows[0] as FailoverOperation } : undefined),
        },
      );
      if (claimed.type === 'claimed') publish(claimed.operation);
      return claimed;
    },
    keyHolder: (subject, key, now) => keyHolder(prisma, subject, key, now),
    async activeOn(replicaId) {
      const holder = await prisma.activeFailover.findUnique({ where: { replicaId }, select: { operationId: true } });
      return holder?.operationId ?? null;
    },
    find: (id) => prisma.failoverOperation.findUnique({ where: { id } }),
    async takenSessions(sessionIds, except) {
      const rows = await prisma.failoverOperation.findMany({ where: { restoreSessionId: { in: [...sessionIds] }, id: { not: except } }, select: { restoreSessionId: true } });
      return new Set(rows.map((row) => row.restoreSessionId!));
    },
    async running(record) {
      return published(await running.add(record), record.sequence);
    },
    async outcomeUnknown(id, message, now) {
      const before = await prisma.failoverOperation.findUniqueOrThrow({ where: { id }, select: { sequence: true } });
      return published(await markOutcomeUnknown(prisma, id, message, now), before.sequence);
    },
    notStarted: (id, refusal, now) => finish(id, { state: 'NOT_STARTED', result: refusal.code, message: refusal.message, progress: 0, replicaState: null }, now),
    finishActive,
    finish,
    async reconciled(id, session, message, now) {
      // Only from OUTCOME_UNKNOWN: a late reconciliation must not reopen an operation another instance has ended meanwhile.
      const { count } = await prisma.failoverOperation.updateMany({
        where: { id, state: 'OUTCOME_UNKNOWN' },
        data: { state: 'RUNNING', restoreSessionId: session.id, sessionState: session.state, message, updatedAt: now },
      });
      const found = await prisma.failoverOperation.findUniqueOrThrow({ where: { id } });
      return count === 0 ? found : published(found, 0);
    },
    async noteSession(id, sessionId) {
      await prisma.failoverOperation.update({ where: { id }, data: { restoreSessionId: sessionId } });
    },
    look: (look) => looks.add(look),
    claimDue({ instanceId, leaseMs }, batch, at) {
      return prisma.$queryRaw<FailoverOperation[]>`
        UPDATE failover_operation SET "leaseOwner" = ${instanceId}, "leaseExpiresAt" = ${new Date(at.getTime() + leaseMs)}
        WHERE id IN (
          SELECT id FROM failover_operation
          WHERE (state IN ('OUTCOME_UNKNOWN', 'RUNNING')
                 AND ("leaseOwner" = ${instanceId} AND ("nextLookAt" IS NULL OR "nextLookAt" <= ${at}) OR "leaseOwner" IS NULL OR "leaseExpiresAt" < ${at}))
             -- DISPATCHING is being sent by its owner: only one whose lease ran out is taken, its owner having died
             -- mid-dispatch or failed to store the answer (a dispatch ends well within the lease; this instance's own
             -- dispatches still in flight are left alone by the tracker).
             OR state = 'DISPATCHING' AND "leaseExpiresAt" < ${at}
          -- Most overdue first: when more are due than one batch holds, they take turns.
          ORDER BY "nextLookAt" NULLS FIRST, "createdAt"
          LIMIT ${batch}
          FOR UPDATE SKIP LOCKED)
        RETURNING *`;
    },
    async handBack(instanceId) {
      await prisma.failoverOperation.updateMany({ where: { leaseOwner: instanceId, state: { in: ['OUTCOME_UNKNOWN', 'RUNNING'] } }, data: { leaseOwner: null, leaseExpiresAt: null } });
    },
  };
}
