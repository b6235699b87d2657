import { accessibleBy } from '@casl/prisma/runtime';
import type { CdpLongTermPoint, CdpRange, Replica, RestorePoint } from '../generated/prisma/client.js';
import type { ReplicaKind } from '../generated/prisma/enums.js';
import { BackupServerRef } from './backup-servers.js';
import { databaseId } from './global-id.js';
import { builder } from './builder.js';
import type { GatewayContext } from './context.js';
import { allowedActions } from '../policy/index.js';
import { LicenseEditionEnum, ReplicaActionEnum, ReplicaKindEnum } from './enums.js';
import type DataLoader from 'dataloader';
import { inOrder, loaders, type Loaders } from './loaders.js';
import { replicaSelect } from './replica-columns.js';
import { isUuid } from '../uuid.js';
import { KINDS, REPLICA_KINDS } from '../operations/kinds.js';
import { keysetSlice, pageWindow, toPage, type ConnectionArgs, type SortKey } from './pagination.js';
import { replicaAccess, replicaCount, replicaPage, type ReplicaRow } from './replica-page.js';
import { replicaFilter } from './replica-filter.js';

/** GraphQL type of each kind: one object type per kind, all implementing `Replica`. */
export const REPLICA_TYPENAMES = Object.fromEntries(REPLICA_KINDS.map((kind) => [kind, KINDS[kind].graphqlType])) as Record<ReplicaKind, string>;

export const ReplicaRef = builder.interfaceRef<ReplicaRow>('Replica');
const RestorePointRef = builder.objectRef<RestorePoint>('RestorePoint');
const CdpRangeRef = builder.objectRef<CdpRange>('CdpShortTermRange');
const CdpLongTermPointRef = builder.objectRef<CdpLongTermPoint>('CdpLongTermPoint');

const RestorePointConnection = builder.connectionObject({ type: RestorePointRef, name: 'RestorePointConnection' }, { name: 'RestorePointEdge' });
const CdpRangeConnection = builder.connectionObject({ type: CdpRangeRef, name: 'CdpShortTermRangeConnection' }, { name: 'CdpShortTermRangeEdge' });
const CdpLongTermPointConnection = builder.connectionObject(
  { type: CdpLongTermPointRef, name: 'CdpLongTermPointConnection' },
  { name: 'CdpLongTermPointEdge' },
);

/** Replicas of the given ids the caller may read (any kind, or one), in the order asked; null where missing or out of scope. */
async function loadReplicas(ids: readonly string[], ctx: GatewayContext, kind?: ReplicaKind): Promise<Array<Replica | null>> {
  const { policy } = await ctx.caller();
  const rows = await ctx.services.prisma.replica.findMany({
    where: { AND: [accessibleBy(policy.ability, 'read').ofType('Replica'), { id: { in: ids.filter(isUuid) } }, kind ? { kind } : {}] },
  });
  return inOrder(ids, rows);
}

async function loadBackupServer(replica: Replica, ctx: GatewayContext) {
  const server = await (await loaders(ctx)).backupServer.load(replica.backupServerId);
  // A visible replica's server is visible by rule; missing means a sync removed it meanwhile.
  if (!server) throw new Error(`backup server ${replica.backupServerId} of replica ${replica.id} is gone`);
  return server;
}

builder.interfaceType(ReplicaRef, {
  description: 'A failover-able unit: a VM or vApp with a replica, of one of four kinds.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (replica) => REPLICA_TYPENAMES[replica.kind],
  fields: (t) => ({
    id: t.globalID({ resolve: (replica) => ({ type: REPLICA_TYPENAMES[replica.kind], id: replica.id }) }),
    kind: t.expose('kind', { type: ReplicaKindEnum }),
    name: t.exposeString('name'),
    platform: t.exposeString('platform', { description: 'VMware or CloudDirector.' }),
    state: t.exposeString('state', { nullable: true, description: "EM's replica state: Ready, Processing, Failover, FailedFailover, Incomplete." }),
    emKey: t.exposeString('emKey', { description: "EM's identity of the unit." }),
    objectRef: t.exposeString('objectRef', { nullable: true, description: "The VM's or vApp's own hierarchy reference." }),
    hierarchyRefs: t.exposeStringList('refs', { description: 'Hierarchy references of every ancestor and the object itself, as EM spells them.' }),
    syncedAt: t.expose('syncedAt', { type: 'DateTime', description: 'When the inventory sync last changed this replica.' }),
    backupServer: t.field({
      type: BackupServerRef,
      // A page read its replicas' servers with them (no promise per row); a replica from anywhere else has its server loaded in one batch.
      resolve: (replica, _args, ctx) => replica.backupServer ?? loadBackupServer(replica, ctx),
    }),
    allowedActions: t.field({
      type: [ReplicaActionEnum],
      description:
        "What you may do to this replica now: the actions the policy grants you on it, that its state allows (as the inventory last saw it) and that an API offers for its kind (EM's failover for every kind; the others through the backup server's REST API, for VMware vSphere VM replicas only). Show only these buttons. Each action's mutation checks again against the source before it dispatches.",
      resolve: async (replica, _args, ctx) => {
        const [{ policy }, visibility] = await Promise.all([ctx.caller(), loaders(ctx).then((l) => l.replicaVisibility.load(replica.id))]);
        return allowedActions(policy.ability, { kind: replica.kind, platform: replica.platform, state: replica.state, backupServerId: replica.backupServerId, visibility });
      },
    }),
  }),
});

const desc = ['desc', 'desc'] as const;

/**
 * A nested connection over one replica's children, newest first: the children
 * of every replica on the page come from one batched query (see loaders.ts),
 * then each parent's list is paged in memory by the same keyset rules.
 */
function childPage<T>(load: (loaders: Loaders) => DataLoader<string, T[]>, keyOf: (row: T) => SortKey) {
  return async (replica: Replica, args: ConnectionArgs, ctx: GatewayContext) => {
    const all = await load(await loaders(ctx)).load(replica.id);
    const window = pageWindow(args, 2);
    return { ...toPage(keysetSlice(all, window, keyOf, desc), window, keyOf), totalCount: async () => all.length };
  };
}

function restorePointsField(t: PothosFieldBuilder) {
  return t.connection({
    type: RestorePointRef,
    description: 'Restore points, newest first.',
    resolve: childPage((l) => l.restorePoints, (point: RestorePoint) => [point.creationTime.getTime(), point.id]),
  }, RestorePointConnection);
}

function cdpFields(t: PothosFieldBuilder) {
  return {
    policyName: t.exposeString('policyName', { nullable: true }),
    hasApplicationConsistentState: t.exposeBoolean('hasApplicationConsistentState', { nullable: true }),
    shortTermRanges: t.connection({
      type: CdpRangeRef,
      description: 'Short-term CDP ranges (any moment inside one can be restored), newest first.',
      resolve: childPage((l) => l.cdpRanges, (range: CdpRange) => [range.start.getTime(), range.id.toString()]),
    }, CdpRangeConnection),
    longTermPoints: t.connection({
      type: CdpLongTermPointRef,
      description: 'Long-term CDP restore points, newest first.',
      resolve: childPage((l) => l.cdpLongTermPoints, (point: CdpLongTermPoint) => [point.date.getTime(), point.id.toString()]),
    }, CdpLongTermPointConnection),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the field builder's generic type is Pothos-internal
type PothosFieldBuilder = any;

function replicaType(kind: ReplicaKind, description: string, fields: (t: PothosFieldBuilder) => Record<string, unknown>) {
  const ref = builder.objectRef<Replica>(REPLICA_TYPENAMES[kind]);
  builder.node(ref, {
    description,
    interfaces: [ReplicaRef],
    id: { resolve: (replica) => replica.id },
    isTypeOf: (value) => typeof value === 'object' && value !== null && (value as Replica).kind === kind,
    loadMany: (ids, ctx) => loadReplicas(ids, ctx, kind),
    fields: (t) => fields(t) as never,
  });
  return ref;
}

replicaType('VM_REPLICA', 'A VM in a replication job; fails over to one of its restore points.', (t) => ({
  jobName: t.exposeString('jobName', { nullable: true }),
  restorePoints: restorePointsField(t),
}));
replicaType('CDP_VM', 'A VM protected by a CDP policy; fails over to a moment of its CDP intervals.', (t) => cdpFields(t));
replicaType('VCD_VAPP_REPLICA', 'A vApp in a Cloud Director replication job; fails over to one of its restore points.', (t) => ({
  jobName: t.exposeString('jobName', { nullable: true }),
  memberVmRefs: t.exposeStringList('memberVmRefs'),
  restorePoints: restorePointsField(t),
}));
replicaType('VCD_CDP_VAPP', 'A vApp protected by a Cloud Director CDP policy; fails over to a moment of its CDP intervals.', (t) => ({
  ...cdpFields(t),
  memberVmRefs: t.exposeStringList('memberVmRefs'),
}));

builder.node(RestorePointRef, {
  description: 'A restore point of a VM or vApp replica.',
  id: { resolve: (point) => point.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'creationTime' in value,
  loadMany: async (ids, ctx) => {
    const { policy } = await ctx.caller();
    const rows = await ctx.services.prisma.restorePoint.findMany({
      where: { AND: [accessibleBy(policy.ability, 'read').ofType('RestorePoint'), { id: { in: [...ids] } }] },
    });
    return inOrder(ids, rows);
  },
  fields: (t) => ({
    emId: t.exposeString('id', { description: "EM's point id." }),
    name: t.exposeString('name'),
    creationTime: t.expose('creationTime', { type: 'DateTime' }),
    pointType: t.exposeString('pointType', { nullable: true }),
    algorithm: t.exposeString('algorithm', { nullable: true }),
  }),
});

CdpRangeRef.implement({
  description: 'A short-term CDP range: any moment in [start, end] can be restored.',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime' }),
    rpoSeconds: t.exposeInt('rpo', { nullable: true }),
  }),
});

CdpLongTermPointRef.implement({
  description: 'A long-term CDP restore point.',
  fields: (t) => ({
    emId: t.exposeString('emId'),
    date: t.expose('date', { type: 'DateTime' }),
    applicationConsistent: t.exposeBoolean('applicationConsistent'),
  }),
});

const ReplicaFilter = builder.inputType('ReplicaFilter', {
  fields: (t) => ({
    kinds: t.field({ type: [ReplicaKindEnum], required: false }),
    backupServerId: t.id({ required: false, description: 'Only replicas of this backup server.' }),
    editions: t.field({ type: [LicenseEditionEnum], required: false, description: 'Only replicas of backup servers of these editions.' }),
    states: t.stringList({ required: false, description: 'EM states, e.g. ["Ready"].' }),
    search: t.string({ required: false, description: 'Case-insensitive part of the name.' }),
  }),
});

builder.queryField('replicas', (t) =>
  t.connection({
    type: ReplicaRef,
    description: 'Replicas you may see, by name (then id: the order is stable).',
    args: { filter: t.arg({ type: ReplicaFilter, required: false }) },
    resolve: async (_root, args, ctx, info) => {
      const { policy } = await ctx.caller();
      const window = pageWindow(args, 2);
      const given = args.filter ?? {};
      const filter = replicaFilter({
        ...given,
        backupServerId: given.backupServerId ? databaseId(String(given.backupServerId), 'BackupServer') : undefined,
        search: given.search || undefined,
      });
      const access = replicaAccess(policy.ability);
      // Only the columns the query reads (the resolvers of the fields it does not ask for never run).
      const rows = await replicaPage(ctx.services.prisma, { access, filter, window, select: replicaSelect(info) });
      return {
        ...toPage(rows, window, (row) => [row.name, row.id]),
        totalCount: () => replicaCount(ctx.services.prisma, access, filter),
      };
    },
  }, { name: 'ReplicaConnection' }, { name: 'ReplicaEdge' }),
);
