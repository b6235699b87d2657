import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, readInventory, startAccessGateway, tokenSigner, type GqlResult, type Inventory } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';

/**
 * The `containers` query over HTTP against the embedded simulator: the
 * hierarchy of every backup server (stored containers and the inventory's
 * vApps), paged, searched and walked, with replica counts equal to what an
 * account scoped to each object sees; administrators only. And scope items
 * given by ref alone get the inventory's names.
 */

let gateway: TestGateway;
let clients: GraphQLClients;
let inventory: Inventory;
let signer: ReturnType<typeof tokenSigner>;

interface Node {
  ref: string;
  name: string;
  type: string;
  parentRef: string | null;
  backupServerId: string;
}

/** The oracle: containers from the table, vApps from the replicas (one per server and objectRef, parent its org VDC). */
let expected: Node[];

const byKey = (a: Node, b: Node) => {
  const ka = [a.name, a.backupServerId, a.ref];
  const kb = [b.name, b.backupServerId, b.ref];
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
};

beforeAll(async () => {
  gateway = await startAccessGateway();
  clients = new GraphQLClients(gateway);
  inventory = await readInventory(gateway);
  signer = tokenSigner(gateway);
  const prisma = gateway.services.db.prisma;
  const containers = await prisma.inventoryContainer.findMany();
  const vApps = new Map<string, Node>();
  for (const r of await prisma.replica.findMany({ where: { kind: { in: ['VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'] }, objectRef: { not: null } } })) {
    const node: Node = {
      ref: r.objectRef!,
      name: r.name,
      type: 'Vapp',
      parentRef: r.refs.find((ref) => ref.startsWith('urn:vCloud:OrgVdc:')) ?? null,
      backupServerId: r.backupServerId,
    };
    const key = `${r.backupServerId} ${r.objectRef}`;
    const known = vApps.get(key);
    if (!known || node.name < known.name) vApps.set(key, node);
  }
  expected = [...containers.map(({ hostName: _, ...c }) => c), ...vApps.values()].sort(byKey);
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

const NODE = 'ref name type parentRef replicaCount backupServer { id }';
const QUERY = `query($first: Int, $after: String, $last: Int, $before: String, $search: String, $backupServer: ID, $parentRef: String, $topLevel: Boolean, $types: [String!]) {
  containers(first: $first, after: $after, last: $last, before: $before, search: $search, backupServer: $backupServer, parentRef: $parentRef, topLevel: $topLevel, types: $types) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } edges { cursor node { ${NODE} } }
  }
}`;

interface Got {
  ref: string;
  name: string;
  type: string;
  parentRef: string | null;
  replicaCount: number;
  backupServer: { id: string };
}

async function run(token: string, query: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  return clients.run('http', token, query, variables);
}

const adminToken = () => signer.sign({ subject: 'admin', groups: [] });

/** Every node of a filter, page by page (pageSize at a time), checking totalCount on each page. */
async function all(variables: Record<string, unknown>, pageSize = 7): Promise<Got[]> {
  const token = await adminToken();
  const out: Got[] = [];
  let after: string | null = null;
  let total: number | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const result = await run(token, QUERY, { ...variables, first: pageSize, after });
    expect(result.errors).toBeUndefined();
    const page = result.data.containers;
    out.push(...page.edges.map((e: { node: Got }) => e.node));
    total ??= page.totalCount as number;
    expect(page.totalCount).toBe(total);
    if (!page.pageInfo.hasNextPage) {
      expect(out).toHaveLength(total);
      return out;
    }
    after = page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const plain = (n: Got): Node => ({ ref: n.ref, name: n.name, type: n.type, parentRef: n.parentRef, backupServerId: decodeServer(n.backupServer.id) });
const decodeServer = (id: string) => inventory.servers.find((s) => s.globalId === id)!.id;

describe('containers', () => {
  it('lists every container and vApp of every backup server, by name, in pages whose cursors go on where they left off', async () => {
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.some((n) => n.type === 'Vapp')).toBe(true);
    const got = await all({});
    expect(got.map(plain)).toEqual(expected);
    // Backward: the last three, in the same order.
    const last = await run(await adminToken(), QUERY, { last: 3 });
    expect(last.errors).toBeUndefined();
    expect(last.data.containers.edges.map((e: { node: Got }) => e.node.ref)).toEqual(expected.slice(-3).map((n) => n.ref));
    expect(last.data.containers.pageInfo.hasPreviousPage).toBe(true);
  });

  it('searches by a case-insensitive part of the name, and filters by server and type', async () => {
    const word = expected.find((n) => n.type === 'Cluster')!.name.slice(0, 4);
    const search = word.toUpperCase() === word ? word.toLowerCase() : word.toUpperCase();
    const got = await all({ search });
    expect(got.map(plain)).toEqual(expected.filter((n) => n.name.toLowerCase().includes(word.toLowerCase())));
    expect(got.length).toBeGreaterThan(0);

    const server = inventory.servers[0]!;
    const typed = await all({ backupServer: server.globalId, types: ['Cluster', 'Vapp'] });
    const want = expected.filter((n) => n.backupServerId === server.id && (n.type === 'Cluster' || n.type === 'Vapp'));
    expect(want.length).toBeGreaterThan(0);
    expect(typed.map(plain)).toEqual(want);
  });

  it('walks the tree from the top down to every object', async () => {
    const top = await all({ topLevel: true });
    expect(top.map(plain)).toEqual(expected.filter((n) => n.parentRef === null));
    expect(new Set(top.filter((n) => n.type !== 'Vapp').map((n) => n.type))).toEqual(new Set(['Vc', 'VcdSystem']));
    // Breadth first: every object is reached from its parent.
    const reached: Node[] = top.map(plain);
    for (let i = 0; i < reached.length; i++) {
      const children = (await all({ parentRef: reached[i]!.ref }, 50)).map(plain);
      expect(children).toEqual(expected.filter((n) => n.parentRef === reached[i]!.ref));
      reached.push(...children);
    }
    expect(reached.sort(byKey)).toEqual(expected);
  });

  it('counts the replicas below each object: what an account scoped to it sees', async () => {
    const got = await all({}, 200);
    for (const n of got) expect(n.replicaCount, n.ref).toBe(inventory.replicas.filter((r) => r.refs.includes(n.ref)).length);
    const picks = ['Cluster', 'Tag', 'Folder', 'OrgVdc', 'Vapp'].map((type) => got.find((n) => n.type === type && n.replicaCount > 0)!);
    const admin = await adminToken();
    for (const pick of picks) {
      expect(pick).toBeDefined();
      const subject = `scoped-${pick.type}`;
      const created = await run(admin, 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', {
        input: { type: 'USER', name: subject, roles: ['PORTAL_USER'], scope: { items: [{ ref: pick.ref }] } },
      });
      expect(created.errors).toBeUndefined();
      const seen = await run(await signer.sign({ subject, groups: [] }), '{ replicas(first: 1) { totalCount } }');
      expect(seen.data.replicas.totalCount, pick.ref).toBe(pick.replicaCount);
    }
  });

  it('is refused to everyone but administrators', async () => {
    for (const subject of ['operator', 'portal-user', 'nobody']) {
      const result = await run(await signer.sign({ subject, groups: [] }), '{ containers(first: 1) { totalCount edges { node { ref } } } }');
      expect(result.errors?.[0]?.extensions?.code, subject).toBe('FORBIDDEN');
      expect(result.data?.containers ?? null).toBeNull();
    }
  });
});

describe('scope items by ref alone', () => {
  const CREATE = 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { scope { items { ref name } } } }';

  it('get the name of the container, vApp or VM; a given name is kept', async () => {
    const cluster = expected.find((n) => n.type === 'Cluster')!;
    const vApp = expected.find((n) => n.type === 'Vapp')!;
    const vm = inventory.replicas.find((r) => r.kind === 'VM_REPLICA' && r.refs.length > 1)!;
    const vmRef = vm.refs.at(-1)!;
    const tag = expected.find((n) => n.type === 'Tag')!;
    const result = await run(await adminToken(), CREATE, {
      input: {
        type: 'GROUP',
        name: 'refs-only',
        roles: ['RESTORE_OPERATOR'],
        scope: { items: [{ ref: cluster.ref }, { ref: vApp.ref, name: '  ' }, { ref: vmRef, name: null }, { ref: tag.ref, name: 'Chosen' }] },
      },
    });
    expect(result.errors).toBeUndefined();
    const names = Object.fromEntries(result.data.createAccount.scope.items.map((i: { ref: string; name: string }) => [i.ref, i.name]));
    expect(names).toEqual({ [cluster.ref]: cluster.name, [vApp.ref]: vApp.name, [vmRef]: vm.name, [tag.ref]: 'Chosen' });
  });

  it('an unknown ref without a name is still refused, and nothing is created', async () => {
    const result = await run(await adminToken(), CREATE, {
      input: { type: 'USER', name: 'unknown-ref-only', roles: ['PORTAL_USER'], scope: { items: [{ ref: 'urn:VMware:Cluster:nowhere.domain-c999' }] } },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problem: 'unknown-ref' });
    expect(await gateway.services.db.prisma.account.count({ where: { name: 'unknown-ref-only' } })).toBe(0);
  });
});
