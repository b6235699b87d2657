import type { PolicyPrincipal, ReplicaAction } from '../../../src/policy/index.js';
import type { World, WorldAccount, WorldReplica } from './world.js';

/**
 * The replica actions as issue 15 states them, written the plain way from the
 * lifecycle diagram, the policy paragraph and the kinds paragraph. It shares
 * no code with src/policy or src/operations (no table, no CASL), so a
 * disagreement is a bug in one of them.
 */
export const ACTION_NAMES: readonly ReplicaAction[] = [
  'FAILOVER',
  'PLANNED_FAILOVER',
  'UNDO_FAILOVER',
  'PERMANENT_FAILOVER',
  'FAILBACK',
  'SWITCH_TO_PRODUCTION',
  'COMMIT_FAILBACK',
  'UNDO_FAILBACK',
];

/** The CASL actions, as rule ids and audit entries name them. */
export const CASL_ACTION: Record<ReplicaAction, string> = {
  FAILOVER: 'failover',
  PLANNED_FAILOVER: 'plannedFailover',
  UNDO_FAILOVER: 'undoFailover',
  PERMANENT_FAILOVER: 'permanentFailover',
  FAILBACK: 'failback',
  SWITCH_TO_PRODUCTION: 'switchToProduction',
  COMMIT_FAILBACK: 'commitFailback',
  UNDO_FAILBACK: 'undoFailback',
};

/**
 * Ready ─failover / planned failover─▶ Failover ─undo failover─▶ Ready
 *                                         ├─permanent failover─▶ (gone)
 *                                         └─failback─▶ ReadyToSwitch ─switch─▶ Failback ─commit─▶ Ready
 *                                                                                └─undo failback─▶ Failover
 * Failback is not final until committed: undo failback from ReadyToSwitch too.
 * A state no source reports: only EM's failover (EM judges the state itself).
 */
function fromState(state: string | null): ReplicaAction[] {
  if (state === null) return ['FAILOVER'];
  if (state === 'Ready') return ['FAILOVER', 'PLANNED_FAILOVER'];
  if (state === 'Failover') return ['UNDO_FAILOVER', 'PERMANENT_FAILOVER', 'FAILBACK'];
  if (state === 'ReadyToSwitch') return ['SWITCH_TO_PRODUCTION', 'UNDO_FAILBACK'];
  if (state === 'Failback') return ['COMMIT_FAILBACK', 'UNDO_FAILBACK'];
  // A failover that failed is undone (Veeam's user guide: undo failover).
  if (state === 'FailedFailover') return ['UNDO_FAILOVER'];
  return [];
}

/** EM fails over every kind; the other actions exist only in VBR's REST API, for VMware vSphere VM replicas. */
const upstreamHas = (r: WorldReplica, action: ReplicaAction) => action === 'FAILOVER' || (r.kind === 'VM_REPLICA' && (r.platform ?? 'VMware') === 'VMware');

/** EM: Enterprise and Enterprise Plus. VBR's own API: Standard and above (docs/policy.md). Unknown proves nothing. */
const editionAllows = (edition: string, action: ReplicaAction) =>
  action === 'FAILOVER' ? edition === 'ENTERPRISE' || edition === 'ENTERPRISE_PLUS' : edition === 'STANDARD' || edition === 'ENTERPRISE' || edition === 'ENTERPRISE_PLUS';

const admin = (a: WorldAccount) => a.roles.includes('PORTAL_ADMINISTRATOR');
const restricted = (a: WorldAccount) => !admin(a) && (a.roles.includes('PORTAL_USER') || a.roles.includes('RESTORE_OPERATOR'));
const sees = (a: WorldAccount, r: WorldReplica) => admin(a) || (restricted(a) && (a.scopeAll || a.scope.some((ref) => r.refs.includes(ref))));
/** Restore Operators and Portal Users fail over, plan a failover and undo a failover; the rest only when granted. */
const roleMay = (a: WorldAccount, action: ReplicaAction) =>
  admin(a) || (restricted(a) && (['FAILOVER', 'PLANNED_FAILOVER', 'UNDO_FAILOVER'].includes(action) || (a.grantedActions ?? []).includes(action)));

export interface ActionOracle {
  /** The principal's accounts. */
  mine: WorldAccount[];
  readable(r: WorldReplica): boolean;
  /** What the policy alone says (read first), state and kind aside: as `decideAction`, `explain` and `accessibleBy` answer. */
  policyAllows(r: WorldReplica, action: ReplicaAction): boolean;
  /** The deciding rule's id, as `explain` and audit entries name it. */
  rule(r: WorldReplica, action: ReplicaAction): string;
  /** policy ∩ state ∩ what the kind's upstream has: `Replica.allowedActions`. */
  allowed(r: WorldReplica): ReplicaAction[];
}

export function actionOracle(world: World, principal: PolicyPrincipal): ActionOracle {
  const mine = world.accounts.filter((a) => (a.type === 'USER' ? a.name === principal.subject : principal.groups.includes(a.name)));
  const edition = new Map(world.servers.map((s) => [s.id, s.edition as string]));
  const readable = (r: WorldReplica) => mine.some((a) => sees(a, r));
  const granting = (r: WorldReplica, action: ReplicaAction) => mine.filter((a) => sees(a, r) && a.allowedKinds.includes(r.kind) && roleMay(a, action));
  const policyAllows = (r: WorldReplica, action: ReplicaAction) => readable(r) && granting(r, action).length > 0 && editionAllows(edition.get(r.serverId)!, action);
  const anyGrant = (action: ReplicaAction) => mine.some((a) => roleMay(a, action) && a.allowedKinds.length > 0);
  return {
    mine,
    readable,
    policyAllows,
    rule(r, action) {
      if (!readable(r)) return 'default.deny';
      const serverEdition = edition.get(r.serverId)!;
      // An edition denial is only stated where the principal could be granted the action at all.
      if (!editionAllows(serverEdition, action) && anyGrant(action)) {
        if (serverEdition === 'UNKNOWN') return 'edition.unknown';
        return action === 'FAILOVER' ? 'edition.below-enterprise' : 'edition.below-standard';
      }
      const grants = granting(r, action);
      if (grants.some(admin)) return `admin.${CASL_ACTION[action]}`;
      if (grants.some((a) => a.scopeAll)) return `scope-all.${CASL_ACTION[action]}`;
      if (grants.length > 0) return `scope.${CASL_ACTION[action]}`;
      return 'default.deny';
    },
    allowed: (r) => ACTION_NAMES.filter((action) => fromState(r.state ?? null).includes(action) && upstreamHas(r, action) && policyAllows(r, action)),
  };
}
