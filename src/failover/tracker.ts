import type { Logger } from 'pino';
import { EmError, EmNotFoundError, type EmClient, type EmTask, type RestoreSession } from '../em/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Ending, OperationStore } from './operation-store.js';
import { nextPollDelay, pollBounds, type PreviousLook } from './poll-interval.js';
import { NO_STATE_SOURCE, stateAfterFailover, type ReplicaStateSource } from './replica-state.js';
import type { FailoverOperation } from './types.js';
import { ACTIONS } from '../operations/actions.js';
import { isVbrError } from '../vbr/index.js';
import type { VbrClientFor } from './vbr-driver.js';
import { createVbrFollower } from './vbr-follow.js';

export interface TrackerOptions {
  /** Where replica states are read after a failover (default: none; the operation's outcome decides). */
  states?: ReplicaStateSource;
  prisma: PrismaClient;
  em: EmClient;
  /** The backup servers' REST clients: lifecycle actions are followed there (default: none configured). */
  vbrFor?: VbrClientFor;
  instanceId: string;
  logger: Logger;
  /** Operations this process is dispatching right now: left alone until their answer is stored. */
  isDispatching(operationId: string): boolean;
  /** Owns every write to the operation table and publishes each change. */
  store: OperationStore;
  /**
   * The base interval between two looks at an operation; the tracker looks up
   * to four times as often while progress moves fast and up to five times less
   * often while it stalls. Default: 1,000 ms.
   */
  pollMs?: number;
  /** How long a claimed operation stays this instance's without renewal. Default: 30,000 ms. */
  leaseMs?: number;
  /**
   * How long after a lost dispatch the absence of a restore session in EM
   * proves the failover never started. Default: 60,000 ms.
   */
  reconcileGraceMs?: number;
  /** Operations followed per look. Default: 200. */
  batch?: number;
  now?: () => Date;
}

export interface FailoverTracker {
  start(): void;
  /** One look at every due active operation this instance owns or may take over. */
  tick(): Promise<void>;
  /** Stops and hands its leases back, so another instance takes over at once. */
  stop(): Promise<void>;
}

/** Sessions created this long before the operation still count as its own: clocks of EM and the gateway differ. */
const CLOCK_MARGIN_MS = 60_000;

/**
 * EM's documented restore session job types, neither of them a failover (whose
 * own value EM does not document): a session of the VM of either type is
 * another restore, never the operation's.
 */
const OTHER_RESTORES = new Set(['FileLevelRestore', 'RestoreVm']);

/** EM's task states after which it changes no more. */
const TASK_DONE = new Set(['Finished']);

/**
 * The task's state for the final event, as EM tells it now: the state just
 * read, the done state already stored (a done task changes no more), or none
 * when EM no longer knows the task. Tasks belong to EM's logon session, so an
 * instance that took the operation over (its own logon) cannot read it: the
 * state the first owner saw while it ran is not current at the end.
 */
function endTaskState(operation: FailoverOperation, task: EmTask | null): string | null {
  if (task) return task.state;
  return operation.taskState !== null && TASK_DONE.has(operation.taskState) ? operation.taskState : null;
}

/**
 * Follows active operations to their end: a lost dispatch is reconciled from
 * EM's restore sessions (never resent), a running one follows its restore
 * session, and its task until it names the session and again at the end. Every change it stores becomes an event (a trigger writes
 * it) and the store announces it. One instance owns an operation at a
 * time through a lease; when an instance dies, another takes its operations
 * over once their leases expire.
 */
export function createFailoverTracker(options: TrackerOptions): FailoverTracker {
  const { prisma, em, instanceId, logger, store } = options;
  const states = options.states ?? NO_STATE_SOURCE;
  const leaseMs = options.leaseMs ?? 30_000;
  const bounds = pollBounds(options.pollMs ?? 1_000, leaseMs);
  const graceMs = options.reconcileGraceMs ?? 60_000;
  const batch = options.batch ?? 200;
  const vbr = createVbrFollower({ prisma, vbrFor: options.vbrFor ?? (() => undefined), graceMs, now: () => now() });
  const now = options.now ?? (() => new Date());
  /** What each followed operation looked like last time, for the adaptive interval. Dropped when it ends or moves to another instance. */
  const looks = new Map<string, PreviousLook>();
  /** Tasks EM forgot (a new logon): not asked for again. */
  const goneTasks = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function end(operation: FailoverOperation, ending: Ending): Promise<void> {
    looks.delete(operation.id);
    if (operation.emTaskId) goneTasks.delete(operation.emTaskId);
    // Null: another instance ended it while this one looked (its lease ran out meanwhile): that end is the one on record.
    const ended = await store.finishActive(operation.id, ending, now());
    if (!ended) return;
    logger.info({ operationId: operation.id, state: ended.state, result: ended.result, replicaState: ended.replicaState }, 'failover operation ended');
  }

  /** A dispatch whose answer was lost: EM's restore sessions say whether it started. */
  async function reconcile(operation: FailoverOperation): Promise<void> {
    const since = operation.dispatchedAt ?? operation.createdAt;
    const sessions = await em.findRestoreSessions({ vmDisplayName: operation.emDisplayName, createdAfter: new Date(operation.createdAt.getTime() - CLOCK_MARGIN_MS) });
    const failovers = sessions.filter((session) => !OTHER_RESTORES.has(session.jobType ?? ''));
    const taken = await store.takenSessions(failovers.map((s) => s.id), operation.id);
    // The newest: the clock margin also lets in sessions of the VM from just before the attempt that no operation
    // follows (a failover or undo from the console, an earlier attempt), while EM runs one failover of a VM at a
    // time and the operation holds the replica, so no other failover of it starts after its own meanwhile.
    const own = failovers.filter((session) => !taken.has(session.id)).sort((a, b) => (b.creationTime?.getTime() ?? 0) - (a.creationTime?.getTime() ?? 0))[0];
    if (own) {
      const found = await store.reconciled(operation.id, { id: own.id, state: own.state }, 'Reconciled: EM started this failover although its answer was lost', now());
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

  /** EM's task, unless it is done or EM forgot it (tasks die with EM's logon session; the restore session does not). */
  async function readTask(operation: FailoverOperation): Promise<EmTask | null> {
    const taskId = operation.emTaskId;
    if (!taskId || goneTasks.has(taskId) || (operation.taskState !== null && TASK_DONE.has(operation.taskState))) return null;
    try {
      return await em.getTask(taskId);
    } catch (error) {
      if (!(error instanceof EmNotFoundError)) throw error;
      goneTasks.add(taskId);
      return null;
    }
  }

  async function follow(operation: FailoverOperation, known?: RestoreSession): Promise<void> {
    // The task says which restore session is the failover's, and how it ended; in between it only says Running,
    // so while the session is known and running, the session alone is read.
    let task = operation.restoreSessionId ? null : await readTask(operation);
    const sessionId = operation.restoreSessionId ?? task?.restoreSessionId ?? null;
    if (!sessionId && operation.emTaskId && goneTasks.has(operation.emTaskId)) {
      // The task is gone before it named its restore session: find the session the way a lost dispatch is found.
      await reconcile(operation);
      return;
    }
    if (sessionId && !operation.restoreSessionId) await store.noteSession(operation.id, sessionId);
    let session: RestoreSession | undefined;
    if (sessionId) {
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
    }
    if (session?.state === 'Stopped') {
      task ??= await readTask(operation);
      const result = session.result ?? 'Success';
      const state = result === 'Failed' ? 'FAILED' : result === 'Warning' ? 'WARNING' : 'SUCCEEDED';
      const replicaState = await stateAfterFailover(states, prisma, operation, result).catch((error: unknown) => {
        logger.warn({ err: error, operationId: operation.id }, "cannot read the replica's state after its failover");
        return null;
      });
      await end(operation, {
        state,
        result,
        message: task?.result?.message ?? operation.message,
        progress: 100,
        replicaState,
        taskState: endTaskState(operation, task),
        sessionState: session.state,
      });
      return;
    }
    const at = now();
    const progress = session?.progress ?? operation.progress;
    const delay = nextPollDelay(bounds, looks.get(operation.id), progress, at.getTime());
    looks.set(operation.id, { progress, atMs: at.getTime(), delayMs: delay });
    await store.look({
      id: operation.id,
      progress,
      sessionState: session?.state ?? operation.sessionState,
      taskState: task?.state ?? operation.taskState,
      replicaState: null,
      at,
      nextLookAt: new Date(at.getTime() + delay),
      sequence: operation.sequence,
      owner: instanceId,
    });
  }

  /** A lifecycle action: its VBR session, or the server's sessions when the answer to its POST was lost. */
  async function followVbr(operation: FailoverOperation): Promise<void> {
    const step =
      operation.state === 'RUNNING'
        ? await vbr.follow(operation)
        : await vbr.reconcile(operation, async (ids) => store.takenSessions(ids, operation.id));
    switch (step.type) {
      case 'wait':
        return;
      case 'reconciled': {
        const found = await store.reconciled(operation.id, { id: step.session.id, state: step.session.state }, 'Reconciled: the backup server started this action although its answer was lost', now());
        // Moved on meanwhile (another instance took it over and ended it): nothing left to follow here.
        if (found.state !== 'RUNNING') return;
        logger.info({ operationId: operation.id, sessionId: step.session.id }, 'lost dispatch reconciled: it started');
        await followVbr(found);
        return;
      }
      case 'end': {
        await end(operation, step.ending);
        return;
      }
      case 'look': {
        const at = now();
        const delay = nextPollDelay(bounds, looks.get(operation.id), step.progress, at.getTime());
        looks.set(operation.id, { progress: step.progress, atMs: at.getTime(), delayMs: delay });
        await store.look({
          id: operation.id,
          progress: step.progress,
          sessionState: step.sessionState,
          taskState: null,
          replicaState: step.replicaState,
          at,
          nextLookAt: new Date(at.getTime() + delay),
          sequence: operation.sequence,
          owner: instanceId,
        });
        return;
      }
    }
  }

  async function track(operation: FailoverOperation): Promise<void> {
    if (options.isDispatching(operation.id)) return;
    const viaEm = ACTIONS[operation.action].upstream.type === 'em';
    try {
      switch (operation.state) {
        case 'DISPATCHING': {
          // Its dispatcher died between claim and answer: the request may have left.
          const unknown = await store.outcomeUnknown(operation.id, 'The gateway instance sending this operation stopped before the upstream answered', operation.createdAt);
          if (unknown.state === 'OUTCOME_UNKNOWN') await (viaEm ? reconcile(unknown) : followVbr(unknown));
          return;
        }
        case 'OUTCOME_UNKNOWN':
          await (viaEm ? reconcile(operation) : followVbr(operation));
          return;
        case 'RUNNING':
          await (viaEm ? follow(operation) : followVbr(operation));
          return;
        default:
          return;
      }
    } catch (error) {
      // The upstream unreachable or the database busy: the next look tries again; the lease keeps the operation here.
      if (error instanceof EmError || isVbrError(error)) logger.warn({ err: error, operationId: operation.id }, 'cannot follow operation now');
      else logger.error({ err: error, operationId: operation.id }, 'operation tracking failed');
    }
  }

  async function tick(): Promise<void> {
    const operations = await store.claimDue({ instanceId, leaseMs }, batch, now());
    // Operations another instance took over, or that ended elsewhere, leave their last look behind.
    const stale = now().getTime() - 10 * bounds.maxMs - leaseMs;
    for (const [id, look] of looks) if (look.atMs < stale) looks.delete(id);
    for (let i = 0; i < operations.length; i += 16) await Promise.all(operations.slice(i, i + 16).map(track));
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
    }, bounds.minMs);
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
      looks.clear();
      await store
        .handBack(instanceId)
        .catch((error: unknown) => logger.warn({ err: error }, 'cannot hand back failover leases; they expire on their own'));
    },
  };
}
