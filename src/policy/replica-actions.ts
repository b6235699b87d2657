import { ACTIONS, REPLICA_ACTIONS, type ReplicaAction } from '../operations/actions.js';
import type { LicenseEdition } from '../generated/prisma/enums.js';

export { REPLICA_ACTIONS, type ReplicaAction };

type UpperCamel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Capitalize<Lowercase<Head>>}${UpperCamel<Tail>}` : Capitalize<Lowercase<S>>;
type LowerCamel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Lowercase<Head>}${UpperCamel<Tail>}` : Lowercase<S>;

/**
 * The CASL action of each replica action, as a type: the table's
 * `policyAction` is the action's name in lower camel case (UNDO_FAILOVER:
 * undoFailover), which a unit test holds the table to. The type lets the
 * compiler check every `decide(ability, 'undoFailover', …)`.
 */
export type ReplicaPolicyAction = LowerCamel<ReplicaAction>;

/** The CASL action the policy grants for this replica action (from the table). */
export const policyActionOf = (action: ReplicaAction): ReplicaPolicyAction => ACTIONS[action].policyAction as ReplicaPolicyAction;

/** Every replica action's CASL action, in the table's order. */
export const REPLICA_POLICY_ACTIONS: readonly ReplicaPolicyAction[] = REPLICA_ACTIONS.map(policyActionOf);

/** The replica action of a CASL action; undefined for `read`, `manage`, `explain`. */
export const replicaActionOf = (policyAction: string): ReplicaAction | undefined => REPLICA_ACTIONS.find((action) => ACTIONS[action].policyAction === policyAction);

/** Lower-case words for messages ("undo failover"). */
export const labelOf = (action: ReplicaAction): string => ACTIONS[action].label;

/**
 * The editions on which each upstream carries out the actions sent to it.
 * EM: its failover runs only on Enterprise and Enterprise Plus. VBR's own REST
 * API: Veeam documents no licensing for its failover and failback endpoints;
 * the PowerShell cmdlets for the same operations (e.g. Stop-VBRReplicaFailover)
 * are documented for Standard edition and above, so Standard is taken as the
 * floor and Community is denied. docs/policy.md records the choice.
 */
export interface EditionGate {
  editions: ReadonlySet<LicenseEdition>;
  /** The lowest edition's name as a rule id part: `edition.below-<floor>`. */
  floor: string;
  /** Editions that qualify, for the reason. */
  needs: string;
}

export const EDITION_GATES: Record<'em' | 'vbr', EditionGate> = {
  em: { editions: new Set(['ENTERPRISE', 'ENTERPRISE_PLUS']), floor: 'enterprise', needs: 'Enterprise or Enterprise Plus' },
  vbr: { editions: new Set(['STANDARD', 'ENTERPRISE', 'ENTERPRISE_PLUS']), floor: 'standard', needs: 'Standard, Enterprise or Enterprise Plus' },
};

/** The edition gate of the upstream this action is sent to. */
export const editionGateOf = (action: ReplicaAction): EditionGate => EDITION_GATES[ACTIONS[action].upstream.type];
