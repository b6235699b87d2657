import { lifecycleSnapshot, resultMessage, type LifecycleSessionType } from '../lifecycle-machine.js';
import type { LifecycleSession } from '../lifecycle-store.js';
import type { FailoverRecord } from '../simulation.js';
import type { FailoverSnapshot, SessionState } from '../state-machine.js';
import { pagination, VMWARE_PLATFORM_ID, type Json } from './models.js';

/** ESessionResult. */
export type SessionResult = 'None' | 'Success' | 'Warning' | 'Failed';

/** A session as the Sessions tag shows it, whichever face started it. */
export interface SessionView {
  id: string;
  /** The VM's name, as in the documented failover session examples. */
  name: string;
  jobId: string;
  sessionType: LifecycleSessionType;
  creationTime: number;
  endTime?: number;
  state: SessionState;
  progressPercent: number;
  result: SessionResult;
  message?: string;
  usn: number;
  initiatedBy?: string;
  /** Creation order, the listing's default order. */
  seq: number;
}

export function lifecycleSessionView(s: LifecycleSession, now: number): SessionView {
  const snap = lifecycleSnapshot(s, now);
  return {
    id: s.id,
    name: s.name,
    jobId: s.jobId,
    sessionType: s.type,
    creationTime: s.startedAt,
    ...(snap.endTime === undefined ? {} : { endTime: snap.endTime }),
    state: snap.sessionState,
    progressPercent: snap.progressPercent,
    result: snap.result ?? 'None',
    ...(snap.result === undefined ? {} : { message: resultMessage(s.type, snap.result) }),
    usn: snap.usn,
    initiatedBy: s.initiatedBy,
    seq: s.seq,
  };
}

const USN: Record<SessionState, number> = { Starting: 0, Working: 1, Stopping: 2, Stopped: 3 };

/**
 * A VM failover EM started: EM has the backup server run it, so the server
 * has its Failover session too, with the id of EM's restore session.
 */
export function emFailoverSessionView(r: FailoverRecord, snap: FailoverSnapshot): SessionView {
  return {
    id: r.restoreSessionId,
    name: r.displayName,
    jobId: r.activityId,
    sessionType: 'Failover',
    creationTime: r.startedAt,
    ...(snap.endTime === undefined ? {} : { endTime: snap.endTime }),
    state: snap.sessionState,
    progressPercent: snap.sessionState === 'Starting' ? 0 : snap.progress,
    result: snap.result ?? 'None',
    ...(snap.result === undefined ? {} : { message: resultMessage('Failover', snap.result) }),
    usn: USN[snap.sessionState],
    seq: r.seq,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * SessionModel (1.3-rev1). `resourceId` repeats the session id and `jobId` is
 * a per-session activity id, as in every documented failover session example;
 * `relatedSessionId` and `parentSessionId` have nothing to say here.
 */
export function sessionModel(v: SessionView): Json {
  return {
    id: v.id,
    name: v.name,
    jobId: v.jobId,
    sessionType: v.sessionType,
    creationTime: iso(v.creationTime),
    ...(v.endTime === undefined ? {} : { endTime: iso(v.endTime) }),
    state: v.state,
    progressPercent: v.progressPercent,
    result: { result: v.result, ...(v.message === undefined ? {} : { message: v.message }), isCanceled: false },
    resourceId: v.id,
    usn: v.usn,
    platformName: 'VMware',
    platformId: VMWARE_PLATFORM_ID,
    ...(v.initiatedBy === undefined ? {} : { initiatedBy: v.initiatedBy }),
  };
}

/** SessionsResult of a lifecycle POST: every session it started, on one page. */
export function sessionsResult(views: SessionView[]): Json {
  return { data: views.map(sessionModel), pagination: pagination(views.length, views.length, 0, views.length) };
}
