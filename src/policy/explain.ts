import { detectSubjectType } from '@casl/ability';
import type { AppAbility } from './ability.js';
import { REASON, RULE, type RuleId } from './rule-ids.js';
import type { PolicyRule } from './rules.js';
import type { PolicySubject } from './subjects.js';
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
  return { allowed: !rule.inverted, rule: origin.id, reason: origin.reason, accountIds: origin.accountIds };
}
