import { accessibleBy } from '@casl/prisma/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import { BACKUP_SERVER_COLUMNS } from '../../../src/graphql/backup-server-columns.js';
import { pageWindow } from '../../../src/graphql/pagination.js';
import { replicaFilter, type ReplicaFilterArgs } from '../../../src/graphql/replica-filter.js';
import { replicaAccess, replicaCount, replicaPage, type ReplicaAccess } from '../../../src/graphql/replica-page.js';
import {
  createPolicy,
  loadAccountGrants,
  loadGatedServers,
  rebuildVisibility,
  withPolicyExtension,
  type Policy,
  type PolicyPrismaClient,
  type PolicyPrincipal,
} from '../../../src/policy/index.js';
import { uuid, writeWorld, type World } from '../policy/world.js';

const R = (n: number) => uuid(1, n);
const A = (n: number) => uuid(2, n);
const cluster = (n: number) => `urn:VMware:Cluster:vc1.c${n}`;

// Names the database's collation orders differently from code units: case, accents, spaces, digits;
// and LIKE's wildcards, which a search must match as themselves.
// (First, so that every caller below sees each of them.)
const NAMES = ['web_1', '100%', 'back\\slash', 'webx1', 'alpha', 'Alpha', 'Älpha', 'beta 2', 'beta10', 'beta 10', 'Ça', 'zeta', 'Zulu', 'mid', 'mid', 'Mid-1', 'é', 'e', 'E'];
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
    { id: A(4), type: 'GROUP', name: 'admins', roles: ['PORTAL_ADMINISTRATOR'], scopeAll: false, allowedKinds: [], scope: [] },
    ...[5, 6, 7].map((n) => ({ id: A(n), type: 'GROUP' as const, name: `g${n}`, roles: ['PORTAL_USER' as const], scopeAll: false, allowedKinds: [], scope: [cluster(3)] })),
  ],
};

/**
 * The replicas page's forms against the name walk, on a database `open`
 * gives: PGlite in the unit tests, PostgreSQL in the services tests (the
 * hand-written page must hold in the production database's collation too).
 */
export function replicaPageSuite(database: { open(): Promise<Database>; close(db: Database): Promise<void> }): void {
  beforeAll(async () => {
    db = await database.open();
    client = withPolicyExtension(db.prisma);
    await writeWorld(db, world);
    for (let i = 0; i < COUNT; i += 1) await db.prisma.replica.update({ where: { id: R(i + 1) }, data: { name: NAMES[i % NAMES.length]! } });
    await rebuildVisibility(db.prisma, 'all');
  }, 60_000);
  afterAll(() => (db ? database.close(db) : undefined));
  describeReplicaPage();
}

let db: Database;
/** The client as the resolvers have it. */
let client: PolicyPrismaClient;

const policyOf = async (principal: PolicyPrincipal): Promise<Policy> =>
  createPolicy({ principal, accounts: await loadAccountGrants(db.prisma, principal), servers: await loadGatedServers(db.prisma) });

/** The client with each query recorded, to tell which index a page was asked through. */
function recording() {
  const models: string[] = [];
  const prisma = new Proxy(client, {
    get(target, property, receiver) {
      const model = Reflect.get(target, property, receiver) as unknown;
      if (property === '$queryRaw') {
        return (...args: unknown[]) => {
          const strings = Array.isArray(args[0]) ? (args[0] as readonly string[]) : (args[0] as { strings: readonly string[] }).strings;
          models.push(strings.join('?').includes('replica_visibility') ? 'replicaVisibility' : 'raw');
          return (model as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
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

const FILTERS: ReplicaFilterArgs[] = [
  {},
  { kinds: ['VM_REPLICA'] },
  { states: ['Ready'] },
  { search: 'A' },
  { search: '_' },
  { editions: ['ENTERPRISE'] },
  { backupServerId: 's2', kinds: ['CDP_VM', 'VM_REPLICA'], states: ['Ready', 'Failover'] },
];

type Row = { id: string; name: string };

/** Every page of one connection walk, forward by `after` or backward by `before`, as "name|id". */
async function walk(access: ReplicaAccess, prisma: PolicyPrismaClient, filter: ReplicaFilterArgs, size: number, backward: boolean): Promise<string[]> {
  const seen: string[] = [];
  let cursor: Row | undefined;
  for (let pages = 0; pages < COUNT + 2; pages += 1) {
    const window = pageWindow(backward ? { last: size } : { first: size }, 2);
    if (cursor) window[backward ? 'before' : 'after'] = [cursor.name, cursor.id];
    const rows = (await replicaPage(prisma, { access, filter: replicaFilter(filter), window, select: { id: true, name: true, kind: true } })) as Row[];
    const page = rows.slice(0, size);
    seen.push(...page.map((row) => `${row.name}|${row.id}`));
    if (rows.length <= size) return backward ? seen.reverse() : seen;
    cursor = page.at(-1);
  }
  throw new Error('the walk did not end');
}

/** The caller's rule as a plain `where`: the name index, each row tested. */
const byName = (policy: Policy): ReplicaAccess => ({ where: accessibleBy(policy.ability, 'read').ofType('Replica') });

const OPERATOR = { subject: 'op', groups: [] };
/** Two scoped accounts whose scopes overlap (cluster 1): their walks are merged. */
const OPERATOR_AND_GROUP = { subject: 'op', groups: ['second'] };

function describeReplicaPage(): void {
  describe('a restricted caller\'s replicas page', () => {
    it('walks visibility rows when the caller\'s read rule is the visibility of at most four accounts, the rule\'s where otherwise', async () => {
      const accessOf = async (principal: PolicyPrincipal) => replicaAccess((await policyOf(principal)).ability);
      expect((await accessOf(OPERATOR)).visibleTo).toEqual([A(1)]);
      expect((await accessOf({ subject: 'nobody', groups: ['second'] })).visibleTo).toEqual([A(2)]);
      expect([...((await accessOf(OPERATOR_AND_GROUP)).visibleTo ?? [])].sort()).toEqual([A(1), A(2)]);
      expect((await accessOf({ subject: 'op', groups: ['second', 'g5', 'g6'] })).visibleTo).toHaveLength(4);
      for (const principal of [{ subject: 'admin', groups: [] }, { subject: 'op', groups: ['admins'] }, { subject: 'op', groups: ['second', 'g5', 'g6', 'g7'] }]) {
        const access = await accessOf(principal);
        expect(access.visibleTo).toBeUndefined();
        expect(access.where).toEqual(accessibleBy((await policyOf(principal)).ability, 'read').ofType('Replica'));
      }
    });

    it('walks the caller\'s own visibility rows through their index, and the rule\'s where through the replicas', async () => {
      const operator = await policyOf(OPERATOR);
      const visibility = recording();
      await walk(replicaAccess(operator.ability), visibility.prisma, {}, 10, false);
      expect(new Set(visibility.models)).toEqual(new Set(['replicaVisibility']));
      const names = recording();
      await walk(byName(operator), names.prisma, {}, 10, false);
      expect(new Set(names.models)).toEqual(new Set(['replica']));
    });

    it.each(
      [OPERATOR, OPERATOR_AND_GROUP].flatMap((principal) =>
        FILTERS.flatMap((filter) => [3, 7, 50].flatMap((size) => [false, true].map((backward) => [principal.groups.length + 1, JSON.stringify(filter), size, backward, principal, filter] as const))),
      ),
    )('gives the name index\'s pages and count: %i account(s), filter %s, pages of %i, backward %s', async (_accounts, _name, size, backward, principal, filter) => {
      const policy = await policyOf(principal);
      const access = replicaAccess(policy.ability);
      expect(access.visibleTo).toHaveLength(principal.groups.length + 1);
      const expected = await walk(byName(policy), client, filter, size, backward);
      expect(expected.length).toBeGreaterThan(0);
      expect(new Set(expected).size).toBe(expected.length);
      expect(await walk(access, client, filter, size, backward)).toEqual(expected);
      expect(await replicaCount(client, access, replicaFilter(filter))).toBe(expected.length);
    });

    it.each([OPERATOR, OPERATOR_AND_GROUP, { subject: 'admin', groups: [] }])('matches a search as literal text, wildcards and backslashes included (%o)', async (principal) => {
      const policy = await policyOf(principal);
      const access = replicaAccess(policy.ability);
      const visible = new Set((await walk(byName(policy), client, {}, 50, false)).map((entry) => entry.split('|')[1]!));
      for (const search of ['_', '%', '\\', 'B_1', '0%', 'k\\s']) {
        const names = (await walk(access, client, { search }, 7, false)).map((entry) => entry.split('|')[0]!);
        const expected = (await db.prisma.replica.findMany({ select: { id: true, name: true } }))
          .filter((row) => visible.has(row.id) && row.name.toLowerCase().includes(search.toLowerCase()))
          .map((row) => row.name);
        expect(expected.length, search).toBeGreaterThan(0);
        expect([...names].sort(), search).toEqual(expected.sort());
      }
    });

    it('reads every column as the model does when the query asks for fields the column table does not know', async () => {
      const operator = await policyOf(OPERATOR_AND_GROUP);
      const rows = await replicaPage(client, { access: replicaAccess(operator.ability), filter: replicaFilter(), window: pageWindow({ first: 50 }, 2), select: undefined });
      expect(rows.length).toBeGreaterThan(5);
      const model = await db.prisma.replica.findMany({ where: { id: { in: rows.map((row) => row.id) } } });
      const byId = new Map(model.map((row) => [row.id, row]));
      for (const row of rows) expect(row).toStrictEqual(byId.get(row.id));
    });

    it('reads each replica\'s backup server with the page, as the model reads the relation, on either walk', async () => {
      const operator = await policyOf(OPERATOR_AND_GROUP);
      const select = { id: true, name: true, kind: true, backupServerId: true, backupServer: { select: BACKUP_SERVER_COLUMNS } } as const;
      for (const access of [replicaAccess(operator.ability), byName(operator)]) {
        const rows = await replicaPage(client, { access, filter: replicaFilter(), window: pageWindow({ first: 50 }, 2), select });
        expect(rows.length).toBeGreaterThan(5);
        const model = await db.prisma.replica.findMany({ where: { id: { in: rows.map((row) => row.id) } }, select });
        const byId = new Map(model.map((row) => [row.id, row]));
        for (const row of rows) expect(row).toStrictEqual(byId.get(row.id));
      }
    });

    it.each([
      ['an id that is no UUID', ['alpha', 'not-a-uuid']],
      ['a name that is no string', [7, R(1)]],
    ])('refuses a cursor it did not give out (%s) as bad input, on either walk', async (_case, key) => {
      const operator = await policyOf(OPERATOR);
      const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
      for (const access of [replicaAccess(operator.ability), byName(operator)]) {
        const window = pageWindow({ first: 5, after: cursor }, 2);
        await expect(replicaPage(client, { access, filter: replicaFilter(), window, select: { id: true, name: true, kind: true } })).rejects.toMatchObject({
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
    });

    it('follows a rename at once: the page order is the replica\'s new name', async () => {
      const operator = await policyOf(OPERATOR);
      const visible = await db.prisma.replicaVisibility.findMany({ where: { accountId: A(1) }, orderBy: [{ name: 'asc' }, { replicaId: 'asc' }] });
      const last = visible.at(-1)!;
      await db.prisma.replica.update({ where: { id: last.replicaId }, data: { name: '  first now' } });
      const pages = await walk(replicaAccess(operator.ability), client, {}, 4, false);
      expect(pages[0]).toBe(`  first now|${last.replicaId}`);
      expect(pages).toEqual(await walk(byName(operator), client, {}, 4, false));
      expect(new Set(pages).size).toBe(visible.length);
    });
  });
}
