import { accessibleBy } from '@casl/prisma/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import type { Prisma } from '../../../src/generated/prisma/client.js';
import { pageWindow, type ConnectionArgs } from '../../../src/graphql/pagination.js';
import { replicaPage } from '../../../src/graphql/replica-page.js';
import { createPolicy, loadAccountGrants, loadGatedServers, rebuildVisibility, type Policy, type PolicyPrincipal } from '../../../src/policy/index.js';
import { migratedPGlite } from '../inventory/support.js';
import { uuid, writeWorld, type World } from '../policy/world.js';

const R = (n: number) => uuid(1, n);
const A = (n: number) => uuid(2, n);
const cluster = (n: number) => `urn:VMware:Cluster:vc1.c${n}`;

// Names the database's collation orders differently from code units: case, accents, spaces, digits.
const NAMES = ['alpha', 'Alpha', 'Älpha', 'beta 2', 'beta10', 'beta 10', 'Ça', 'zeta', 'Zulu', 'mid', 'mid', 'Mid-1', 'é', 'e', 'E'];
const COUNT = 45;

const world: World = {
  servers: [
    { id: 's1', edition: 'ENTERPRISE' },
    { id: 's2', edition: 'STANDARD' },
  ],
  replicas: Array.from({ length: COUNT }, (_, i) => ({
    id: R(i + 1),
    kind: i % 3 === 0 ? 'CDP_VM' : 'VM_REPLICA',
    serverId: i % 2 === 0 ? 's1' : 's2',
    refs: [cluster(i % 4), `urn:VMware:Vm:vc1.vm-${i + 1}`],
    state: i % 5 === 0 ? 'Failover' : 'Ready',
  })),
  accounts: [
    { id: A(1), type: 'USER', name: 'op', roles: ['RESTORE_OPERATOR'], scopeAll: false, allowedKinds: ['VM_REPLICA', 'CDP_VM'], scope: [cluster(0), cluster(1)] },
    { id: A(2), type: 'GROUP', name: 'second', roles: ['PORTAL_USER'], scopeAll: false, allowedKinds: [], scope: [cluster(1), cluster(2)] },
    { id: A(3), type: 'USER', name: 'admin', roles: ['PORTAL_ADMINISTRATOR'], scopeAll: false, allowedKinds: [], scope: [] },
  ],
};

let db: Database;

beforeAll(async () => {
  db = await migratedPGlite();
  await writeWorld(db, world);
  for (let i = 0; i < COUNT; i += 1) await db.prisma.replica.update({ where: { id: R(i + 1) }, data: { name: NAMES[i % NAMES.length]! } });
  await rebuildVisibility(db.prisma, 'all');
}, 60_000);
afterAll(() => db?.close());

const policyOf = async (principal: PolicyPrincipal): Promise<Policy> =>
  createPolicy({ principal, accounts: await loadAccountGrants(db.prisma, principal), servers: await loadGatedServers(db.prisma) });

/** The client with each model query recorded, to tell which index a page was asked through. */
function recording() {
  const models: string[] = [];
  const prisma = new Proxy(db.prisma, {
    get(target, property, receiver) {
      const model = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'replica' && property !== 'replicaVisibility') return model;
      return new Proxy(model as object, {
        get(delegate, method, r) {
          if (method === 'findMany') models.push(String(property));
          return Reflect.get(delegate, method, r) as unknown;
        },
      });
    },
  });
  return { prisma, models };
}

const FILTERS: Prisma.ReplicaWhereInput[] = [
  {},
  { kind: { in: ['VM_REPLICA'] } },
  { state: { in: ['Ready'] } },
  { name: { contains: 'a', mode: 'insensitive' } },
  { backupServer: { edition: { in: ['ENTERPRISE'] } } },
];

type Row = { id: string; name: string };

/** Every page of one connection walk, forward by `after` or backward by `before`, as (name, id) keys. */
async function walk(policy: Policy, prisma: Database['prisma'], filter: Prisma.ReplicaWhereInput, size: number, backward: boolean): Promise<string[]> {
  const where = { AND: [accessibleBy(policy.ability, 'read').ofType('Replica'), filter] };
  const seen: string[] = [];
  let cursor: Row | undefined;
  for (let pages = 0; pages < COUNT + 2; pages += 1) {
    const args: ConnectionArgs = backward ? { last: size } : { first: size };
    const window = pageWindow(args, 2);
    if (cursor) window[backward ? 'before' : 'after'] = [cursor.name, cursor.id];
    const rows = (await replicaPage(prisma, { policy, where, window, select: { id: true, name: true, kind: true } })) as Row[];
    const page = rows.slice(0, size);
    seen.push(...page.map((row) => `${row.name}|${row.id}`));
    if (rows.length <= size) return backward ? seen.reverse() : seen;
    cursor = page.at(-1);
  }
  throw new Error('the walk did not end');
}

/** The same walk through the name index: the caller's ability, rights as if some account gave "all objects". */
const byNameWalk = (as: Policy, filter: Prisma.ReplicaWhereInput, size: number, backward: boolean) =>
  walk({ ...as, rights: { ...as.rights, scopeAll: true } }, db.prisma, filter, size, backward);

describe('a restricted caller\'s replicas page', () => {
  it('walks the caller\'s own visibility rows when one scoped account gives its reads', async () => {
    const operator = await policyOf({ subject: 'op', groups: [] });
    const { prisma, models } = recording();
    await walk(operator, prisma, {}, 10, false);
    expect(new Set(models)).toEqual(new Set(['replicaVisibility']));

    const admin = await policyOf({ subject: 'admin', groups: [] });
    const second = recording();
    await walk(admin, second.prisma, {}, 10, false);
    expect(new Set(second.models)).toEqual(new Set(['replica']));
  });

  it.each(FILTERS.flatMap((filter) => [3, 7, 50].flatMap((size) => [false, true].map((backward) => [JSON.stringify(filter), size, backward, filter] as const))))(
    'gives the name index\'s pages: filter %s, pages of %i, backward %s',
    async (_name, size, backward, filter) => {
      const operator = await policyOf({ subject: 'op', groups: [] });
      const expected = await byNameWalk(operator, filter, size, backward);
      expect(expected.length).toBeGreaterThan(0);
      expect(await walk(operator, db.prisma, filter, size, backward)).toEqual(expected);
    },
  );

  it('follows a rename at once: the page order is the replica\'s new name', async () => {
    const operator = await policyOf({ subject: 'op', groups: [] });
    const visible = await db.prisma.replicaVisibility.findMany({ where: { accountId: A(1) }, orderBy: [{ name: 'asc' }, { replicaId: 'asc' }] });
    const last = visible.at(-1)!;
    await db.prisma.replica.update({ where: { id: last.replicaId }, data: { name: '  first now' } });
    const pages = await walk(operator, db.prisma, {}, 4, false);
    expect(pages[0]).toBe(`  first now|${last.replicaId}`);
    expect(pages).toEqual(await byNameWalk(operator, {}, 4, false));
    expect(new Set(pages).size).toBe(visible.length);
  });

  it('merges overlapping scoped accounts through the name index, each replica once', async () => {
    const both = await policyOf({ subject: 'op', groups: ['second'] });
    expect(both.rights.scopedAccountIds).toHaveLength(2);
    const { prisma, models } = recording();
    const pages = await walk(both, prisma, {}, 5, false);
    expect(new Set(models)).toEqual(new Set(['replica']));
    expect(new Set(pages).size).toBe(pages.length);
    const visible = await db.prisma.replicaVisibility.findMany({ where: { accountId: { in: [A(1), A(2)] } }, distinct: ['replicaId'], select: { replicaId: true } });
    expect(pages).toHaveLength(visible.length);
  });
});
