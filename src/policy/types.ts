import type { Principal } from '../auth/principal.js';
import type { AccountType, LicenseEdition, PortalRole, ReplicaKind } from '../generated/prisma/enums.js';
import type { ReplicaAction, ReplicaPolicyAction } from './replica-actions.js';

export type { AccountType, LicenseEdition, PortalRole, ReplicaAction, ReplicaKind, ReplicaPolicyAction };

/**
 * What a caller may try: read, one of the replica actions of the actions
 * table (failover, undoFailover, …), administration. `manage` is CASL's "any
 * action" and is only granted on Account and Inventory.
 */
export type Action = 'read' | ReplicaPolicyAction | 'manage' | 'explain';

/** Inventory objects a restricted caller reaches through its restore scope. */
export type InventorySubject = 'BackupServer' | 'Replica' | 'RestorePoint' | 'CdpRange' | 'CdpLongTermPoint';

/** Every subject type of the policy. `Policy` is the target of `explain`. */
export type SubjectName = InventorySubject | 'FailoverOperation' | 'Account' | 'AuditEntry' | 'Policy' | 'Inventory';

/** The identity part of a principal the rules need. */
export type PolicyPrincipal = Pick<Principal, 'subject' | 'groups'>;

/** One account as the rules need it (an `Account` row without its scope items: those are precomputed into visibility). */
export interface AccountGrant {
  id: string;
  type: AccountType;
  /** USER: the token subject; GROUP: a group name from the token. */
  name: string;
  roles: readonly PortalRole[];
  /** Restore scope "all objects". */
  scopeAll: boolean;
  /** Replica kinds this account may act on (every action, failover included). */
  allowedKinds: readonly ReplicaKind[];
  /**
   * Replica actions granted beyond the roles' defaults (absent: none). Only a
   * restricted role's account gains by it: administrators have every action,
   * and an account without a role has nothing to widen.
   */
  grantedActions?: readonly ReplicaAction[];
}

/** A backup server's licence edition: failover needs Enterprise or Enterprise Plus, the VBR lifecycle actions Standard or above. */
export interface ServerEdition {
  id: string;
  edition: LicenseEdition;
}

/** Everything the rules are built from. */
export interface PolicyInput {
  principal: PolicyPrincipal;
  /** Accounts that may match the principal; others are ignored, so a superset is safe. */
  accounts: readonly AccountGrant[];
  /**
   * Backup servers whose edition is not Enterprise or Enterprise Plus (servers
   * not listed may do every action). Passing every server is fine too.
   */
  servers: readonly ServerEdition[];
}
