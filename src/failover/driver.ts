import type { Policy } from '../policy/index.js';
import type { Decision } from '../policy/index.js';
import type { DispatchResult } from './dispatch.js';
import type { OperationDraft } from './operation-store.js';
import type { FailoverSubject, SubjectLookup } from './subject.js';
import type { DryRunPlan, FailoverRefusal } from './types.js';

/** What an upstream says now about the subject, read just before dispatch. */
export interface Facts {
  /** The name the upstream's sessions carry (EM's VmDisplayName, VBR's session and point name): how a lost dispatch is found again. */
  displayName: string;
  /** The replica's state as its source reports it now; the cache's where no source says. */
  replicaState: string | null;
  restorePointTime: Date | null;
  /** VBR lifecycle actions: the replica point posted. */
  upstreamPointId: string | null;
}

/** A refusal that the upstream's error caused carries it as `cause`, for the request's log line only. */
export type Check = { ok: true; facts: Facts } | { ok: false; refusal: FailoverRefusal; cause?: unknown };

/** The policy's verdict on a loaded replica, or the refusal with the rule the audit entry names. */
export type Verdict = { allowed: true; decision: Decision } | { allowed: false; rule: string; refusal: FailoverRefusal };

/**
 * What differs between actions on the way through the one pipeline
 * (validate → load → decide → check upstream → claim → dispatch): how a
 * request names its subject, what the policy asks, which upstream is asked
 * and what is sent. One driver per upstream (EM's failover, VBR's lifecycle).
 */
export interface Driver<R> {
  /** Checks beyond reason and key, before anything is looked up; throws FailoverInputError. */
  validate(request: R, now: Date): void;
  /** What the one read statement looks up. */
  lookup(request: R): SubjectLookup;
  /** The audit subject of a request whose replica is unknown. */
  requested(request: R): { type: string; id: string };
  /** SHA-256 of the request as normalised: a key sent again with an equal hash is a retry. */
  hash(request: R, reason: string | null): string;
  /** What the audit entry says about the request. */
  details(request: R | null): Record<string, unknown>;
  decide(policy: Policy, subject: FailoverSubject, request: R): Verdict;
  /** The upstream's fresh word (reads only). */
  check(subject: FailoverSubject, request: R, now: Date): Promise<Check>;
  /** The operation's columns this action fills in. */
  draft(subject: FailoverSubject, request: R, facts: Facts): Pick<OperationDraft, 'emDisplayName' | 'restorePointId' | 'restorePointTime' | 'cdpTarget' | 'cdpTargetAt' | 'upstreamPointId' | 'parameters'>;
  plan(subject: FailoverSubject, request: R, facts: Facts, decision: Decision): DryRunPlan;
  /** Sends the one POST (with the caller's reason where the upstream takes one); never retried. */
  dispatch(subject: FailoverSubject, request: R, facts: Facts, reason: string | null): Promise<DispatchResult>;
  /** Whose words a failure is, for log lines: "Enterprise Manager", "the backup server". */
  upstreamName: string;
}
