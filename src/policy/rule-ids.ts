import type { LicenseEdition } from './types.js';

/**
 * Stable names of the policy's rules: audit entries and `explain` store them,
 * so a rename is a breaking change. Several raw CASL rules may share one id (one
 * per subject type, or per set of allowed kinds).
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
  /** Denies failover on a backup server below Enterprise edition. */
  editionBelowEnterprise: 'edition.below-enterprise',
  /** Denies failover on a backup server whose edition EM did not report. */
  editionUnknown: 'edition.unknown',
  /** No rule grants the action: the default. */
  noRule: 'default.deny',
} as const;

export type RuleId = (typeof RULE)[keyof typeof RULE];

const EDITION_NAMES: Record<LicenseEdition, string> = {
  COMMUNITY: 'Community',
  STANDARD: 'Standard',
  ENTERPRISE: 'Enterprise',
  ENTERPRISE_PLUS: 'Enterprise Plus',
  UNKNOWN: 'unknown',
};

/** The reason each rule states; shown by `explain` and stored in audit entries. */
export const REASON = {
  adminRead: 'Portal Administrator: no restore scope limits',
  adminFailover: 'Portal Administrator: may fail over any replica of an allowed kind',
  adminAccounts: 'Portal Administrator: manages accounts, roles and restore scopes',
  adminAudit: 'Portal Administrator: reads the audit log',
  adminExplain: 'Portal Administrator: may ask how the policy decides',
  adminInventory: 'Portal Administrator: may sync the inventory on demand',
  scopeAllRead: 'Restore scope is "all objects"',
  scopeAllFailover: 'Restore scope is "all objects" and the replica kind is allowed',
  scopeRead: 'In the restore scope',
  scopeFailover: 'In the restore scope and the replica kind is allowed',
  scopeOperations: 'A failover on a replica in the restore scope, or one the caller started',
  editionBelowEnterprise: (edition: LicenseEdition) =>
    `Failover needs Veeam Backup & Replication Enterprise or Enterprise Plus; this backup server runs ${EDITION_NAMES[edition]} edition`,
  editionUnknown: 'Failover needs Veeam Backup & Replication Enterprise or Enterprise Plus; the edition of this backup server is unknown',
  noRule: (action: string, subject: string) => `No rule allows ${action} on this ${subject}`,
} as const;
