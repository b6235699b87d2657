export { abilityFromRules, type AppAbility } from './ability.js';
export { actionsPossibleIn, allowedActions, type ReplicaActionFacts } from './allowed-actions.js';
export { decide, decideAction, decideFailover, type Decision } from './explain.js';
export { explainFor, type ExplainedObject } from './explain-object.js';
export { loadAccountGrants, loadGatedServers, loadPolicyInputs, matchingAccountIdsSql, policyInputColumns, policyInputsOf, visibilityInclude, type PolicyInputRow } from './load.js';
export { createPolicyCache, policyFingerprint, type CachedPolicy, type PolicyCache, type PolicyCacheOptions } from './policy-cache.js';
export { createPolicy, effectiveRights, type EffectiveRights, type Policy } from './policy.js';
export { withPolicyExtension, type PolicyPrismaClient } from './prisma-extension.js';
export {
  EDITION_GATES,
  editionGateOf,
  labelOf,
  policyActionOf,
  REPLICA_ACTIONS,
  REPLICA_POLICY_ACTIONS,
  replicaActionOf,
  type EditionGate,
  type ReplicaAction,
  type ReplicaPolicyAction,
} from './replica-actions.js';
export { actionRule, editionRule, REASON, RULE, type ActionRuleId, type GrantFamily, type RuleId } from './rule-ids.js';
export { ALL_KINDS, buildRules, matchingAccounts, type PolicyRule, type RuleConditions, type RuleOptions } from './rules.js';
export {
  asBackupServer,
  asCdpLongTermPoint,
  asCdpRange,
  asFailoverOperation,
  asReplica,
  asRestorePoint,
  type BackupServerFacts,
  type FailoverOperationFacts,
  type PolicyQuery,
  type PolicySubject,
  type ReplicaChildFacts,
  type ReplicaFacts,
  type VisibilityFacts,
} from './subjects.js';
export type { AccountGrant, AccountType, Action, LicenseEdition, PortalRole, ReplicaKind, InventorySubject, PolicyInput, PolicyPrincipal, ServerEdition, SubjectName } from './types.js';
export { rebuildVisibility, rebuildVisibilityIn, type VisibilityChange, type VisibilityTarget } from './visibility.js';
