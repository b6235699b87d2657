import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { PortalRole, ReplicaAction, ReplicaKind } from '../generated/prisma/enums.js';
import { namesOfRefs } from '../inventory/container-tree.js';
import { REPLICA_ACTIONS, RESTRICTED_DEFAULT_ACTIONS } from '../operations/actions.js';
import { rebuildVisibilityIn } from '../policy/index.js';
import { AccountChangeError } from './errors.js';
import type { AccountInput, AccountPatch, AccountView, ScopeItem, ScopeItemInput } from './types.js';

const ALL_KINDS: readonly ReplicaKind[] = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];
/** EM's HierarchyObjRef: urn:<Platform>:<Type>:<rest>. */
const URN = /^urn:[A-Za-z][A-Za-z0-9]*:[A-Za-z][A-Za-z0-9]*:\S+$/;
/** Serializes account changes across gateway instances, so "the last administrator" is counted under a lock. */
const ACCOUNTS_LOCK = 'SELECT 1 FROM pg_advisory_xact_lock(7263524966) AS lock';

type Tx = Prisma.TransactionClient;

const withScope = { scopeItems: { orderBy: { ref: 'asc' as const }, select: { ref: true, name: true } } } as const;

function view(row: Prisma.AccountGetPayload<{ include: typeof withScope }>): AccountView {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    displayName: row.displayName,
    roles: row.roles,
    scopeAll: row.scopeAll,
    scopeItems: row.scopeItems,
    allowedKinds: ALL_KINDS.filter((kind) => row.allowedKinds.includes(kind)),
    grantedActions: REPLICA_ACTIONS.filter((action) => row.grantedActions.includes(action)),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 256) throw new AccountChangeError('invalid', 'An account name must have 1 to 256 characters');
  return trimmed;
}

/**
 * Actions an account may be granted: those of the actions table, beyond the
 * restricted roles' defaults. Duplicates collapse; the table's order is kept.
 */
function checkGrantedActions(actions: readonly string[]): ReplicaAction[] {
  const unknown = actions.filter((action) => !(REPLICA_ACTIONS as readonly string[]).includes(action));
  if (unknown.length > 0) throw new AccountChangeError('invalid', `Not a replica action: ${unknown.map((action) => JSON.stringify(action)).join(', ')}`);
  const defaults = RESTRICTED_DEFAULT_ACTIONS.filter((action) => actions.includes(action));
  if (defaults.length > 0) {
    throw new AccountChangeError(
      'invalid',
      `${defaults.join(', ')} ${defaults.length > 1 ? 'are' : 'is'} every Restore Operator's and Portal User's by default, within the restore scope: grant only ${REPLICA_ACTIONS.filter((action) => !RESTRICTED_DEFAULT_ACTIONS.includes(action)).join(', ')}`,
    );
  }
  return REPLICA_ACTIONS.filter((action) => actions.includes(action));
}

/**
 * Malformed refs first (no database needed), then refs no replica in the
 * inventory carries. An item without a name (or a blank one) gets the
 * inventory's name of its ref (container, else VM or vApp), else the ref.
 */
async function checkScope(tx: Tx, items: readonly ScopeItemInput[]): Promise<ScopeItem[]> {
  const malformed = items.filter((item) => !URN.test(item.ref));
  if (malformed.length > 0) {
    throw new AccountChangeError(
      'malformed-ref',
      `Not a hierarchy reference (urn:<platform>:<type>:<id>): ${malformed.map((item) => JSON.stringify(item.ref)).join(', ')}`,
      malformed.map((item) => item.ref),
    );
  }
  const unique = [...new Map(items.map((item) => [item.ref, { ref: item.ref, name: item.name?.trim() ?? '' }])).values()];
  if (unique.length === 0) return unique;
  const known = await tx.replicaRef.findMany({
    where: { ref: { in: unique.map((item) => item.ref) } },
    distinct: ['ref'],
    select: { ref: true },
  });
  const knownRefs = new Set(known.map((row) => row.ref));
  const unknown = unique.filter((item) => !knownRefs.has(item.ref));
  if (unknown.length > 0) {
    throw new AccountChangeError(
      'unknown-ref',
      `No object in the inventory has the reference ${unknown.map((item) => item.ref).join(', ')}`,
      unknown.map((item) => item.ref),
    );
  }
  const names = await namesOfRefs(tx, unique.filter((item) => item.name === '').map((item) => item.ref));
  return unique.map((item) => ({ ref: item.ref, name: item.name || names.get(item.ref) || item.ref }));
}

async function administrators(tx: Tx): Promise<number> {
  // Raw SQL: Prisma's `has` on an enum list sends a text parameter that the
  // PGlite driver adapter cannot cast to the enum array.
  const [row] = await tx.$queryRawUnsafe<{ count: number }[]>(
    `SELECT count(*)::int AS count FROM "Account" WHERE 'PORTAL_ADMINISTRATOR' = ANY(roles)`,
  );
  return row?.count ?? 0;
}

async function transaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(ACCOUNTS_LOCK);
      return work(tx);
    }, { timeout: 60_000, maxWait: 15_000 });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AccountChangeError('duplicate', 'An account of that type and name already exists');
    }
    throw error;
  }
}

/** Account administration: every change validated in one transaction with the restore scope rebuilt. */
export interface AccountService {
  list(): Promise<AccountView[]>;
  get(id: string): Promise<AccountView | null>;
  create(input: AccountInput): Promise<AccountView>;
  /** Returns the account before and after the change. */
  update(id: string, patch: AccountPatch): Promise<{ before: AccountView; after: AccountView }>;
  delete(id: string): Promise<AccountView>;
}

export function createAccountService(prisma: PrismaClient): AccountService {
  const load = async (tx: Tx | PrismaClient, id: string) => {
    const row = await tx.account.findUnique({ where: { id }, include: withScope });
    return row ? view(row) : null;
  };
  return {
    async list() {
      const rows = await prisma.account.findMany({ include: withScope, orderBy: [{ type: 'asc' }, { name: 'asc' }] });
      return rows.map(view);
    },
    get: (id) => load(prisma, id),
    create(input) {
      return transaction(prisma, async (tx) => {
        const grantedActions = checkGrantedActions(input.grantedActions ?? []);
        const items = input.scope?.all ? [] : await checkScope(tx, input.scope?.items ?? []);
        const created = await tx.account.create({
          data: {
            type: input.type,
            name: checkName(input.name),
            displayName: input.displayName ?? null,
            roles: [...new Set(input.roles)],
            scopeAll: input.scope?.all ?? false,
            allowedKinds: [...new Set(input.allowedKinds ?? ALL_KINDS)],
            grantedActions,
            scopeItems: { create: items },
          },
        });
        await rebuildVisibilityIn(tx, { accountId: created.id });
        return (await load(tx, created.id))!;
      });
    },
    update(id, patch) {
      return transaction(prisma, async (tx) => {
        const before = await load(tx, id);
        if (!before) throw new AccountChangeError('not-found', `No account ${id}`);
        const roles: PortalRole[] | undefined = patch.roles ? [...new Set(patch.roles)] : undefined;
        const grantedActions = patch.grantedActions ? checkGrantedActions(patch.grantedActions) : undefined;
        if (before.roles.includes('PORTAL_ADMINISTRATOR') && roles && !roles.includes('PORTAL_ADMINISTRATOR') && (await administrators(tx)) <= 1) {
          throw new AccountChangeError('last-administrator', 'This is the last Portal Administrator account: make another one first');
        }
        const items = patch.scope && !patch.scope.all ? await checkScope(tx, patch.scope.items ?? []) : patch.scope ? [] : undefined;
        await tx.account.update({
          where: { id },
          data: {
            name: patch.name !== undefined ? checkName(patch.name) : undefined,
            displayName: patch.displayName,
            roles,
            scopeAll: patch.scope ? patch.scope.all : undefined,
            allowedKinds: patch.allowedKinds ? [...new Set(patch.allowedKinds)] : undefined,
            grantedActions,
            scopeItems: items ? { deleteMany: {}, create: items } : undefined,
          },
        });
        await rebuildVisibilityIn(tx, { accountId: id });
        return { before, after: (await load(tx, id))! };
      });
    },
    delete(id) {
      return transaction(prisma, async (tx) => {
        const before = await load(tx, id);
        if (!before) throw new AccountChangeError('not-found', `No account ${id}`);
        if (before.roles.includes('PORTAL_ADMINISTRATOR') && (await administrators(tx)) <= 1) {
          throw new AccountChangeError('last-administrator', 'This is the last Portal Administrator account: make another one first');
        }
        await tx.account.delete({ where: { id } });
        return before;
      });
    },
  };
}
