import type { ReplicaKind } from '../generated/graphql';

export interface ViewerRights {
  allowedKinds: readonly ReplicaKind[];
}

export interface ReplicaFacts {
  kind: ReplicaKind;
  state: string | null;
  backupServer: { canFailOver: boolean };
}

/**
 * Whether the page offers "Fail over" for a replica now, and why not. The
 * schema has no per-replica list of allowed actions yet, so this is read from
 * what the API gives: the caller's allowed kinds, EM's state and the server's
 * edition. The dry run is the gateway's real decision and is always shown
 * before anything is sent.
 */
export function failoverAvailability(viewer: ViewerRights, replica: ReplicaFacts): { allowed: true } | { allowed: false; why: string } {
  if (!viewer.allowedKinds.includes(replica.kind)) return { allowed: false, why: 'Your accounts may not fail over this kind' };
  if (!replica.backupServer.canFailOver) return { allowed: false, why: 'Its backup server’s edition does not allow failover' };
  // No state from the sync is no refusal: the gateway asks EM for the replica's state before it fails it over.
  if (replica.state !== null && replica.state !== 'Ready') return { allowed: false, why: `Not ready (${replica.state})` };
  return { allowed: true };
}
