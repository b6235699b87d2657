/**
 * THE table of replica actions: every other place (GraphQL mutations and
 * enums, policy actions, the VBR endpoint each one posts to, the states it
 * starts from, labels) derives from it. Adding an action is adding a row.
 *
 * States are VBR's `EReplicaState` values (vbr-rest.md §2.1). The lifecycle:
 *
 *   Ready ─failover / planned failover─▶ Failover ─undo failover─▶ Ready
 *                                           ├─permanent failover─▶ (no longer a replica)
 *                                           └─failback─▶ ReadyToSwitch ─switch─▶ Failback ─commit─▶ Ready
 *                                                                                   └─undo failback─▶ Failover
 */
export const REPLICA_ACTIONS = [
  'FAILOVER',
  'PLANNED_FAILOVER',
  'UNDO_FAILOVER',
  'PERMANENT_FAILOVER',
  'FAILBACK',
  'SWITCH_TO_PRODUCTION',
  'COMMIT_FAILBACK',
  'UNDO_FAILBACK',
] as const;

export type ReplicaAction = (typeof REPLICA_ACTIONS)[number];

/** A VBR REST lifecycle endpoint for vSphere snapshot replicas (vbr-rest.md §2.2, §2.3). */
export interface VbrLifecycleEndpoint {
  /** Path under the server, e.g. `/api/v1/failover/undoFailover/vSphere/snapshot`. */
  path: string;
  /** The point's `allowedOperations` value (EObjectRestorePointOperation) that says the call is legal now. */
  allowedOperation: string;
  /** The `sessionType` (ESessionType) of the sessions the POST creates. */
  sessionType: string;
  /**
   * The request body's schema: `failover` (ViVMSnapshotReplicaFailoverSpec: points and a reason),
   * `failback` (the polymorphic ViVMSnapshotReplicaFailbackSpec) or `points` (only `replicaPointIds`).
   */
  body: 'failover' | 'failback' | 'points';
}

export interface ActionSpec {
  /** The GraphQL mutation field. */
  mutation: string;
  /** Lower-case words for messages: "undo failover". */
  label: string;
  /** The CASL action the policy grants (stable: audit entries and rules name it). */
  policyAction: string;
  /** Replica states the action starts from. */
  from: readonly string[];
  /** The replica's state once the action succeeded; null: it is no longer a replica (permanent failover). */
  to: string | null;
  /** Restore Operators and Portal Users may do it by default (within their scope); otherwise administrators only unless an account grants it. */
  restrictedDefault: boolean;
  /** Asks for the replica's name to be typed in a console: it cannot be undone. */
  destructive: boolean;
  /**
   * Where it is sent. `em`: Enterprise Manager's failover of the replica's kind
   * (all four kinds). `vbr`: the backup server's own REST API, which has the
   * endpoint for VMware vSphere snapshot replicas only.
   */
  upstream: { type: 'em' } | ({ type: 'vbr' } & VbrLifecycleEndpoint);
  /** While it runs, the replica passes through states worth reporting (failback: ReadyToSwitch, Failback). */
  followsReplicaState: boolean;
}

const vbr = (path: string, allowedOperation: string, sessionType: string, body: VbrLifecycleEndpoint['body']) => ({ type: 'vbr' as const, path, allowedOperation, sessionType, body });

export const ACTIONS: Record<ReplicaAction, ActionSpec> = {
  FAILOVER: {
    mutation: 'failover',
    label: 'failover',
    policyAction: 'failover',
    from: ['Ready'],
    to: 'Failover',
    restrictedDefault: true,
    destructive: false,
    upstream: { type: 'em' },
    followsReplicaState: false,
  },
  PLANNED_FAILOVER: {
    mutation: 'plannedFailover',
    label: 'planned failover',
    policyAction: 'plannedFailover',
    from: ['Ready'],
    to: 'Failover',
    restrictedDefault: true,
    destructive: false,
    upstream: vbr('/api/v1/failover/plannedFailover/vSphere/snapshot', 'StartViVMSnapshotReplicaPlannedFailover', 'PlannedFailover', 'failover'),
    followsReplicaState: false,
  },
  UNDO_FAILOVER: {
    mutation: 'undoFailover',
    label: 'undo failover',
    policyAction: 'undoFailover',
    // A failover that failed leaves the replica in FailedFailover; the console undoes it from there (Veeam's user guide).
    from: ['Failover', 'FailedFailover'],
    to: 'Ready',
    restrictedDefault: true,
    destructive: false,
    upstream: vbr('/api/v1/failover/undoFailover/vSphere/snapshot', 'StartViVMSnapshotReplicaUndoFailover', 'UndoFailover', 'failover'),
    followsReplicaState: false,
  },
  PERMANENT_FAILOVER: {
    mutation: 'permanentFailover',
    label: 'permanent failover',
    policyAction: 'permanentFailover',
    from: ['Failover'],
    to: null,
    restrictedDefault: false,
    destructive: true,
    upstream: vbr('/api/v1/failover/permanentFailover/vSphere/snapshot', 'StartViVMSnapshotReplicaPermanentFailover', 'PermanentFailover', 'failover'),
    followsReplicaState: false,
  },
  FAILBACK: {
    mutation: 'failback',
    label: 'failback',
    policyAction: 'failback',
    from: ['Failover'],
    // Manual switchover ends here; automatic goes on to Failback (the operation reports both).
    to: 'ReadyToSwitch',
    restrictedDefault: false,
    destructive: false,
    upstream: vbr('/api/v1/failback/failbackToProduction/vSphere/snapshot', 'StartViVMSnapshotReplicaFailback', 'Failback', 'failback'),
    followsReplicaState: true,
  },
  SWITCH_TO_PRODUCTION: {
    mutation: 'switchToProduction',
    label: 'switch to production',
    policyAction: 'switchToProduction',
    from: ['ReadyToSwitch'],
    to: 'Failback',
    restrictedDefault: false,
    destructive: false,
    upstream: vbr('/api/v1/failback/switchToProduction/vSphere/snapshot', 'StartViVMSnapshotReplicaSwitchToProductionFailback', 'SwitchReplicaToProduction', 'points'),
    followsReplicaState: false,
  },
  COMMIT_FAILBACK: {
    mutation: 'commitFailback',
    label: 'commit failback',
    policyAction: 'commitFailback',
    from: ['Failback'],
    to: 'Ready',
    restrictedDefault: false,
    destructive: false,
    upstream: vbr('/api/v1/failback/commitFailback/vSphere/snapshot', 'StartViVMSnapshotReplicaCommitFailback', 'CommitFailback', 'points'),
    followsReplicaState: false,
  },
  UNDO_FAILBACK: {
    mutation: 'undoFailback',
    label: 'undo failback',
    policyAction: 'undoFailback',
    // Before the switch as after it: failback is not final until committed (vbr-rest.md §2.3).
    from: ['ReadyToSwitch', 'Failback'],
    to: 'Failover',
    restrictedDefault: false,
    destructive: false,
    upstream: vbr('/api/v1/failback/undoFailback/vSphere/snapshot', 'StartViVMSnapshotReplicaUndoFailback', 'UndoFailback', 'points'),
    followsReplicaState: false,
  },
};

/** The actions a replica in this state may undergo, as far as the state machine goes (policy and kind aside). */
export const actionsFromState = (state: string | null): ReplicaAction[] => REPLICA_ACTIONS.filter((action) => state !== null && ACTIONS[action].from.includes(state));

/** The actions restricted roles get by default. */
export const RESTRICTED_DEFAULT_ACTIONS: readonly ReplicaAction[] = REPLICA_ACTIONS.filter((action) => ACTIONS[action].restrictedDefault);

/** The action whose CASL action this is. */
export const actionOfPolicyAction = (policyAction: string): ReplicaAction | undefined => REPLICA_ACTIONS.find((action) => ACTIONS[action].policyAction === policyAction);
