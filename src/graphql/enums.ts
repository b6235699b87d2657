import { LicenseEdition, PortalRole, ReplicaKind } from '../generated/prisma/enums.js';
import { ACTIONS, REPLICA_ACTIONS, type ReplicaAction } from '../operations/actions.js';
import { builder } from './builder.js';

export const ReplicaKindEnum = builder.enumType('ReplicaKind', {
  description: 'The four kinds of failover-able units in EM.',
  values: {
    VM_REPLICA: { value: ReplicaKind.VM_REPLICA, description: 'A VM in a replication job.' },
    CDP_VM: { value: ReplicaKind.CDP_VM, description: 'A VM protected by a CDP policy.' },
    VCD_VAPP_REPLICA: { value: ReplicaKind.VCD_VAPP_REPLICA, description: 'A vApp in a Cloud Director replication job.' },
    VCD_CDP_VAPP: { value: ReplicaKind.VCD_CDP_VAPP, description: 'A vApp protected by a Cloud Director CDP policy.' },
  } as const,
});

export const LicenseEditionEnum = builder.enumType('LicenseEdition', {
  description: 'License edition of a backup server. EM fails over only on Enterprise and Enterprise Plus.',
  values: {
    COMMUNITY: { value: LicenseEdition.COMMUNITY },
    STANDARD: { value: LicenseEdition.STANDARD },
    ENTERPRISE: { value: LicenseEdition.ENTERPRISE },
    ENTERPRISE_PLUS: { value: LicenseEdition.ENTERPRISE_PLUS },
    UNKNOWN: { value: LicenseEdition.UNKNOWN, description: 'EM did not say.' },
  } as const,
});

export const PortalRoleEnum = builder.enumType('PortalRole', {
  description: "EM's portal roles.",
  values: {
    PORTAL_ADMINISTRATOR: { value: PortalRole.PORTAL_ADMINISTRATOR, description: 'Sees and fails over anything.' },
    PORTAL_USER: { value: PortalRole.PORTAL_USER, description: 'Acts only inside the restore scope.' },
    RESTORE_OPERATOR: { value: PortalRole.RESTORE_OPERATOR, description: 'Acts only inside the restore scope.' },
  } as const,
});

/** "Undo failover: Failover to Ready.", from the actions table. */
function actionDescription(action: ReplicaAction): string {
  const { label, from, to } = ACTIONS[action];
  const name = `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
  return to === null ? `${name}: from ${from.join(' or ')}; the VM is no longer a replica afterwards.` : `${name}: ${from.join(' or ')} to ${to}.`;
}

export const ReplicaActionEnum = builder.enumType('ReplicaAction', {
  description: 'What can be done to a replica over its lifecycle: each value names the states it starts from and the state it leads to.',
  values: Object.fromEntries(REPLICA_ACTIONS.map((action) => [action, { value: action, description: actionDescription(action) }])) as Record<
    ReplicaAction,
    { value: ReplicaAction; description: string }
  >,
});
