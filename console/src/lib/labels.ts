import type { AuditDecision, FailoverState, LicenseEdition, PortalRole, ReplicaAction, ReplicaKind } from '../generated/graphql';

export const KIND_LABELS: Record<ReplicaKind, string> = {
  VM_REPLICA: 'VM replica',
  CDP_VM: 'CDP VM',
  VCD_VAPP_REPLICA: 'vApp replica',
  VCD_CDP_VAPP: 'CDP vApp',
};

export const EDITION_LABELS: Record<LicenseEdition, string> = {
  COMMUNITY: 'Community',
  STANDARD: 'Standard',
  ENTERPRISE: 'Enterprise',
  ENTERPRISE_PLUS: 'Enterprise Plus',
  UNKNOWN: 'Unknown',
};

export const ROLE_LABELS: Record<PortalRole, string> = {
  PORTAL_ADMINISTRATOR: 'Portal Administrator',
  PORTAL_USER: 'Portal User',
  RESTORE_OPERATOR: 'Restore Operator',
};

/** Words and tone of each operation state. */
export const STATE_LABELS: Record<FailoverState, { label: string; tone: 'busy' | 'good' | 'bad' | 'warn' }> = {
  // Failover goes to Enterprise Manager, the other actions to the backup server: the words fit both.
  DISPATCHING: { label: 'Sending', tone: 'busy' },
  OUTCOME_UNKNOWN: { label: 'Checking whether it started', tone: 'warn' },
  RUNNING: { label: 'Running', tone: 'busy' },
  SUCCEEDED: { label: 'Succeeded', tone: 'good' },
  WARNING: { label: 'Succeeded with warnings', tone: 'warn' },
  FAILED: { label: 'Failed', tone: 'bad' },
  NOT_STARTED: { label: 'Not started', tone: 'bad' },
};

/**
 * Each replica action as an operation's title ("Undo failover of db-01") and as
 * the button that starts it. The order is the API's (`ReplicaAction`).
 */
export const ACTION_LABELS: Record<ReplicaAction, { title: string; button: string }> = {
  FAILOVER: { title: 'Failover', button: 'Fail over' },
  PLANNED_FAILOVER: { title: 'Planned failover', button: 'Planned failover' },
  UNDO_FAILOVER: { title: 'Undo failover', button: 'Undo failover' },
  PERMANENT_FAILOVER: { title: 'Permanent failover', button: 'Permanent failover' },
  FAILBACK: { title: 'Failback', button: 'Fail back' },
  SWITCH_TO_PRODUCTION: { title: 'Switch to production', button: 'Switch to production' },
  COMMIT_FAILBACK: { title: 'Commit failback', button: 'Commit failback' },
  UNDO_FAILBACK: { title: 'Undo failback', button: 'Undo failback' },
};

/** "Undo failover of db-01": how an operation names itself in lists, headings and progress bars. */
export const operationTitle = (action: ReplicaAction, replicaName: string): string => `${ACTION_LABELS[action].title} of ${replicaName}`;

export const DECISION_LABELS: Record<AuditDecision, string> = { ALLOW: 'Allowed', DENY: 'Denied' };

/** Replica states the inventory filter offers: EM's, and the failback states the backup server reports. */
export const REPLICA_STATES = ['Ready', 'Processing', 'Failover', 'FailedFailover', 'Incomplete', 'ReadyToSwitch', 'Failback'] as const;

export const KINDS = Object.keys(KIND_LABELS) as ReplicaKind[];
export const EDITIONS = Object.keys(EDITION_LABELS) as LicenseEdition[];
export const ROLES = Object.keys(ROLE_LABELS) as PortalRole[];
export const ACTIONS = Object.keys(ACTION_LABELS) as ReplicaAction[];
