import type { AccountType, PortalRole, ReplicaAction, ReplicaKind } from '../generated/prisma/enums.js';

/** One hierarchy reference of a restore scope, with its display name. */
export interface ScopeItem {
  /** As EM spells it, e.g. urn:VMware:Cluster:<root>.<moref>. */
  ref: string;
  name: string;
}

/** A scope item as given: without a name, the inventory's name of the ref is taken. */
export interface ScopeItemInput {
  ref: string;
  name?: string | null;
}

/** "All objects", or exactly these references (none: nothing). */
export interface RestoreScopeInput {
  all: boolean;
  items?: readonly ScopeItemInput[];
}

export interface AccountInput {
  type: AccountType;
  /** USER: the token subject; GROUP: a group name as tokens carry it. */
  name: string;
  displayName?: string | null;
  roles: readonly PortalRole[];
  /** Default: nothing (an empty list). */
  scope?: RestoreScopeInput;
  /** Default: all four kinds. */
  allowedKinds?: readonly ReplicaKind[];
  /**
   * Replica actions granted beyond the roles' defaults (permanent failover,
   * the failback actions). Default: none. The defaults themselves are refused:
   * listing them would suggest that removing them revokes them.
   */
  grantedActions?: readonly ReplicaAction[];
}

/** Fields an update may change; absent ones stay. */
export type AccountPatch = Partial<Omit<AccountInput, 'type' | 'name'>> & { name?: string };

/** An account with its scope, as GraphQL shows it and the audit log records it. */
export interface AccountView {
  id: string;
  type: AccountType;
  name: string;
  displayName: string | null;
  roles: PortalRole[];
  scopeAll: boolean;
  scopeItems: ScopeItem[];
  allowedKinds: ReplicaKind[];
  /** In the actions table's order. */
  grantedActions: ReplicaAction[];
  createdAt: Date;
  updatedAt: Date;
}
