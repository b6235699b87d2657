import { EmError, type EmClient, type EmTask } from '../em/index.js';
import type { Accepted } from './operation-store.js';
import type { SubjectReplica } from './subject.js';
import type { FailoverRefusal, FailoverTargetRequest } from './types.js';
import { UPSTREAM_MESSAGE } from './upstream-messages.js';

/** `cause`: the upstream's error behind a result, for the request's log line only (never the caller's message). */
export type DispatchResult =
  | { type: 'accepted'; accepted: Accepted }
  /** The request may have reached EM and no answer says what happened: reconcile, never resend. */
  | { type: 'unknown'; message: string; cause?: unknown }
  /** EM certainly did not start it. */
  | { type: 'refused'; refusal: FailoverRefusal; cause?: unknown };

/** Sends the one failover POST of this kind. The EM client never retries it. */
export async function dispatchFailover(em: EmClient, replica: SubjectReplica, target: FailoverTargetRequest): Promise<DispatchResult> {
  try {
    const task = await send(em, replica, target);
    return { type: 'accepted', accepted: { taskId: task.id, taskState: task.state, sessionId: task.restoreSessionId ?? null, sessionState: null } };
  } catch (error) {
    if (!(error instanceof EmError)) throw error;
    return classify(error);
  }
}

function send(em: EmClient, replica: SubjectReplica, target: FailoverTargetRequest): Promise<EmTask> {
  switch (target.kind) {
    case 'VM_REPLICA':
      return em.failoverVmReplicaPoint(target.restorePointId);
    case 'VCD_VAPP_REPLICA':
      return em.failoverVAppReplicaPoint(target.restorePointId);
    case 'CDP_VM':
      return em.failoverCdpVm(replica.parentEmId!, replica.emId!, target.target);
    case 'VCD_CDP_VAPP':
      return em.failoverCdpVApp(replica.emId!, target.target);
  }
}

/**
 * Which failures prove that nothing started. A refused connection and a 503
 * (the server declined the request) do; a lost answer does not, and neither
 * does any other 5xx: EM, or a proxy in front of it, may have acted before
 * failing. Those are reconciled instead of being reported as not started.
 */
export function classify(error: EmError): DispatchResult {
  const emMessage = error.emMessage ?? null;
  const refused = (refusal: FailoverRefusal): DispatchResult => ({ type: 'refused', refusal, cause: error });
  const unknown: DispatchResult = { type: 'unknown', message: UPSTREAM_MESSAGE.outcomeUnknown, cause: error };
  switch (error.kind) {
    case 'outcome_unknown':
      return unknown;
    case 'unavailable':
      if (error.status === undefined || error.status === 503) return refused({ code: 'UPSTREAM_UNAVAILABLE', message: UPSTREAM_MESSAGE.unavailable });
      return unknown;
    case 'session_expired':
    case 'unauthenticated':
      return refused({ code: 'UPSTREAM_UNAVAILABLE', message: UPSTREAM_MESSAGE.signIn });
    case 'not_found':
      return refused({ code: 'NOT_FOUND', message: UPSTREAM_MESSAGE.gone });
    case 'forbidden':
      // The policy already checked role, scope and edition: EM refusing means EM knows better (its own roles, a new licence).
      return refused({ code: 'UPSTREAM_REJECTED', message: UPSTREAM_MESSAGE.accountRefused, emMessage });
    case 'rejected':
      if (/state/i.test(emMessage ?? '')) return refused({ code: 'REPLICA_NOT_READY', message: UPSTREAM_MESSAGE.notReady, replicaState: null });
      if (/restore point|point in time|interval|application-consistent/i.test(emMessage ?? '')) {
        return refused({ code: 'INVALID_RESTORE_TARGET', message: UPSTREAM_MESSAGE.targetRefused, availableFrom: null, availableTo: null });
      }
      return refused({ code: 'UPSTREAM_REJECTED', message: UPSTREAM_MESSAGE.failoverRefused, emMessage });
  }
}
