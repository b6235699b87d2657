import type { PolicyPrincipal, ReplicaKind } from '../../../src/policy/index.js';
import { uuid, type World, type WorldAccount, type WorldReplica } from './world.js';

/** A ref as EM spells it: urn:<Platform>:<Type>:<root>.<id>. */
const vmw = (type: string, id: string) => `urn:VMware:${type}:vc1.${id}`;
const hv = (type: string, id: string) => `urn:HyperV:${type}:scvmm1.${id}`;
const vcd = (type: string, id: string) => `urn:vCloud:${type}:vcd1.${id}`;

/** vSphere: Vc > Datacenter > Cluster > Host (> ResourcePool), plus the Folder and Tag views. */
function vsphereVm(n: number, o: { cluster: string; host: string; folder: string; tag?: string; pool?: string }): string[] {
  return [
    vmw('Vc', 'vc1'),
    vmw('Datacenter', 'dc1'),
    vmw('Cluster', o.cluster),
    vmw('Host', o.host),
    ...(o.pool ? [vmw('ResourcePool', o.pool)] : []),
    vmw('Folder', o.folder),
    ...(o.tag ? [vmw('Category', 'cat1'), vmw('Tag', o.tag)] : []),
    vmw('Vm', `vm-${n}`),
  ];
}

const replica = (n: number, kind: ReplicaKind, serverId: string, refs: string[]): WorldReplica => ({ id: uuid(1, n), kind, serverId, refs });

const replicas: WorldReplica[] = [
  replica(1, 'VM_REPLICA', 'srv-enterprise', vsphereVm(1, { cluster: 'c1', host: 'h1', folder: 'f1', tag: 't1' })),
  replica(2, 'CDP_VM', 'srv-plus', vsphereVm(2, { cluster: 'c1', host: 'h1', folder: 'f2' })),
  replica(3, 'VM_REPLICA', 'srv-standard', vsphereVm(3, { cluster: 'c2', host: 'h2', folder: 'f1', tag: 't2' })),
  replica(4, 'CDP_VM', 'srv-unknown', vsphereVm(4, { cluster: 'c2', host: 'h2', folder: 'f2', tag: 't1' })),
  replica(5, 'VM_REPLICA', 'srv-community', vsphereVm(5, { cluster: 'c1', host: 'h3', folder: 'f2', pool: 'rp1' })),
  replica(6, 'CDP_VM', 'srv-enterprise', vsphereVm(6, { cluster: 'c2', host: 'h2', folder: 'f3' })),
  replica(7, 'VM_REPLICA', 'srv-enterprise', [hv('Scvmm', 'scvmm1'), hv('HostGroup', 'g1'), hv('Cluster', 'hc1'), hv('Host', 'hh1'), hv('VmGroup', 'vg1'), hv('Vm', 'hv-7')]),
  replica(8, 'VCD_VAPP_REPLICA', 'srv-enterprise', [vcd('VcdSystem', 'vcd1'), vcd('Organization', 'o1'), vcd('OrgVdc', 'v1'), vcd('Vapp', 'vapp-8')]),
  replica(9, 'VCD_CDP_VAPP', 'srv-plus', [vcd('VcdSystem', 'vcd1'), vcd('Organization', 'o1'), vcd('OrgVdc', 'v2'), vcd('Vapp', 'vapp-9')]),
  replica(10, 'VCD_VAPP_REPLICA', 'srv-enterprise', [vcd('VcdSystem', 'vcd1'), vcd('Organization', 'o2'), vcd('OrgVdc', 'v3'), vcd('Vapp', 'vapp-10')]),
  replica(11, 'VCD_CDP_VAPP', 'srv-standard', [vcd('VcdSystem', 'vcd1'), vcd('Organization', 'o2'), vcd('OrgVdc', 'v3'), vcd('Vapp', 'vapp-11')]),
];

const servers = [
  { id: 'srv-enterprise', edition: 'ENTERPRISE' },
  { id: 'srv-plus', edition: 'ENTERPRISE_PLUS' },
  { id: 'srv-standard', edition: 'STANDARD' },
  { id: 'srv-community', edition: 'COMMUNITY' },
  { id: 'srv-unknown', edition: 'UNKNOWN' },
  { id: 'srv-empty', edition: 'ENTERPRISE' },
] as const;

const ALL: ReplicaKind[] = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];

/** One scenario of the matrix: who calls, and the accounts that make their rights. */
export interface Scenario {
  name: string;
  principal: PolicyPrincipal;
  accounts: Array<Omit<WorldAccount, 'id'>>;
}

const user = (name: string, o: Partial<Omit<WorldAccount, 'id' | 'type' | 'name'>>): Omit<WorldAccount, 'id'> => ({
  type: 'USER',
  name,
  roles: [],
  scopeAll: false,
  allowedKinds: ALL,
  scope: [],
  ...o,
});
const group = (name: string, o: Partial<Omit<WorldAccount, 'id' | 'type' | 'name'>>) => ({ ...user(name, o), type: 'GROUP' as const });
const alone = (subject: string, groups: string[] = []) => ({ subject, groups });

const fixed: Scenario[] = [
  { name: 'administrator', principal: alone('admin'), accounts: [user('admin', { roles: ['PORTAL_ADMINISTRATOR'] })] },
  { name: 'administrator allowed VM replicas only', principal: alone('admin-vm'), accounts: [user('admin-vm', { roles: ['PORTAL_ADMINISTRATOR'], allowedKinds: ['VM_REPLICA'] })] },
  { name: 'administrator allowed no kind', principal: alone('admin-none'), accounts: [user('admin-none', { roles: ['PORTAL_ADMINISTRATOR'], allowedKinds: [] })] },
  { name: 'administrator by group', principal: alone('grace', ['portal-admins']), accounts: [group('portal-admins', { roles: ['PORTAL_ADMINISTRATOR'] })] },
  { name: 'portal user, all objects', principal: alone('pu-all'), accounts: [user('pu-all', { roles: ['PORTAL_USER'], scopeAll: true })] },
  { name: 'restore operator, all objects, CDP only', principal: alone('ro-all-cdp'), accounts: [user('ro-all-cdp', { roles: ['RESTORE_OPERATOR'], scopeAll: true, allowedKinds: ['CDP_VM', 'VCD_CDP_VAPP'] })] },
  { name: 'restore operator: one cluster and one org VDC', principal: alone('operator'), accounts: [user('operator', { roles: ['RESTORE_OPERATOR'], scope: [vmw('Cluster', 'c1'), vcd('OrgVdc', 'v1')] })] },
  { name: 'portal user: one folder and one tag', principal: alone('portal-user'), accounts: [user('portal-user', { roles: ['PORTAL_USER'], scope: [vmw('Folder', 'f1'), vmw('Tag', 't1')] })] },
  { name: 'portal user, empty scope', principal: alone('pu-empty'), accounts: [user('pu-empty', { roles: ['PORTAL_USER'] })] },
  { name: 'restore operator, scope of unknown refs only', principal: alone('ro-unknown'), accounts: [user('ro-unknown', { roles: ['RESTORE_OPERATOR'], scope: ['urn:VMware:Cluster:vc9.nowhere', 'not-a-urn'] })] },
  {
    name: 'scope granted by a group, user account without role',
    principal: alone('erin', ['dr-team', 'unrelated']),
    accounts: [user('erin', {}), group('dr-team', { roles: ['RESTORE_OPERATOR'], scope: [vcd('Organization', 'o1')] })],
  },
  {
    name: 'union of a user scope and a group scope with different kinds',
    principal: alone('frank', ['cdp-ops']),
    accounts: [
      user('frank', { roles: ['PORTAL_USER'], scope: [hv('HostGroup', 'g1'), vmw('Host', 'h2')], allowedKinds: ['VM_REPLICA'] }),
      group('cdp-ops', { roles: ['RESTORE_OPERATOR'], scope: [vmw('Datacenter', 'dc1')], allowedKinds: ['CDP_VM'] }),
    ],
  },
  {
    name: 'scoped user in an all-objects group',
    principal: alone('gina', ['everyone']),
    accounts: [user('gina', { roles: ['PORTAL_USER'], scope: [vmw('Vm', 'vm-1')] }), group('everyone', { roles: ['PORTAL_USER'], scopeAll: true, allowedKinds: ['VCD_VAPP_REPLICA'] })],
  },
  { name: 'restricted kinds: CDP only over the whole vCenter', principal: alone('ro-cdp'), accounts: [user('ro-cdp', { roles: ['RESTORE_OPERATOR'], scope: [vmw('Vc', 'vc1')], allowedKinds: ['CDP_VM', 'VCD_CDP_VAPP'] })] },
  { name: 'signed in, no role', principal: alone('nobody'), accounts: [user('nobody', { scope: [vmw('Vc', 'vc1')], scopeAll: true })] },
  { name: 'no account at all', principal: alone('stranger', ['strangers']), accounts: [] },
  // A group name equal to a USER account's name grants nothing, and a subject equal to a GROUP's name neither.
  { name: 'names do not cross account types', principal: alone('ops-group', ['admin-user']), accounts: [user('admin-user', { roles: ['PORTAL_ADMINISTRATOR'] }), group('ops-group', { roles: ['PORTAL_USER'], scopeAll: true })] },
];

/** One scenario per container type found in the inventory: a scope of that single ref. */
function perContainerType(): Scenario[] {
  const byType = new Map<string, string>();
  for (const r of replicas) for (const ref of r.refs) {
    const type = ref.split(':').slice(1, 3).join(':');
    if (!byType.has(type)) byType.set(type, ref);
  }
  return [...byType].map(([type, ref], i) => ({
    name: `restore operator scoped to one ${type}`,
    principal: alone(`by-type-${i}`),
    accounts: [user(`by-type-${i}`, { roles: ['RESTORE_OPERATOR'], scope: [ref] })],
  }));
}

export const scenarios: Scenario[] = [...fixed, ...perContainerType()];

export function matrixWorld(): World {
  let n = 0;
  const accounts = scenarios.flatMap((s) => s.accounts.map((a) => ({ ...a, id: uuid(2, ++n) })));
  return { servers: servers.map((s) => ({ ...s })), replicas, accounts };
}
