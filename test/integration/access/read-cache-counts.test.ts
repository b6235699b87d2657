import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, FAILOVER, failoverInput, ReplicaPool, startFailoverGateway } from '../failover/support.js';

/**
 * Cached answers that hold no operation and no replica still follow the
 * changes that move them: the library links an answer only to the entities in
 * it, and a count holds none.
 */

let gateway: TestGateway;
let clients: GraphQLClients;

beforeAll(async () => {
  // Failovers that end within seconds, so a test sees one start and end.
  gateway = await startFailoverGateway({ READ_CACHE: 'on', SIMULATOR_FAILOVER_MS: '3000' });
  clients = new GraphQLClients(gateway);
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

async function hits(): Promise<number> {
  return (await gateway.metrics.readCacheLookups.get()).values.find((value) => value.labels.result === 'hit')?.value ?? 0;
}

describe('counts and the response cache', () => {
  it('answers holding no operation (a count, aliased or in a fragment) follow a failover from its start to its end', async () => {
    const token = await tokenSigner(gateway).sign({ subject: 'admin', groups: [] });
    const documents = [
      '{ failoverOperations(first: 1, filter: { active: true }) { totalCount } }',
      'query Active { running: failoverOperations(filter: { active: true }) { ...Count } } fragment Count on FailoverOperationConnection { totalCount }',
    ];
    const counts = async () =>
      Promise.all(
        documents.map(async (query) => {
          const result = await clients.run('http', token, query);
          expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
          const data = result.data as Record<string, { totalCount: number }>;
          return Object.values(data)[0]!.totalCount;
        }),
      );
    const hitsBefore = await hits();
    const before = await counts();
    expect(await counts(), 'asked twice: the second answers are cached').toEqual(before);
    expect(await hits()).toBeGreaterThanOrEqual(hitsBefore + documents.length);

    const pool = await ReplicaPool.of(gateway);
    const replica = pool.take('VM_REPLICA');
    const readyCount = async () => {
      const result = await clients.run('http', token, `{ replicas(filter: { states: ["Failover"], kinds: [VM_REPLICA] }) { totalCount } }`);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return (result.data as { replicas: { totalCount: number } }).replicas.totalCount;
    };
    const failedOverBefore = await readyCount();
    expect(await readyCount()).toBe(failedOverBefore);

    const started = await clients.run('http', token, FAILOVER, { input: failoverInput(replica) });
    const operation = (started.data as { failover: { operation?: { id: string } } }).failover.operation;
    expect(operation, JSON.stringify(started)).toBeDefined();
    expect(await counts(), 'the started failover counts at once').toEqual(before.map((count) => count + 1));

    await eventually(async () => ((await counts()).every((count, index) => count === before[index]) ? true : undefined), { what: 'the counts back once the failover ended', timeoutMs: 30_000 });
    // The end wrote the replica's new state: a list filtered by state gains it.
    expect(await readyCount()).toBe(failedOverBefore + 1);
  });
});
