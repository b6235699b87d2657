import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, expectedFor, GraphQLClients, readInventory, startAccessGateway, tokenSigner, type Expected, type GqlResult, type Inventory } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';

/**
 * The response cache never hands one principal another's answer: two
 * principals with random restore scopes ask random documents, each twice (the
 * second answer comes from the cache), in a random order, and every answer is
 * exactly what the oracle says that principal may see.
 */

let gateway: TestGateway;
let clients: GraphQLClients;
let inventory: Inventory;

beforeAll(async () => {
  // On whatever the test run's READ_CACHE says: this file is about the cache.
  gateway = await startAccessGateway({ READ_CACHE: 'on' });
  clients = new GraphQLClients(gateway);
  inventory = await readInventory(gateway);
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

const KINDS = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'] as const;

/** A document and what its answer must be for a principal that may see `expected`. */
interface Document {
  query: string;
  answer(expected: Expected): unknown;
  read(result: GqlResult): unknown;
}

const edgeIds = (connection: { edges: Array<{ node: { id: string } }> }) => connection.edges.map((edge) => edge.node.id);

const documents: Document[] = [
  ...[3, 50, 100].map((first) => ({
    query: `{ replicas(first: ${first}) { totalCount edges { node { id } } } }`,
    answer: (expected: Expected) => ({ ids: expected.replicas.slice(0, first).map((replica) => replica.globalId), total: expected.replicas.length }),
    read: (result: GqlResult) => ({ ids: edgeIds(result.data.replicas), total: result.data.replicas.totalCount }),
  })),
  ...KINDS.map((kind) => ({
    query: `{ replicas(first: 100, filter: { kinds: [${kind}] }) { edges { node { id kind } } } }`,
    answer: (expected: Expected) => expected.replicas.filter((replica) => replica.kind === kind).map((replica) => replica.globalId),
    read: (result: GqlResult) => edgeIds(result.data.replicas),
  })),
  {
    query: '{ backupServers { totalCount edges { node { id name } } } }',
    answer: (expected: Expected) => expected.servers.map((server) => server.globalId),
    read: (result: GqlResult) => edgeIds(result.data.backupServers),
  },
];

describe('the response cache and random scopes (fast-check)', () => {
  it('two principals with different scopes never receive each other\'s cached answer', async () => {
    const allRefs = [...inventory.refsByType.values()].flatMap((refs) => [...refs.keys()]).sort();
    const signer = tokenSigner(gateway);
    const names = ['cache-prop-a', 'cache-prop-b'];
    const ids = await Promise.all(names.map((name) => createAccount(gateway, { type: 'USER', name, roles: ['RESTORE_OPERATOR'], scope: [] })));
    const tokens = await Promise.all(names.map((name) => signer.sign({ subject: name, groups: [] })));
    const hitsBefore = await hits();
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.subarray(allRefs, { maxLength: 4 }), fc.subarray(allRefs, { maxLength: 4 })),
        // Each (principal, document) pair twice, in a random order.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: documents.length - 1 })), { minLength: 1, maxLength: 6 }).chain((asks) =>
          fc.shuffledSubarray([...asks, ...asks], { minLength: asks.length * 2, maxLength: asks.length * 2 }),
        ),
        async (scopes, asks) => {
          for (const [index, refs] of scopes.entries()) {
            await gateway.services.accounts.update(ids[index]!, { scope: { all: false, items: refs.map((ref) => ({ ref, name: 'random' })) } });
          }
          const expected = scopes.map((refs, index) =>
            expectedFor(inventory, [{ type: 'USER', name: names[index]!, roles: ['RESTORE_OPERATOR'], scope: refs }], { subject: names[index]!, groups: [] }),
          );
          for (const [who, which] of asks) {
            const document = documents[which]!;
            const result = await clients.run('http', tokens[who]!, document.query);
            expect(result.errors).toBeUndefined();
            expect(document.read(result)).toEqual(document.answer(expected[who]!));
          }
        },
      ),
      { numRuns: 30 },
    );
    // The property held with answers from the cache, not only around it.
    expect(await hits()).toBeGreaterThan(hitsBefore);
    for (const id of ids) await gateway.services.accounts.delete(id);
  });
});

describe('what the response cache never answers', () => {
  it('auditLog, verifyAuditLog, explain, viewer and gateway run every time; a mutation is never served', async () => {
    const admin = await tokenSigner(gateway).sign({ subject: 'admin', groups: [] });
    const account = (await readAccountIds())[0]!;
    const replica = inventory.replicas[0]!.globalId;
    const queries = [
      '{ auditLog(first: 1) { entries { seq } } }',
      '{ verifyAuditLog { ok checked } }',
      `{ explain(account: "${account}", action: READ, object: "${replica}") { allowed rule } }`,
      '{ viewer { subject tokenExpiresAt } }',
      '{ gateway { version startedAt } }',
    ];
    for (const query of queries) {
      const before = await hits();
      const first = await clients.run('http', admin, query);
      const second = await clients.run('http', admin, query);
      expect(first.errors, query).toBeUndefined();
      expect(second.errors, query).toBeUndefined();
      expect(await hits(), query).toBe(before);
    }
    // The newest audit entry is always the newest: a refused change audits a DENY between two reads.
    const newest = async () => ((await clients.run('http', admin, '{ auditLog(first: 1) { entries { seq } } }')).data.auditLog.entries[0]?.seq ?? null) as unknown;
    const before = await newest();
    const operator = await tokenSigner(gateway).sign({ subject: 'operator', groups: [] });
    const refused = await clients.run('http', operator, `mutation { deleteAccount(id: "${account}") }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await newest()).not.toBe(before);
  });
});

async function readAccountIds(): Promise<string[]> {
  const admin = await tokenSigner(gateway).sign({ subject: 'admin', groups: [] });
  const result = await clients.run('http', admin, '{ accounts { id } }');
  expect(result.errors).toBeUndefined();
  return result.data.accounts.map((account: { id: string }) => account.id);
}

async function hits(): Promise<number> {
  return (await gateway.metrics.readCacheLookups.get()).values.find((value) => value.labels.result === 'hit')?.value ?? 0;
}
