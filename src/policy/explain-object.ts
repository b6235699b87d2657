import type { PrismaClient } from '../generated/prisma/client.js';
import { decide, decideAction, type Decision } from './explain.js';
import { loadGatedServers, visibilityInclude } from './load.js';
import { createPolicy } from './policy.js';
import { replicaActionOf } from './replica-actions.js';
import { asBackupServer, asReplica, asRestorePoint } from './subjects.js';
import type { AccountGrant, Action } from './types.js';

/** An inventory object `explain` is asked about, by its database id. */
export interface ExplainedObject {
  type: 'Replica' | 'RestorePoint' | 'BackupServer';
  id: string;
}

/**
 * How the policy decides `action` on `object` for one account, as a principal
 * of its own (a user by its name, a group as a member of it). Null when the
 * object does not exist. A replica action (failover, undoFailover, …) is
 * decided as its mutation decides it: on the replica (a restore point's), read
 * first (see decideAction).
 */
export async function explainFor(prisma: PrismaClient, account: AccountGrant, action: Action, object: ExplainedObject): Promise<Decision | null> {
  const principal = account.type === 'USER' ? { subject: account.name, groups: [] } : { subject: '', groups: [account.name] };
  const policy = createPolicy({ principal, accounts: [account], servers: await loadGatedServers(prisma) });
  const visibility = { visibility: visibilityInclude([account.id]) };
  const replicaAction = replicaActionOf(action);
  if (object.type === 'RestorePoint') {
    const point = await prisma.restorePoint.findUnique({ where: { id: object.id }, include: { replica: { include: visibility } } });
    if (!point) return null;
    return replicaAction ? decideAction(policy.ability, replicaAction, asReplica(point.replica)) : decide(policy.ability, action, asRestorePoint(point));
  }
  if (object.type === 'BackupServer') {
    const server = await prisma.backupServer.findUnique({
      where: { id: object.id },
      include: { replicas: { where: { visibility: { some: { accountId: account.id } } }, take: 1, include: visibility } },
    });
    return server && decide(policy.ability, action, asBackupServer(server));
  }
  const replica = await prisma.replica.findUnique({ where: { id: object.id }, include: visibility });
  if (!replica) return null;
  return replicaAction ? decideAction(policy.ability, replicaAction, asReplica(replica)) : decide(policy.ability, action, asReplica(replica));
}
