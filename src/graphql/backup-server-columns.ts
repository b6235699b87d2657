import type { Prisma } from '../generated/prisma/client.js';

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
