import type { Replica } from '../generated/prisma/client.js';
import { FailoverInputError, type CdpTarget, type FailoverOutcome, type FailoverRefusal, type FailoverTargetRequest } from '../failover/index.js';
import { BackupServerRef } from './backup-servers.js';
import { builder } from './builder.js';
import { parseGlobalId } from './global-id.js';
import type { GatewayContext } from './context.js';
import { LicenseEditionEnum, ReplicaKindEnum } from './enums.js';
import { CdpTargetKindEnum, FailoverOperationRef, loadOperations } from './failover-operations.js';
import { ReplicaRef } from './replicas.js';
import { isUuid } from './uuid.js';

// ---- Input -------------------------------------------------------------------------------

const CdpFailoverTargetInput = builder.inputType('CdpFailoverTargetInput', {
  description: 'What a CDP VM or vApp is restored to: exactly one member.',
  isOneOf: true,
  fields: (t) => ({
    latestCrashConsistent: t.boolean({ description: 'Must be true: the latest crash-consistent state.' }),
    latestApplicationConsistent: t.boolean({ description: 'Must be true: the latest application-consistent long-term point.' }),
    pointInTime: t.field({
      type: 'DateTime',
      description: "The newest state replicated at or before this moment; it must lie inside the replica's CDP history, not in the future.",
    }),
  }),
});

const common = (t: any) => ({
  reason: t.string({ description: 'Why (recorded in the audit log and on the operation). Printable text; the gateway may require it.' }),
  dryRun: t.boolean({ defaultValue: false, description: 'Validate and decide, audit, dispatch nothing. Default: false.' }),
});

const VmReplicaFailoverInput = builder.inputType('VmReplicaFailoverInput', {
  description: 'A VM from a replication job, to one of its restore points.',
  fields: (t) => ({ restorePointId: t.id({ required: true, description: 'A RestorePoint of a VmReplica.' }), ...common(t) }),
});
const CdpVmReplicaFailoverInput = builder.inputType('CdpVmReplicaFailoverInput', {
  description: 'A VM from a CDP policy, to a target in its CDP history.',
  fields: (t) => ({
    replicaId: t.id({ required: true, description: 'A CdpVmReplica.' }),
    target: t.field({ type: CdpFailoverTargetInput, required: true }),
    ...common(t),
  }),
});
const VcdVAppReplicaFailoverInput = builder.inputType('VcdVAppReplicaFailoverInput', {
  description: 'A vApp from a Cloud Director replication job, to one of its restore points.',
  fields: (t) => ({ restorePointId: t.id({ required: true, description: 'A RestorePoint of a VcdVAppReplica.' }), ...common(t) }),
});
const VcdCdpVAppReplicaFailoverInput = builder.inputType('VcdCdpVAppReplicaFailoverInput', {
  description: 'A vApp from a Cloud Director CDP policy, to a target in its CDP history.',
  fields: (t) => ({
    replicaId: t.id({ required: true, description: 'A VcdCdpVAppReplica.' }),
    target: t.field({ type: CdpFailoverTargetInput, required: true }),
    ...common(t),
  }),
});

const FailoverInput = builder.inputType('FailoverInput', {
  description: "One failover: exactly one member, one per kind of EM failover.",
  isOneOf: true,
  fields: (t) => ({
    vmReplica: t.field({ type: VmReplicaFailoverInput }),
    cdpVmReplica: t.field({ type: CdpVmReplicaFailoverInput }),
    vcdVAppReplica: t.field({ type: VcdVAppReplicaFailoverInput }),
    vcdCdpVAppReplica: t.field({ type: VcdCdpVAppReplicaFailoverInput }),
  }),
});

// ---- Payload -----------------------------------------------------------------------------

const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Why an operation was refused. Results carry it in `Error.code`; transport-level failures in `extensions.code`.',
  values: {
    UNAUTHENTICATED: { description: 'No valid bearer token (a GraphQL error, HTTP 401).' },
    NOT_FOUND: { description: 'No such object, or it is outside your restore scope: the two are indistinguishable.' },
    FORBIDDEN: { description: 'You may see the object but not do this to it (e.g. a kind your account may not fail over).' },
    EDITION_NOT_SUPPORTED: { description: "The backup server's edition does not allow failover (Enterprise or Enterprise Plus needed)." },
    REPLICA_NOT_READY: { description: 'The replica is not Ready in EM.' },
    FAILOVER_IN_PROGRESS: { description: 'Another failover of this replica is active.' },
    INVALID_RESTORE_TARGET: { description: 'The restore point or CDP target does not exist (any more) for this replica.' },
    IDEMPOTENCY_KEY_REUSED: { description: 'The idempotency key belongs to a different request.' },
    UPSTREAM_UNAVAILABLE: { description: 'Enterprise Manager could not be reached; nothing was started. Safe to retry, same key included.' },
    UPSTREAM_REJECTED: { description: 'Enterprise Manager refused the request; its message says why. Nothing was started.' },
    BAD_USER_INPUT: { description: 'The input is malformed: `field` names the culprit. Nothing changed.' },
  } as const,
});

type Tagged<N extends string, T> = T & { __typename: N };
type Payload =
  | Tagged<'FailoverStarted', Extract<FailoverOutcome, { type: 'started' }>>
  | Tagged<'FailoverDryRun', Extract<FailoverOutcome, { type: 'dryRun' }>['plan']>
  | Tagged<string, FailoverRefusal>;

const ErrorInterface = builder.interfaceRef<FailoverRefusal>('Error').implement({
  description: 'A refusal, as data.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (error) => error.code }),
    message: t.exposeString('message', { description: 'What happened, in words a portal can show; never an address, path or upstream answer.' }),
    requestId: t.string({
      description: "This request's id (also the x-request-id header): the gateway's log lines of the request carry it, with whatever detail the message leaves out.",
      nullable: false,
      resolve: (_error, _args, ctx: GatewayContext) => ctx.requestId,
    }),
  }),
});

const FailoverStarted = builder.objectRef<Extract<Payload, { __typename: 'FailoverStarted' }>>('FailoverStarted').implement({
  description: 'The gateway took the failover on: follow `operation`. Its state may be OUTCOME_UNKNOWN when EM\'s answer was lost.',
  fields: (t) => ({
    operation: t.field({ type: FailoverOperationRef, resolve: (started) => started.operation }),
    replayed: t.exposeBoolean('replayed', { description: 'True when an earlier call with the same idempotency key started it: nothing was sent again.' }),
  }),
});

const FailoverDryRun = builder.objectRef<Extract<Payload, { __typename: 'FailoverDryRun' }>>('FailoverDryRun').implement({
  description: 'What a real call would do now: every check passed, nothing was sent.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ReplicaKindEnum }),
    replica: t.field({
      type: ReplicaRef,
      resolve: async (plan, _args, ctx) => (await ctx.services.prisma.replica.findUniqueOrThrow({ where: { id: plan.replicaId } })) as Replica,
    }),
    restorePointEmId: t.exposeString('restorePointId', { nullable: true }),
    restorePointTime: t.expose('restorePointTime', { type: 'DateTime', nullable: true }),
    cdpTarget: t.field({ type: CdpTargetKindEnum, nullable: true, resolve: (plan) => (plan.cdpTarget?.kind ?? null) as 'pointInTime' | null }),
    cdpPointInTime: t.field({ type: 'DateTime', nullable: true, resolve: (plan) => (plan.cdpTarget?.kind === 'pointInTime' ? plan.cdpTarget.at : null) }),
    rule: t.exposeString('rule', { description: 'The policy rule that allows it.' }),
    reason: t.exposeString('reason', { description: 'What that rule states.' }),
  }),
});

/** One object type per refusal code, each with what helps the caller act on it. */
function errorType<C extends FailoverRefusal['code']>(name: string, code: C, description: string, fields: (t: any) => Record<string, unknown> = () => ({})) {
  return builder.objectRef<Extract<FailoverRefusal, { code: C }>>(name).implement({
    description,
    interfaces: [ErrorInterface],
    isTypeOf: (value) => (value as { code?: string }).code === code,
    fields: (t) => fields(t) as never,
  });
}

const ERROR_TYPES = {
  NOT_FOUND: 'NotFoundError',
  FORBIDDEN: 'ForbiddenError',
  EDITION_NOT_SUPPORTED: 'EditionNotSupportedError',
  REPLICA_NOT_READY: 'ReplicaNotReadyError',
  FAILOVER_IN_PROGRESS: 'FailoverInProgressError',
  INVALID_RESTORE_TARGET: 'InvalidRestoreTargetError',
  IDEMPOTENCY_KEY_REUSED: 'IdempotencyKeyReusedError',
  UPSTREAM_UNAVAILABLE: 'UpstreamUnavailableError',
  UPSTREAM_REJECTED: 'UpstreamRejectedError',
  BAD_USER_INPUT: 'BadUserInputError',
} as const satisfies Record<FailoverRefusal['code'], string>;

const errorTypes = [
  errorType('NotFoundError', 'NOT_FOUND', 'No such replica or restore point, or it is outside your restore scope.'),
  errorType('ForbiddenError', 'FORBIDDEN', 'You may see the replica but not fail it over.', (t) => ({
    rule: t.exposeString('rule', { description: 'The policy rule that decided.' }),
  })),
  errorType('EditionNotSupportedError', 'EDITION_NOT_SUPPORTED', "The backup server's edition does not allow failover.", (t) => ({
    edition: t.field({ type: LicenseEditionEnum, resolve: (e: { edition: string }) => e.edition }),
    backupServer: t.field({
      type: BackupServerRef,
      nullable: true,
      resolve: (e: { backupServerId: string }, _args: unknown, ctx: GatewayContext) => ctx.services.prisma.backupServer.findUnique({ where: { id: e.backupServerId } }),
    }),
  })),
  errorType('ReplicaNotReadyError', 'REPLICA_NOT_READY', 'The replica is not Ready in EM.', (t) => ({
    replicaState: t.exposeString('replicaState', { nullable: true, description: "EM's state of the replica, when known." }),
  })),
  errorType('FailoverInProgressError', 'FAILOVER_IN_PROGRESS', 'Another failover of this replica is active.', (t) => ({
    operation: t.field({
      type: FailoverOperationRef,
      nullable: true,
      description: 'The active operation, when you may see it.',
      resolve: async (e: { operationId: string | null }, _args: unknown, ctx: GatewayContext) => (e.operationId ? (await loadOperations([e.operationId], ctx))[0] : null),
    }),
  })),
  errorType('InvalidRestoreTargetError', 'INVALID_RESTORE_TARGET', "The target is not in the replica's history.", (t) => ({
    availableFrom: t.expose('availableFrom', { type: 'DateTime', nullable: true, description: 'Oldest restorable moment EM reports.' }),
    availableTo: t.expose('availableTo', { type: 'DateTime', nullable: true, description: 'Newest restorable moment EM reports.' }),
  })),
  errorType('IdempotencyKeyReusedError', 'IDEMPOTENCY_KEY_REUSED', 'The idempotency key was used for a different request.'),
  errorType('UpstreamUnavailableError', 'UPSTREAM_UNAVAILABLE', 'Enterprise Manager could not be reached; nothing was started.'),
  errorType('UpstreamRejectedError', 'UPSTREAM_REJECTED', 'Enterprise Manager refused the request; nothing was started.', (t) => ({
    emMessage: t.exposeString('emMessage', { nullable: true, description: "EM's own words." }),
  })),
  errorType('BadUserInputError', 'BAD_USER_INPUT', 'The input is malformed; nothing changed.', (t) => ({
    field: t.exposeString('field', { description: 'The input field at fault, e.g. `reason`.' }),
  })),
];

const FailoverPayload = builder.unionType('FailoverPayload', {
  description: 'FailoverStarted, FailoverDryRun, or an `Error`.',
  types: [FailoverStarted, FailoverDryRun, ...errorTypes],
  resolveType: (value) => (value as { __typename: string }).__typename,
});

// ---- Mutation ----------------------------------------------------------------------------

interface CdpTargetArgs {
  latestCrashConsistent?: boolean | null;
  latestApplicationConsistent?: boolean | null;
  pointInTime?: Date | null;
}

function cdpTarget(input: CdpTargetArgs): CdpTarget {
  if (input.pointInTime) return { kind: 'pointInTime', at: input.pointInTime };
  // @oneOf guarantees exactly one member, non-null.
  const flag = input.latestCrashConsistent != null ? 'latestCrashConsistent' : 'latestApplicationConsistent';
  if (input[flag] !== true) throw new FailoverInputError(`target.${flag}`, 'A CDP target flag must be true; to pick another target, send that member instead', 'target-flag-false');
  return { kind: flag };
}

/**
 * A global id of the given type as its database id, or a FailoverInputError (audited as a validation refusal); `field` is relative to the member.
 * Replica ids and EM's restore point ids are both UUIDs: anything else inside a well-formed global id is the caller's mistake, not an unknown object.
 */
function decodeId(globalId: string | number, typename: string, field: string): string {
  const parsed = parseGlobalId(String(globalId), typename);
  if ('problem' in parsed) throw new FailoverInputError(field, parsed.message, parsed.problem);
  if (!isUuid(parsed.id)) throw new FailoverInputError(field, `${JSON.stringify(String(globalId))} is not an id this gateway gave out: a ${typename} id holds a UUID`, 'malformed-id');
  return parsed.id;
}

type Member = { restorePointId?: string | number; replicaId?: string | number; target?: CdpTargetArgs; reason?: string | null; dryRun?: boolean | null };

function targetOf(input: Record<string, Member | null | undefined>): { name: string; member: Member; target: FailoverTargetRequest | FailoverInputError } {
  const [name, member] = Object.entries(input).find(([, value]) => value != null)! as [string, Member];
  const decoded = decodeTarget(name, member);
  return { name, member, target: decoded };
}

function decodeTarget(name: string, member: Member): FailoverTargetRequest | FailoverInputError {
  try {
    switch (name) {
      case 'vmReplica':
        return { kind: 'VM_REPLICA', restorePointId: decodeId(member.restorePointId!, 'RestorePoint', 'restorePointId') };
      case 'vcdVAppReplica':
        return { kind: 'VCD_VAPP_REPLICA', restorePointId: decodeId(member.restorePointId!, 'RestorePoint', 'restorePointId') };
      case 'cdpVmReplica':
        return { kind: 'CDP_VM', replicaId: decodeId(member.replicaId!, 'CdpVmReplica', 'replicaId'), target: cdpTarget(member.target!) };
      default:
        return { kind: 'VCD_CDP_VAPP', replicaId: decodeId(member.replicaId!, 'VcdCdpVAppReplica', 'replicaId'), target: cdpTarget(member.target!) };
    }
  } catch (error) {
    if (error instanceof FailoverInputError) return error;
    throw error;
  }
}

function toPayload(outcome: FailoverOutcome): Payload {
  switch (outcome.type) {
    case 'started':
      return { ...outcome, __typename: 'FailoverStarted' };
    case 'dryRun':
      return { ...outcome.plan, __typename: 'FailoverDryRun' };
    case 'refused':
      return { ...outcome.refusal, __typename: ERROR_TYPES[outcome.refusal.code] };
  }
}

builder.mutationField('failover', (t) =>
  t.field({
    type: FailoverPayload,
    description:
      'Fails a VM or vApp over to its replica, once. Every attempt is audited. The same idempotency key with the same request returns the same result without a second call to EM; results are data (FailoverStarted or an Error), not exceptions.',
    args: {
      input: t.arg({ type: FailoverInput, required: true }),
      idempotencyKey: t.arg.string({ description: 'Also accepted as the Idempotency-Key HTTP header. 1–255 visible ASCII characters; kept 24 h by default.' }),
    },
    resolve: async (_root, args, ctx) => {
      const principal = await ctx.principal();
      const { name, member, target } = targetOf(args.input as Record<string, Member | null | undefined>);
      const outcome = await ctx.services.failover.failover(
        { principal, origin: { requestId: ctx.requestId, clientAddress: ctx.client.address, userAgent: ctx.client.userAgent } },
        { member: name, target, reason: member.reason, dryRun: member.dryRun ?? false, idempotencyKey: args.idempotencyKey, idempotencyHeader: ctx.idempotencyKeyHeader },
      );
      return toPayload(outcome);
    },
  }),
);
