import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenIdentity } from '../../../src/auth/index.js';
import {
  createAccount,
  expectedFor,
  GraphQLClients,
  KINDS,
  nodes,
  readAccounts,
  readInventory,
  tokenSigner,
  TRANSPORTS,
  type Expected,
  type GqlResult,
  type Inventory,
  type OracleAccount,
  type Transport,
} from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import { startAccessGateway } from '../../support/access.js';

/**
 * The generated access matrix: every role and scope shape (all objects, one
 * reference of each container type, several, empty, granted through a group,
 * unions, no role, no account) against every read entry point, over HTTP and
 * graphql-ws, compared with the oracle in test/support/access.ts, which reads
 * the replicas' refs from the database and decides visibility by hand.
 */

/** Container types of the demo inventory's hierarchy refs; a test below checks the inventory has exactly these. */
const CONTAINER_TYPES = ['Vc', 'Datacenter', 'Cluster', 'Host', 'ResourcePool', 'Folder', 'Category', 'Tag', 'Vm', 'VcdSystem', 'Organization', 'OrgVdc', 'Vapp'];
const RESTRICTED = ['RESTORE_OPERATOR', 'PORTAL_USER'] as const;

/** How a principal's accounts are made; refs are chosen from the inventory at start. */
type RefPick = { type: string; pick: 'most' | 'fewest' };
interface PrincipalSpec {
  label: string;
  identity: TokenIdentity;
  /** Accounts to create (the demo accounts exist already). */
  accounts: Array<Omit<OracleAccount, 'scope'> & { scope: 'all' | RefPick[] }>;
}

const user = (subject: string, groups: string[] = []): TokenIdentity => ({ subject, groups });

const SPECS: PrincipalSpec[] = [
  { label: 'demo admin (Portal Administrator)', identity: user('admin'), accounts: [] },
  { label: 'demo operator (Restore Operator: cluster + org VDC)', identity: user('operator'), accounts: [] },
  { label: 'demo portal-user (Portal User: folder + tag)', identity: user('portal-user'), accounts: [] },
  { label: 'nobody (no account)', identity: user('nobody'), accounts: [] },
  ...RESTRICTED.flatMap((role, r): PrincipalSpec[] => [
    { label: `${role} scope all objects`, identity: user(`${role}-all`), accounts: [{ type: 'USER', name: `${role}-all`, roles: [role], scope: 'all' }] },
    { label: `${role} scope empty`, identity: user(`${role}-empty`), accounts: [{ type: 'USER', name: `${role}-empty`, roles: [role], scope: [] }] },
    ...CONTAINER_TYPES.map((type): PrincipalSpec => ({
      label: `${role} scope one ${type}`,
      identity: user(`${role}-${type}`),
      accounts: [{ type: 'USER', name: `${role}-${type}`, roles: [role], scope: [{ type, pick: r === 0 ? 'most' : 'fewest' }] }],
    })),
    {
      label: `${role} scope host + vApp + tag`,
      identity: user(`${role}-mixed`),
      accounts: [{ type: 'USER', name: `${role}-mixed`, roles: [role], scope: [{ type: 'Host', pick: 'fewest' }, { type: 'Vapp', pick: 'most' }, { type: 'Tag', pick: 'fewest' }] }],
    },
  ]),
  {
    label: 'group-granted Restore Operator (org VDC + host), no user account',
    identity: user('group-member', ['g-ops']),
    accounts: [{ type: 'GROUP', name: 'g-ops', roles: ['RESTORE_OPERATOR'], scope: [{ type: 'OrgVdc', pick: 'fewest' }, { type: 'Host', pick: 'most' }] }],
  },
  {
    label: 'union of a user scope (folder) and a group scope (tag)',
    identity: user('u-union', ['g-union', 'g-unknown']),
    accounts: [
      { type: 'USER', name: 'u-union', roles: ['PORTAL_USER'], scope: [{ type: 'Folder', pick: 'fewest' }] },
      { type: 'GROUP', name: 'g-union', roles: ['RESTORE_OPERATOR'], scope: [{ type: 'Tag', pick: 'most' }], allowedKinds: ['CDP_VM'] },
    ],
  },
  {
    label: 'group with "all objects" plus a group with an empty scope',
    identity: user('g-all-member', ['g-all', 'g-empty']),
    accounts: [
      { type: 'GROUP', name: 'g-all', roles: ['PORTAL_USER'], scope: 'all', allowedKinds: ['VM_REPLICA', 'VCD_CDP_VAPP'] },
      { type: 'GROUP', name: 'g-empty', roles: ['RESTORE_OPERATOR'], scope: [] },
    ],
  },
  {
    label: 'group-granted Portal Administrator',
    identity: user('g-admin-member', ['g-admins']),
    accounts: [{ type: 'GROUP', name: 'g-admins', roles: ['PORTAL_ADMINISTRATOR'], scope: [] }],
  },
  {
    label: 'administrator and restricted role on one account',
    identity: user('admin-and-user'),
    accounts: [{ type: 'USER', name: 'admin-and-user', roles: ['PORTAL_USER', 'PORTAL_ADMINISTRATOR'], scope: [{ type: 'Vm', pick: 'fewest' }] }],
  },
  {
    label: 'account without a role, with a scope',
    identity: user('no-role'),
    accounts: [{ type: 'USER', name: 'no-role', roles: [], scope: [{ type: 'Cluster', pick: 'most' }] }],
  },
  {
    label: 'subject named like a GROUP account (names never cross types)',
    identity: user('crossname'),
    accounts: [{ type: 'GROUP', name: 'crossname', roles: ['RESTORE_OPERATOR'], scope: [{ type: 'Datacenter', pick: 'most' }] }],
  },
  {
    label: 'group named like a USER account (names never cross types)',
    identity: user('someone-else', ['cross-user']),
    accounts: [{ type: 'USER', name: 'cross-user', roles: ['RESTORE_OPERATOR'], scope: 'all' }],
  },
  { label: 'unknown subject with an unknown group', identity: user('stranger', ['no-such-group']), accounts: [] },
];

interface Principal {
  spec: PrincipalSpec;
  token: string;
  expected: Expected;
}

let gateway: TestGateway;
let clients: GraphQLClients;
let inventory: Inventory;
const principals = new Map<string, Principal>();

function pickRef(pick: RefPick): string {
  const refs = inventory.refsByType.get(pick.type);
  if (!refs) throw new Error(`no ${pick.type} in the inventory`);
  const total = inventory.replicas.length;
  // Narrow: a ref covering some replicas but not all, when there is one.
  const candidates = [...refs].filter(([, ids]) => ids.length < total);
  const list = (candidates.length > 0 ? candidates : [...refs]).sort((a, b) => a[1].length - b[1].length || (a[0] < b[0] ? -1 : 1));
  return (pick.pick === 'fewest' ? list[0] : list.at(-1))![0];
}

beforeAll(async () => {
  // Whole pages with nested connections in one operation: above the default cost and alias limits,
  // which test/integration/server covers; this file is about what each caller sees.
  gateway = await startAccessGateway({ MAX_COST: '10000000', MAX_ALIASES: '200' });
  clients = new GraphQLClients(gateway);
  inventory = await readInventory(gateway);
  const signer = tokenSigner(gateway);
  for (const spec of SPECS) {
    for (const account of spec.accounts) {
      await createAccount(gateway, { ...account, scope: account.scope === 'all' ? 'all' : account.scope.map(pickRef) });
    }
  }
  const accounts = await readAccounts(gateway);
  for (const spec of SPECS) {
    principals.set(spec.label, { spec, token: await signer.sign(spec.identity), expected: expectedFor(inventory, accounts, spec.identity) });
  }
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

describe('the matrix covers the demo inventory', () => {
  it('has exactly the container types and the four replica kinds the matrix names', () => {
    expect([...inventory.refsByType.keys()].sort()).toEqual([...CONTAINER_TYPES].sort());
    expect([...new Set(inventory.replicas.map((replica) => replica.kind))].sort()).toEqual([...KINDS].sort());
  });

  it('has principals that see everything, nothing and something in between', () => {
    const sizes = [...principals.values()].map((principal) => principal.expected.replicas.length);
    expect(sizes).toContain(inventory.replicas.length);
    expect(sizes).toContain(0);
    expect(sizes.some((size) => size > 0 && size < inventory.replicas.length)).toBe(true);
    // The narrow scopes are narrow: every one-ref scope sees fewer replicas than all.
    for (const principal of principals.values()) {
      if (/scope one/.test(principal.spec.label)) expect(principal.expected.replicas.length).toBeLessThan(inventory.replicas.length);
    }
  });
});

const REPLICA_FIELDS = '__typename id kind name state hierarchyRefs backupServer { id name }';

function ids(result: GqlResult, field: string): string[] {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return (result.data[field].edges as Array<{ node: { id: string } }>).map((edge) => edge.node.id);
}

describe.each(TRANSPORTS)('over %s', (transport: Transport) => {
  describe.each(SPECS.map((spec) => spec.label))('%s', (label) => {
    const principal = () => principals.get(label)!;
    const run = (query: string, variables?: Record<string, unknown>) => clients.run(transport, principal().token, query, variables);

    it('viewer: identity, roles, effective scope and allowed kinds', async () => {
      const { expected, spec } = principal();
      const result = await run('{ viewer { subject groups roles scopeAll scope { ref } allowedKinds } }');
      expect(result.errors).toBeUndefined();
      const viewer = result.data.viewer;
      expect(viewer.subject).toBe(spec.identity.subject);
      expect(viewer.groups).toEqual(spec.identity.groups);
      expect(viewer.roles).toEqual(expected.roles);
      expect(viewer.scopeAll).toBe(expected.scopeAll);
      expect(viewer.scope.map((item: { ref: string }) => item.ref).sort()).toEqual(expected.scopeRefs);
      expect(viewer.allowedKinds).toEqual(expected.allowedKinds);
    });

    it('replicas: exactly the visible ones, by name then id, each as its kind\'s type', async () => {
      const { expected } = principal();
      const result = await run(`{ replicas(first: 100) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { ${REPLICA_FIELDS} } } } }`);
      expect(result.errors).toBeUndefined();
      const connection = result.data.replicas;
      expect(connection.totalCount).toBe(expected.replicas.length);
      expect(connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false });
      const servers = new Map(inventory.servers.map((server) => [server.id, server]));
      expect(connection.edges.map((edge: { node: unknown }) => edge.node)).toEqual(
        expected.replicas.map((replica) => ({
          __typename: replica.typename,
          id: replica.globalId,
          kind: replica.kind,
          name: replica.name,
          state: replica.state,
          hierarchyRefs: replica.refs,
          backupServer: { id: servers.get(replica.backupServerId)!.globalId, name: servers.get(replica.backupServerId)!.name },
        })),
      );
    });

    it('replicas: filters by kind, backup server, edition, state and search, with totalCount', async () => {
      const { expected } = principal();
      const states = [...new Set(inventory.replicas.map((replica) => replica.state).filter((state) => state !== null))] as string[];
      // Search terms: a name fragment in another case, a fragment of an out-of-scope name, and nothing.
      const someName = inventory.replicas[inventory.replicas.length - 1]!.name;
      const cases: Array<{ filter: Record<string, unknown>; match: (r: (typeof expected.replicas)[number]) => boolean }> = [
        ...KINDS.map((kind) => ({ filter: { kinds: [kind] }, match: (r: { kind: string }) => r.kind === kind })),
        { filter: { kinds: ['CDP_VM', 'VCD_CDP_VAPP'] }, match: (r) => r.kind === 'CDP_VM' || r.kind === 'VCD_CDP_VAPP' },
        ...inventory.servers.map((server) => ({ filter: { backupServerId: server.globalId }, match: (r: { backupServerId: string }) => r.backupServerId === server.id })),
        ...states.map((state) => ({ filter: { states: [state] }, match: (r: { state: string | null }) => r.state === state })),
        ...[...new Set(inventory.servers.map((server) => server.edition))].map((edition) => ({
          filter: { editions: [edition] },
          match: (r: { backupServerId: string }) => inventory.servers.find((server) => server.id === r.backupServerId)?.edition === edition,
        })),
        { filter: { search: 'CDP' }, match: (r) => r.name.toLowerCase().includes('cdp') },
        { filter: { search: someName.slice(0, 4).toUpperCase() }, match: (r) => r.name.toLowerCase().includes(someName.slice(0, 4).toLowerCase()) },
        { filter: { search: 'no-such-replica-name' }, match: () => false },
        // LIKE's wildcards stand for themselves: no name here has them.
        { filter: { search: '_' }, match: (r) => r.name.includes('_') },
        { filter: { search: '%' }, match: (r) => r.name.includes('%') },
        {
          filter: { kinds: ['VM_REPLICA'], backupServerId: inventory.servers[2]!.globalId, states: states.slice(0, 1) },
          match: (r) => r.kind === 'VM_REPLICA' && r.backupServerId === inventory.servers[2]!.id && r.state === states[0],
        },
      ];
      const query = `query Filters(${cases.map((_, i) => `$f${i}: ReplicaFilter`).join(', ')}) {
        ${cases.map((_, i) => `c${i}: replicas(filter: $f${i}, first: 100) { totalCount edges { node { id } } }`).join('\n')}
      }`;
      const result = await run(query, Object.fromEntries(cases.map((c, i) => [`f${i}`, c.filter])));
      expect(result.errors).toBeUndefined();
      cases.forEach((c, i) => {
        const want = expected.replicas.filter(c.match).map((replica) => replica.globalId);
        expect(ids(result, `c${i}`), JSON.stringify(c.filter)).toEqual(want);
        expect(result.data[`c${i}`].totalCount, JSON.stringify(c.filter)).toBe(want.length);
      });
    });

    it('replicas: paging forward (first/after) and backward (last/before) yields the same order', async () => {
      const { expected } = principal();
      const want = expected.replicas.map((replica) => replica.globalId);
      const size = 11;
      const forward: string[] = [];
      let after: string | null = null;
      for (let page = 0; ; page += 1) {
        const result = await run('query($after: String) { replicas(first: 11, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }', { after });
        const connection = result.data?.replicas;
        forward.push(...ids(result, 'replicas'));
        expect(connection.totalCount).toBe(want.length);
        expect(connection.pageInfo.hasPreviousPage).toBe(page > 0);
        expect(connection.pageInfo.hasNextPage).toBe(forward.length < want.length);
        if (!connection.pageInfo.hasNextPage) break;
        expect(connection.edges).toHaveLength(size);
        after = connection.pageInfo.endCursor;
      }
      expect(forward).toEqual(want);
      const backward: string[] = [];
      let before: string | null = null;
      for (;;) {
        const result = await run('query($before: String) { replicas(last: 11, before: $before) { pageInfo { hasNextPage hasPreviousPage startCursor } edges { node { id } } } }', { before });
        const connection = result.data?.replicas;
        backward.unshift(...ids(result, 'replicas'));
        expect(connection.pageInfo.hasNextPage).toBe(before !== null);
        expect(connection.pageInfo.hasPreviousPage).toBe(backward.length < want.length);
        if (!connection.pageInfo.hasPreviousPage) break;
        before = connection.pageInfo.startCursor;
      }
      expect(backward).toEqual(want);
    });

    it('backupServers: the servers holding a visible replica (all for unlimited scopes), with edition filters', async () => {
      const { expected } = principal();
      const editions = [...new Set(inventory.servers.map((server) => server.edition))];
      const result = await run(`{
        all: backupServers(first: 50) { totalCount edges { node { __typename id name edition canFailOver } } }
        ${editions.map((edition, i) => `e${i}: backupServers(filter: { editions: [${edition}] }) { totalCount edges { node { id } } }`).join('\n')}
        search: backupServers(filter: { search: ${JSON.stringify(inventory.servers[0]!.name.toUpperCase())} }) { totalCount edges { node { id } } }
        wildcard: backupServers(filter: { search: "_" }) { totalCount edges { node { id } } }
      }`);
      expect(result.errors).toBeUndefined();
      expect(result.data.all.totalCount).toBe(expected.servers.length);
      expect(result.data.all.edges.map((edge: { node: unknown }) => edge.node)).toEqual(
        expected.servers.map((server) => ({
          __typename: 'BackupServer',
          id: server.globalId,
          name: server.name,
          edition: server.edition,
          canFailOver: server.edition === 'ENTERPRISE' || server.edition === 'ENTERPRISE_PLUS',
        })),
      );
      editions.forEach((edition, i) => {
        const want = expected.servers.filter((server) => server.edition === edition).map((server) => server.globalId);
        expect(ids(result, `e${i}`)).toEqual(want);
        expect(result.data[`e${i}`].totalCount).toBe(want.length);
      });
      expect(ids(result, 'search')).toEqual(expected.servers.filter((server) => server.id === inventory.servers[0]!.id).map((server) => server.globalId));
      expect(ids(result, 'wildcard')).toEqual(expected.servers.filter((server) => server.name.includes('_')).map((server) => server.globalId));
    });

    it('node(id:): every visible replica of every type, and hidden ones of each kind', async () => {
      const { expected } = principal();
      const visible = new Set(expected.replicas.map((replica) => replica.id));
      // Each node() is its own lookup: every visible replica, and a sample of the hidden ones (each kind; leaks.test.ts has more).
      const asked = inventory.replicas.filter(
        (replica, i, all) => visible.has(replica.id) || i % 4 === 0 || all.findIndex((other) => !visible.has(other.id) && other.kind === replica.kind) === i,
      );
      expect(asked.length).toBeGreaterThanOrEqual(Math.min(inventory.replicas.length, visible.size + 4));
      const { values, errors } = await nodes(run, asked.map((replica) => replica.globalId), '__typename id ... on Replica { name kind }', 100);
      expect(errors).toEqual([]);
      expect(values).toEqual(
        asked.map((replica) =>
          visible.has(replica.id) ? { __typename: replica.typename, id: replica.globalId, name: replica.name, kind: replica.kind } : null,
        ),
      );
    });

    it('node(id:): restore points and backup servers, visible ones only', async () => {
      const { expected } = principal();
      const visible = new Set(expected.replicas.map((replica) => replica.id));
      const servers = new Set(expected.servers.map((server) => server.id));
      // One restore point of every visible replica that has some, and of every fourth hidden one.
      const firsts = inventory.restorePoints.filter((point, i, all) => all.findIndex((other) => other.replicaId === point.replicaId) === i);
      const sample = firsts.filter((point, i) => visible.has(point.replicaId) || i % 4 === 0);
      expect(sample.some((point) => !visible.has(point.replicaId)) || visible.size === inventory.replicas.length).toBe(true);
      const points = await nodes(run, sample.map((point) => point.globalId), '__typename id', 100);
      expect(points.errors).toEqual([]);
      expect(points.values).toEqual(sample.map((point) => (visible.has(point.replicaId) ? { __typename: 'RestorePoint', id: point.globalId } : null)));
      const serverNodes = await nodes(run, inventory.servers.map((server) => server.globalId), '__typename id ... on BackupServer { name }');
      expect(serverNodes.errors).toEqual([]);
      expect(serverNodes.values).toEqual(inventory.servers.map((server) => (servers.has(server.id) ? { __typename: 'BackupServer', id: server.globalId, name: server.name } : null)));
    });

    it('nested restorePoints, shortTermRanges and longTermPoints of every visible replica', async () => {
      const { expected } = principal();
      const points = 'restorePoints(first: 100) { totalCount edges { node { id } } }';
      const cdp = 'shortTermRanges(first: 100) { totalCount edges { node { start } } } longTermPoints(first: 100) { totalCount edges { node { emId } } }';
      const result = await run(`{ replicas(first: 100) { edges { node { id
        ... on VmReplica { ${points} } ... on VcdVAppReplica { ${points} }
        ... on CdpVmReplica { ${cdp} } ... on VcdCdpVAppReplica { ${cdp} } } } } }`);
      expect(result.errors).toBeUndefined();
      const got = result.data.replicas.edges.map((edge: { node: any }) => {
        const node = edge.node;
        return node.restorePoints
          ? { id: node.id, points: node.restorePoints.edges.map((e: { node: { id: string } }) => e.node.id).sort(), count: node.restorePoints.totalCount }
          : { id: node.id, ranges: [node.shortTermRanges.totalCount, node.shortTermRanges.edges.length], long: [node.longTermPoints.totalCount, node.longTermPoints.edges.length] };
      });
      expect(got).toEqual(
        expected.replicas.map((replica) =>
          replica.kind === 'VM_REPLICA' || replica.kind === 'VCD_VAPP_REPLICA'
            ? { id: replica.globalId, points: [...replica.restorePointIds].sort(), count: replica.restorePointIds.length }
            : { id: replica.globalId, ranges: [replica.cdpRanges, replica.cdpRanges], long: [replica.cdpLongTermPoints, replica.cdpLongTermPoints] },
        ),
      );
    });
  });
});

describe.each(TRANSPORTS)('random scopes over %s (fast-check)', (transport: Transport) => {
  it('a user account and a group account with random refs of any type: GraphQL shows exactly the oracle\'s union', async () => {
    const allRefs = [...inventory.refsByType.values()].flatMap((refs) => [...refs.keys()]).sort();
    const signer = tokenSigner(gateway);
    const userName = `prop-user-${transport}`;
    const groupName = `prop-group-${transport}`;
    const userId = await createAccount(gateway, { type: 'USER', name: userName, roles: ['PORTAL_USER'], scope: [] });
    const groupId = await createAccount(gateway, { type: 'GROUP', name: groupName, roles: ['RESTORE_OPERATOR'], scope: [] });
    const token = await signer.sign({ subject: userName, groups: [groupName] });
    const scope = (refs: string[]) => ({ all: false, items: refs.map((ref) => ({ ref, name: 'random' })) });
    await fc.assert(
      fc.asyncProperty(fc.subarray(allRefs, { maxLength: 4 }), fc.subarray(allRefs, { maxLength: 3 }), fc.boolean(), async (userRefs, groupRefs, groupAll) => {
        await gateway.services.accounts.update(userId, { scope: scope(userRefs) });
        await gateway.services.accounts.update(groupId, { scope: groupAll ? { all: true } : scope(groupRefs) });
        const expected = expectedFor(
          inventory,
          [
            { type: 'USER', name: userName, roles: ['PORTAL_USER'], scope: userRefs },
            { type: 'GROUP', name: groupName, roles: ['RESTORE_OPERATOR'], scope: groupAll ? 'all' : groupRefs },
          ],
          { subject: userName, groups: [groupName] },
        );
        const result = await clients.run(transport, token, '{ replicas(first: 100) { totalCount edges { node { id } } } backupServers { totalCount edges { node { id } } } }');
        expect(result.errors).toBeUndefined();
        expect(ids(result, 'replicas')).toEqual(expected.replicas.map((replica) => replica.globalId));
        expect(result.data.replicas.totalCount).toBe(expected.replicas.length);
        expect(ids(result, 'backupServers')).toEqual(expected.servers.map((server) => server.globalId));
      }),
      { numRuns: 25 },
    );
    await gateway.services.accounts.delete(userId);
    await gateway.services.accounts.delete(groupId);
  });
});
