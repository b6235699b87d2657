import { AccountChangeError, type AccountView } from '../accounts/index.js';
import { explainFor, labelOf, policyActionOf, REPLICA_ACTIONS, type Action, type ReplicaAction } from '../policy/index.js';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { databaseId } from './global-id.js';
import { isUuid } from '../uuid.js';
import { builder } from './builder.js';
import type { GatewayContext } from './context.js';
import { auditEntry, authorize } from './authorize.js';
import { PortalRoleEnum, ReplicaActionEnum, ReplicaKindEnum } from './enums.js';
import { badUserInput, notFound } from './errors.js';
import { REPLICA_TYPENAMES } from './replicas.js';
import { ScopeItemRef } from './viewer.js';

const AccountTypeEnum = builder.enumType('AccountType', {
  values: {
    USER: { description: "Matched against the token's subject." },
    GROUP: { description: "Matched against the token's groups." },
  } as const,
});

const RestoreScope = builder.objectRef<AccountView>('RestoreScope').implement({
  description: '"All objects", or exactly the listed references (none: nothing).',
  fields: (t) => ({
    all: t.exposeBoolean('scopeAll'),
    items: t.field({ type: [ScopeItemRef], resolve: (account) => account.scopeItems }),
  }),
});

export const AccountRef = builder.objectRef<AccountView>('Account');

builder.node(AccountRef, {
  description: 'A user or group known to the gateway, with roles, a restore scope, allowed kinds and granted actions. Administrators only.',
  id: { resolve: (account) => account.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'scopeItems' in value,
  loadMany: async (ids, ctx) => {
    await authorize(ctx, 'read', 'Account');
    return Promise.all(ids.map((id) => ctx.services.accounts.get(id)));
  },
  fields: (t) => ({
    type: t.expose('type', { type: AccountTypeEnum }),
    name: t.exposeString('name', { description: 'USER: the token subject; GROUP: the group name.' }),
    displayName: t.exposeString('displayName', { nullable: true }),
    roles: t.expose('roles', { type: [PortalRoleEnum] }),
    scope: t.field({ type: RestoreScope, resolve: (account) => account }),
    allowedKinds: t.expose('allowedKinds', { type: [ReplicaKindEnum], description: 'Replica kinds this account may act on (every action).' }),
    grantedActions: t.expose('grantedActions', {
      type: [ReplicaActionEnum],
      description:
        "Replica actions granted beyond the roles' defaults, within the account's restore scope and allowed kinds. Restore Operators and Portal Users have FAILOVER, PLANNED_FAILOVER and UNDO_FAILOVER by default; administrators every action.",
    }),
    visibleReplicaCount: t.int({
      description: 'Replicas in the precomputed restore scope (0 for administrators and "all objects": no limit applies).',
      resolve: (account, _args, ctx) => ctx.services.db.prisma.replicaVisibility.count({ where: { accountId: account.id } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('accounts', (t) =>
  t.field({
    type: [AccountRef],
    description: 'Every account, users then groups, by name. Administrators only.',
    resolve: async (_root, _args, ctx) => {
      await authorize(ctx, 'read', 'Account');
      return ctx.services.accounts.list();
    },
  }),
);

const ScopeItemInput = builder.inputType('ScopeItemInput', {
  fields: (t) => ({
    ref: t.string({ required: true, description: 'A hierarchy reference the inventory knows, e.g. urn:VMware:Cluster:<root>.<moref>.' }),
    name: t.string({ required: false, description: 'Display name. Absent or blank: the inventory\'s name of the ref (see `containers`), else the ref itself.' }),
  }),
});

const RestoreScopeInput = builder.inputType('RestoreScopeInput', {
  description: 'Either all objects, or a list of references (an empty list grants nothing).',
  isOneOf: true,
  fields: (t) => ({
    allObjects: t.boolean({ description: 'Must be true.' }),
    items: t.field({ type: [ScopeItemInput] }),
  }),
});

const CreateAccountInput = builder.inputType('CreateAccountInput', {
  fields: (t) => ({
    type: t.field({ type: AccountTypeEnum, required: true }),
    name: t.string({ required: true }),
    displayName: t.string({ required: false }),
    roles: t.field({ type: [PortalRoleEnum], required: true }),
    scope: t.field({ type: RestoreScopeInput, required: false, description: 'Default: nothing.' }),
    allowedKinds: t.field({ type: [ReplicaKindEnum], required: false, description: 'Default: all four.' }),
    grantedActions: t.field({
      type: [ReplicaActionEnum],
      required: false,
      description: "Actions beyond the roles' defaults (PERMANENT_FAILOVER and the failback actions). Default: none. Listing a default action is refused.",
    }),
  }),
});

const UpdateAccountInput = builder.inputType('UpdateAccountInput', {
  description: 'Fields to change; absent ones stay as they are.',
  fields: (t) => ({
    name: t.string({ required: false }),
    displayName: t.string({ required: false }),
    roles: t.field({ type: [PortalRoleEnum], required: false }),
    scope: t.field({ type: RestoreScopeInput, required: false }),
    allowedKinds: t.field({ type: [ReplicaKindEnum], required: false }),
    grantedActions: t.field({ type: [ReplicaActionEnum], required: false, description: 'Replaces the granted actions; [] grants none beyond the defaults.' }),
  }),
});

type ScopeArg = { allObjects?: boolean | null; items?: Array<{ ref: string; name?: string | null }> | null } | null | undefined;

function scopeOf(scope: ScopeArg) {
  if (!scope) return undefined;
  if (scope.allObjects != null) {
    // An AccountChangeError, not a bare BAD_USER_INPUT: `audited` records the refusal like every other one.
    if (!scope.allObjects) throw new AccountChangeError('invalid', 'scope.allObjects must be true; pass items: [] for an empty scope');
    return { all: true };
  }
  return { all: false, items: scope.items ?? [] };
}

/**
 * The database id of an Account global id. Parsed inside the audited change, after
 * the authorization check: a caller without the right gets FORBIDDEN whatever id it
 * sends, and a malformed id from an administrator is a refusal on the record.
 */
function accountIdOf(globalId: string): string {
  let id: string;
  try {
    id = databaseId(globalId, 'Account');
  } catch (error) {
    throw new AccountChangeError('invalid', error instanceof Error ? error.message : String(error));
  }
  if (!isUuid(id)) throw new AccountChangeError('not-found', `No account ${globalId}`);
  return id;
}

/** The same id for the audit entry's subject; null when it is not an Account id. */
function auditedAccountId(globalId: string): string | null {
  try {
    return databaseId(globalId, 'Account');
  } catch {
    return null;
  }
}

function changeError(error: unknown): never {
  if (error instanceof AccountChangeError) {
    throw error.problem === 'not-found' ? notFound(error.message) : badUserInput(error.message, { problem: error.problem, refs: error.refs });
  }
  throw error;
}

/** Runs an allowed change and records it with its before and after values. */
async function audited<T extends { before: AccountView | null; after: AccountView | null }>(
  ctx: GatewayContext,
  action: string,
  subjectId: string | null,
  change: () => Promise<T>,
): Promise<T> {
  const { caller, decision } = await authorize(ctx, 'manage', 'Account', { action, subject: { type: 'Account', id: subjectId } });
  let result: T;
  try {
    result = await change();
  } catch (error) {
    // Refused input is on the record too: allowed by the policy, stopped by validation, nothing changed.
    if (error instanceof AccountChangeError) {
      await ctx.services.audit.append(
        auditEntry(ctx, caller, {
          action,
          subject: { type: 'Account', id: subjectId },
          decision: 'DENY',
          rule: `validation.${error.problem}`,
          reason: error.message,
          details: { refs: error.refs },
        }),
      );
    }
    changeError(error);
  }
  await ctx.services.audit.append(
    auditEntry(ctx, caller, {
      action,
      subject: { type: 'Account', id: result.after?.id ?? result.before?.id ?? subjectId },
      decision: 'ALLOW',
      rule: decision.rule,
      reason: decision.reason,
      details: { before: result.before, after: result.after },
    }),
  );
  return result;
}

builder.mutationFields((t) => ({
  createAccount: t.field({
    type: AccountRef,
    description: 'Adds a user or group account. Administrators only; audited.',
    args: { input: t.arg({ type: CreateAccountInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { after } = await audited(ctx, 'account.create', null, async () => ({
        before: null,
        after: await ctx.services.accounts.create({
          type: input.type,
          name: input.name,
          displayName: input.displayName,
          roles: input.roles,
          scope: scopeOf(input.scope),
          allowedKinds: input.allowedKinds ?? undefined,
          grantedActions: input.grantedActions ?? undefined,
        }),
      }));
      return after!;
    },
  }),
  updateAccount: t.field({
    type: AccountRef,
    description: 'Changes an account. Refused when it would remove the last Portal Administrator. Administrators only; audited.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateAccountInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const { after } = await audited(ctx, 'account.update', auditedAccountId(String(id)), () =>
        ctx.services.accounts.update(accountIdOf(String(id)), {
          name: input.name ?? undefined,
          displayName: input.displayName,
          roles: input.roles ?? undefined,
          scope: scopeOf(input.scope),
          allowedKinds: input.allowedKinds ?? undefined,
          grantedActions: input.grantedActions ?? undefined,
        }),
      );
      return after;
    },
  }),
  deleteAccount: t.field({
    type: 'ID',
    description: 'Deletes an account; returns its id. Refused for the last Portal Administrator. Administrators only; audited.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      await audited(ctx, 'account.delete', auditedAccountId(String(id)), async () => ({
        before: await ctx.services.accounts.delete(accountIdOf(String(id))),
        after: null,
      }));
      return String(id);
    },
  }),
}));

/** READ, then every replica action of the actions table under its own name, valued as the policy's CASL action. */
const PolicyActionEnum = builder.enumType('PolicyAction', {
  description: 'What `explain` asks about: reading the object, or one of the replica actions (the values of ReplicaAction).',
  values: {
    READ: { value: 'read' as Action, description: 'Read the object.' },
    ...(Object.fromEntries(REPLICA_ACTIONS.map((action) => [action, { value: policyActionOf(action), description: `Start the ${labelOf(action)} of the replica.` }])) as Record<
      ReplicaAction,
      { value: Action; description: string }
    >),
  },
});

const Explanation = builder
  .objectRef<{ allowed: boolean; rule: string; reason: string; accountIds: readonly string[] }>('Explanation')
  .implement({
    description: 'A policy decision and why.',
    fields: (t) => ({
      allowed: t.exposeBoolean('allowed'),
      rule: t.exposeString('rule', { description: 'The deciding rule, e.g. scope.read, edition.below-enterprise, default.deny.' }),
      reason: t.exposeString('reason'),
      grantingAccounts: t.field({
        type: [AccountRef],
        description: 'The accounts whose grant decided (none for a denial).',
        resolve: async ({ accountIds }, _args, ctx) =>
          (await Promise.all(accountIds.map((id) => ctx.services.accounts.get(id)))).filter((account) => account !== null),
      }),
    }),
  });

builder.queryField('explain', (t) =>
  t.field({
    type: Explanation,
    description:
      "Can this account do that to this object, and why? The object is a replica, restore point or backup server id; a replica action on a restore point is decided on its replica, as the action's mutation decides it. The policy alone: the replica's state and kind are `Replica.allowedActions`' business. Administrators only.",
    args: {
      account: t.arg.id({ required: true }),
      action: t.arg({ type: PolicyActionEnum, required: false, defaultValue: 'failover', description: 'Default: FAILOVER.' }),
      object: t.arg.id({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      await authorize(ctx, 'explain', 'Policy');
      const accountId = databaseId(String(args.account), 'Account');
      const account = isUuid(accountId) ? await ctx.services.accounts.get(accountId) : null;
      if (!account) throw notFound(`No account ${args.account}`);
      const objectId = databaseId(String(args.object), [...Object.values(REPLICA_TYPENAMES), 'RestorePoint', 'BackupServer']);
      const { typename } = decodeGlobalID(String(args.object));
      const type = typename === 'RestorePoint' || typename === 'BackupServer' ? typename : 'Replica';
      // A replica id is a UUID; anything else under a replica type name cannot exist.
      const decision = type !== 'Replica' || isUuid(objectId) ? await explainFor(ctx.services.db.prisma, account, args.action ?? 'failover', { type, id: objectId }) : null;
      if (!decision) throw notFound(`No object ${args.object}`);
      return decision;
    },
  }),
);
