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

export const ReplicaActionEnum = builder.enumType('ReplicaAction', {
  description: 'What an operation does to a replica: failover through Enterprise Manager, everything after it through the backup server.',
  values: Object.fromEntries(
    REPLICA_ACTIONS.map((action) => [action, { value: action, description: `${ACTIONS[action].label[0]!.toUpperCase()}${ACTIONS[action].label.slice(1)}: from ${ACTIONS[action].from.join(' or ')}${ACTIONS[action].to ? ` to ${ACTIONS[action].to}` : ', after which it is no longer a replica'}.` }]),
  ) as Record<ReplicaAction, { value: ReplicaAction; description: string }>,
});
