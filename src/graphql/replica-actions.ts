import type { Replica } from '../generated/prisma/client.js';
import { FailoverInputError, type ActionPlan, type ActionRequest, type FailbackRequest, type FailoverOutcome, type LifecycleAction } from '../failover/index.js';
import { ACTIONS, REPLICA_ACTIONS } from '../operations/actions.js';
import type { VbrInventoryObjectRef } from '../vbr/index.js';
import { builder } from './builder.js';
import { ReplicaActionEnum } from './enums.js';
import { decodeId } from './failover.js';
import { FailoverOperationRef } from './failover-operations.js';
import { REFUSAL_TYPES, refusalPayload } from './refusal-types.js';
import { REPLICA_TYPENAMES, ReplicaRef } from './replicas.js';

// ---- Inputs -------------------------------------------------------------------------------

const actionFields = (t: any) => ({
  replicaId: t.id({ required: true, description: 'The replica (a VmReplica: only VMware vSphere snapshot replicas have these actions in any API).' }),
  reason: t.string({ description: 'Why (sent to the backup server where it takes one, and recorded in the audit log and on the operation). Printable text; the gateway may require it.' }),
  dryRun: t.boolean({ defaultValue: false, description: 'Validate, decide and check the replica state, audit, dispatch nothing. Default: false.' }),
});

const ReplicaActionInput = builder.inputType('ReplicaActionInput', {
  description: 'One action on a replica after its failover.',
  fields: (t) => actionFields(t),
});

const InventoryObjectInput = builder.inputType('InventoryObjectInput', {
  description: "A vSphere object as the backup server's inventory names it (VBR's InventoryObjectModel).",
  fields: (t) => ({
    hostName: t.string({ required: true, description: 'The vCenter Server (or standalone host) it belongs to.' }),
    name: t.string({ required: true }),
    type: t.string({ required: true, description: 'VirtualMachine, Host, Cluster, ResourcePool, Datastore, Folder, Network, …' }),
    objectId: t.string({ description: 'The managed object reference, e.g. `vm-2042` (required except for a vCenter Server or a host).' }),
  }),
});

const NetworkMappingInput = builder.inputType('FailbackNetworkMappingInput', {
  description: 'A DR-site network and the network the failed-back VM joins instead.',
  fields: (t) => ({ source: t.field({ type: InventoryObjectInput, required: true }), target: t.field({ type: InventoryObjectInput, required: true }) }),
});

const FailbackDestinationInput = builder.inputType('FailbackDestinationInput', {
  description: 'Where the VM fails back to: exactly one member.',
  isOneOf: true,
  fields: (t) => ({
    originalLocation: t.field({
      type: builder.inputType('FailbackOriginalLocationInput', {
        description: 'The original VM in its original location.',
        fields: (u) => ({ quickRollback: u.boolean({ defaultValue: false, description: 'Sync only changed blocks (helps on vSphere before 7.0 only).' }) }),
      }),
    }),
    originalVm: t.field({
      type: builder.inputType('FailbackOriginalVmInput', {
        description: 'The original VM, already restored to another place.',
        fields: (u) => ({ vm: u.field({ type: InventoryObjectInput, required: true }) }),
      }),
    }),
    customized: t.field({
      type: builder.inputType('FailbackCustomizedLocationInput', {
        description: 'A new VM in a location of your choice; disks go where the backup server places them by default.',
        fields: (u) => ({
          host: u.field({ type: InventoryObjectInput, required: true, description: 'Host or cluster the VM is registered on.' }),
          resourcePool: u.field({ type: InventoryObjectInput }),
          folder: u.field({ type: InventoryObjectInput }),
          restoreVmTags: u.boolean({ description: "Give the VM the source VM's tags." }),
          networks: u.field({ type: [NetworkMappingInput] }),
        }),
      }),
    }),
  }),
});

const SwitchoverInput = builder.inputType('FailbackSwitchoverInput', {
  description: 'When the failback switches to production: exactly one member.',
  isOneOf: true,
  fields: (t) => ({
    automatic: t.boolean({ description: 'Must be true: as soon as the data is synced.' }),
    at: t.field({ type: 'DateTime', description: 'At this moment (in the future).' }),
    manual: t.boolean({ description: 'Must be true: the operation ends at ReadyToSwitch; `switchToProduction` goes on.' }),
  }),
});

const FailbackInput = builder.inputType('FailbackInput', {
  description: 'A failback of a failed-over VM replica to production.',
  fields: (t) => ({
    ...actionFields(t),
    destination: t.field({ type: FailbackDestinationInput, required: true }),
    switchover: t.field({ type: SwitchoverInput, required: true }),
    powerOnTargetVm: t.boolean({ defaultValue: false, description: 'Power the VM on after the switch. Default: false.' }),
  }),
});

// ---- Payload ------------------------------------------------------------------------------

type Started = Extract<FailoverOutcome, { type: 'started' }> & { __typename: 'ReplicaActionStarted' };
type DryRun = ActionPlan & { __typename: 'ReplicaActionDryRun' };

const ReplicaActionStarted = builder.objectRef<Started>('ReplicaActionStarted').implement({
  description: 'The gateway took the action on: follow `operation` (its state may be OUTCOME_UNKNOWN when the answer was lost).',
  fields: (t) => ({
    operation: t.field({ type: FailoverOperationRef, resolve: (started) => started.operation }),
    replayed: t.exposeBoolean('replayed', { description: 'True when an earlier call with the same idempotency key started it: nothing was sent again.' }),
  }),
});

const ReplicaActionDryRun = builder.objectRef<DryRun>('ReplicaActionDryRun').implement({
  description: 'What a real call would do now: every check passed, nothing was sent.',
  fields: (t) => ({
    action: t.field({ type: ReplicaActionEnum, resolve: (plan) => plan.action }),
    replica: t.field({
      type: ReplicaRef,
      resolve: async (plan, _args, ctx) => (await ctx.services.prisma.replica.findUniqueOrThrow({ where: { id: plan.replicaId } })) as Replica,
    }),
    replicaState: t.exposeString('replicaState', { nullable: true, description: "The replica's state as its backup server reports it now." }),
    rule: t.exposeString('rule', { description: 'The policy rule that allows it.' }),
    reason: t.exposeString('reason', { description: 'What that rule states.' }),
  }),
});

const ReplicaActionPayload = builder.unionType('ReplicaActionPayload', {
  description: 'ReplicaActionStarted, ReplicaActionDryRun, or an `Error`.',
  types: [ReplicaActionStarted, ReplicaActionDryRun, ...REFUSAL_TYPES],
  resolveType: (value) => (value as { __typename: string }).__typename,
});

// ---- Mutations ----------------------------------------------------------------------------

type ActionArgs = { replicaId: string | number; reason?: string | null; dryRun?: boolean | null };
type InventoryArgs = { hostName: string; name: string; type: string; objectId?: string | null };
type FailbackArgs = ActionArgs & {
  destination: {
    originalLocation?: { quickRollback?: boolean | null } | null;
    originalVm?: { vm: InventoryArgs } | null;
    customized?: { host: InventoryArgs; resourcePool?: InventoryArgs | null; folder?: InventoryArgs | null; restoreVmTags?: boolean | null; networks?: Array<{ source: InventoryArgs; target: InventoryArgs }> | null } | null;
  };
  switchover: { automatic?: boolean | null; at?: Date | null; manual?: boolean | null };
  powerOnTargetVm?: boolean | null;
};

const inventoryRef = (input: InventoryArgs): VbrInventoryObjectRef => ({ hostName: input.hostName, name: input.name, type: input.type, ...(input.objectId ? { objectId: input.objectId } : {}) });

function failbackOf(input: FailbackArgs): FailbackRequest {
  const { originalLocation, originalVm, customized } = input.destination;
  const destination: FailbackRequest['destination'] = originalLocation
    ? { type: 'originalLocation', quickRollback: originalLocation.quickRollback ?? false }
    : originalVm
      ? { type: 'originalVm', destinationVm: inventoryRef(originalVm.vm) }
      : {
          type: 'customized',
          host: inventoryRef(customized!.host),
          ...(customized!.resourcePool ? { resourcePool: inventoryRef(customized!.resourcePool) } : {}),
          ...(customized!.folder ? { folder: inventoryRef(customized!.folder) } : {}),
          ...(customized!.restoreVmTags != null ? { restoreVmTags: customized!.restoreVmTags } : {}),
          ...(customized!.networks ? { network: customized!.networks.map((n) => ({ source: inventoryRef(n.source), target: inventoryRef(n.target) })) } : {}),
        };
  const { automatic, at, manual } = input.switchover;
  // @oneOf guarantees exactly one member, non-null.
  if (automatic === false || manual === false) {
    throw new FailoverInputError(`switchover.${automatic === false ? 'automatic' : 'manual'}`, 'A switchover flag must be true; to pick another switchover, send that member instead', 'switchover-flag-false');
  }
  const switchover: FailbackRequest['switchover'] = at ? { type: 'scheduled', at } : automatic ? { type: 'auto' } : { type: 'manual' };
  return { destination, switchover, powerOnTargetVm: input.powerOnTargetVm ?? false };
}

function requestOf(action: LifecycleAction, input: ActionArgs): ActionRequest | FailoverInputError {
  try {
    const replicaId = decodeId(input.replicaId, Object.values(REPLICA_TYPENAMES), 'replicaId');
    return { action, replicaId, failback: action === 'FAILBACK' ? failbackOf(input as FailbackArgs) : null };
  } catch (error) {
    if (error instanceof FailoverInputError) return error;
    throw error;
  }
}

function toPayload(outcome: FailoverOutcome) {
  switch (outcome.type) {
    case 'started':
      return { ...outcome, __typename: 'ReplicaActionStarted' as const };
    case 'dryRun':
      return { ...(outcome.plan as ActionPlan), __typename: 'ReplicaActionDryRun' as const };
    case 'refused':
      return refusalPayload(outcome.refusal);
  }
}

/** One mutation per lifecycle action of the table: failback takes its own input, the others ReplicaActionInput. */
for (const action of REPLICA_ACTIONS) {
  if (action === 'FAILOVER') continue;
  const spec = ACTIONS[action];
  builder.mutationField(spec.mutation, (t) =>
    t.field({
      type: ReplicaActionPayload,
      description: `${spec.label[0]!.toUpperCase()}${spec.label.slice(1)} of a VMware vSphere replica, through its backup server's REST API: from ${spec.from.join(' or ')}${spec.to ? ` to ${spec.to}` : '; afterwards it is no longer a replica and leaves the inventory'}. Audited, idempotent and followed like \`failover\`.`,
      args: {
        input: t.arg({ type: action === 'FAILBACK' ? FailbackInput : ReplicaActionInput, required: true }),
        idempotencyKey: t.arg.string({ description: 'Also accepted as the Idempotency-Key HTTP header. 1–255 visible ASCII characters; kept 24 h by default.' }),
      },
      resolve: async (_root, args, ctx) => {
        const principal = await ctx.principal();
        const input = args.input as ActionArgs;
        const outcome = await ctx.services.failover.act(
          { principal, origin: { requestId: ctx.requestId, clientAddress: ctx.client.address, userAgent: ctx.client.userAgent } },
          { action, member: 'input', request: requestOf(action as LifecycleAction, input), reason: input.reason, dryRun: input.dryRun ?? false, idempotencyKey: args.idempotencyKey, idempotencyHeader: ctx.idempotencyKeyHeader },
        );
        return toPayload(outcome) as never;
      },
    }),
  );
}
