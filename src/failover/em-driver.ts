import type { EmClient } from '../em/index.js';
import { ACTIONS, type ReplicaAction } from '../operations/actions.js';
import { KINDS } from '../operations/kinds.js';
import { asReplica, decideFailover, RULE, type Decision, type Policy } from '../policy/index.js';
import { requestDetails } from './audit-entries.js';
import { dispatchFailover } from './dispatch.js';
import type { Driver, Verdict } from './driver.js';
import { FAILOVER_RULE } from './audit-entries.js';
import type { ReplicaStateSource } from './replica-state.js';
import { checkCdpTarget, describeTarget, requestHash } from './request.js';
import type { FailoverSubject } from './subject.js';
import type { FailoverRefusal, FailoverTargetRequest } from './types.js';
import { checkUpstream } from './upstream-check.js';

/** EM's failover of the four kinds: `failover(input: FailoverInput!)`. */
export function emFailoverDriver(em: EmClient, states: ReplicaStateSource): Driver<FailoverTargetRequest> {
  return {
    upstreamName: 'Enterprise Manager',
    validate(target, now) {
      if ('target' in target) checkCdpTarget(target.target, now);
    },
    lookup: (target) => ('restorePointId' in target ? { restorePointId: target.restorePointId } : { replicaId: target.replicaId }),
    requested: (target) => ('restorePointId' in target ? { type: 'RestorePoint', id: target.restorePointId } : { type: 'Replica', id: target.replicaId }),
    hash: (target, reason) => requestHash(target, reason),
    details: (target) => requestDetails(target),
    decide(policy, subject, target): Verdict {
      // The same decision `explain` gives (decideFailover), whichever id the caller sent.
      const decision = decideFailover(policy.ability, asReplica(subject.replica));
      // Outside the scope reads exactly like unknown; only the audit entry says which.
      if (!decision.readable) return { allowed: false, rule: decision.rule, refusal: notFound() };
      if (subject.replica.kind !== target.kind) return { allowed: false, rule: FAILOVER_RULE.wrongKind, refusal: wrongKind(target, subject) };
      if (!decision.allowed) return { allowed: false, rule: decision.rule, refusal: policyRefusal(decision, subject, policy) };
      return { allowed: true, decision };
    },
    async check(subject, target, now) {
      const check = await checkUpstream(em, states, subject, target, now);
      if (!check.ok) return check;
      const { emDisplayName, replicaState, restorePointTime } = check.facts;
      return { ok: true, facts: { displayName: emDisplayName, replicaState, restorePointTime, upstreamPointId: null } };
    },
    draft: (subject, target, facts) => ({
      emDisplayName: facts.displayName,
      restorePointId: subject.point?.id ?? null,
      restorePointTime: facts.restorePointTime,
      ...('target' in target ? describeTarget(target.target) : { cdpTarget: null, cdpTargetAt: null }),
      upstreamPointId: null,
      parameters: null,
    }),
    plan: (subject, target, facts, decision) => ({
      kind: target.kind,
      replicaId: subject.replica.id,
      restorePointId: subject.point?.id ?? null,
      restorePointTime: facts.restorePointTime,
      cdpTarget: 'target' in target ? target.target : null,
      rule: decision.rule,
      reason: decision.reason,
    }),
    dispatch: (subject, target) => dispatchFailover(em, subject.replica, target),
  };
}

export const notFound = (): FailoverRefusal => ({ code: 'NOT_FOUND', message: 'No such replica or restore point' });

function wrongKind(target: FailoverTargetRequest, subject: FailoverSubject): FailoverRefusal {
  const what = subject.point ? 'restore point belongs to' : 'replica is';
  return {
    code: 'BAD_USER_INPUT',
    message: `This ${what} a ${subject.replica.kind} replica, not ${target.kind}: use the ${KINDS[subject.replica.kind].member} member`,
    field: KINDS[target.kind].member,
  };
}

/** A policy denial in words an operator can act on. */
export function policyRefusal(decision: Decision, subject: FailoverSubject, policy: Policy, action: ReplicaAction = 'FAILOVER'): FailoverRefusal {
  if (decision.rule === RULE.editionBelowEnterprise || decision.rule === RULE.editionUnknown) {
    // An unknown edition is a gap in the gateway's sources: say what to configure (collected by the sync, docs/real-sources.md).
    const server = subject.replica.backupServer;
    const message = decision.rule === RULE.editionUnknown ? (server.editionDetail ?? `edition unknown: give the gateway VBR access to backup server ${server.name} or set LICENSE_EDITION`) : decision.reason;
    return { code: 'EDITION_NOT_SUPPORTED', message, edition: server.edition, backupServerId: subject.replica.backupServerId };
  }
  // "No rule allows failover" says little to an operator: name the kind when that is what no account allows.
  const kind = subject.replica.kind;
  const denied = action === 'FAILOVER' ? `start ${KINDS[kind].label} failovers` : `${ACTIONS[action].label} a ${KINDS[kind].label}`;
  const message = policy.rights.allowedKinds.includes(kind) ? decision.reason : `None of your accounts may ${denied}`;
  return { code: 'FORBIDDEN', message, rule: decision.rule };
}
