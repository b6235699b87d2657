import type { AuditDecision, FailoverState, LicenseEdition, PortalRole, ReplicaKind } from '../generated/graphql';

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
  DISPATCHING: { label: 'Sending to EM', tone: 'busy' },
  OUTCOME_UNKNOWN: { label: 'Checking with EM', tone: 'warn' },
  RUNNING: { label: 'Running', tone: 'busy' },
  SUCCEEDED: { label: 'Succeeded', tone: 'good' },
  WARNING: { label: 'Succeeded with warnings', tone: 'warn' },
  FAILED: { label: 'Failed', tone: 'bad' },
  NOT_STARTED: { label: 'Not started', tone: 'bad' },
};

export const DECISION_LABELS: Record<AuditDecision, string> = { ALLOW: 'Allowed', DENY: 'Denied' };

/** EM's replica states the inventory filter offers. */
export const REPLICA_STATES = ['Ready', 'Processing', 'Failover', 'FailedFailover', 'Incomplete'] as const;

export const KINDS = Object.keys(KIND_LABELS) as ReplicaKind[];
export const EDITIONS = Object.keys(EDITION_LABELS) as LicenseEdition[];
export const ROLES = Object.keys(ROLE_LABELS) as PortalRole[];
