import { performance } from 'node:perf_hooks';
import { createPrismaAbility } from '@casl/prisma/runtime';
import { applyMigrations, openDatabase } from '../src/db/index.js';
import { asReplica, createPolicy, rebuildVisibility, type AccountGrant, type AppAbility, type PolicyInput } from '../src/policy/index.js';
import { median, type Benchmark, type Measurement } from './harness.js';

/**
 * Issue 4: the policy engine in memory (building a principal's ability, `can`
 * on a loaded replica) and the precomputed visibility on PGlite. Each figure is
 * the median of several rounds, next to a baseline measured in the same run:
 * a trivial CASL ability with one unconditional rule. The naive design (a
 * `hasSome` rule holding every scope ref) is measured too, for comparison.
 */

const SCOPE_ITEMS = 5_000;
const ANCESTORS = 10;
const ROUNDS = 7;

/** Mean time of one call, in ms, over `iterations` calls; median of ROUNDS rounds. */
function perCall(iterations: number, fn: (i: number) => unknown): number {
  let sink = 0;
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const started = performance.now();
    for (let i = 0; i < iterations; i += 1) if (fn(i)) sink += 1;
    rounds.push((performance.now() - started) / iterations);
  }
  if (sink < 0) console.log(sink);
  return median(rounds);
}

const scopeRefs = Array.from({ length: SCOPE_ITEMS }, (_, i) => `urn:VMware:Folder:vc1.group-v${i}`);
const ancestors = Array.from({ length: ANCESTORS - 1 }, (_, i) => `urn:VMware:Folder:vc1.group-v${4_000 + i}`);

/** A restore operator (5,000 scope items on its user account) in two groups, on 20 servers of which 3 are below Enterprise. */
function operatorInput(): PolicyInput {
  const account = (id: string, type: AccountGrant['type'], name: string, roles: AccountGrant['roles']): AccountGrant => ({
    id,
    type,
    name,
    roles,
    scopeAll: false,
    allowedKinds: ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'],
  });
  return {
    principal: { subject: 'operator', groups: ['dr-team', 'portal-users'] },
    accounts: [
      account('00000000-0000-4000-8000-000000000001', 'USER', 'operator', ['RESTORE_OPERATOR']),
      account('00000000-0000-4000-8000-000000000002', 'GROUP', 'dr-team', ['RESTORE_OPERATOR']),
      { ...account('00000000-0000-4000-8000-000000000003', 'GROUP', 'portal-users', ['PORTAL_USER']), allowedKinds: ['VM_REPLICA'] },
    ],
    servers: Array.from({ length: 20 }, (_, i) => ({ id: `srv-${i}`, edition: i < 2 ? 'STANDARD' : i < 3 ? 'UNKNOWN' : 'ENTERPRISE' })),
  };
}

const trivialAbility = () => createPrismaAbility<AppAbility>([{ action: 'read', subject: 'Replica' }]);
/** What the rule would be without precomputed visibility: every scope ref in the condition. */
const naiveAbility = () =>
  createPrismaAbility<AppAbility>([{ action: 'read', subject: 'Replica', conditions: { refs: { hasSome: scopeRefs } } }]);

const inMemory: Benchmark = {
  name: 'policy',
  description: 'issue 4: build a principal\'s ability (5,000-item scope) and ability.can on a replica with 10 ancestor refs',
  async run() {
    const input = operatorInput();
    const replica = asReplica({
      kind: 'VM_REPLICA' as const,
      backupServerId: 'srv-7',
      refs: [...ancestors, 'urn:VMware:Vm:vc1.vm-1'],
      visibility: [{ accountId: '00000000-0000-4000-8000-000000000002' }],
    });
    const trivialBuild = perCall(20_000, () => trivialAbility());
    const build = perCall(20_000, () => createPolicy(input));
    const naiveBuild = perCall(200, () => naiveAbility());
    // A fresh ability per request also pays the first `can` (CASL compiles a rule's condition on first use).
    const trivialFirst = perCall(20_000, () => trivialAbility().can('read', replica));
    const buildAndFirst = perCall(20_000, () => createPolicy(input).ability.can('failover', replica));
    const trivial = trivialAbility();
    const policy = createPolicy(input).ability;
    const naive = naiveAbility();
    const trivialCan = perCall(200_000, () => trivial.can('read', replica));
    const readCan = perCall(200_000, () => policy.can('read', replica));
    const failoverCan = perCall(200_000, () => policy.can('failover', replica));
    const naiveCan = perCall(2_000, () => naive.can('read', replica));
    if (!policy.can('read', replica) || !policy.can('failover', replica) || !naive.can('read', replica)) throw new Error('bench replica must be visible');

    const buildBase = { name: 'trivial CASL ability (1 rule)', value: trivialBuild };
    const canBase = { name: 'trivial ability, unconditional rule', value: trivialCan * 1000 };
    const ms = (metric: string, value: number, base: { name: string; value: number }, goal?: number): Measurement => ({
      metric,
      value,
      unit: 'ms',
      baseline: base,
      ratio: value / base.value,
      ...(goal === undefined ? {} : { goal: `≤ ${goal} ms`, pass: value <= goal }),
    });
    const us = (metric: string, valueMs: number, goal?: number): Measurement => ({
      metric,
      value: valueMs * 1000,
      unit: 'µs',
      baseline: canBase,
      ratio: (valueMs * 1000) / canBase.value,
      ...(goal === undefined ? {} : { goal: `≤ ${goal} µs`, pass: valueMs * 1000 <= goal }),
    });
    return [
      ms(`build rules + ability, 3 accounts, ${SCOPE_ITEMS.toLocaleString('en')}-item scope (precomputed)`, build, buildBase, 2),
      ms('build + first can (per-request cost)', buildAndFirst, { name: 'trivial ability + first can', value: trivialFirst }),
      ms(`naive: build a hasSome rule with ${SCOPE_ITEMS.toLocaleString('en')} refs`, naiveBuild, buildBase),
      us(`can read, replica with ${ANCESTORS} ancestor refs`, readCan, 5),
      us('can failover (scope, kinds, 2 edition denials)', failoverCan, 5),
      us(`naive: can read with the ${SCOPE_ITEMS.toLocaleString('en')}-ref hasSome rule`, naiveCan),
    ];
  },
};

const REPLICAS = 20_000;

const rebuild: Benchmark = {
  name: 'policy-visibility',
  description: `issue 4: rebuild replica_visibility on PGlite for a ${SCOPE_ITEMS.toLocaleString('en')}-item scope over ${REPLICAS.toLocaleString('en')} replicas (${ANCESTORS} refs each)`,
  async run() {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      await applyMigrations(db);
      const p = db.prisma;
      await p.$executeRawUnsafe(`INSERT INTO "BackupServer" (id, "emId", name, edition, "contentHash") VALUES ('srv', 'srv', 'srv', 'ENTERPRISE', 'h')`);
      // 20,000 VMs, four per folder chain of nine levels; ids are md5-derived uuids.
      await p.$executeRawUnsafe(`
        INSERT INTO "Replica" (id, "emKey", kind, name, platform, "backupServerId", "contentHash", "syncedAt")
        SELECT md5('r' || g)::uuid, 'k' || g, 'VM_REPLICA', 'vm-' || g, 'VMware', 'srv', 'h', now() FROM generate_series(1, ${REPLICAS}) g`);
      await p.$executeRawUnsafe(`
        INSERT INTO replica_ref ("replicaId", ref)
        SELECT md5('r' || g)::uuid, 'urn:VMware:Folder:vc1.group-v' || ((g / 4) * 10 + level) FROM generate_series(1, ${REPLICAS}) g, generate_series(0, ${ANCESTORS - 2}) level
        UNION ALL SELECT md5('r' || g)::uuid, 'urn:VMware:Vm:vc1.vm-' || g FROM generate_series(1, ${REPLICAS}) g`);
      const account = '00000000-0000-4000-8000-000000000001';
      await p.$executeRawUnsafe(`INSERT INTO "Account" (id, type, name, roles, "updatedAt") VALUES ('${account}', 'USER', 'operator', ARRAY['RESTORE_OPERATOR']::"PortalRole"[], now())`);
      // 5,000 folders, each the top ancestor of four VMs: the scope grants nearly the whole inventory.
      await p.$executeRawUnsafe(`INSERT INTO scope_item ("accountId", ref, name) SELECT '${account}', 'urn:VMware:Folder:vc1.group-v' || (g * 10), 'f' FROM generate_series(0, ${SCOPE_ITEMS - 1}) g`);
      const time = async (fn: () => Promise<unknown>) => {
        const started = performance.now();
        await fn();
        return performance.now() - started;
      };
      const scan = median(await Promise.all([0, 1, 2].map(() => time(() => p.$queryRawUnsafe(`SELECT count(*)::int AS n FROM replica_ref`)))));
      const first = await time(() => rebuildVisibility(p, { accountId: account }));
      const rows = await p.replicaVisibility.count();
      const unchanged: number[] = [];
      for (let i = 0; i < 3; i += 1) unchanged.push(await time(() => rebuildVisibility(p, { accountId: account })));
      const base = { name: 'count(*) over replica_ref', value: scan };
      return [
        { metric: `first rebuild, one account (${rows.toLocaleString('en')} rows written)`, value: first, unit: 'ms', baseline: base, ratio: first / scan },
        { metric: 'rebuild, nothing changed (median of 3)', value: median(unchanged), unit: 'ms', baseline: base, ratio: median(unchanged) / scan },
      ];
    } finally {
      await db.close();
    }
  },
};

export const benchmarks: Benchmark[] = [inMemory, rebuild];
