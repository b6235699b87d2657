import type { Principal } from '../auth/principal.js';
import type { AccountType, LicenseEdition, PortalRole, ReplicaKind } from '../generated/prisma/enums.js';

export type { AccountType, LicenseEdition, PortalRole, ReplicaKind };

/** What a caller may try. `manage` is CASL's "any action" and is only granted on Account. */
export type Action = 'read' | 'failover' | 'manage' | 'explain';

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
  /** Failover kinds this account may start. */
  allowedKinds: readonly ReplicaKind[];
}

/** A backup server's licence edition: failover needs Enterprise or Enterprise Plus. */
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
   * Backup servers whose edition is not Enterprise or Enterprise Plus (servers not
   * listed may fail over). Passing every server is fine too.
   */
  servers: readonly ServerEdition[];
}
