import { ERROR_CODES, REFUSAL_CODES, REFUSALS, type RefusalCode } from '../operations/refusals.js';
import type { FailoverRefusal } from '../failover/index.js';
import { BACKUP_SERVER_COLUMNS } from './backup-server-columns.js';
import { BackupServerRef } from './backup-servers.js';
import { builder } from './builder.js';
import type { GatewayContext } from './context.js';
import { LicenseEditionEnum, ReplicaActionEnum, ReplicaKindEnum } from './enums.js';
import { FailoverOperationRef, loadOperations } from './failover-operations.js';

/** The refusal table as GraphQL: the `ErrorCode` enum, the `Error` interface and one object type per code. */
export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Why an operation was refused. Results carry it in `Error.code`; transport-level failures in `extensions.code`.',
  values: Object.fromEntries(ERROR_CODES.map((code) => [code, { description: REFUSALS[code].meaning }])) as Record<keyof typeof REFUSALS, { description: string }>,
});

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

/** The fields a refusal type has beyond `code`, `message` and `requestId`: what helps the caller act on it. */
const FIELDS: Partial<Record<RefusalCode, (t: any) => Record<string, unknown>>> = {
  FORBIDDEN: (t) => ({ rule: t.exposeString('rule', { description: 'The policy rule that decided.' }) }),
  EDITION_NOT_SUPPORTED: (t) => ({
    edition: t.field({ type: LicenseEditionEnum, resolve: (e: { edition: string }) => e.edition }),
    backupServer: t.field({
      type: BackupServerRef,
      nullable: true,
      resolve: (e: { backupServerId: string }, _args: unknown, ctx: GatewayContext) => ctx.services.prisma.backupServer.findUnique({ where: { id: e.backupServerId }, select: BACKUP_SERVER_COLUMNS }),
    }),
  }),
  REPLICA_NOT_READY: (t) => ({ replicaState: t.exposeString('replicaState', { nullable: true, description: "EM's state of the replica, when known." }) }),
  FAILOVER_IN_PROGRESS: (t) => ({
    operation: t.field({
      type: FailoverOperationRef,
      nullable: true,
      description: 'The active operation, when you may see it.',
      resolve: async (e: { operationId: string | null }, _args: unknown, ctx: GatewayContext) => (e.operationId ? (await loadOperations([e.operationId], ctx))[0] : null),
    }),
  }),
  INVALID_RESTORE_TARGET: (t) => ({
    availableFrom: t.expose('availableFrom', { type: 'DateTime', nullable: true, description: 'Oldest restorable moment EM reports.' }),
    availableTo: t.expose('availableTo', { type: 'DateTime', nullable: true, description: 'Newest restorable moment EM reports.' }),
  }),
  UPSTREAM_REJECTED: (t) => ({ emMessage: t.exposeString('emMessage', { nullable: true, description: "The upstream's own words (Enterprise Manager's or the backup server's)." }) }),
  BAD_USER_INPUT: (t) => ({ field: t.exposeString('field', { description: 'The input field at fault, e.g. `reason`.' }) }),
  WRONG_REPLICA_STATE: (t) => ({
    replicaState: t.exposeString('replicaState', { nullable: true, description: "The replica's state as its backup server reports it now." }),
    allowedActions: t.field({ type: [ReplicaActionEnum], description: 'What that state allows (before the policy).', resolve: (e: { allowedActions: string[] }) => e.allowedActions }),
  }),
  ACTION_NOT_SUPPORTED: (t) => ({ kind: t.field({ type: ReplicaKindEnum, nullable: true, resolve: (e: { kind: string | null }) => e.kind }) }),
};

function refusalType(code: RefusalCode) {
  const fields = FIELDS[code] ?? (() => ({}));
  return builder.objectRef<Extract<FailoverRefusal, { code: typeof code }>>(REFUSALS[code].graphqlType!).implement({
    description: REFUSALS[code].description,
    interfaces: [ErrorInterface],
    isTypeOf: (value) => (value as { code?: string }).code === code,
    fields: (t) => fields(t) as never,
  });
}

/** One object type per refusal code, in the table's order. */
export const REFUSAL_TYPES = REFUSAL_CODES.map(refusalType);

/** A refusal as a payload union member. */
export const refusalPayload = (refusal: FailoverRefusal) => ({ ...refusal, __typename: REFUSALS[refusal.code].graphqlType! });
