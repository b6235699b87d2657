import type { ReplicaAction } from '../generated/graphql';

/**
 * The actions after a failover, in the API's order. FAILOVER is not among
 * them: it has its own flow on the replica page (a restore point or a CDP
 * moment to choose first).
 */
export const LIFECYCLE_ACTIONS: readonly ReplicaAction[] = [
  'PLANNED_FAILOVER',
  'UNDO_FAILOVER',
  'PERMANENT_FAILOVER',
  'FAILBACK',
  'SWITCH_TO_PRODUCTION',
  'COMMIT_FAILBACK',
  'UNDO_FAILBACK',
];

/** What each action does, for the person about to start it (Veeam's user guide, in short). */
export const ACTION_EFFECTS: Record<ReplicaAction, string> = {
  FAILOVER: 'The replica starts on the recovery site from the chosen restore point or moment (state Failover).',
  PLANNED_FAILOVER:
    'For an outage you know is coming: the backup server replicates the latest changes of the running source VM, powers it off, replicates once more and starts the replica on the recovery site (state Failover). Nothing is lost.',
  UNDO_FAILOVER:
    'The replica is powered off and every change made to it since the failover is discarded; the production VM is the one in use again (state Ready).',
  PERMANENT_FAILOVER:
    'The replica becomes the production VM for good. It stops being a replica: the job no longer processes it and it leaves the inventory. This cannot be undone.',
  FAILBACK:
    'The changes made on the replica are copied back to production (the original VM, the original VM restored elsewhere, or a new VM); the switch to production follows when you choose (state Ready to switch, then Failback).',
  SWITCH_TO_PRODUCTION:
    'The replica is powered off, its last changes are copied to production and the production VM starts (state Failback). Commit or undo the failback afterwards.',
  COMMIT_FAILBACK: 'The failback becomes final: the production VM stays in use and the replica returns to Ready, replicated again by its job.',
  UNDO_FAILBACK: 'The production VM is powered off and the replica runs again on the recovery site (state Failover).',
};

/** Actions that cannot be undone: their confirmation asks for the replica's name to be typed. */
export const DESTRUCTIVE_ACTIONS: ReadonlySet<ReplicaAction> = new Set<ReplicaAction>(['PERMANENT_FAILOVER']);

/** The lifecycle actions among what the API allows now, in the API's order. */
export function lifecycleActions(allowed: readonly ReplicaAction[]): ReplicaAction[] {
  return LIFECYCLE_ACTIONS.filter((action) => allowed.includes(action));
}

/** Whether what was typed names the replica: exactly, spaces around it aside (names are case-sensitive in vSphere). */
export function nameConfirms(typed: string, replicaName: string): boolean {
  return typed.trim() === replicaName;
}

/** The action a location hash asks for (`paths.replicaAction` makes such links), when it names one. */
export function actionOfHash(hash: string): ReplicaAction | undefined {
  const match = /^#action-([A-Z_]+)$/.exec(hash);
  const action = match?.[1] as ReplicaAction | undefined;
  return action !== undefined && LIFECYCLE_ACTIONS.includes(action) ? action : undefined;
}
