import { accessibleBy } from '@casl/prisma/runtime';
import type { Prisma, Replica } from '../generated/prisma/client.js';
import type { AppAbility, PolicyPrismaClient } from '../policy/index.js';
import { keysetQuery, type PageWindow } from './pagination.js';

/**
 * What a caller may read of the replicas, in the form the page query uses:
 *
 * - **One account's visibility rows**, when the caller's read rule is exactly
 *   "visible to account X" (a Restore Operator or Portal User whose one scoped
 *   account gives its reads). The rule's condition, a `replica_visibility` row
 *   (X, replica), becomes the page's driving index `(accountId, name,
 *   replicaId)`: that account's replicas already in page order, so a page
 *   reads about as many rows as it returns, wherever the scope's replicas fall
 *   in the inventory's name order.
 * - **The rule's `where`** otherwise (administrators, "all objects" scopes,
 *   several scoped accounts whose rows would need a merge in the database's
 *   collation): replicas walked by name, each row tested.
 *
 * Either way the condition is the one CASL derives from the policy's rules;
 * nothing here grants what the rules do not.
 */
export type ReplicaAccess = { visibleTo: string } | { where: Prisma.ReplicaWhereInput };

export function replicaAccess(ability: AppAbility): ReplicaAccess {
  const where = accessibleBy(ability, 'read').ofType('Replica');
  const account = soleVisibilityAccount(where);
  return account ? { visibleTo: account } : { where };
}

/** X when `where` is exactly `{ OR: [{ visibility: { some: { accountId: { in: [X] } } } }] }`, as CASL builds one account's scope rule. */
function soleVisibilityAccount(where: Prisma.ReplicaWhereInput): string | undefined {
  const only = <T extends object>(value: T, key: string) => (Object.keys(value).length === 1 && key in value ? (value as Record<string, unknown>)[key] : undefined);
  const or = only(where, 'OR');
  if (!Array.isArray(or) || or.length !== 1) return undefined;
  const visibility = only(or[0] as object, 'visibility') as object | undefined;
  const some = visibility && (only(visibility, 'some') as object | undefined);
  const accountId = some && (only(some, 'accountId') as object | undefined);
  const ids = accountId && only(accountId, 'in');
  return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === 'string' ? ids[0] : undefined;
}

/** One page of the replicas connection: who may read what, the connection's filter arguments, the window and the columns. */
export interface ReplicaPageQuery {
  access: ReplicaAccess;
  filter: Prisma.ReplicaWhereInput;
  window: PageWindow;
  /** Columns to read; undefined reads every column. */
  select: Prisma.ReplicaSelect | undefined;
}

/** The replicas of one page, in the connection's order (name, then id), the window's extra row included. */
export async function replicaPage(prisma: PolicyPrismaClient, { access, filter, window, select }: ReplicaPageQuery): Promise<Replica[]> {
  if ('where' in access) {
    const keyset = keysetQuery(['name', 'id'], ['asc', 'asc'], window);
    return (await prisma.replica.findMany({ where: { AND: [access.where, filter, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take, select })) as Replica[];
  }
  // (name, replicaId) of a visibility row is (name, id) of its replica: the same keyset, the same cursors.
  const keyset = keysetQuery(['name', 'replicaId'], ['asc', 'asc'], window);
  const rows = await prisma.replicaVisibility.findMany({
    where: { AND: [{ accountId: access.visibleTo }, { replica: { is: filter } }, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
    select: { replica: select ? { select } : true },
  });
  return rows.map((row) => row.replica as Replica);
}

/** How many replicas the connection holds, through the same access form. */
export function replicaCount(prisma: PolicyPrismaClient, access: ReplicaAccess, filter: Prisma.ReplicaWhereInput): Promise<number> {
  return 'where' in access
    ? prisma.replica.count({ where: { AND: [access.where, filter] } })
    : prisma.replicaVisibility.count({ where: { accountId: access.visibleTo, replica: { is: filter } } });
}
