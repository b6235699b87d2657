import type { Replica } from '../generated/prisma/client.js';
import { FailoverInputError, type CdpTarget, type FailoverOutcome, type FailoverPlan, type FailoverRefusal, type FailoverTargetRequest } from '../failover/index.js';
import { builder } from './builder.js';
import { parseGlobalId } from './global-id.js';
import type { GatewayContext } from './context.js';
import { ReplicaKindEnum } from './enums.js';
import { REFUSAL_TYPES, refusalPayload } from './refusal-types.js';
import { CdpTargetKindEnum, FailoverOperationRef } from './failover-operations.js';
import { ReplicaRef } from './replicas.js';
import { isUuid } from '../uuid.js';
import { KINDS, kindOfMember, REPLICA_KINDS, type ReplicaKind } from '../operations/kinds.js';

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

/** One input type per kind (KINDS): a restore point of a job replica, or a CDP replica and its target. */
const memberInput = (kind: ReplicaKind) => {
  const spec = KINDS[kind];
  return builder.inputType(spec.failoverInput, {
    description: spec.failoverDescription,
    fields: (t) =>
      spec.failoverTarget === 'restorePoint'
        ? { restorePointId: t.id({ required: true, description: `A RestorePoint of a ${spec.graphqlType}.` }), ...common(t) }
        : { replicaId: t.id({ required: true, description: `A ${spec.graphqlType}.` }), target: t.field({ type: CdpFailoverTargetInput, required: true }), ...common(t) },
  });
};

const FailoverInput = builder.inputType('FailoverInput', {
  description: "One failover: exactly one member, one per kind of EM failover.",
  isOneOf: true,
  fields: (t) => Object.fromEntries(REPLICA_KINDS.map((kind) => [KINDS[kind].member, t.field({ type: memberInput(kind) })])),
});

// ---- Payload -----------------------------------------------------------------------------

type Tagged<N extends string, T> = T & { __typename: N };
type Payload =
  | Tagged<'FailoverStarted', Extract<FailoverOutcome, { type: 'started' }>>
  | Tagged<'FailoverDryRun', FailoverPlan>
  | Tagged<string, FailoverRefusal>;

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

const FailoverPayload = builder.unionType('FailoverPayload', {
  description: 'FailoverStarted, FailoverDryRun, or an `Error`.',
  types: [FailoverStarted, FailoverDryRun, ...REFUSAL_TYPES],
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
export function decodeId(globalId: string | number, typename: string | readonly string[], field: string): string {
  const parsed = parseGlobalId(String(globalId), typename);
  if ('problem' in parsed) throw new FailoverInputError(field, parsed.message, parsed.problem);
  if (!isUuid(parsed.id)) throw new FailoverInputError(field, `${JSON.stringify(String(globalId))} is not an id this gateway gave out: a ${[typename].flat().join(' or ')} id holds a UUID`, 'malformed-id');
  return parsed.id;
}

type Member = { restorePointId?: string | number; replicaId?: string | number; target?: CdpTargetArgs; reason?: string | null; dryRun?: boolean | null };

function targetOf(input: Record<string, Member | null | undefined>): { name: string; member: Member; target: FailoverTargetRequest | FailoverInputError } {
  const [name, member] = Object.entries(input).find(([, value]) => value != null)! as [string, Member];
  const decoded = decodeTarget(name, member);
  return { name, member, target: decoded };
}

function decodeTarget(name: string, member: Member): FailoverTargetRequest | FailoverInputError {
  const kind = kindOfMember(name)!;
  const { failoverTarget, graphqlType } = KINDS[kind];
  try {
    return failoverTarget === 'restorePoint'
      ? ({ kind, restorePointId: decodeId(member.restorePointId!, 'RestorePoint', 'restorePointId') } as FailoverTargetRequest)
      : ({ kind, replicaId: decodeId(member.replicaId!, graphqlType, 'replicaId'), target: cdpTarget(member.target!) } as FailoverTargetRequest);
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
      return { ...(outcome.plan as FailoverPlan), __typename: 'FailoverDryRun' };
    case 'refused':
      return refusalPayload(outcome.refusal);
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
