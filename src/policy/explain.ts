import { detectSubjectType } from '@casl/ability';
import type { AppAbility } from './ability.js';
import { policyActionOf, type ReplicaAction } from './replica-actions.js';
import { REASON, RULE, type RuleId } from './rule-ids.js';
import type { PolicyRule } from './rules.js';
import type { asReplica, PolicySubject } from './subjects.js';
import type { Action } from './types.js';

/** A decision with the rule that made it: what `explain` returns and the audit log records. */
export interface Decision {
  allowed: boolean;
  /** The deciding rule's stable id; `default.deny` when no rule applies. */
  rule: RuleId;
  reason: string;
  /** Accounts whose grant decided (empty for denials). */
  accountIds: readonly string[];
}

/**
 * Decides like `ability.can` and names the deciding rule: the rule CASL finds
 * relevant (the last matching one) allows unless it is inverted.
 */
export function decide(ability: AppAbility, action: Action, subject: PolicySubject): Decision {
  const rule = ability.relevantRuleFor(action, subject);
  if (!rule) {
    const type = typeof subject === 'string' ? subject : detectSubjectType(subject);
    return { allowed: false, rule: RULE.noRule, reason: REASON.noRule(action, type), accountIds: [] };
  }
  const origin = rule.origin as unknown as PolicyRule;
  const own = origin.byAction?.[action] ?? origin;
  return { allowed: !rule.inverted, rule: own.id, reason: own.reason, accountIds: origin.accountIds };
}

/**
 * How a replica action is decided: a replica the caller may not read is
 * refused by the read decision (the mutation answers NOT_FOUND, whatever its
 * edition or kind), one it may read by the action's rules. The mutations and
 * `explain` all decide through this, whichever id they were given. The
 * replica's state and what its kind's upstream supports are not the policy's:
 * see `allowedActions`.
 */
export function decideAction(ability: AppAbility, action: ReplicaAction, replica: ReturnType<typeof asReplica>): Decision & { readable: boolean } {
  const read = decide(ability, 'read', replica);
  if (!read.allowed) return { ...read, readable: false };
  return { ...decide(ability, policyActionOf(action), replica), readable: true };
}

/** `decideAction` for FAILOVER. */
export const decideFailover = (ability: AppAbility, replica: ReturnType<typeof asReplica>): Decision & { readable: boolean } => decideAction(ability, 'FAILOVER', replica);
