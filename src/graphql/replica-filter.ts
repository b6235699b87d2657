import { Prisma } from '../generated/prisma/client.js';
import type { LicenseEdition, ReplicaKind } from '../generated/prisma/enums.js';
import { likeLiteral, nameContains } from './name-search.js';

/** The `filter` argument of `replicas`, as the resolver receives it (backupServerId already a database id). */
export interface ReplicaFilterArgs {
  kinds?: readonly ReplicaKind[] | null;
  backupServerId?: string | null;
  editions?: readonly LicenseEdition[] | null;
  states?: readonly string[] | null;
  search?: string | null;
}

/**
 * One filter in the two forms the replica pages are read through: a Prisma
 * `where` (the name walk, counts) and SQL conditions on the replica aliased
 * `r` (the visibility walk, one hand-written statement). Both come from the
 * table below, so they cannot drift apart; test/unit/graphql/replica-page-suite.ts
 * checks that they select the same replicas.
 */
export interface ReplicaFilter {
  where: Prisma.ReplicaWhereInput;
  /** ANDed; empty when nothing is filtered. */
  conditions: Prisma.Sql[];
}

type Arg = keyof ReplicaFilterArgs;
type Given<K extends Arg> = NonNullable<ReplicaFilterArgs[K]>;

/** Each argument, when given: its `where` and its condition. */
const FILTERS: { [K in Arg]: { where: (value: Given<K>) => Prisma.ReplicaWhereInput; sql: (value: Given<K>) => Prisma.Sql } } = {
  kinds: {
    where: (kinds) => ({ kind: { in: [...kinds] } }),
    sql: (kinds) => Prisma.sql`r.kind::text = ANY(${[...kinds]}::text[])`,
  },
  backupServerId: {
    where: (id) => ({ backupServerId: id }),
    sql: (id) => Prisma.sql`r."backupServerId" = ${id}`,
  },
  editions: {
    where: (editions) => ({ backupServer: { edition: { in: [...editions] } } }),
    sql: (editions) => Prisma.sql`r."backupServerId" IN (SELECT s.id FROM "BackupServer" s WHERE s.edition::text = ANY(${[...editions]}::text[]))`,
  },
  states: {
    where: (states) => ({ state: { in: [...states] } }),
    sql: (states) => Prisma.sql`r.state = ANY(${[...states]}::text[])`,
  },
  search: {
    where: (text) => ({ name: nameContains(text) }),
    sql: (text) => Prisma.sql`r.name ILIKE ${`%${likeLiteral(text)}%`}`,
  },
};

export function replicaFilter(args: ReplicaFilterArgs = {}): ReplicaFilter {
  const where: Prisma.ReplicaWhereInput[] = [];
  const conditions: Prisma.Sql[] = [];
  for (const arg of Object.keys(FILTERS) as Arg[]) {
    const value = args[arg];
    if (value === undefined || value === null) continue;
    const filter = FILTERS[arg] as { where: (v: unknown) => Prisma.ReplicaWhereInput; sql: (v: unknown) => Prisma.Sql };
    where.push(filter.where(value));
    conditions.push(filter.sql(value));
  }
  return { where: { AND: where }, conditions };
}
