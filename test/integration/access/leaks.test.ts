import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  byNameThenId,
  createAccount,
  expectedFor,
  GraphQLClients,
  readInventory,
  startAccessGateway,
  tokenSigner,
  TRANSPORTS,
  TYPENAMES,
  type Expected,
  type Inventory,
  type OracleAccount,
  type OracleReplica,
} from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';

/**
 * Objects outside the caller's scope are indistinguishable from objects that
 * do not exist: the whole response to a question about an out-of-scope object
 * equals the response to the same question about a made-up one.
 */

let gateway: TestGateway;
let clients: GraphQLClients;
let inventory: Inventory;
let restrictedToken: string;
let adminToken: string;
let expected: Expected;
let hidden: OracleReplica[];

/** One Host: a narrow scope that leaves whole backup servers and kinds out. */
const account = (ref: string): OracleAccount => ({ type: 'USER', name: 'leak-op', roles: ['RESTORE_OPERATOR'], scope: [ref] });

beforeAll(async () => {
  gateway = await startAccessGateway();
  clients = new GraphQLClients(gateway);
  inventory = await readInventory(gateway);
  // The Host ref whose replicas sit on the fewest servers, yet cover something.
  const hosts = [...inventory.refsByType.get('Host')!.keys()].sort();
  const pick = hosts
    .map((ref) => ({ ref, e: expectedFor(inventory, [account(ref)], { subject: 'leak-op', groups: [] }) }))
    .filter(({ e }) => e.replicas.length >= 2)
    .sort((a, b) => a.e.servers.length - b.e.servers.length)[0]!;
  await createAccount(gateway, account(pick.ref));
  expected = pick.e;
  const visible = new Set(expected.replicas.map((replica) => replica.id));
  hidden = inventory.replicas.filter((replica) => !visible.has(replica.id));
  const signer = tokenSigner(gateway);
  restrictedToken = await signer.sign({ subject: 'leak-op', groups: [] });
  adminToken = await signer.sign({ subject: 'admin', groups: [] });
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

it('the scope hides whole servers and some replicas of each kind (the premise of these tests)', () => {
  expect(expected.servers.length).toBeLessThan(inventory.servers.length);
  expect(expected.replicas.length).toBeGreaterThanOrEqual(2);
  for (const kind of Object.keys(TYPENAMES)) expect(hidden.some((replica) => replica.kind === kind), kind).toBe(true);
});

/** A made-up id of the same type as `globalId`. */
function madeUp(typename: string): string {
  return encodeGlobalID(typename, typename === 'BackupServer' ? `urn:veeam:BackupServer:${randomUUID()}` : randomUUID());
}

describe.each(TRANSPORTS)('over %s', (transport) => {
  const run = (query: string, variables?: Record<string, unknown>) => clients.run(transport, restrictedToken, query, variables);
  const asAdmin = (query: string, variables?: Record<string, unknown>) => clients.run(transport, adminToken, query, variables);

  /** Runs `query` with $id = the hidden object and = a made-up id; the responses must be equal (and not an error the caller could tell apart). */
  async function same(query: string, hiddenId: string, unknownId: string, extra: Record<string, unknown> = {}) {
    const a = await run(query, { ...extra, id: hiddenId });
    const b = await run(query, { ...extra, id: unknownId });
    expect(a).toEqual(b);
    // The admin does see the object: the question is a real one.
    return a;
  }

  const NODE = 'query($id: ID!) { node(id: $id) { __typename id ... on Replica { name } ... on BackupServer { name } } }';

  it.each(Object.entries(TYPENAMES))('node(id:) of an out-of-scope %s equals node(id:) of a made-up one', async (kind, typename) => {
    const replica = hidden.find((r) => r.kind === kind)!;
    const result = await same(NODE, replica.globalId, madeUp(typename));
    expect(result).toMatchObject({ data: { node: null } });
    expect(result.errors).toBeUndefined();
    expect((await asAdmin(NODE, { id: replica.globalId })).data.node.id).toBe(replica.globalId);
  });

  it('node(id:) of an out-of-scope restore point and backup server equals node(id:) of made-up ones', async () => {
    const hiddenIds = new Set(hidden.map((replica) => replica.id));
    const point = inventory.restorePoints.find((p) => hiddenIds.has(p.replicaId))!;
    expect(await same(NODE, point.globalId, madeUp('RestorePoint'))).toMatchObject({ data: { node: null } });
    const visibleServers = new Set(expected.servers.map((server) => server.id));
    const server = inventory.servers.find((s) => !visibleServers.has(s.id))!;
    expect(await same(NODE, server.globalId, madeUp('BackupServer'))).toMatchObject({ data: { node: null } });
    expect((await asAdmin(NODE, { id: server.globalId })).data.node.name).toBe(server.name);
  });

  it('a visible replica asked for under another type name is null, like a made-up id', async () => {
    const replica = expected.replicas[0]!;
    const other = Object.values(TYPENAMES).find((typename) => typename !== replica.typename)!;
    expect(await same(NODE, encodeGlobalID(other, replica.id), madeUp(other))).toMatchObject({ data: { node: null } });
  });

  it('an id that is not a global id gives the same error for everyone', async () => {
    const restricted = await run(NODE, { id: 'not-an-id' });
    const admin = await asAdmin(NODE, { id: 'not-an-id' });
    expect(restricted).toEqual(admin);
  });

  it('filtering replicas by an out-of-scope backup server equals filtering by a made-up one', async () => {
    const visibleServers = new Set(expected.servers.map((server) => server.id));
    const server = inventory.servers.find((s) => !visibleServers.has(s.id))!;
    const query = 'query($id: ID!) { replicas(filter: { backupServerId: $id }) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }';
    const result = await same(query, server.globalId, madeUp('BackupServer'));
    expect(result.data.replicas).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, edges: [] });
    expect((await asAdmin(query, { id: server.globalId })).data.replicas.totalCount).toBeGreaterThan(0);
  });

  it('searching for the exact name of an out-of-scope replica or server equals searching for a made-up name', async () => {
    const visibleNames = expected.replicas.map((replica) => replica.name.toLowerCase());
    const replica = hidden.find((r) => !visibleNames.some((name) => name.includes(r.name.toLowerCase())))!;
    const replicasQuery = 'query($id: String!) { replicas(filter: { search: $id }) { totalCount edges { node { id } } } }';
    expect(await same(replicasQuery, replica.name, 'no-such-replica-anywhere')).toEqual({ data: { replicas: { totalCount: 0, edges: [] } }, status: transport === 'http' ? 200 : undefined });
    const visibleServers = new Set(expected.servers.map((server) => server.id));
    const server = inventory.servers.find((s) => !visibleServers.has(s.id))!;
    const serversQuery = 'query($id: String!) { backupServers(filter: { search: $id }) { totalCount edges { node { id } } } }';
    expect((await same(serversQuery, server.name, 'no-such-server-anywhere')).data.backupServers.totalCount).toBe(0);
  });

  it('counts exclude them: totalCount of every kind and server adds up to the visible replicas only', async () => {
    const result = await run(`{ all: replicas { totalCount } ${inventory.servers.map((server, i) => `s${i}: replicas(filter: { backupServerId: "${server.globalId}" }) { totalCount }`).join(' ')} servers: backupServers { totalCount } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.all.totalCount).toBe(expected.replicas.length);
    inventory.servers.forEach((server, i) => {
      expect(result.data[`s${i}`].totalCount).toBe(expected.replicas.filter((replica) => replica.backupServerId === server.id).length);
    });
    expect(result.data.servers.totalCount).toBe(expected.servers.length);
  });

  it('cursors position by value only: an administrator\'s cursor on a hidden replica yields exactly the visible replicas after it', async () => {
    const adminPage = await asAdmin('{ replicas(first: 100) { edges { cursor node { id } } } }');
    const cursors = new Map<string, string>(adminPage.data.replicas.edges.map((edge: { cursor: string; node: { id: string } }) => [edge.node.id, edge.cursor]));
    for (const replica of hidden.filter((_, i) => i % 5 === 0)) {
      const after = await run('query($after: String) { replicas(first: 100, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id } } } }', { after: cursors.get(replica.globalId) });
      expect(after.errors).toBeUndefined();
      const want = expected.replicas.filter((visible) => byNameThenId(visible, replica) > 0).map((visible) => visible.globalId);
      expect(after.data.replicas.edges.map((edge: { node: { id: string } }) => edge.node.id), replica.name).toEqual(want);
      expect(after.data.replicas.totalCount).toBe(expected.replicas.length);
      expect(after.data.replicas.pageInfo.hasNextPage).toBe(false);
      const before = await run('query($before: String) { replicas(last: 100, before: $before) { pageInfo { hasNextPage hasPreviousPage } edges { node { id } } } }', { before: cursors.get(replica.globalId) });
      expect(before.data.replicas.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
        expected.replicas.filter((visible) => byNameThenId(visible, replica) < 0).map((visible) => visible.globalId),
      );
      expect(before.data.replicas.pageInfo.hasPreviousPage).toBe(false);
    }
  });

  it('paging one by one through the visible replicas never hints at hidden ones (no extra page, no gap)', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result = await run('query($after: String) { replicas(first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }', { after });
      const connection = result.data.replicas;
      expect(connection.edges).toHaveLength(1);
      seen.push(connection.edges[0].node.id);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.replicas.map((replica) => replica.globalId));
  });

  it('nested lists of a visible replica carry only its own children', async () => {
    const replica = expected.replicas.find((r) => r.restorePointIds.length > 0 || r.cdpRanges > 0)!;
    const result = await run(
      'query($id: ID!) { node(id: $id) { ... on VmReplica { restorePoints { totalCount } } ... on VcdVAppReplica { restorePoints { totalCount } } ... on CdpVmReplica { shortTermRanges { totalCount } longTermPoints { totalCount } } ... on VcdCdpVAppReplica { shortTermRanges { totalCount } longTermPoints { totalCount } } } }',
      { id: replica.globalId },
    );
    expect(result.errors).toBeUndefined();
    const node = result.data.node;
    if (node.restorePoints) expect(node.restorePoints.totalCount).toBe(replica.restorePointIds.length);
    else expect([node.shortTermRanges.totalCount, node.longTermPoints.totalCount]).toEqual([replica.cdpRanges, replica.cdpLongTermPoints]);
  });
});
