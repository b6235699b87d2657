import type { Prisma } from '../generated/prisma/client.js';
import type { LicenseEdition, ReplicaKind } from '../generated/prisma/enums.js';
import { nameContains } from './name-search.js';

/** The `filter` argument of `replicas`, as the resolver receives it (backupServerId already a database id). */
export interface ReplicaFilterArgs {
  kinds?: readonly ReplicaKind[] | null;
  backupServerId?: string | null;
  editions?: readonly LicenseEdition[] | null;
  states?: readonly string[] | null;
  search?: string | null;
}

/** The filter as the replica pages read it: a Prisma `where`, from the table below. */
export interface ReplicaFilter {
  where: Prisma.ReplicaWhereInput;
}

type Arg = keyof ReplicaFilterArgs;
type Given<K extends Arg> = NonNullable<ReplicaFilterArgs[K]>;

/** Each argument, when given: its `where`. */
const FILTERS: { [K in Arg]: { where: (value: Given<K>) => Prisma.ReplicaWhereInput } } = {
  kinds: {
    where: (kinds) => ({ kind: { in: [...kinds] } }),
  },
  backupServerId: {
    where: (id) => ({ backupServerId: id }),
  },
  editions: {
    where: (editions) => ({ backupServer: { edition: { in: [...editions] } } }),
  },
  states: {
    where: (states) => ({ state: { in: [...states] } }),
  },
  search: {
    where: (text) => ({ name: nameContains(text) }),
  },
};

export function replicaFilter(args: ReplicaFilterArgs = {}): ReplicaFilter {
  const where: Prisma.ReplicaWhereInput[] = [];
  for (const arg of Object.keys(FILTERS) as Arg[]) {
    const value = args[arg];
    if (value === undefined || value === null) continue;
    const filter = FILTERS[arg] as { where: (v: unknown) => Prisma.ReplicaWhereInput };
    where.push(filter.where(value));
  }
  return { where: { AND: where } };
}
