import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import {
  asBackupServer,
  asReplica,
  createPolicy,
  explainFor,
  loadAccountGrants,
  loadGatedServers,
  rebuildVisibility,
  type AccountType,
  type LicenseEdition,
  type PolicyPrincipal,
  type PortalRole,
  type ReplicaKind,
} from '../../../src/policy/index.js';
import { migratedPGlite } from '../inventory/support.js';
import { answersFromCan, answersFromDatabase, plain } from './engine.js';
import { oracle } from './oracle.js';
import { clearWorld, POINT_KINDS, uuid, writeWorld, type World, type WorldAccount } from './world.js';

const KINDS: ReplicaKind[] = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];
const EDITIONS: LicenseEdition[] = ['COMMUNITY', 'STANDARD', 'ENTERPRISE', 'ENTERPRISE_PLUS', 'UNKNOWN'];
const ROLES: PortalRole[] = ['PORTAL_ADMINISTRATOR', 'PORTAL_USER', 'RESTORE_OPERATOR'];
const TYPES = ['Vc', 'Datacenter', 'Cluster', 'Host', 'Folder', 'Tag'];

const accountArb = fc.record({
  type: fc.constantFrom<AccountType>('USER', 'GROUP'),
  name: fc.constantFrom('u1', 'u2', 'g1', 'g2'),
  roles: fc.subarray(ROLES),
  scopeAll: fc.boolean(),
  allowedKinds: fc.subarray(KINDS),
  scope: fc.array(fc.nat(), { maxLength: 4 }),
});

/** A random hierarchy (a forest), replicas hanging anywhere in it, accounts with random scopes, and a principal. */
const scenarioArb = fc.record({
  parents: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
  replicas: fc.array(fc.record({ node: fc.nat(), kind: fc.constantFrom(...KINDS), server: fc.nat(2) }), { maxLength: 12 }),
  editions: fc.tuple(fc.constantFrom(...EDITIONS), fc.constantFrom(...EDITIONS), fc.constantFrom(...EDITIONS)),
  accounts: fc.array(accountArb, { maxLength: 5 }),
  principal: fc.record({ subject: fc.constantFrom('u1', 'u2', 'zz'), groups: fc.subarray(['g1', 'g2', 'u1']) }),
  newScope: fc.array(fc.nat(), { maxLength: 4 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function worldOf(s: Scenario): { world: World; principal: PolicyPrincipal; refPool: string[] } {
  const nodeRefs = s.parents.map((_, i) => `urn:VMware:${TYPES[i % TYPES.length]}:root.n${i}`);
  // Node i's parent is an earlier node, or none: (p mod (i+1)) - 1.
  const parentOf = (i: number) => (s.parents[i]! % (i + 1)) - 1;
  const ancestry = (i: number): string[] => (i < 0 ? [] : [...ancestry(parentOf(i)), nodeRefs[i]!]);
  const replicas = s.replicas.map((r, j) => ({
    id: uuid(1, j + 1),
    kind: r.kind,
    serverId: `srv-${r.server}`,
    refs: [...ancestry(r.node % nodeRefs.length), `urn:VMware:Vm:root.vm${j}`],
  }));
  const refPool = [...nodeRefs, ...replicas.map((r) => r.refs.at(-1)!), 'urn:VMware:Cluster:elsewhere.c9'];
  const seen = new Set<string>();
  const accounts: WorldAccount[] = [];
  for (const a of s.accounts) {
    if (seen.has(`${a.type}/${a.name}`)) continue;
    seen.add(`${a.type}/${a.name}`);
    accounts.push({ ...a, id: uuid(3, accounts.length + 1), scope: [...new Set(a.scope.map((n) => refPool[n % refPool.length]!))] });
  }
  const servers = s.editions.map((edition, i) => ({ id: `srv-${i}`, edition }));
  return { world: { servers, replicas, accounts }, principal: s.principal, refPool };
}

describe('random hierarchies and scopes: engine in memory against the oracle', () => {
  it('ability.can on replicas and servers agrees with the oracle', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { world, principal } = worldOf(s);
        const policy = createPolicy({ principal, accounts: world.accounts, servers: world.servers });
        const expected = oracle(world, principal);
        // Visibility rows as the rebuild would write them: scoped restricted accounts, scope ∩ refs.
        const visible = (refs: string[]) =>
          world.accounts
            .filter((a) => !a.scopeAll && !a.roles.includes('PORTAL_ADMINISTRATOR') && a.roles.some((r) => r !== 'PORTAL_ADMINISTRATOR'))
            .filter((a) => a.scope.some((ref) => refs.includes(ref)))
            .map((a) => ({ accountId: a.id }));
        for (const r of world.replicas) {
          const object = asReplica({ kind: r.kind, backupServerId: r.serverId, visibility: visible(r.refs) });
          expect(policy.ability.can('read', object)).toBe(expected.read.Replica.has(r.id));
          expect(policy.ability.can('failover', object)).toBe(expected.failover.has(r.id));
        }
        for (const server of world.servers) {
          const object = asBackupServer({ replicas: world.replicas.filter((r) => r.serverId === server.id).map((r) => ({ visibility: visible(r.refs) })) });
          expect(policy.ability.can('read', object)).toBe(expected.read.BackupServer.has(server.id));
        }
        expect(policy.ability.can('manage', 'Account')).toBe(expected.administer);
        for (const rule of policy.rules) if (rule.conditions) expect(Object.keys(rule.conditions)).not.toHaveLength(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('random hierarchies and scopes on PGlite: database filters, can and visibility rebuilds', () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedPGlite();
  }, 60_000);
  afterAll(() => db?.close());

  it('explain(failover) on every id the failover mutation takes agrees with the oracle, refusing what the account may not read as default.deny', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { world } = worldOf(s);
        await clearWorld(db);
        await writeWorld(db, world);
        await rebuildVisibility(db.prisma, 'all');
        for (const account of world.accounts) {
          // The account as the only one of its principal, as explain takes it.
          const principal = account.type === 'USER' ? { subject: account.name, groups: [] } : { subject: '', groups: [account.name] };
          const expected = oracle({ ...world, accounts: [account] }, principal);
          for (const replica of world.replicas) {
            const ids = [{ type: 'Replica' as const, id: replica.id }, ...(POINT_KINDS.has(replica.kind) ? [{ type: 'RestorePoint' as const, id: `point-${replica.id}` }] : [])];
            for (const object of ids) {
              const decision = (await explainFor(db.prisma, account, 'failover', object))!;
              const label = `${account.type} ${account.name} ${account.roles.join(',')} on ${object.type} ${replica.kind}`;
              expect(decision.allowed, label).toBe(expected.failover.has(replica.id));
              if (!expected.read.Replica.has(replica.id)) expect(decision.rule, label).toBe('default.deny');
            }
          }
        }
      }),
      { numRuns: 15 },
    );
  }, 180_000);

  it('agree with the oracle, before and after one account\'s scope changes', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { world, principal, refPool } = worldOf(s);
        await clearWorld(db);
        await writeWorld(db, world);
        await rebuildVisibility(db.prisma, 'all');
        const check = async () => {
          const policy = createPolicy({ principal, accounts: await loadAccountGrants(db.prisma, principal), servers: await loadGatedServers(db.prisma) });
          const expected = plain(oracle(world, principal));
          expect(plain(await answersFromDatabase(db, policy))).toEqual(expected);
          expect(plain(await answersFromCan(db, policy))).toEqual(expected);
        };
        await check();
        const changed = world.accounts[0];
        if (!changed) return;
        changed.scope = [...new Set(s.newScope.map((n) => refPool[n % refPool.length]!))];
        await db.prisma.scopeItem.deleteMany({ where: { accountId: changed.id } });
        await db.prisma.scopeItem.createMany({ data: changed.scope.map((ref) => ({ accountId: changed.id, ref, name: ref })) });
        await rebuildVisibility(db.prisma, { accountId: changed.id });
        await check();
        // A rebuild of an unchanged world writes nothing.
        expect(await rebuildVisibility(db.prisma, 'all')).toEqual({ added: 0, removed: 0 });
      }),
      { numRuns: 15 },
    );
  }, 180_000);
});
