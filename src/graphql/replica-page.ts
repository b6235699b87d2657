import type { Prisma, Replica } from '../generated/prisma/client.js';
import type { Policy, PolicyPrismaClient } from '../policy/index.js';
import { keysetQuery, type PageWindow } from './pagination.js';

/** One page of the replicas connection: who asks, what they may read, which window and columns. */
export interface ReplicaPageQuery {
  policy: Policy;
  /** The caller's access filter (`accessibleBy`) and the connection's filter arguments, combined. */
  where: Prisma.ReplicaWhereInput;
  window: PageWindow;
  /** Columns to read; undefined reads every column. */
  select: Prisma.ReplicaSelect | undefined;
}

/**
 * The replicas of one page, in the connection's order (name, then id), the
 * window's extra row included. The access filter is always `where`; what
 * differs is which index PostgreSQL walks to find the page:
 *
 * - **The caller's own visibility rows**, when its reads are limited to one
 *   scoped account (a Restore Operator or Portal User whose accounts give no
 *   "all objects" scope): `replica_visibility (accountId, name, replicaId)`
 *   yields that account's replicas already in page order, so a page reads
 *   about as many rows as it returns, wherever the scope's replicas fall in
 *   the inventory's name order.
 * - **Every replica by name** otherwise: administrators and "all objects"
 *   scopes, whose filter lets most rows through; and a principal whose several
 *   scoped accounts overlap, whose rows per account would need a merge in the
 *   database's collation.
 */
export async function replicaPage(prisma: PolicyPrismaClient, query: ReplicaPageQuery): Promise<Replica[]> {
  const account = soleScopedAccount(query.policy);
  return account ? viaVisibility(prisma, account, query) : byName(prisma, query);
}

function soleScopedAccount(policy: Policy): string | undefined {
  const { scopeAll, scopedAccountIds } = policy.rights;
  return !scopeAll && scopedAccountIds.length === 1 ? scopedAccountIds[0] : undefined;
}

async function byName(prisma: PolicyPrismaClient, { where, window, select }: ReplicaPageQuery): Promise<Replica[]> {
  const keyset = keysetQuery(['name', 'id'], ['asc', 'asc'], window);
  return (await prisma.replica.findMany({ where: { AND: [where, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take, select })) as Replica[];
}

async function viaVisibility(prisma: PolicyPrismaClient, accountId: string, { where, window, select }: ReplicaPageQuery): Promise<Replica[]> {
  // (name, replicaId) of a visibility row is (name, id) of its replica: the same keyset, the same cursors.
  const keyset = keysetQuery(['name', 'replicaId'], ['asc', 'asc'], window);
  const rows = await prisma.replicaVisibility.findMany({
    where: { AND: [{ accountId }, { replica: { is: where } }, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
    select: { replica: select ? { select } : true },
  });
  return rows.map((row) => row.replica as Replica);
}
