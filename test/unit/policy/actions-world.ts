import type { LicenseEdition, PolicyPrincipal, ReplicaAction, ReplicaKind } from '../../../src/policy/index.js';
import { uuid, type World, type WorldAccount, type WorldReplica } from './world.js';

/**
 * The allowed-actions matrix's world: a replica of every kind, platform,
 * state and edition, in one of two clusters, and accounts of every role with
 * and without granted actions.
 */
const KINDS: ReplicaKind[] = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];
export const STATES: Array<string | null> = ['Ready', 'Failover', 'ReadyToSwitch', 'Failback', 'Processing', 'FailedFailover', null];
const EDITIONS: LicenseEdition[] = ['ENTERPRISE_PLUS', 'ENTERPRISE', 'STANDARD', 'COMMUNITY', 'UNKNOWN'];
const PLATFORMS: Record<ReplicaKind, string[]> = {
  VM_REPLICA: ['VMware', 'HyperV'],
  CDP_VM: ['VMware'],
  VCD_VAPP_REPLICA: ['CloudDirector'],
  VCD_CDP_VAPP: ['CloudDirector'],
};
const cluster = (n: 1 | 2) => `urn:VMware:Cluster:vc1.c${n}`;

function replicas(): WorldReplica[] {
  const list: WorldReplica[] = [];
  for (const kind of KINDS) {
    for (const platform of PLATFORMS[kind]) {
      for (const state of STATES) {
        for (const edition of EDITIONS) {
          const n = list.length + 1;
          const where = cluster(n % 2 === 0 ? 2 : 1);
          list.push({ id: uuid(1, n), kind, platform, state, serverId: `srv-${edition.toLowerCase()}`, refs: [where, `urn:VMware:Vm:vc1.vm-${n}`] });
        }
      }
    }
  }
  return list;
}

export interface ActionScenario {
  name: string;
  principal: PolicyPrincipal;
  accounts: Array<Omit<WorldAccount, 'id'>>;
}

const ALL = KINDS;
const user = (name: string, o: Partial<Omit<WorldAccount, 'id' | 'type' | 'name'>>): Omit<WorldAccount, 'id'> => ({
  type: 'USER',
  name,
  roles: [],
  scopeAll: false,
  allowedKinds: ALL,
  grantedActions: [],
  scope: [],
  ...o,
});
const group = (name: string, o: Partial<Omit<WorldAccount, 'id' | 'type' | 'name'>>) => ({ ...user(name, o), type: 'GROUP' as const });
const alone = (subject: string, groups: string[] = []) => ({ subject, groups });
const LIFECYCLE: ReplicaAction[] = ['PERMANENT_FAILOVER', 'FAILBACK', 'SWITCH_TO_PRODUCTION', 'COMMIT_FAILBACK', 'UNDO_FAILBACK'];

const fixed: ActionScenario[] = [
  { name: 'administrator', principal: alone('admin'), accounts: [user('admin', { roles: ['PORTAL_ADMINISTRATOR'] })] },
  { name: 'administrator allowed VM replicas only', principal: alone('admin-vm'), accounts: [user('admin-vm', { roles: ['PORTAL_ADMINISTRATOR'], allowedKinds: ['VM_REPLICA'] })] },
  { name: 'administrator allowed CDP only', principal: alone('admin-cdp'), accounts: [user('admin-cdp', { roles: ['PORTAL_ADMINISTRATOR'], allowedKinds: ['CDP_VM', 'VCD_CDP_VAPP'] })] },
  { name: 'restore operator in cluster 1', principal: alone('op'), accounts: [user('op', { roles: ['RESTORE_OPERATOR'], scope: [cluster(1)] })] },
  { name: 'portal user, all objects', principal: alone('pu-all'), accounts: [user('pu-all', { roles: ['PORTAL_USER'], scopeAll: true })] },
  { name: 'portal user in cluster 2, granted permanent failover and failback', principal: alone('pu-fb'), accounts: [user('pu-fb', { roles: ['PORTAL_USER'], scope: [cluster(2)], grantedActions: ['PERMANENT_FAILOVER', 'FAILBACK'] })] },
  { name: 'restore operator, all objects, granted everything', principal: alone('op-all'), accounts: [user('op-all', { roles: ['RESTORE_OPERATOR'], scopeAll: true, grantedActions: LIFECYCLE })] },
  {
    name: 'restore operator, all objects, VM replicas only, granted the switch and the end of failback',
    principal: alone('op-vm'),
    accounts: [user('op-vm', { roles: ['RESTORE_OPERATOR'], scopeAll: true, allowedKinds: ['VM_REPLICA'], grantedActions: ['SWITCH_TO_PRODUCTION', 'COMMIT_FAILBACK', 'UNDO_FAILBACK'] })],
  },
  {
    name: 'a grant widens only its own account: user in cluster 1, group granting undo failback in cluster 2',
    principal: alone('erin', ['fb-team']),
    accounts: [user('erin', { roles: ['RESTORE_OPERATOR'], scope: [cluster(1)] }), group('fb-team', { roles: ['PORTAL_USER'], scope: [cluster(2)], grantedActions: ['UNDO_FAILBACK', 'FAILBACK'] })],
  },
  {
    name: 'a grant on an account with no kind allowed grants nothing',
    principal: alone('frank', ['no-kinds']),
    accounts: [user('frank', { roles: ['PORTAL_USER'], scopeAll: true }), group('no-kinds', { roles: ['RESTORE_OPERATOR'], scopeAll: true, allowedKinds: [], grantedActions: LIFECYCLE })],
  },
  {
    name: 'granted actions and an all-objects group of other kinds',
    principal: alone('gina', ['cdp-all']),
    accounts: [user('gina', { roles: ['PORTAL_USER'], scope: [cluster(1)], grantedActions: ['PERMANENT_FAILOVER'] }), group('cdp-all', { roles: ['PORTAL_USER'], scopeAll: true, allowedKinds: ['CDP_VM'] })],
  },
  { name: 'no role, granted everything', principal: alone('nobody'), accounts: [user('nobody', { scopeAll: true, grantedActions: LIFECYCLE })] },
  { name: 'administrator with grants (no effect)', principal: alone('admin-g'), accounts: [user('admin-g', { roles: ['PORTAL_ADMINISTRATOR', 'RESTORE_OPERATOR'], allowedKinds: ['VM_REPLICA', 'CDP_VM'], grantedActions: ['FAILBACK'] })] },
  { name: 'no account at all', principal: alone('stranger'), accounts: [] },
];

/** One restricted account per lifecycle action granted alone, half of each role. */
const perGrant: ActionScenario[] = LIFECYCLE.map((action, i) => ({
  name: `${i % 2 ? 'portal user' : 'restore operator'} in cluster 1 granted ${action}`,
  principal: alone(`grant-${i}`),
  accounts: [user(`grant-${i}`, { roles: [i % 2 ? 'PORTAL_USER' : 'RESTORE_OPERATOR'], scope: [cluster(1)], grantedActions: [action] })],
}));

export const actionScenarios: ActionScenario[] = [...fixed, ...perGrant];

export function actionsWorld(): World {
  let n = 0;
  const accounts = actionScenarios.flatMap((s) => s.accounts.map((a) => ({ ...a, id: uuid(2, ++n) })));
  return { servers: EDITIONS.map((edition) => ({ id: `srv-${edition.toLowerCase()}`, edition })), replicas: replicas(), accounts };
}
