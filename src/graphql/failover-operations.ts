import { accessibleBy } from '@casl/prisma/runtime';
import { ACTIVE_STATES, isActive } from '../failover/index.js';
import type { FailoverOperation, Prisma } from '../generated/prisma/client.js';
import { FailoverState } from '../generated/prisma/enums.js';
import { databaseId } from './global-id.js';
import { builder } from './builder.js';
import type { GatewayContext } from './context.js';
import { ReplicaActionEnum, ReplicaKindEnum } from './enums.js';
import { inOrder } from './loaders.js';
import { isUuid } from '../uuid.js';
import { keysetQuery, pageWindow, toPage } from './pagination.js';
import { REPLICA_TYPENAMES, ReplicaRef } from './replicas.js';

export const FailoverStateEnum = builder.enumType('FailoverState', {
  description: 'Where a failover operation stands. DISPATCHING, OUTCOME_UNKNOWN and RUNNING are active: one at most per replica.',
  values: {
    DISPATCHING: { value: FailoverState.DISPATCHING, description: 'Accepted by the gateway; the request to EM is being sent.' },
    OUTCOME_UNKNOWN: {
      value: FailoverState.OUTCOME_UNKNOWN,
      description: "EM's answer was lost: the gateway is finding out from EM whether it started. It is never sent twice.",
    },
    RUNNING: { value: FailoverState.RUNNING, description: 'EM started it; progress comes from its restore session.' },
    SUCCEEDED: { value: FailoverState.SUCCEEDED, description: 'The replica failed over.' },
    WARNING: { value: FailoverState.WARNING, description: 'The replica failed over, with warnings.' },
    FAILED: { value: FailoverState.FAILED, description: 'EM ran the failover and it failed.' },
    NOT_STARTED: { value: FailoverState.NOT_STARTED, description: 'EM refused it or could not be reached: nothing started. `result` holds the error code.' },
  } as const,
});

export const CdpTargetKindEnum = builder.enumType('CdpTargetKind', {
  description: 'What a CDP failover restores to.',
  values: {
    LATEST_CRASH_CONSISTENT: { value: 'latestCrashConsistent', description: 'The latest crash-consistent state.' },
    LATEST_APPLICATION_CONSISTENT: { value: 'latestApplicationConsistent', description: 'The latest application-consistent long-term point.' },
    POINT_IN_TIME: { value: 'pointInTime', description: 'The newest state replicated at or before a moment.' },
  } as const,
});

export const FailoverOperationRef = builder.objectRef<FailoverOperation>('FailoverOperation');

/** Operations of these ids the caller may read, in the order asked; null where missing or out of scope. */
export async function loadOperations(ids: readonly string[], ctx: GatewayContext): Promise<Array<FailoverOperation | null>> {
  const { policy } = await ctx.caller();
  const rows = await ctx.services.prisma.failoverOperation.findMany({
    where: { AND: [accessibleBy(policy.ability, 'read').ofType('FailoverOperation'), { id: { in: ids.filter(isUuid) } }] },
  });
  return inOrder(ids, rows);
}

builder.node(FailoverOperationRef, {
  description: 'One failover, from the moment the gateway accepted it to its end.',
  id: { resolve: (operation) => operation.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'requestHash' in value,
  loadMany: (ids, ctx) => loadOperations(ids, ctx),
  fields: (t) => ({
    kind: t.expose('kind', { type: ReplicaKindEnum }),
    action: t.expose('action', { type: ReplicaActionEnum, description: 'What it does: FAILOVER through Enterprise Manager, the lifecycle actions through the backup server.' }),
    state: t.expose('state', { type: FailoverStateEnum }),
    active: t.boolean({ description: 'Whether it still holds its replica (DISPATCHING, OUTCOME_UNKNOWN or RUNNING).', resolve: (o) => isActive(o.state) }),
    progress: t.exposeInt('progress', { description: "0–100, from EM's restore session." }),
    replica: t.field({
      type: ReplicaRef,
      nullable: true,
      description: 'The replica, while the inventory has it and you may see it.',
      resolve: async (operation, _args, ctx) => {
        if (!operation.replicaId) return null;
        const { policy } = await ctx.caller();
        return ctx.services.prisma.replica.findFirst({ where: { AND: [accessibleBy(policy.ability, 'read').ofType('Replica'), { id: operation.replicaId }] } });
      },
    }),
    replicaName: t.exposeString('replicaName', { description: 'The replica\'s name when the failover was asked for.' }),
    restorePointEmId: t.exposeString('restorePointId', { nullable: true, description: "VM and vApp replicas: EM's id of the restore point." }),
    restorePointTime: t.expose('restorePointTime', { type: 'DateTime', nullable: true, description: 'VM and vApp replicas: when the restore point was made.' }),
    cdpTarget: t.field({ type: CdpTargetKindEnum, nullable: true, description: 'CDP kinds: what it restores to.', resolve: (o) => o.cdpTarget as 'latestCrashConsistent' | null }),
    cdpPointInTime: t.expose('cdpTargetAt', { type: 'DateTime', nullable: true, description: 'CDP point-in-time target: the moment asked for.' }),
    initiator: t.exposeString('initiatorSubject', { description: 'The subject of the token that asked for it.' }),
    reason: t.exposeString('callerReason', { nullable: true, description: 'The reason the initiator gave.' }),
    emTaskId: t.exposeString('emTaskId', { nullable: true }),
    restoreSessionId: t.exposeString('restoreSessionId', { nullable: true, description: "EM's restore session, where progress lives." }),
    result: t.exposeString('result', {
      nullable: true,
      description: "EM's result (Success, Warning, Failed) once ended; for NOT_STARTED, the error code of why.",
    }),
    message: t.exposeString('message', { nullable: true }),
    taskState: t.exposeString('taskState', { nullable: true, description: "EM's task as last seen: Running, OperationFinished, Finished." }),
    restoreSessionState: t.exposeString('sessionState', { nullable: true, description: "EM's restore session as last seen: Starting, Working, Stopping, Stopped." }),
    replicaState: t.exposeString('replicaState', { nullable: true, description: "The replica's state in EM when the failover ended (Failover, FailedFailover, Incomplete, …), when EM said." }),
    lastSequence: t.exposeInt('sequence', {
      description: 'Sequence of its newest event. failoverProgress with afterSequence set to it streams only what comes next.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    dispatchedAt: t.expose('dispatchedAt', { type: 'DateTime', nullable: true, description: 'When the request to EM was sent and answered (or lost).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('failoverOperation', (t) =>
  t.field({
    type: FailoverOperationRef,
    nullable: true,
    description: 'A failover operation by id; null when it does not exist or you may not see it.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => (await loadOperations([databaseId(String(args.id), 'FailoverOperation')], ctx))[0] ?? null,
  }),
);

const FailoverOperationFilter = builder.inputType('FailoverOperationFilter', {
  fields: (t) => ({
    states: t.field({ type: [FailoverStateEnum], required: false }),
    kinds: t.field({ type: [ReplicaKindEnum], required: false }),
    active: t.boolean({ required: false, description: 'Only active (true) or only ended (false) operations.' }),
    replicaId: t.id({ required: false, description: 'Only operations on this replica.' }),
    initiator: t.string({ required: false, description: 'Only operations this subject asked for.' }),
  }),
});

builder.queryField('failoverOperations', (t) =>
  t.connection(
    {
      type: FailoverOperationRef,
      description: 'Failover operations you may see (on replicas in your scope, and your own), newest first.',
      args: { filter: t.arg({ type: FailoverOperationFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const { policy } = await ctx.caller();
        const window = pageWindow(args, 2);
        const filter = args.filter ?? {};
        const active: Prisma.FailoverOperationWhereInput = filter.active == null ? {} : { state: filter.active ? { in: [...ACTIVE_STATES] } : { notIn: [...ACTIVE_STATES] } };
        const where: Prisma.FailoverOperationWhereInput = {
          AND: [
            accessibleBy(policy.ability, 'read').ofType('FailoverOperation'),
            filter.states ? { state: { in: filter.states } } : {},
            filter.kinds ? { kind: { in: filter.kinds } } : {},
            active,
            filter.replicaId ? { replicaId: { in: [databaseId(String(filter.replicaId), Object.values(REPLICA_TYPENAMES))].filter(isUuid) } } : {},
            filter.initiator ? { initiatorSubject: filter.initiator } : {},
          ],
        };
        const keyset = keysetQuery(['createdAt', 'id'], ['desc', 'desc'], window);
        const rows = await ctx.services.prisma.failoverOperation.findMany({ where: { AND: [where, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take });
        return {
          ...toPage(rows, window, (row) => [row.createdAt.toISOString(), row.id]),
          totalCount: () => ctx.services.prisma.failoverOperation.count({ where }),
        };
      },
    },
    { name: 'FailoverOperationConnection' },
    { name: 'FailoverOperationEdge' },
  ),
);
