import type { PrismaClient } from '../generated/prisma/client.js';

export interface VisibilityCache {
  /** Accounts whose restore scope holds the replica. */
  accountsOf(replicaId: string): Promise<readonly string[]>;
  clear(): void;
}

/**
 * Which accounts see a replica, for judging events in memory: an event goes to
 * thousands of watchers, the visibility rows are read once per replica and
 * kept for `ttlMs` (default 15,000), so a scope rebuild reaches running
 * streams within that time.
 */
export function createVisibilityCache(prisma: PrismaClient, ttlMs = 15_000): VisibilityCache {
  const entries = new Map<string, { at: number; accounts: Promise<readonly string[]> }>();
  return {
    accountsOf(replicaId) {
      const now = Date.now();
      const entry = entries.get(replicaId);
      if (entry && now - entry.at < ttlMs) return entry.accounts;
      if (entries.size > 10_000) for (const [id, old] of entries) if (now - old.at >= ttlMs) entries.delete(id);
      const accounts = prisma.replicaVisibility
        .findMany({ where: { replicaId }, select: { accountId: true } })
        .then((rows) => rows.map((row) => row.accountId));
      accounts.catch(() => entries.delete(replicaId));
      entries.set(replicaId, { at: now, accounts });
      return accounts;
    },
    clear: () => entries.clear(),
  };
}
