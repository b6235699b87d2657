import { ACTIONS, actionsFromState } from '../operations/actions.js';
import { upstreamSupports } from '../operations/kinds.js';
import type { AppAbility } from './ability.js';
import { decideAction } from './explain.js';
import { REPLICA_ACTIONS, type ReplicaAction } from './replica-actions.js';
import { asReplica, type ReplicaFacts } from './subjects.js';

/** What `allowedActions` reads of a replica: the policy's facts, its platform and its state. */
export interface ReplicaActionFacts extends ReplicaFacts {
  /** As EM names it (VMware, CloudDirector, HyperV): which upstream has lifecycle endpoints for it. */
  platform: string;
  /** The state the inventory holds; null when no source reports one (CDP and Cloud Director replicas). */
  state: string | null;
}

/**
 * The actions a replica in this state may start. A state no source reports
 * (null) rules out every action whose upstream the gateway asks for the state
 * before dispatch (the VBR lifecycle actions), and leaves EM's failover, which
 * the gateway dispatches on an unknown state and EM judges itself.
 */
export function actionsPossibleIn(state: string | null): ReplicaAction[] {
  return state === null ? REPLICA_ACTIONS.filter((action) => ACTIONS[action].upstream.type === 'em') : actionsFromState(state);
}

/**
 * What this caller may do to this replica now, in the table's order: the
 * policy (read first, as `decideAction`), the replica's state and what its
 * kind's upstream supports, intersected. Pure: a portal shows these buttons,
 * and every one of them passes the policy, the state check and the kind check
 * of its mutation.
 */
export function allowedActions(ability: AppAbility, replica: ReplicaActionFacts): ReplicaAction[] {
  const possible = new Set(actionsPossibleIn(replica.state));
  const subject = asReplica(replica);
  return REPLICA_ACTIONS.filter((action) => possible.has(action) && upstreamSupports(replica, action) && decideAction(ability, action, subject).allowed);
}
