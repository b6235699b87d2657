import type { CdpFailoverTargetInput, FailoverInput, ReplicaKind } from '../generated/graphql';

/** What the person chose on the replica page. */
export type FailoverChoice =
  | { kind: 'restorePoint'; restorePointId: string }
  | { kind: 'latestCrashConsistent' }
  | { kind: 'latestApplicationConsistent' }
  | { kind: 'pointInTime'; at: number };

export interface FailoverRequest {
  choice: FailoverChoice;
  reason: string;
  dryRun: boolean;
}

function cdpTarget(choice: FailoverChoice): CdpFailoverTargetInput {
  switch (choice.kind) {
    case 'latestCrashConsistent':
      return { latestCrashConsistent: true };
    case 'latestApplicationConsistent':
      return { latestApplicationConsistent: true };
    case 'pointInTime':
      return { pointInTime: new Date(choice.at).toISOString() };
    case 'restorePoint':
      throw new Error('A CDP replica fails over to a moment, not a restore point');
  }
}

function restorePoint(choice: FailoverChoice): string {
  if (choice.kind !== 'restorePoint') throw new Error('This replica fails over to one of its restore points');
  return choice.restorePointId;
}

const reasonOf = (reason: string) => (reason.trim() === '' ? null : reason.trim());

/** The `failover` mutation's input, one `@oneOf` member per kind (as the gateway defines them). */
export const FAILOVER_INPUTS: Record<ReplicaKind, (replicaId: string, request: FailoverRequest) => FailoverInput> = {
  VM_REPLICA: (_replicaId, { choice, reason, dryRun }) => ({
    vmReplica: { restorePointId: restorePoint(choice), reason: reasonOf(reason), dryRun },
  }),
  VCD_VAPP_REPLICA: (_replicaId, { choice, reason, dryRun }) => ({
    vcdVAppReplica: { restorePointId: restorePoint(choice), reason: reasonOf(reason), dryRun },
  }),
  CDP_VM: (replicaId, { choice, reason, dryRun }) => ({
    cdpVmReplica: { replicaId, target: cdpTarget(choice), reason: reasonOf(reason), dryRun },
  }),
  VCD_CDP_VAPP: (replicaId, { choice, reason, dryRun }) => ({
    vcdCdpVAppReplica: { replicaId, target: cdpTarget(choice), reason: reasonOf(reason), dryRun },
  }),
};

/** Words for the chosen target, for the confirmation. */
export function describeChoice(choice: FailoverChoice, format: (at: number) => string): string {
  switch (choice.kind) {
    case 'restorePoint':
      return 'the selected restore point';
    case 'latestCrashConsistent':
      return 'the latest crash-consistent state';
    case 'latestApplicationConsistent':
      return 'the latest application-consistent point';
    case 'pointInTime':
      return `the state at ${format(choice.at)}`;
  }
}
