import { abilityFromRules, type AppAbility } from './ability.js';
import { ALL_KINDS, buildRules, matchingAccounts, type PolicyRule, type RuleOptions } from './rules.js';
import type { AccountGrant, PolicyInput, PortalRole, ReplicaKind } from './types.js';

/** What `viewer` shows: the union of the principal's accounts. */
export interface EffectiveRights {
  /** The principal's matching accounts (its USER account and GROUP accounts). */
  accountIds: string[];
  roles: PortalRole[];
  /** True for an administrator or any restricted account with the "all objects" scope. */
  scopeAll: boolean;
  /** Accounts whose precomputed visibility rows count (restricted, scope not "all objects"). */
  scopedAccountIds: string[];
  /** Failover kinds any role-holding account allows. */
  allowedKinds: ReplicaKind[];
}

/** One principal's policy for one request. */
export interface Policy {
  ability: AppAbility;
  rules: readonly PolicyRule[];
  rights: EffectiveRights;
}

const ROLE_ORDER: readonly PortalRole[] = ['PORTAL_ADMINISTRATOR', 'RESTORE_OPERATOR', 'PORTAL_USER'];

export function effectiveRights(accounts: readonly AccountGrant[]): EffectiveRights {
  const withRole = accounts.filter((account) => account.roles.length > 0);
  const roles = ROLE_ORDER.filter((role) => withRole.some((account) => account.roles.includes(role)));
  const admin = roles.includes('PORTAL_ADMINISTRATOR');
  return {
    accountIds: accounts.map((account) => account.id),
    roles,
    scopeAll: admin || withRole.some((account) => account.scopeAll),
    scopedAccountIds: withRole.filter((account) => !account.scopeAll && !account.roles.includes('PORTAL_ADMINISTRATOR')).map((account) => account.id),
    allowedKinds: ALL_KINDS.filter((kind) => withRole.some((account) => account.allowedKinds.includes(kind))),
  };
}

/** Rules, ability and effective rights for a principal: built once per request. */
export function createPolicy(input: PolicyInput, options: RuleOptions = {}): Policy {
  const rules = buildRules(input, options);
  return { ability: abilityFromRules(rules), rules, rights: effectiveRights(matchingAccounts(input)) };
}
