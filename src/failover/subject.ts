import type { LicenseEdition, Prisma, PrismaClient, Replica, RestorePoint } from '../generated/prisma/client.js';
import { isUuid } from '../graphql/uuid.js';
import type { FailoverTargetRequest } from './types.js';

/** The replica a failover acts on, with what the policy reads: the caller's visibility rows and the server's edition. */
export interface SubjectReplica extends Replica {
  visibility: Array<{ accountId: string }>;
  backupServer: { name: string; edition: LicenseEdition };
}

export interface FailoverSubject {
  replica: SubjectReplica;
  /** The restore point (VM and vApp replicas). */
  point: RestorePoint | null;
}

/**
 * Loads the target from the inventory cache without the access filter: the
 * policy then decides on the loaded object, so the audit entry can name why
 * (unknown, outside the scope, wrong edition). Null when it does not exist.
 */
export async function loadSubject(prisma: PrismaClient, target: FailoverTargetRequest, accountIds: readonly string[]): Promise<FailoverSubject | null> {
  const include = {
    visibility: { where: { accountId: { in: [...accountIds] } }, select: { accountId: true } },
    backupServer: { select: { name: true, edition: true } },
  } satisfies Prisma.ReplicaInclude;
  if ('restorePointId' in target) {
    const point = await prisma.restorePoint.findUnique({ where: { id: target.restorePointId }, include: { replica: { include } } });
    if (!point) return null;
    const { replica, ...rest } = point;
    return { replica, point: rest };
  }
  if (!isUuid(target.replicaId)) return null;
  const replica = await prisma.replica.findUnique({ where: { id: target.replicaId }, include });
  return replica ? { replica, point: null } : null;
}
