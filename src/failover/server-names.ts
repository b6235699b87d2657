import type { PrismaClient } from '../generated/prisma/client.js';

type ServerName<Name> = (backupServerId: string) => Promise<Name>;

/**
 * Backup server names by id, each read from the database once: every state
 * read and every look at an operation needs the name to find the server's
 * REST client. A server the database does not hold is asked again next time
 * (a sync may yet bring it), unless `missing` names it: that name is kept like
 * one read.
 */
export function serverNameCache(prisma: PrismaClient): ServerName<string | undefined>;
export function serverNameCache(prisma: PrismaClient, missing: (backupServerId: string) => string): ServerName<string>;
export function serverNameCache(prisma: PrismaClient, missing?: (backupServerId: string) => string): ServerName<string | undefined> {
  const names = new Map<string, string>();
  return async (backupServerId) => {
    let name = names.get(backupServerId);
    if (name !== undefined) return name;
    const server = await prisma.backupServer.findUnique({ where: { id: backupServerId }, select: { name: true } });
    name = server?.name ?? missing?.(backupServerId);
    if (name !== undefined) names.set(backupServerId, name);
    return name;
  };
}
