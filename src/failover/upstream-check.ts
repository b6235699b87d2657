import { EmError, EmNotFoundError, type CdpIntervals, type EmClient } from '../em/index.js';
import type { ReplicaStateSource } from './replica-state.js';
import type { FailoverSubject } from './subject.js';
import type { CdpTarget, FailoverRefusal, FailoverTargetRequest } from './types.js';
import { UPSTREAM_MESSAGE } from './upstream-messages.js';

/** What EM and the replica's state source say now about the target, read just before dispatch. */
export interface FreshFacts {
  /** The name EM's restore sessions will carry (VmDisplayName). */
  emDisplayName: string;
  /** The replica's state as its backup server's REST API reports it now; the cache's where no source says. */
  replicaState: string | null;
  restorePointTime: Date | null;
}

/** A refusal that EM's error caused carries it as `cause`, for the request's log line only. */
export type UpstreamCheck = { ok: true; facts: FreshFacts } | { ok: false; refusal: FailoverRefusal; cause?: EmError };

/** Days of CDP history read to judge a target, ending now (the inventory reads the same window). */
const CDP_WINDOW_MS = 7 * 86_400_000;

/**
 * Validates against EM, not the cache: the point still exists and belongs to
 * the replica, the replica is Ready, and a CDP target exists in the replica's
 * intervals. Reads only; EM errors become refusals.
 */
export async function checkUpstream(em: EmClient, states: ReplicaStateSource, subject: FailoverSubject, target: FailoverTargetRequest, now: Date): Promise<UpstreamCheck> {
  try {
    // Two upstreams, asked at once: the check takes the slower one's time, not both.
    const [facts, state] = await Promise.all([readFacts(em, subject, target, now), currentState(states, subject)]);
    if ('code' in facts) return { ok: false, refusal: facts };
    if (state !== undefined) facts.replicaState = state;
    if (facts.replicaState !== null && facts.replicaState !== 'Ready') {
      return {
        ok: false,
        refusal: { code: 'REPLICA_NOT_READY', message: `The replica is ${facts.replicaState}; only a Ready replica can fail over`, replicaState: facts.replicaState },
      };
    }
    return { ok: true, facts };
  } catch (error) {
    return { ok: false, refusal: refusalFor(error), cause: error as EmError };
  }
}

async function readFacts(em: EmClient, subject: FailoverSubject, target: FailoverTargetRequest, now: Date): Promise<FreshFacts | FailoverRefusal> {
  const { replica } = subject;
  const cachedState = replica.state;
  switch (target.kind) {
    case 'VM_REPLICA': {
      const point = await em.getVmReplicaPoint(target.restorePointId);
      if (point.vmReplicaKey !== replica.emKey) return gone('The restore point no longer belongs to this replica in EM');
      return { emDisplayName: point.vmDisplayName, replicaState: cachedState, restorePointTime: point.creationTime };
    }
    case 'VCD_VAPP_REPLICA': {
      const point = await em.getVAppReplicaPoint(target.restorePointId);
      if (point.vAppReplicaKey !== replica.emKey) return gone('The restore point no longer belongs to this replica in EM');
      return { emDisplayName: point.vAppDisplayName, replicaState: cachedState, restorePointTime: point.creationTime };
    }
    case 'CDP_VM': {
      if (!replica.parentEmId || !replica.emId) return gone('The inventory does not know this CDP VM\'s EM ids');
      const [vm, intervals] = await Promise.all([em.getCdpReplicaVm(replica.parentEmId, replica.emId), em.getCdpVmIntervals(replica.parentEmId, replica.emId, cdpWindow(target.target, now))]);
      return cdpFacts(vm.name, cachedState, intervals, target.target);
    }
    case 'VCD_CDP_VAPP': {
      if (!replica.emId) return gone('The inventory does not know this CDP vApp\'s EM id');
      const [vApp, intervals] = await Promise.all([em.getCdpVApp(replica.emId), em.getCdpVAppIntervals(replica.emId, cdpWindow(target.target, now))]);
      return cdpFacts(vApp.name, cachedState, intervals, target.target);
    }
  }
}

/**
 * The state from the replica's source (VBR REST for vSphere snapshot
 * replicas) where one exists and answers; else undefined, and the cache's
 * stands: what the last sync read and what the gateway's own operations proved.
 */
async function currentState(states: ReplicaStateSource, subject: FailoverSubject): Promise<string | null | undefined> {
  try {
    return await states.current(subject.replica);
  } catch {
    // The backup server's REST API failed: the last state read stands, as EM still checks the state itself.
    return undefined;
  }
}

function cdpWindow(target: CdpTarget, now: Date): { from: Date; to: Date } {
  const start = target.kind === 'pointInTime' ? Math.min(target.at.getTime(), now.getTime()) : now.getTime();
  return { from: new Date(start - CDP_WINDOW_MS), to: now };
}

/** Whether the CDP history can satisfy the target; the restore point time stays null (EM picks the state). */
function cdpFacts(name: string, replicaState: string | null, intervals: CdpIntervals, target: CdpTarget): FreshFacts | FailoverRefusal {
  const moments = [...intervals.ranges.flatMap((range) => [range.start.getTime(), range.end.getTime()]), ...intervals.longTermPoints.map((point) => point.date.getTime())];
  const oldest = moments.length > 0 ? new Date(Math.min(...moments)) : null;
  const newest = moments.length > 0 ? new Date(Math.max(...moments)) : null;
  const invalid = (message: string): FailoverRefusal => ({ code: 'INVALID_RESTORE_TARGET', message, availableFrom: oldest, availableTo: newest });
  const facts: FreshFacts = { emDisplayName: name, replicaState, restorePointTime: null };
  switch (target.kind) {
    case 'latestCrashConsistent':
      return newest ? facts : invalid('The replica has no CDP restore state yet');
    case 'latestApplicationConsistent':
      return intervals.longTermPoints.some((point) => point.applicationConsistent) || intervals.hasApplicationConsistentState
        ? facts
        : invalid('The replica has no application-consistent restore point');
    case 'pointInTime': {
      const at = target.at.getTime();
      if (!oldest || !newest || at < oldest.getTime() || at > newest.getTime()) {
        return invalid(
          oldest && newest
            ? `The point in time ${target.at.toISOString()} is outside the replica's CDP history (${oldest.toISOString()} to ${newest.toISOString()})`
            : 'The replica has no CDP restore state yet',
        );
      }
      return facts;
    }
  }
}

const gone = (message: string): FailoverRefusal => ({ code: 'NOT_FOUND', message });

/** EM's answer to a read, as a refusal (anything but an EmError is a bug, rethrown). */
export function refusalFor(error: unknown): FailoverRefusal {
  if (error instanceof EmNotFoundError) return gone(UPSTREAM_MESSAGE.gone);
  if (error instanceof EmError) {
    if (error.kind === 'rejected' || error.kind === 'forbidden') return { code: 'UPSTREAM_REJECTED', message: UPSTREAM_MESSAGE.describeRefused, emMessage: error.emMessage ?? null };
    if (error.kind === 'unauthenticated' || error.kind === 'session_expired') return { code: 'UPSTREAM_UNAVAILABLE', message: UPSTREAM_MESSAGE.signIn };
    return { code: 'UPSTREAM_UNAVAILABLE', message: UPSTREAM_MESSAGE.unavailable };
  }
  throw error;
}
