import { EmError, type EmClient, type EmTask } from '../em/index.js';
import type { SubjectReplica } from './subject.js';
import type { FailoverRefusal, FailoverTargetRequest } from './types.js';

export type DispatchResult =
  | { type: 'accepted'; task: EmTask }
  /** The request may have reached EM and no answer says what happened: reconcile, never resend. */
  | { type: 'unknown'; message: string }
  /** EM certainly did not start it. */
  | { type: 'refused'; refusal: FailoverRefusal };

/** Sends the one failover POST of this kind. The EM client never retries it. */
export async function dispatchFailover(em: EmClient, replica: SubjectReplica, target: FailoverTargetRequest): Promise<DispatchResult> {
  try {
    return { type: 'accepted', task: await send(em, replica, target) };
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
  switch (error.kind) {
    case 'outcome_unknown':
      return { type: 'unknown', message: error.message };
    case 'unavailable':
      if (error.status === undefined || error.status === 503) {
        return { type: 'refused', refusal: { code: 'UPSTREAM_UNAVAILABLE', message: `Enterprise Manager is unavailable; nothing was started: ${error.message}` } };
      }
      return { type: 'unknown', message: error.message };
    case 'session_expired':
    case 'unauthenticated':
      return { type: 'refused', refusal: { code: 'UPSTREAM_UNAVAILABLE', message: `The gateway could not sign in to Enterprise Manager; nothing was started: ${error.message}` } };
    case 'not_found':
      return { type: 'refused', refusal: { code: 'NOT_FOUND', message: 'EM no longer knows this replica or restore point' } };
    case 'forbidden':
      // The policy already checked role, scope and edition: EM refusing means EM knows better (its own roles, a new licence).
      return { type: 'refused', refusal: { code: 'UPSTREAM_REJECTED', message: `EM refused the failover for the gateway's EM account: ${emMessage ?? error.message}`, emMessage } };
    case 'rejected':
      if (/state/i.test(emMessage ?? '')) return { type: 'refused', refusal: { code: 'REPLICA_NOT_READY', message: `EM refused the failover: ${emMessage}`, replicaState: null } };
      if (/restore point|point in time|interval|application-consistent/i.test(emMessage ?? '')) {
        return { type: 'refused', refusal: { code: 'INVALID_RESTORE_TARGET', message: `EM refused the restore target: ${emMessage}`, availableFrom: null, availableTo: null } };
      }
      return { type: 'refused', refusal: { code: 'UPSTREAM_REJECTED', message: `EM refused the failover: ${emMessage ?? error.message}`, emMessage } };
  }
}
