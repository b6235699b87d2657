import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  allEvents,
  eventOf,
  isActive,
  operationEvents,
  type EventGate,
  type FailoverEvent,
  type VisibilityCache,
} from '../failover/index.js';
import { asFailoverOperation, type Policy } from '../policy/index.js';
import { builder } from './builder.js';
import type { GatewayContext } from './context.js';
import { ReplicaKindEnum } from './enums.js';
import { badUserInput, notFound } from './errors.js';
import { FailoverOperationRef, FailoverStateEnum, loadOperations } from './failover-operations.js';
import { databaseId } from './global-id.js';
import { isUuid } from '../uuid.js';
import { REPLICA_TYPENAMES } from './replicas.js';

const FailoverEventRef = builder.objectRef<FailoverEvent>('FailoverEvent').implement({
  description: "One change of a failover operation: the operation's state right after it. Sequences run 1, 2, 3, … per operation without gaps.",
  fields: (t) => ({
    operationId: t.id({ description: 'The FailoverOperation it belongs to.', resolve: (event) => encodeGlobalID('FailoverOperation', event.operationId) }),
    operation: t.field({
      type: FailoverOperationRef,
      nullable: true,
      description: 'The operation as it is now (a read per event: select it only when needed); null when you may no longer see it.',
      resolve: async (event, _args, ctx) => (await loadOperations([event.operationId], ctx))[0] ?? null,
    }),
    sequence: t.exposeInt('sequence', { description: "Position in the operation's events, from 1." }),
    at: t.expose('at', { type: 'DateTime', description: 'When the gateway stored the change.' }),
    kind: t.expose('kind', { type: ReplicaKindEnum }),
    state: t.expose('state', { type: FailoverStateEnum }),
    progress: t.exposeInt('progress', { description: "0–100, from EM's restore session." }),
    taskState: t.exposeString('taskState', { nullable: true, description: "EM's task: Running, OperationFinished, Finished." }),
    restoreSessionState: t.exposeString('sessionState', { nullable: true, description: "EM's restore session: Starting, Working, Stopping, Stopped." }),
    result: t.exposeString('result', { nullable: true, description: "EM's result (Success, Warning, Failed) once ended; for NOT_STARTED, the error code of why." }),
    message: t.exposeString('message', { nullable: true }),
    replicaState: t.exposeString('replicaState', { nullable: true, description: "The replica's state in EM once the failover ended (Failover, FailedFailover, Incomplete, …)." }),
    final: t.exposeBoolean('final', { description: 'The last event of the operation: it ended. failoverProgress completes after it.' }),
  }),
});

/**
 * Every event goes through the caller's ability, as the operation would: an
 * unconditional read (administrators, unscoped accounts) passes at once; a
 * scoped one needs the replica's visibility, read once per replica for all
 * watchers.
 */
function gateFor(policy: Policy, visibility: VisibilityCache): EventGate {
  const ability = policy.ability;
  const unconditional = ability.rulesFor('read', 'FailoverOperation').some((rule) => !rule.inverted && !rule.conditions);
  if (unconditional) return () => true;
  if (!ability.can('read', 'FailoverOperation')) return () => false;
  return async (event) => {
    const accounts = event.replicaId ? await visibility.accountsOf(event.replicaId) : null;
    return ability.can(
      'read',
      asFailoverOperation({
        kind: event.kind,
        initiatorSubject: event.initiatorSubject,
        replica: accounts ? { visibility: accounts.map((accountId) => ({ accountId })) } : null,
      }),
    );
  };
}

async function callerGate(ctx: GatewayContext): Promise<EventGate> {
  const { policy } = await ctx.caller();
  return gateFor(policy, ctx.services.events.visibility);
}

builder.subscriptionField('failoverProgress', (t) =>
  t.field({
    type: FailoverEventRef,
    description:
      "A failover operation's events: the stored ones after `afterSequence`, then live ones as they happen, completing after the final one. Reconnect with the last sequence you received to miss nothing and see nothing twice.",
    args: {
      operationId: t.arg.id({ required: true }),
      afterSequence: t.arg.int({ required: true, defaultValue: 0, description: 'Only events after this sequence. Default: 0 (all of them).' }),
    },
    subscribe: async (_root, args, ctx) => {
      if (args.afterSequence < 0) throw badUserInput('afterSequence must be 0 or more', { argumentName: 'afterSequence' });
      const id = databaseId(String(args.operationId), 'FailoverOperation');
      const { reads, hub } = ctx.services.events;
      // Judged in memory by the same ability as every event after it: one plain read, batched with the other streams
      // starting at the same moment, which matters when thousands of wall screens subscribe at once.
      const [operation, gate] = await Promise.all([isUuid(id) ? reads.operation(id) : undefined, callerGate(ctx)]);
      // The same answer for an operation out of scope as for one that does not exist.
      if (!operation || !(await gate(eventOf(operation)))) throw notFound(`No failover operation ${String(args.operationId)}`);
      return operationEvents(
        { prisma: ctx.services.db.prisma, hub, replay: reads.eventsAfter },
        { id: operation.id, endedAt: isActive(operation.state) ? null : operation.sequence },
        args.afterSequence,
        gate,
      );
    },
    resolve: (event) => event,
  }),
);

const FailoverEventFilter = builder.inputType('FailoverEventFilter', {
  fields: (t) => ({
    kinds: t.field({ type: [ReplicaKindEnum], required: false, description: 'Only operations of these kinds.' }),
    replicaId: t.id({ required: false, description: 'Only operations on this replica.' }),
    initiator: t.string({ required: false, description: 'Only operations this subject asked for.' }),
    operationIds: t.idList({ required: false, description: 'Only these operations.' }),
  }),
});

builder.subscriptionField('failoverEvents', (t) =>
  t.field({
    type: FailoverEventRef,
    description: 'Live events of every failover operation you may see (on replicas in your scope, and your own), in order per operation. Never completes.',
    args: { filter: t.arg({ type: FailoverEventFilter, required: false }) },
    subscribe: async (_root, args, ctx) => {
      const filter = args.filter ?? {};
      const kinds = filter.kinds ? new Set<string>(filter.kinds) : null;
      const replicaId = filter.replicaId == null ? null : databaseId(String(filter.replicaId), Object.values(REPLICA_TYPENAMES));
      const operationIds = filter.operationIds ? new Set(filter.operationIds.map((value) => databaseId(String(value), 'FailoverOperation'))) : null;
      const initiator = filter.initiator ?? null;
      const gate = await callerGate(ctx);
      return allEvents(
        { hub: ctx.services.events.hub },
        (event) =>
          (kinds === null || kinds.has(event.kind)) &&
          (replicaId === null || event.replicaId === replicaId) &&
          (initiator === null || event.initiatorSubject === initiator) &&
          (operationIds === null || operationIds.has(event.operationId)),
        gate,
      );
    },
    resolve: (event) => event,
  }),
);
