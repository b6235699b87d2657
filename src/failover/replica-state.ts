import type { EmClient } from '../em/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { FailoverOperation } from './types.js';

/**
 * The replica's state in EM now (after its failover ended), or null when EM
 * does not say or cannot be asked. Read where the failover was started from:
 * the restore point for VM and vApp replicas, the CDP VM or vApp for CDP.
 */
export async function readReplicaState(em: EmClient, prisma: PrismaClient, operation: FailoverOperation): Promise<string | null> {
  switch (operation.kind) {
    case 'VM_REPLICA':
      return operation.restorePointId ? ((await em.getVmReplicaPoint(operation.restorePointId)).replicaState ?? null) : null;
    case 'VCD_VAPP_REPLICA':
      return operation.restorePointId ? ((await em.getVAppReplicaPoint(operation.restorePointId)).replicaState ?? null) : null;
    case 'CDP_VM':
    case 'VCD_CDP_VAPP': {
      const replica = operation.replicaId ? await prisma.replica.findUnique({ where: { id: operation.replicaId }, select: { parentEmId: true, emId: true } }) : null;
      if (!replica?.emId) return null;
      if (operation.kind === 'VCD_CDP_VAPP') return (await em.getCdpVApp(replica.emId)).replicaState ?? null;
      return replica.parentEmId ? ((await em.getCdpReplicaVm(replica.parentEmId, replica.emId)).replicaState ?? null) : null;
    }
  }
}
