import { accessibleBy } from '@casl/prisma/runtime';
import type { Prisma, Replica } from '../generated/prisma/client.js';
import type { ReplicaFilter } from './replica-filter.js';
import type { AppAbility, PolicyPrismaClient } from '../policy/index.js';
import { keysetQuery, type PageWindow } from './pagination.js';

/**
 * What a caller may read of the replicas, in the forms the page query uses.
 * `where` is the condition CASL derives from the policy's rules. `visibleTo`
 * is there when that condition is exactly "visible to one of these accounts"
 * (a Restore Operator or Portal User whose scoped accounts give its reads):
 * then the rule's condition, a `replica_visibility` row (account, replica),
 * is walked through its index `(accountId, name, replicaId)`, each account's
 * replicas already in page order, so a page reads about as many rows as it
 * returns wherever the scope's replicas fall in the inventory's name order.
 * Without it (administrators, "all objects" scopes), the replicas are walked
 * by name and each row tested. Nothing here grants what the rules do not.
 */
export interface ReplicaAccess {
  where: Prisma.ReplicaWhereInput;
  visibleTo?: readonly string[];
}

/**
 * Accounts walked one statement each: past a few, the single walk by name
 * costs less than a statement per account on the pool.
 */
const MAX_WALKED_ACCOUNTS = 4;

export function replicaAccess(ability: AppAbility): ReplicaAccess {
  const where = accessibleBy(ability, 'read').ofType('Replica');
  const accounts = visibilityAccounts(where);
  return accounts && accounts.length <= MAX_WALKED_ACCOUNTS ? { where, visibleTo: accounts } : { where };
}

/** [X, …] when `where` is exactly `{ OR: [{ visibility: { some: { accountId: { in: [X, …] } } } }] }`, as CASL builds the scope rule. */
function visibilityAccounts(where: Prisma.ReplicaWhereInput): string[] | undefined {
  const only = <T extends object>(value: T, key: string) => (Object.keys(value).length === 1 && key in value ? (value as Record<string, unknown>)[key] : undefined);
  const or = only(where, 'OR');
  if (!Array.isArray(or) || or.length !== 1) return undefined;
  const visibility = only(or[0] as object, 'visibility') as object | undefined;
  const some = visibility && (only(visibility, 'some') as object | undefined);
  const accountId = some && (only(some, 'accountId') as object | undefined);
  const ids = accountId && only(accountId, 'in');
  return Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string') ? (ids as string[]) : undefined;
}

/** One page of the replicas connection: who may read what, the connection's filter arguments, the window and the columns. */
export interface ReplicaPageQuery {
  access: ReplicaAccess;
  filter: ReplicaFilter;
  window: PageWindow;
  /** Columns to read; undefined reads every column. */
  select: Prisma.ReplicaSelect | undefined;
}

/** The replicas of one page, in the connection's order (name, then id), the window's extra row included. */
export async function replicaPage(prisma: PolicyPrismaClient, query: ReplicaPageQuery): Promise<Replica[]> {
  const accounts = query.access.visibleTo;
  if (!accounts) return byName(prisma, query.access.where, query);
  if (accounts.length === 1) return ownRows(prisma, accounts[0]!, query);
  return mergedRows(prisma, accounts, query);
}

/** Every replica by name, each tested against the rule. */
async function byName(prisma: PolicyPrismaClient, where: Prisma.ReplicaWhereInput, { filter, window, select }: ReplicaPageQuery): Promise<Replica[]> {
  const keyset = keysetQuery(['name', 'id'], ['asc', 'asc'], window);
  return (await prisma.replica.findMany({ where: { AND: [where, filter.where, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take, select })) as Replica[];
}

/** (name, replicaId) of a visibility row is (name, id) of its replica: the same keyset, the same cursors. */
const visibilityKeyset = (window: PageWindow) => keysetQuery(['name', 'replicaId'], ['asc', 'asc'], window);

/** One account's page of its own visibility rows under the connection's filter, with what `select` asks of each row. */
function accountPage<S extends Prisma.ReplicaVisibilitySelect>(prisma: PolicyPrismaClient, accountId: string, { filter, window }: ReplicaPageQuery, select: S) {
  const keyset = visibilityKeyset(window);
  return prisma.replicaVisibility.findMany({
    where: { AND: [{ accountId }, { replica: { is: filter.where } }, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
    select,
  });
}

/** One account's page: its own visibility rows, with their replicas. */
async function ownRows(prisma: PolicyPrismaClient, accountId: string, query: ReplicaPageQuery): Promise<Replica[]> {
  const rows = await accountPage(prisma, accountId, query, { replica: query.select ? { select: query.select } : true });
  return rows.map((row) => row.replica as Replica);
}

/**
 * Several accounts: each account's page of its own rows holds every replica of
 * the merged page that this account grants, so their union holds the whole
 * merged page; the database orders the union in its own collation and cuts it.
 */
async function mergedRows(prisma: PolicyPrismaClient, accounts: readonly string[], query: ReplicaPageQuery): Promise<Replica[]> {
  const pages = await Promise.all(accounts.map((accountId) => accountPage(prisma, accountId, query, { replicaId: true })));
  const ids = [...new Set(pages.flat().map((row) => row.replicaId))];
  const order = keysetQuery(['name', 'id'], ['asc', 'asc'], query.window);
  return (await prisma.replica.findMany({ where: { id: { in: ids } }, orderBy: order.orderBy, take: order.take, select: query.select })) as Replica[];
}

/** How many replicas the connection holds: one account's rows, or the rule's where. */
export function replicaCount(prisma: PolicyPrismaClient, access: ReplicaAccess, filter: ReplicaFilter): Promise<number> {
  return access.visibleTo?.length === 1
    ? prisma.replicaVisibility.count({ where: { accountId: access.visibleTo[0]!, replica: { is: filter.where } } })
    : prisma.replica.count({ where: { AND: [access.where, filter.where] } });
}
