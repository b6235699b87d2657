import type { PrismaClient, ReplicaKind } from '../generated/prisma/client.js';
import { vmReplicaPoint, type VbrClient } from '../vbr/index.js';
import { serverNameCache } from './server-names.js';
import type { FailoverOperation } from './types.js';

/** What a state read needs to know of the replica. */
export interface StateSubject {
  kind: ReplicaKind;
  backupServerId: string;
  /** The VM's name: VBR's replica points name the VM they were created for. */
  name: string;
  vbrReplicaId: string | null;
}

/**
 * Where a replica's current state lives in a real deployment: its backup
 * server's REST API, for vSphere snapshot replicas only (the newest replica
 * point of the VM). CDP and Cloud Director replicas have no state in any REST
 * API: for them, and for a server the gateway has no access to, there is no
 * source (undefined) and the gateway's own record stands.
 */
export interface ReplicaStateSource {
  /** The state now; null when the source says nothing; undefined when no source exists for this replica. Throws when the source fails. */
  current(replica: StateSubject): Promise<string | null | undefined>;
}

/** No REST API is reachable: every state is the gateway's own record. */
export const NO_STATE_SOURCE: ReplicaStateSource = { current: async () => undefined };

/** Reads states through the gateway's VBR clients; server names come from the cache. */
export function vbrStateSource(prisma: PrismaClient, clientFor: (server: { uid: string; name: string }) => VbrClient | undefined): ReplicaStateSource {
  const serverName = serverNameCache(prisma);
  return {
    async current(replica) {
      if (replica.kind !== 'VM_REPLICA' || replica.vbrReplicaId === null) return undefined;
      const name = await serverName(replica.backupServerId);
      if (name === undefined) return undefined;
      const client = clientFor({ uid: replica.backupServerId, name });
      if (client === undefined) return undefined;
      const point = await vmReplicaPoint(client, replica.vbrReplicaId, replica.name);
      return point?.state ?? null;
    },
  };
}

/**
 * The replica's state after its failover ended: from its source where one
 * exists, else what the operation itself proves (EM ran the failover to its
 * end: the replica is in Failover). A failed failover proves no state.
 */
export async function stateAfterFailover(source: ReplicaStateSource, prisma: PrismaClient, operation: FailoverOperation, result: string): Promise<string | null> {
  const replica = operation.replicaId
    ? await prisma.replica.findUnique({ where: { id: operation.replicaId }, select: { kind: true, backupServerId: true, name: true, vbrReplicaId: true } })
    : null;
  const fromSource = replica === null ? undefined : await source.current(replica);
  if (fromSource !== undefined) return fromSource;
  return result === 'Success' || result === 'Warning' ? 'Failover' : null;
}
