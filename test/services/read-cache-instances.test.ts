import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccessGateway, tokenSigner } from '../support/access.js';
import { postGraphQL, type TestGateway } from '../support/gateway.js';
import { ADMIN, createDatabase, ENDING_STATES, failoverCandidates, redisUrl, sleep, startFailover } from './failover-events-support.js';
import { vbrServersFile } from '../support/vbr-servers.js';

/**
 * The read caches across two gateway instances on one PostgreSQL database,
 * with Redis (answers and policies cached, generations in Redis) and without
 * (policies cached, generations in PostgreSQL): an operator's reads are served
 * from the caches on both, and an administrator's scope change on one is seen
 * by the operator's very next read on either, narrowing and widening alike.
 * Each run uses a Redis channel (and so cache keys) of its own.
 */
const LIST = '{ replicas(first: 500) { totalCount edges { node { id } } } }';

describe.each([
  { setup: 'with Redis', redis: true },
  { setup: 'on PostgreSQL alone', redis: false },
])('read caches across gateway instances $setup', ({ redis }) => {
  const jwtSecret = randomBytes(32).toString('hex');
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let a: TestGateway;
  let b: TestGateway;
  let adminToken: string;
  let operatorToken: string;
  let accountId: string;
  let refs: { narrow: string; wide: string; narrowIds: Set<string>; wideIds: Set<string> };

  async function run<T>(gateway: TestGateway, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const { status, json: body } = await postGraphQL(gateway.url, { query, variables }, { authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    return body.data as T;
  }
  const visibleIds = async (gateway: TestGateway) =>
    new Set((await run<{ replicas: { edges: Array<{ node: { id: string } }> } }>(gateway, operatorToken, LIST)).replicas.edges.map((edge) => edge.node.id));
  // With Redis, answers come from the response cache; without it, each request's policy from the policy cache.
  const hits = async (gateway: TestGateway) =>
    (await (redis ? gateway.metrics.readCacheLookups : gateway.metrics.policyCacheLookups).get()).values.find((value) => value.labels.result === 'hit')?.value ?? 0;
  const setScope = (ref: string) =>
    run(a, adminToken, 'mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { id } }', {
      id: accountId,
      input: { scope: { items: [{ ref, name: 'scope' }] } },
    });

  beforeAll(async () => {
    database = await createDatabase('fg_readcache');
    // READ_CACHE on whatever the test run says: this file is about the cache.
    const shared = {
      READ_CACHE: 'on',
      DATABASE_URL: database.url,
      JWT_SECRET: jwtSecret,
      ...(redis ? { REDIS_URL: redisUrl, REDIS_CHANNEL: `fg-test:${database.name}` } : {}),
      INVENTORY_SYNC_MINUTES: '10080',
    };
    a = await startAccessGateway({ ...shared, SIMULATOR_REPLICAS: '120', SIMULATOR_FAILOVER_MS: '1500', FAILOVER_POLL_MS: '200' });
    b = await startAccessGateway({ ...shared, EM_URL: a.simulator!.url, VBR_SERVERS: vbrServersFile(a.simulator!), EM_USERNAME: 'em-admin', EM_PASSWORD: 'em-admin' });
    const signer = tokenSigner(a);
    adminToken = await signer.sign(ADMIN);
    const subject = `cache-operator-${randomBytes(3).toString('hex')}`;
    operatorToken = await signer.sign({ subject, groups: [] });
    // Two containers of different sizes, one inside the other's complement or not: only their sets matter.
    const containers = await a.services.db.prisma.$queryRaw<Array<{ ref: string; ids: string[] }>>`
      SELECT rr.ref, array_agg(rr."replicaId"::text) AS ids FROM replica_ref rr JOIN "Replica" r ON r.id = rr."replicaId"
       WHERE rr.ref <> r."objectRef" GROUP BY rr.ref HAVING count(*) BETWEEN 3 AND 100 ORDER BY count(*), rr.ref`;
    const narrow = containers[0]!;
    const wide = containers.find((c) => c.ids.length > narrow.ids.length && !narrow.ids.every((id) => c.ids.includes(id)))!;
    expect(wide).toBeDefined();
    const globalIds = async (ids: string[]) => {
      const rows = await a.services.db.prisma.replica.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true } });
      const { encodeGlobalID } = await import('@pothos/plugin-relay');
      const { REPLICA_TYPENAMES } = await import('../../src/graphql/replicas.js');
      return new Set(rows.map((row) => encodeGlobalID(REPLICA_TYPENAMES[row.kind], row.id)));
    };
    refs = { narrow: narrow.ref, wide: wide.ref, narrowIds: await globalIds(narrow.ids), wideIds: await globalIds(wide.ids) };
    const created = await run<{ createAccount: { id: string } }>(a, adminToken, 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', {
      input: { type: 'USER', name: subject, roles: ['RESTORE_OPERATOR'], scope: { items: [{ ref: refs.wide, name: 'wide' }] } },
    });
    accountId = created.createAccount.id;
  }, 180_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
    if (!redis) return;
    // The cache's keys of this run (its channel is the key prefix).
    const client = new Redis(redisUrl);
    const keys = await client.keys(`fg-test:${database.name}:*`);
    if (keys.length > 0) await client.del(keys);
    await client.quit();
  });

  it('serves repeated reads from the cache on both instances', async () => {
    if (!redis) expect(a.services.readCache.plugin, 'no response cache without Redis: an instance could not drop the others\' answers').toBeNull();
    for (const gateway of [a, b]) {
      const before = await hits(gateway);
      expect(await visibleIds(gateway)).toEqual(refs.wideIds);
      expect(await visibleIds(gateway)).toEqual(refs.wideIds);
      expect(await hits(gateway)).toBeGreaterThan(before);
    }
  });

  it("narrowing a scope on one instance changes the operator's very next read on either", async () => {
    await visibleIds(a);
    await visibleIds(b);
    await setScope(refs.narrow);
    expect(await visibleIds(b)).toEqual(refs.narrowIds);
    expect(await visibleIds(a)).toEqual(refs.narrowIds);
  });

  it("widening it again does the same, and the narrowed answers are not served after", async () => {
    await setScope(refs.wide);
    expect(await visibleIds(a)).toEqual(refs.wideIds);
    expect(await visibleIds(b)).toEqual(refs.wideIds);
  });

  it('an inventory sync that changes what the operator sees is seen by the next read on the other instance', async () => {
    const [missing] = [...refs.wideIds];
    const { decodeGlobalID } = await import('@pothos/plugin-relay');
    // A replica's visibility row lost behind the gateway's back (as if EM had moved it out), then every policy reloaded:
    // the cached answer on B now lacks it.
    await a.services.db.prisma.$executeRaw`DELETE FROM replica_visibility WHERE "replicaId" = ${decodeGlobalID(missing!).id}::uuid`;
    await a.services.readCache.generations.bump('policy');
    expect(await visibleIds(b)).not.toContain(missing);
    expect(await visibleIds(b)).not.toContain(missing);
    // The sync (on A) rebuilds the restore scopes: the row comes back, and B's next read shows it.
    await run(a, adminToken, 'mutation { syncInventory { ok } }');
    expect(await visibleIds(b)).toEqual(refs.wideIds);
  });

  it("a failover's end state is in the next read on either instance", { timeout: 120_000 }, async () => {
    const candidate = (await failoverCandidates(a.url, adminToken)).get('VM_REPLICA')![0]!;
    const STATE = '{ node(id: $id) { ... on Replica { state } } }';
    const stateOn = async (gateway: TestGateway) => (await run<{ node: { state: string } }>(gateway, adminToken, `query($id: ID!) ${STATE}`, { id: candidate.id })).node.state;
    for (const gateway of [a, b]) {
      expect(await stateOn(gateway)).toBe('Ready');
      expect(await stateOn(gateway)).toBe('Ready');
    }
    const op = await startFailover(a.url, adminToken, candidate, 'read cache test');
    const { decodeGlobalID } = await import('@pothos/plugin-relay');
    const prisma = a.services.db.prisma;
    let ended: { state: string; replicaState: string | null } | null = null;
    while (!ended) {
      const row = await prisma.failoverOperation.findUniqueOrThrow({ where: { id: decodeGlobalID(op.id).id }, select: { state: true, replicaState: true } });
      if (ENDING_STATES.includes(row.state)) ended = row;
      else await sleep(50);
    }
    expect(ended.replicaState).toBe('Failover');
    expect(await stateOn(b)).toBe('Failover');
    expect(await stateOn(a)).toBe('Failover');
  });
});
