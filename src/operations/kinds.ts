import type { ReplicaKind } from '../generated/prisma/enums.js';
import { ACTIONS, type ReplicaAction } from './actions.js';

export type { ReplicaKind };

/**
 * THE table of replica kinds: the four kinds of EM failover. The GraphQL
 * input members and type names, labels, how a failover names its target, and
 * which lifecycle actions an upstream offers derive from it.
 */
export interface KindSpec {
  /** Member of `FailoverInput`. */
  member: string;
  /** GraphQL object type of the replica (implements `Replica`). */
  graphqlType: string;
  /** GraphQL input type of the `FailoverInput` member. */
  failoverInput: string;
  /** Words for messages. */
  label: string;
  /** What the FailoverInput member fails over (its description). */
  failoverDescription: string;
  /** A failover names a restore point (job replicas) or a replica and a CDP target (CDP kinds). */
  failoverTarget: 'restorePoint' | 'cdpTarget';
  /**
   * Platforms (the replica's `platform`, as EM names it) whose replicas have
   * VBR REST lifecycle endpoints: VMware vSphere snapshot replicas only
   * (vbr-rest.md §0). Empty: every action but EM's failover is console-only.
   */
  lifecyclePlatforms: readonly string[];
}

export const KINDS: Record<ReplicaKind, KindSpec> = {
  VM_REPLICA: { member: 'vmReplica', graphqlType: 'VmReplica', failoverInput: 'VmReplicaFailoverInput', label: 'VM replica', failoverDescription: 'A VM from a replication job, to one of its restore points.', failoverTarget: 'restorePoint', lifecyclePlatforms: ['VMware'] },
  CDP_VM: { member: 'cdpVmReplica', graphqlType: 'CdpVmReplica', failoverInput: 'CdpVmReplicaFailoverInput', label: 'CDP VM', failoverDescription: 'A VM from a CDP policy, to a target in its CDP history.', failoverTarget: 'cdpTarget', lifecyclePlatforms: [] },
  VCD_VAPP_REPLICA: {
    member: 'vcdVAppReplica',
    graphqlType: 'VcdVAppReplica',
    failoverInput: 'VcdVAppReplicaFailoverInput',
    label: 'Cloud Director vApp replica',
    failoverDescription: 'A vApp from a Cloud Director replication job, to one of its restore points.',
    failoverTarget: 'restorePoint',
    lifecyclePlatforms: [],
  },
  VCD_CDP_VAPP: {
    member: 'vcdCdpVAppReplica',
    graphqlType: 'VcdCdpVAppReplica',
    failoverInput: 'VcdCdpVAppReplicaFailoverInput',
    label: 'Cloud Director CDP vApp',
    failoverDescription: 'A vApp from a Cloud Director CDP policy, to a target in its CDP history.',
    failoverTarget: 'cdpTarget',
    lifecyclePlatforms: [],
  },
};

export const REPLICA_KINDS = Object.keys(KINDS) as ReplicaKind[];

/** The kind whose FailoverInput member this is. */
export const kindOfMember = (member: string): ReplicaKind | undefined => REPLICA_KINDS.find((kind) => KINDS[kind].member === member);

/**
 * Whether any API can carry this action out for this replica: EM's failover
 * for every kind, VBR's lifecycle endpoints for vSphere snapshot replicas
 * only. The rest is console-only.
 */
export function upstreamSupports(replica: { kind: ReplicaKind; platform: string }, action: ReplicaAction): boolean {
  return ACTIONS[action].upstream.type === 'em' || KINDS[replica.kind].lifecyclePlatforms.includes(replica.platform);
}
