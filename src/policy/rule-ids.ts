import { editionGateOf, labelOf, policyActionOf, type ReplicaAction, type ReplicaPolicyAction } from './replica-actions.js';
import type { LicenseEdition } from './types.js';

/**
 * Stable names of the policy's rules: audit entries and `explain` store them,
 * so a rename is a breaking change. Several raw CASL rules may share one id (one
 * per subject type, or per set of allowed kinds).
 *
 * Replica actions have one id per grant family and action, `<family>.<CASL
 * action>` (`admin.failover`, `scope.undoFailover`, …; see `actionRule`): the
 * failover ids below are those of the family, kept as named constants.
 */
export const RULE = {
  /** Portal Administrator reads every inventory object. */
  adminRead: 'admin.read',
  /** Portal Administrator fails over any replica of its accounts' allowed kinds. */
  adminFailover: 'admin.failover',
  /** Portal Administrator manages accounts, roles and scopes. */
  adminAccounts: 'admin.accounts',
  /** Portal Administrator reads the audit log. */
  adminAudit: 'admin.audit',
  /** Portal Administrator runs an inventory sync on demand. */
  adminInventory: 'admin.inventory',
  /** Portal Administrator asks why another account may or may not do something. */
  adminExplain: 'admin.explain',
  /** Restricted role with the "all objects" scope reads every inventory object. */
  scopeAllRead: 'scope-all.read',
  /** Restricted role with the "all objects" scope fails over any replica of its allowed kinds. */
  scopeAllFailover: 'scope-all.failover',
  /** Restricted role reads replicas in its precomputed restore scope, their points and ranges, and their servers. */
  scopeRead: 'scope.read',
  /** Restricted role reads failover operations on replicas in its restore scope, and its own. */
  scopeOperations: 'scope.operations',
  /** Restricted role fails over replicas in its restore scope, of its allowed kinds. */
  scopeFailover: 'scope.failover',
  /** Denies an action sent to EM (failover) on a backup server below Enterprise edition. */
  editionBelowEnterprise: 'edition.below-enterprise',
  /** Denies an action sent to the backup server's own REST API on a Community edition server. */
  editionBelowStandard: 'edition.below-standard',
  /** Denies a replica action on a backup server whose edition EM did not report. */
  editionUnknown: 'edition.unknown',
  /** No rule grants the action: the default. */
  noRule: 'default.deny',
} as const;

/**
 * Who a replica action's grant comes from: an administrator account
 * (`admin`), a restricted account with the "all objects" scope (`scope-all`)
 * or with a listed scope (`scope`).
 */
export type GrantFamily = 'admin' | 'scope-all' | 'scope';

export type ActionRuleId = `${GrantFamily}.${ReplicaPolicyAction}`;

export type RuleId = (typeof RULE)[keyof typeof RULE] | ActionRuleId;

/** The rule id of a grant of `action` by `family`: `scope.undoFailover`. */
export const actionRule = (family: GrantFamily, action: ReplicaAction): ActionRuleId => `${family}.${policyActionOf(action)}`;

/** The rule id of the edition denial for `action` on a server of `edition` (one the action's upstream does not run on). */
export const editionRule = (action: ReplicaAction, edition: LicenseEdition): RuleId =>
  edition === 'UNKNOWN' ? RULE.editionUnknown : (`edition.below-${editionGateOf(action).floor}` as RuleId);

const EDITION_NAMES: Record<LicenseEdition, string> = {
  COMMUNITY: 'Community',
  STANDARD: 'Standard',
  ENTERPRISE: 'Enterprise',
  ENTERPRISE_PLUS: 'Enterprise Plus',
  UNKNOWN: 'unknown',
};

const capitalized = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

/** Why an account of this family may do `action`; `granted`: beyond its role's defaults (the account's grantedActions). */
function actionReason(family: GrantFamily, action: ReplicaAction, granted: boolean): string {
  const grant = granted ? ` and the account is granted ${labelOf(action)}` : '';
  if (family === 'admin') return `Portal Administrator: may start the ${labelOf(action)} of any replica of an allowed kind`;
  if (family === 'scope-all') return `Restore scope is "all objects"${granted ? ',' : ' and'} the replica kind is allowed${grant}`;
  return `In the restore scope${granted ? ',' : ' and'} the replica kind is allowed${grant}`;
}

function editionReason(action: ReplicaAction, edition: LicenseEdition): string {
  const needs = `${capitalized(labelOf(action))} needs Veeam Backup & Replication ${editionGateOf(action).needs}`;
  return edition === 'UNKNOWN' ? `${needs}; the edition of this backup server is unknown` : `${needs}; this backup server runs ${EDITION_NAMES[edition]} edition`;
}

/** The reason each rule states; shown by `explain` and stored in audit entries. */
export const REASON = {
  adminRead: 'Portal Administrator: no restore scope limits',
  adminFailover: actionReason('admin', 'FAILOVER', false),
  adminAccounts: 'Portal Administrator: manages accounts, roles and restore scopes',
  adminAudit: 'Portal Administrator: reads the audit log',
  adminExplain: 'Portal Administrator: may ask how the policy decides',
  adminInventory: 'Portal Administrator: may sync the inventory on demand',
  scopeAllRead: 'Restore scope is "all objects"',
  scopeAllFailover: actionReason('scope-all', 'FAILOVER', false),
  scopeRead: 'In the restore scope',
  scopeFailover: actionReason('scope', 'FAILOVER', false),
  scopeOperations: 'A failover on a replica in the restore scope, or one the caller started',
  /** A replica action's grant, by family; `granted` when it comes from the account's grantedActions. */
  action: actionReason,
  /** A replica action's edition denial. */
  edition: editionReason,
  editionBelowEnterprise: (edition: LicenseEdition) => editionReason('FAILOVER', edition),
  editionUnknown: editionReason('FAILOVER', 'UNKNOWN'),
  noRule: (action: string, subject: string) => `No rule allows ${action} on this ${subject}`,
} as const;
