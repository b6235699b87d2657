import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFor, GraphQLClients, readAccounts, readInventory, startAccessGateway, tokenSigner, TRANSPORTS, type Inventory } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';

/**
 * No N+1: the SQL statements a nested query sends to the database do not grow
 * with the page size. Counted at the driver: the in-process test gateway's
 * embedded PGlite, whose `query` every Prisma statement outside a transaction
 * goes through, is wrapped by a counter (nothing is mocked: the statements run).
 */

const statements: string[] = [];
let counting = false;

// PGlite defines `query` on its base class; wrap it there, once, for this file's process.
let owner: object | null = PGlite.prototype;
while (owner && !Object.hasOwn(owner, 'query')) owner = Object.getPrototypeOf(owner) as object | null;
if (!owner) throw new Error('PGlite has no query method to count');
const original = (owner as { query: (...args: unknown[]) => Promise<unknown> }).query;
(owner as { query: (...args: unknown[]) => Promise<unknown> }).query = function (this: unknown, ...args: unknown[]) {
  // The instance heartbeat and the failover tracker's look run on timers: not part of any operation.
  if (counting && typeof args[0] === 'string' && !/"GatewayInstance"|failover_operation/.test(args[0])) statements.push(args[0]);
  return original.apply(this, args);
};

let gateway: TestGateway;
let clients: GraphQLClients;
let inventory: Inventory;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  // The nested query is above the default cost limit (a deployment setting, covered elsewhere).
  // The response cache would answer the repeated query without the database: this file counts what an executed one sends.
  gateway = await startAccessGateway({ MAX_COST: '10000000', READ_CACHE: 'off' });
  clients = new GraphQLClients(gateway);
  inventory = await readInventory(gateway);
  const signer = tokenSigner(gateway);
  tokens.admin = await signer.sign({ subject: 'admin', groups: [] });
  tokens.operator = await signer.sign({ subject: 'operator', groups: [] });
}, 120_000);

afterAll(async () => {
  (owner as { query: unknown }).query = original;
  await clients?.close();
  await gateway?.stop();
});

const NESTED = `query($first: Int!) { replicas(first: $first) { edges { node {
  id name allowedActions backupServer { name edition }
  ... on VmReplica { restorePoints { totalCount edges { node { id name } } } }
  ... on VcdVAppReplica { restorePoints { edges { node { id } } } }
  ... on CdpVmReplica { shortTermRanges { totalCount } longTermPoints { totalCount edges { node { emId } } } }
  ... on VcdCdpVAppReplica { shortTermRanges { edges { node { start } } } longTermPoints { totalCount } }
} } } }`;

describe.each(TRANSPORTS)('over %s', (transport) => {
  async function measure(who: string, first: number) {
    // The WebSocket handshake (and its token check) and the caller's policy (cached once loaded) come before counting starts.
    await clients.run(transport, tokens[who]!, '{ viewer { roles } }');
    statements.length = 0;
    counting = true;
    let result;
    try {
      result = await clients.run(transport, tokens[who]!, NESTED, { first });
    } finally {
      counting = false;
    }
    expect(result.errors).toBeUndefined();
    return { edges: result.data.replicas.edges as Array<{ node: Record<string, any> }>, sql: [...statements] };
  }

  it.each([
    { who: 'admin', small: 5, large: 20 },
    { who: 'operator', small: 2, large: 8 },
  ])('$who: a small page and first $large send the same number of statements, fewer than the rows', async ({ who, small: requested, large }) => {
    // The small page must reach every nested level too (a restore point kind and a CDP kind), or it would rightly send fewer.
    const visible = expectedFor(inventory, await readAccounts(gateway), { subject: who, groups: [] }).replicas;
    expect(visible.length).toBeGreaterThanOrEqual(large);
    const reaches = (n: number) => {
      const kinds = new Set(visible.slice(0, n).map((replica) => replica.kind));
      return (kinds.has('VM_REPLICA') || kinds.has('VCD_VAPP_REPLICA')) && (kinds.has('CDP_VM') || kinds.has('VCD_CDP_VAPP'));
    };
    let small = requested;
    while (!reaches(small)) small += 1;
    expect(small).toBeLessThan(large);
    const a = await measure(who, small);
    const b = await measure(who, large);
    expect(a.edges).toHaveLength(small);
    expect(b.edges).toHaveLength(large);
    // The large page really has nested rows at every level.
    const nested = b.edges.map((edge) => edge.node);
    expect(nested.some((node) => node.restorePoints?.edges?.length > 0)).toBe(true);
    expect(nested.some((node) => node.shortTermRanges || node.longTermPoints)).toBe(true);
    expect(new Set(nested.map((node) => node.backupServer.name)).size).toBeGreaterThan(0);
    expect(b.sql.length, b.sql.join('\n---\n')).toBe(a.sql.length);
    expect(b.sql.length, b.sql.join('\n---\n')).toBeLessThan(large);
    // Each statement is a batch: none is repeated per parent.
    expect(new Set(b.sql).size).toBe(b.sql.length);
  });

  it('operator: a page of replicas and their backup servers is one statement', async () => {
    await clients.run(transport, tokens.operator!, '{ viewer { roles } }');
    statements.length = 0;
    counting = true;
    let result;
    try {
      result = await clients.run(transport, tokens.operator!, '{ replicas(first: 5) { edges { node { id name backupServer { id name edition } } } } }');
    } finally {
      counting = false;
    }
    expect(result.errors).toBeUndefined();
    const edges = result.data.replicas.edges as Array<{ node: { backupServer: { name: string; edition: string } } }>;
    expect(edges).toHaveLength(5);
    for (const { node } of edges) expect(node.backupServer.name).toEqual(expect.any(String));
    expect(statements, statements.join('\n---\n')).toHaveLength(1);
    expect(statements[0]).toMatch(/"BackupServer"/);
    // A replica read by id, not by a page, has its server loaded: the same server.
    const first = result.data.replicas.edges[0].node as { id: string; backupServer: { id: string; name: string; edition: string } };
    const byId = await clients.run(transport, tokens.operator!, 'query($id: ID!) { node(id: $id) { ... on Replica { backupServer { id name edition } } } }', { id: first.id });
    expect(byId.errors).toBeUndefined();
    expect(byId.data.node.backupServer).toEqual(first.backupServer);
  });

  it('the counter sees the statements of an operation (a plain list sends fewer than the nested one)', async () => {
    await clients.run(transport, tokens.admin!, '{ __typename }');
    statements.length = 0;
    counting = true;
    try {
      const flat = await clients.run(transport, tokens.admin!, '{ replicas(first: 20) { edges { node { id } } } }');
      expect(flat.data.replicas.edges).toHaveLength(Math.min(20, inventory.replicas.length));
    } finally {
      counting = false;
    }
    const flat = statements.length;
    expect(flat).toBeGreaterThan(0);
    const nested = await measure('admin', 20);
    expect(nested.sql.length).toBeGreaterThan(flat);
  });
});
