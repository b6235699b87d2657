import { accessibleBy } from '@casl/prisma/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import {
  allowedActions,
  asReplica,
  createPolicy,
  decideAction,
  explainFor,
  loadAccountGrants,
  loadGatedServers,
  policyActionOf,
  rebuildVisibility,
  REPLICA_ACTIONS,
  visibilityInclude,
  withPolicyExtension,
  type AccountGrant,
  type Policy,
  type PolicyPrincipal,
  type ReplicaAction,
} from '../../../src/policy/index.js';
import { migratedPGlite } from '../inventory/support.js';
import { ACTION_NAMES, actionOracle, CASL_ACTION } from './actions-oracle.js';
import { actionScenarios, actionsWorld, STATES } from './actions-world.js';
import { POINT_KINDS, writeWorld, type WorldReplica } from './world.js';

const world = actionsWorld();
let db: Database;

beforeAll(async () => {
  db = await migratedPGlite();
  await writeWorld(db, world);
  await rebuildVisibility(db.prisma, 'all');
}, 60_000);
afterAll(() => db?.close());

async function policyOf(principal: PolicyPrincipal): Promise<Policy> {
  return createPolicy({ principal, accounts: await loadAccountGrants(db.prisma, principal), servers: await loadGatedServers(db.prisma) });
}

/** Every replica as `allowedActions` reads it: its facts and the visibility rows of the principal's scoped accounts. */
async function loadedReplicas(policy: Policy) {
  return db.prisma.replica.findMany({
    select: { id: true, kind: true, platform: true, state: true, backupServerId: true, visibility: visibilityInclude(policy.rights.scopedAccountIds) },
    orderBy: { id: 'asc' },
  });
}

const byId = new Map(world.replicas.map((r) => [r.id, r]));
const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('the actions table as the policy names it', () => {
  it('has the eight actions of the contract, with the CASL actions audit entries name', () => {
    expect([...REPLICA_ACTIONS]).toEqual(ACTION_NAMES);
    for (const action of REPLICA_ACTIONS) expect(policyActionOf(action)).toBe(CASL_ACTION[action]);
  });
});

describe('allowed-actions matrix (state × action × role × kind × granted actions): engine against the oracle', () => {
  it('covers every state, kind, platform, edition and every action granted alone', () => {
    expect(new Set(world.replicas.map((r) => r.state ?? null))).toEqual(new Set(STATES));
    expect(new Set(world.replicas.map((r) => `${r.kind}/${r.platform}`)).size).toBe(5);
    expect(new Set(world.servers.map((s) => s.edition)).size).toBe(5);
    const granted = new Set(world.accounts.flatMap((a) => a.grantedActions ?? []));
    expect(granted.size).toBe(5);
  });

  it.each(actionScenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const oracle = actionOracle(world, scenario.principal);
    const policy = await policyOf(scenario.principal);
    const { ability } = policy;

    // The policy part as a database filter: what a list of "replicas I may undo" would return.
    const p = withPolicyExtension(db.prisma);
    for (const action of ACTION_NAMES) {
      const rows = await p.replica.findMany({
        where: { AND: [accessibleBy(ability, 'read').ofType('Replica'), accessibleBy(ability, policyActionOf(action)).ofType('Replica')] },
        select: { id: true },
      });
      const expected = world.replicas.filter((r) => oracle.policyAllows(r, action)).map((r) => r.id);
      expect(sorted(rows.map((r) => r.id)), `${action} as a filter`).toEqual(sorted(expected));
    }

    // On loaded objects: each decision and its rule, then the intersection with state and kind.
    for (const replica of await loadedReplicas(policy)) {
      const described: WorldReplica = byId.get(replica.id)!;
      const label = `${replica.kind} ${replica.platform} ${replica.state} on ${replica.backupServerId}`;
      for (const action of ACTION_NAMES) {
        const decision = decideAction(ability, action, asReplica(replica));
        expect({ allowed: decision.allowed, rule: decision.rule }, `${action} on ${label}`).toEqual({ allowed: oracle.policyAllows(described, action), rule: oracle.rule(described, action) });
        expect(decision.readable, label).toBe(oracle.readable(described));
      }
      expect(allowedActions(ability, replica), label).toEqual(oracle.allowed(described));
    }
  });

  it('is not trivially all or nothing', () => {
    const operator = actionOracle(world, { subject: 'op', groups: [] });
    const admin = actionOracle(world, { subject: 'admin', groups: [] });
    const lists = (o: ReturnType<typeof actionOracle>) => world.replicas.map((r) => o.allowed(r));
    // The administrator reaches every action somewhere; the operator only its three defaults, on fewer replicas.
    expect(new Set(lists(admin).flat())).toEqual(new Set(ACTION_NAMES));
    expect(new Set(lists(operator).flat())).toEqual(new Set(['FAILOVER', 'PLANNED_FAILOVER', 'UNDO_FAILOVER']));
    expect(lists(operator).filter((l) => l.length > 0).length).toBeLessThan(lists(admin).filter((l) => l.length > 0).length);
    // CDP, Cloud Director and Hyper-V replicas never list a lifecycle action, whoever asks.
    for (const scenario of actionScenarios) {
      const o = actionOracle(world, scenario.principal);
      for (const r of world.replicas.filter((r) => r.kind !== 'VM_REPLICA' || r.platform !== 'VMware')) expect(o.allowed(r).filter((a) => a !== 'FAILOVER')).toEqual([]);
    }
  });
});

describe('explain answers for every action', () => {
  /** Scenarios of one account: explain judges one account as a principal of its own. */
  const single = actionScenarios.filter((s) => s.accounts.length === 1);

  it.each(single.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const account = world.accounts.find((a) => a.name === scenario.accounts[0]!.name && a.type === scenario.accounts[0]!.type)!;
    const grant: AccountGrant = (await loadAccountGrants(db.prisma, { subject: account.name, groups: [] }))[0]!;
    const oracle = actionOracle(world, { subject: account.name, groups: [] });
    // One replica of each kind, platform and state on two editions keeps the run short and still meets every rule.
    const sample = world.replicas.filter((r) => r.serverId === 'srv-enterprise' || r.serverId === 'srv-community');
    for (const action of ACTION_NAMES) {
      for (const replica of sample) {
        const expected = { allowed: oracle.policyAllows(replica, action), rule: oracle.rule(replica, action) };
        const explained = await explainFor(db.prisma, grant, policyActionOf(action), { type: 'Replica', id: replica.id });
        expect({ allowed: explained?.allowed, rule: explained?.rule }, `${action} on ${replica.kind} ${replica.state}`).toEqual(expected);
        if (POINT_KINDS.has(replica.kind)) {
          // A restore point's id is decided on its replica, as the mutation decides it.
          const viaPoint = await explainFor(db.prisma, grant, policyActionOf(action), { type: 'RestorePoint', id: `point-${replica.id}` });
          expect({ allowed: viaPoint?.allowed, rule: viaPoint?.rule }).toEqual(expected);
        }
      }
    }
  });

  it('names granted actions in the reason', async () => {
    const [grant] = await loadAccountGrants(db.prisma, { subject: 'pu-fb', groups: [] });
    const inCluster2 = world.replicas.find((r) => r.refs.includes('urn:VMware:Cluster:vc1.c2') && r.kind === 'VM_REPLICA' && r.serverId === 'srv-enterprise')!;
    const decision = await explainFor(db.prisma, grant!, 'permanentFailover', { type: 'Replica', id: inCluster2.id });
    expect(decision).toMatchObject({ allowed: true, rule: 'scope.permanentFailover', accountIds: [grant!.id] });
    expect(decision!.reason).toBe('In the restore scope, the replica kind is allowed and the account is granted permanent failover');
    const standard = world.replicas.find((r) => r.refs.includes('urn:VMware:Cluster:vc1.c2') && r.serverId === 'srv-community')!;
    expect(await explainFor(db.prisma, grant!, 'failback', { type: 'Replica', id: standard.id })).toMatchObject({
      allowed: false,
      rule: 'edition.below-standard',
      reason: 'Failback needs Veeam Backup & Replication Standard, Enterprise or Enterprise Plus; this backup server runs Community edition',
    });
  });

  it('answers null for an object that does not exist, for every action', async () => {
    const [grant] = await loadAccountGrants(db.prisma, { subject: 'admin', groups: [] });
    for (const action of REPLICA_ACTIONS as readonly ReplicaAction[]) {
      expect(await explainFor(db.prisma, grant!, policyActionOf(action), { type: 'Replica', id: '00000000-0000-4000-8000-ffffffffffff' })).toBeNull();
    }
  });
});
