import { accessibleBy } from '@casl/prisma/runtime';
import { Prisma, type Replica } from '../generated/prisma/client.js';
import type { AppAbility, PolicyPrismaClient } from '../policy/index.js';
import { prepared } from '../db/prepared.js';
import { isUuid } from '../uuid.js';
import { joinedServerColumns, nestJoinedServer, type BACKUP_SERVER_COLUMNS, type BackupServerNode } from './backup-server-columns.js';
import { badUserInput } from './errors.js';
import { keysetQuery, type PageWindow, type SortKey } from './pagination.js';
import type { ReplicaFilter } from './replica-filter.js';

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
 * Accounts walked in the page's statement, one index walk each: past a few,
 * the single walk by name costs less.
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

/**
 * What a page reads of each replica: columns, and the backup server with the
 * columns its GraphQL type reads (so both walks give the same server).
 */
export type ReplicaPageSelect = Omit<Prisma.ReplicaSelect, 'backupServer'> & { backupServer?: { select: typeof BACKUP_SERVER_COLUMNS } };

/** A replica as a page gives it: its server too when the page's select asked for it. */
export type ReplicaRow = Replica & { backupServer?: BackupServerNode };

/** One page of the replicas connection: who may read what, the connection's filter arguments, the window and the columns. */
export interface ReplicaPageQuery {
  access: ReplicaAccess;
  filter: ReplicaFilter;
  window: PageWindow;
  /** Columns to read; undefined reads every column (and not the server). */
  select: ReplicaPageSelect | undefined;
}

/** The replicas of one page, in the connection's order (name, then id), the window's extra row included. */
export async function replicaPage(prisma: PolicyPrismaClient, query: ReplicaPageQuery): Promise<ReplicaRow[]> {
  for (const key of [query.window.after, query.window.before]) if (key) checkCursor(key);
  const accounts = query.access.visibleTo;
  return accounts ? visibleRows(prisma, accounts, query) : byName(prisma, query.access.where, query);
}

/** A replica cursor is (name, id): anything else was not given out by this connection, and an id that is no UUID would fail the statement. */
function checkCursor([name, id]: SortKey): void {
  if (typeof name !== 'string' || typeof id !== 'string' || !isUuid(id)) throw badUserInput('Cursor is not one the replicas connection gave out');
}

/** Every replica by name, each tested against the rule. */
async function byName(prisma: PolicyPrismaClient, where: Prisma.ReplicaWhereInput, { filter, window, select }: ReplicaPageQuery): Promise<ReplicaRow[]> {
  const keyset = keysetQuery(['name', 'id'], ['asc', 'asc'], window);
  return (await prisma.replica.findMany({ where: { AND: [where, filter.where, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take, select })) as ReplicaRow[];
}

/**
 * The visibility forms, as one statement. Each account's page of its own
 * rows, walked in its index and cut at the page, holds every replica of the
 * merged page that this account grants, so their union holds the whole page;
 * the database orders it in its own collation (JavaScript's order of names is
 * not PostgreSQL's) and cuts it. The walk's account condition *is* the rule's
 * condition, so the rule's `where` is not repeated. Hand-written rather than
 * through Prisma's model API, which sent it as two to five statements and
 * spent more time building and mapping them than PostgreSQL spent running
 * them (docs/reads.md). The page's servers are joined in, when asked for,
 * rather than read by a second statement.
 */
async function visibleRows(prisma: PolicyPrismaClient, accounts: readonly string[], { filter, window, select }: ReplicaPageQuery): Promise<ReplicaRow[]> {
  const order = Prisma.raw(window.backward ? 'DESC' : 'ASC');
  const bounds: Prisma.Sql[] = [];
  // (name, replicaId) of a visibility row is (name, id) of its replica: the same keyset, the same cursors.
  if (window.after) bounds.push(Prisma.sql`(v.name, v."replicaId") > (${window.after[0]}, ${window.after[1]}::uuid)`);
  if (window.before) bounds.push(Prisma.sql`(v.name, v."replicaId") < (${window.before[0]}, ${window.before[1]}::uuid)`);
  // Visibility rows go with their replica (a foreign key that cascades): the replica is joined only to filter on it.
  const joined = filter.conditions.length > 0 ? Prisma.sql`JOIN "Replica" r ON r.id = v."replicaId"` : Prisma.empty;
  const where = Prisma.join([Prisma.sql`v."accountId" = a.id`, ...bounds, ...filter.conditions], ' AND ');
  const withServer = select?.backupServer !== undefined;
  // Prepared per text: planning the page took longer than running it. Its text varies with the document's columns and filters; past a
  // few variants prepared() sends it unnamed (src/db/prepared.ts).
  const rows = await prisma.$queryRaw<Array<Replica & Record<string, unknown>>>(prepared('replicaPage', Prisma.sql`
    SELECT ${columnList(select, withServer)} FROM "Replica" r
    ${withServer ? Prisma.sql`JOIN "BackupServer" s ON s.id = r."backupServerId"` : Prisma.empty}
    WHERE r.id IN (
      SELECT w."replicaId" FROM unnest(${[...accounts]}::uuid[]) AS a(id)
      CROSS JOIN LATERAL (
        SELECT v."replicaId" FROM replica_visibility v ${joined}
        WHERE ${where}
        ORDER BY v.name ${order}, v."replicaId" ${order} LIMIT ${window.take}
      ) w
    )
    ORDER BY r.name ${order}, r.id ${order} LIMIT ${window.take}`));
  return withServer ? rows.map(nestJoinedServer) : rows;
}

const REPLICA_COLUMNS = Object.values(Prisma.ReplicaScalarFieldEnum);

/** Prisma reads a list column that is NULL as an empty list: so does the hand-written page. */
const LIST_COLUMNS: { [K in keyof Replica as Replica[K] extends readonly unknown[] ? K : never]: true } = { refs: true, memberVmRefs: true };

/** The columns `select` asks for (the joined server's as `s`), every column without it; names come from the generated client, never from a request. */
function columnList(select: ReplicaPageSelect | undefined, withServer: boolean): Prisma.Sql {
  const columns = select ? REPLICA_COLUMNS.filter((column) => select[column] === true) : REPLICA_COLUMNS;
  const read = (column: string) => (column in LIST_COLUMNS ? `COALESCE(r."${column}", '{}') AS "${column}"` : `r."${column}"`);
  return Prisma.raw([...columns.map(read), ...(withServer ? joinedServerColumns('s') : [])].join(', '));
}

/** How many replicas the connection holds: one account's rows, or the rule's where. */
export function replicaCount(prisma: PolicyPrismaClient, access: ReplicaAccess, filter: ReplicaFilter): Promise<number> {
  return access.visibleTo?.length === 1
    ? prisma.replicaVisibility.count({ where: { accountId: access.visibleTo[0]!, replica: { is: filter.where } } })
    : prisma.replica.count({ where: { AND: [access.where, filter.where] } });
}
