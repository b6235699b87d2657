import type { Logger } from 'pino';
import type { AuditLog } from '../audit/index.js';
import { EmError, EmNotFoundError, type EmClient, type RestoreSession } from '../em/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createWriteBatcher } from '../db/write-batcher.js';
import { endEntry } from './audit-entries.js';
import { finishOperation, markOutcomeUnknown, type Ending } from './operations.js';
import type { FailoverOperation } from './types.js';

export interface TrackerOptions {
  prisma: PrismaClient;
  em: EmClient;
  audit: AuditLog;
  instanceId: string;
  logger: Logger;
  /** Operations this process is dispatching right now: left alone until their answer is stored. */
  isDispatching(operationId: string): boolean;
  /** Between two looks at EM. Default: 1,000 ms. */
  pollMs?: number;
  /** How long a claimed operation stays this instance's without renewal. Default: 30,000 ms. */
  leaseMs?: number;
  /**
   * How long after a lost dispatch the absence of a restore session in EM
   * proves the failover never started. Default: 60,000 ms.
   */
  reconcileGraceMs?: number;
  /** Operations followed per look. Default: 100. */
  batch?: number;
  now?: () => Date;
}

export interface FailoverTracker {
  start(): void;
  /** One look at every active operation this instance owns or may take over. */
  tick(): Promise<void>;
  /** Stops and hands its leases back, so another instance takes over at once. */
  stop(): Promise<void>;
}

/** Sessions created this long before the operation still count as its own: clocks of EM and the gateway differ. */
const CLOCK_MARGIN_MS = 60_000;

/**
 * Follows active operations to their end: a lost dispatch is reconciled from
 * EM's restore sessions (never resent), a running one follows its restore
 * session. One instance owns an operation at a time through a lease; when an
 * instance dies, another takes its operations over once their leases expire.
 */
export function createFailoverTracker(options: TrackerOptions): FailoverTracker {
  const { prisma, em, audit, instanceId, logger } = options;
  const pollMs = options.pollMs ?? 1_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const graceMs = options.reconcileGraceMs ?? 60_000;
  const batch = options.batch ?? 100;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function claim(): Promise<FailoverOperation[]> {
    const at = now();
    return prisma.$queryRaw<FailoverOperation[]>`
      UPDATE failover_operation SET "leaseOwner" = ${instanceId}, "leaseExpiresAt" = ${new Date(at.getTime() + leaseMs)}
      WHERE id IN (
        SELECT id FROM failover_operation
        WHERE (state IN ('OUTCOME_UNKNOWN', 'RUNNING') AND ("leaseOwner" = ${instanceId} OR "leaseOwner" IS NULL OR "leaseExpiresAt" < ${at})
           -- DISPATCHING is being sent by its owner: only one whose owner stopped renewing (died mid-dispatch) is taken.
           OR state = 'DISPATCHING' AND "leaseOwner" <> ${instanceId} AND "leaseExpiresAt" < ${at})
        -- Least recently looked at first: a look pushes the lease out, so more operations than one batch take turns.
        ORDER BY "leaseExpiresAt" NULLS FIRST, "createdAt"
        LIMIT ${batch}
        FOR UPDATE SKIP LOCKED)
      RETURNING *`;
  }

  /** Progress of many operations in one statement: a look at a hundred running failovers is one write, not a hundred. */
  const progress = createWriteBatcher<{ id: string; progress: number; at: Date }, void>(async (changes) => {
    const values = JSON.stringify(changes.map((c) => ({ id: c.id, progress: c.progress, at: c.at.toISOString() })));
    await prisma.$executeRaw`
      UPDATE failover_operation o SET progress = v.progress, "updatedAt" = v.at
        FROM json_to_recordset(${values}::json) AS v(id uuid, progress int, at timestamptz)
       WHERE o.id = v.id AND o.state = 'RUNNING'`;
    return changes.map(() => undefined);
  });

  async function end(operation: FailoverOperation, ending: Ending): Promise<void> {
    const ended = await finishOperation(prisma, operation.id, ending, now());
    await audit.append(endEntry(ended));
    logger.info({ operationId: operation.id, state: ended.state, result: ended.result }, 'failover operation ended');
  }

  /** A dispatch whose answer was lost: EM's restore sessions say whether it started. */
  async function reconcile(operation: FailoverOperation): Promise<void> {
    const since = operation.dispatchedAt ?? operation.createdAt;
    const sessions = await em.findRestoreSessions({ vmDisplayName: operation.emDisplayName, createdAfter: new Date(operation.createdAt.getTime() - CLOCK_MARGIN_MS) });
    const taken = new Set(
      (await prisma.failoverOperation.findMany({ where: { restoreSessionId: { in: sessions.map((s) => s.id) }, id: { not: operation.id } }, select: { restoreSessionId: true } })).map(
        (row) => row.restoreSessionId,
      ),
    );
    const own = sessions.filter((session) => !taken.has(session.id)).sort((a, b) => (a.creationTime?.getTime() ?? 0) - (b.creationTime?.getTime() ?? 0))[0];
    if (own) {
      const found = await prisma.failoverOperation.update({
        where: { id: operation.id },
        data: { state: 'RUNNING', restoreSessionId: own.id, message: 'Reconciled: EM started this failover although its answer was lost', updatedAt: now() },
      });
      logger.info({ operationId: operation.id, restoreSessionId: own.id }, 'lost failover dispatch reconciled: it started');
      await follow(found, own);
      return;
    }
    if (now().getTime() - since.getTime() >= graceMs) {
      await end(operation, {
        state: 'NOT_STARTED',
        result: 'UPSTREAM_UNAVAILABLE',
        message: `EM has no restore session for this failover ${Math.round(graceMs / 1000)} s after it was sent: it did not start`,
        progress: 0,
        replicaState: null,
      });
    }
  }

  async function follow(operation: FailoverOperation, known?: RestoreSession): Promise<void> {
    let sessionId = operation.restoreSessionId;
    if (!sessionId && operation.emTaskId) {
      try {
        sessionId = (await em.getTask(operation.emTaskId)).restoreSessionId ?? null;
      } catch (error) {
        // Tasks belong to EM's logon session: after a new logon the task is gone, the restore session is not.
        if (!(error instanceof EmNotFoundError)) throw error;
        await reconcile(operation);
        return;
      }
      if (sessionId) await prisma.failoverOperation.update({ where: { id: operation.id }, data: { restoreSessionId: sessionId } });
    }
    if (!sessionId) return;
    let session: RestoreSession;
    try {
      session = known ?? (await em.getRestoreSession(sessionId));
    } catch (error) {
      if (!(error instanceof EmNotFoundError)) throw error;
      // EM keeps restore sessions in its history; one that vanished (EM rebuilt, history purged) leaves no outcome to observe.
      await end(operation, {
        state: 'FAILED',
        result: 'Unknown',
        message: `EM no longer knows restore session ${sessionId}; the outcome was not observed: check the replica in the Veeam console`,
        progress: operation.progress,
        replicaState: null,
      });
      return;
    }
    if (session.state === 'Stopped') {
      const state = session.result === 'Failed' ? 'FAILED' : session.result === 'Warning' ? 'WARNING' : 'SUCCEEDED';
      await end(operation, { state, result: session.result ?? 'Success', message: operation.message, progress: 100, replicaState: null });
      return;
    }
    if (session.progress !== operation.progress) await progress.add({ id: operation.id, progress: session.progress, at: now() });
  }

  async function track(operation: FailoverOperation): Promise<void> {
    if (options.isDispatching(operation.id)) return;
    try {
      switch (operation.state) {
        case 'DISPATCHING': {
          // Its dispatcher died between claim and answer: the request may have left.
          const now = await markOutcomeUnknown(prisma, operation.id, 'The gateway instance sending this failover stopped before EM answered', operation.createdAt);
          if (now.state === 'OUTCOME_UNKNOWN') await reconcile(now);
          return;
        }
        case 'OUTCOME_UNKNOWN':
          await reconcile(operation);
          return;
        case 'RUNNING':
          await follow(operation);
          return;
        default:
          return;
      }
    } catch (error) {
      // EM unreachable or the database busy: the next look tries again; the lease keeps the operation here.
      if (error instanceof EmError) logger.warn({ err: error, operationId: operation.id }, 'cannot follow failover operation now');
      else logger.error({ err: error, operationId: operation.id }, 'failover tracking failed');
    }
  }

  async function tick(): Promise<void> {
    const operations = await claim();
    for (let i = 0; i < operations.length; i += 8) await Promise.all(operations.slice(i, i + 8).map(track));
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((error: unknown) => logger.error({ err: error }, 'failover tracker look failed'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, pollMs);
    timer.unref();
  }

  return {
    start: () => {
      stopped = false;
      schedule();
    },
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await prisma.failoverOperation
        .updateMany({ where: { leaseOwner: instanceId, state: { in: ['OUTCOME_UNKNOWN', 'RUNNING'] } }, data: { leaseOwner: null, leaseExpiresAt: null } })
        .catch((error: unknown) => logger.warn({ err: error }, 'cannot hand back failover leases; they expire on their own'));
    },
  };
}
