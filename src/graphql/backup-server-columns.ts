import { Prisma } from '../generated/prisma/client.js';
import { prepared } from '../db/prepared.js';

/**
 * The columns the `BackupServer` type reads. A server row also carries what
 * only `gateway { upstreams }` shows (the VBR sources' state, the unmatched
 * replicas): reading all thirty columns doubled the cost of the statement
 * that gives a page of replicas its servers (docs/reads.md).
 */
export const BACKUP_SERVER_COLUMNS = {
  id: true,
  name: true,
  edition: true,
  version: true,
  description: true,
  lastSyncedAt: true,
  lastSyncFailedAt: true,
  lastSyncError: true,
  stale: true,
} as const satisfies Prisma.BackupServerSelect;

export type BackupServerNode = Prisma.BackupServerGetPayload<{ select: typeof BACKUP_SERVER_COLUMNS }>;

/**
 * The servers of these ids, as the type reads them, in one prepared
 * statement: every page of replicas asks it, and through Prisma's model API
 * it cost about four times PostgreSQL's own time (docs/reads.md). Its text
 * is fixed, so it is planned once per connection.
 */
export function backupServersById(prisma: { $queryRaw<T>(query: Prisma.Sql): Prisma.PrismaPromise<T> }, ids: readonly string[]): Promise<BackupServerNode[]> {
  return prisma.$queryRaw<BackupServerNode[]>(prepared('backupServersById', Prisma.sql`SELECT ${SELECT_LIST} FROM "BackupServer" WHERE id = ANY(${[...ids]}::text[])`));
}

const COLUMN_NAMES = Object.keys(BACKUP_SERVER_COLUMNS) as Array<keyof BackupServerNode>;

const SELECT_LIST = Prisma.raw(COLUMN_NAMES.map((column) => `"${column}"`).join(', '));

/** Where a joined server's columns sit in a row until `nestJoinedServer` takes them out. */
const JOINED = 'backupServer.';

/** The server's columns of a statement that joins `"BackupServer"` as `alias`, named for `nestJoinedServer`. */
export function joinedServerColumns(alias: string): string[] {
  return COLUMN_NAMES.map((column) => `${alias}."${column}" AS "${JOINED}${column}"`);
}

/** The row with its joined server's columns gathered into `backupServer`, as Prisma's model API nests a relation. */
export function nestJoinedServer<T extends Record<string, unknown>>(row: T): T & { backupServer: BackupServerNode } {
  // Copied rather than deleted from: an object that loses properties turns slow for every resolver that reads it.
  const nested: Record<string, unknown> = {};
  for (const key of Object.keys(row)) if (!key.startsWith(JOINED)) nested[key] = row[key];
  const server: Record<string, unknown> = {};
  for (const column of COLUMN_NAMES) server[column] = row[`${JOINED}${column}`];
  nested.backupServer = server;
  return nested as T & { backupServer: BackupServerNode };
}
