import type { PrismaClient } from '../generated/prisma/client.js';
import { perKind, REPLICA_KINDS, type InventorySummary, type ReplicaKind, type ServerSummary } from './types.js';

/** Counts per backup server and kind, with each server's freshness: a handful of grouped queries. */
export async function inventorySummary(prisma: PrismaClient): Promise<InventorySummary> {
  const [servers, state, replicaCounts, pointCounts, rangeCounts, longTermCounts] = await Promise.all([
    prisma.backupServer.findMany({ orderBy: { name: 'asc' } }),
    prisma.inventorySyncState.findUnique({ where: { id: 1 } }),
    prisma.$queryRawUnsafe<Array<{ s: string; kind: ReplicaKind; n: number }>>(
      `SELECT "backupServerId" AS s, kind::text AS kind, count(*)::int AS n FROM "Replica" GROUP BY 1, 2`,
    ),
    countPerServer(prisma, 'RestorePoint'),
    countPerServer(prisma, 'CdpRange'),
    countPerServer(prisma, 'CdpLongTermPoint'),
  ]);
  const totals: InventorySummary['totals'] = { replicas: perKind(() => 0), allReplicas: 0, restorePoints: 0, cdpRanges: 0, cdpLongTermPoints: 0 };
  const byServer = new Map<string, ServerSummary>();
  for (const s of servers) {
    byServer.set(s.id, {
      id: s.id,
      name: s.name,
      edition: s.edition,
      version: s.version,
      lastSyncStartedAt: s.lastSyncStartedAt,
      lastSyncedAt: s.lastSyncedAt,
      lastSyncFailedAt: s.lastSyncFailedAt,
      lastSyncError: s.lastSyncError,
      stale: s.stale,
      replicas: perKind(() => 0),
      restorePoints: pointCounts.get(s.id) ?? 0,
      cdpRanges: rangeCounts.get(s.id) ?? 0,
      cdpLongTermPoints: longTermCounts.get(s.id) ?? 0,
      sources: {
        configured: s.vbrConfigured,
        reachable: s.vbrReachable,
        revision: s.vbrRevision,
        editionSource: s.editionSource,
        editionDetail: s.editionDetail,
        license: { error: s.licenseError, readAt: s.licenseReadAt },
        replicaStates: { error: s.replicaStatesError, readAt: s.replicaStatesReadAt },
        hierarchy: { error: s.hierarchyError, readAt: s.hierarchyReadAt },
        hierarchyObjects: s.hierarchyObjects,
        replicasMatched: s.replicasMatched,
        replicasUnmatched: s.replicasUnmatched,
        unmatched: s.unmatched,
      },
    });
  }
  for (const row of replicaCounts) {
    const server = byServer.get(row.s);
    if (server && REPLICA_KINDS.includes(row.kind)) server.replicas[row.kind] = row.n;
  }
  for (const s of byServer.values()) {
    for (const kind of REPLICA_KINDS) {
      totals.replicas[kind] += s.replicas[kind];
      totals.allReplicas += s.replicas[kind];
    }
    totals.restorePoints += s.restorePoints;
    totals.cdpRanges += s.cdpRanges;
    totals.cdpLongTermPoints += s.cdpLongTermPoints;
  }
  return {
    lastSync: {
      startedAt: state?.lastStartedAt ?? null,
      finishedAt: state?.lastFinishedAt ?? null,
      succeededAt: state?.lastSucceededAt ?? null,
      error: state?.lastError ?? null,
    },
    servers: [...byServer.values()],
    totals,
  };
}

async function countPerServer(prisma: PrismaClient, table: 'RestorePoint' | 'CdpRange' | 'CdpLongTermPoint'): Promise<Map<string, number>> {
  const rows = await prisma.$queryRawUnsafe<Array<{ s: string; n: number }>>(
    `SELECT r."backupServerId" AS s, count(*)::int AS n FROM "${table}" c JOIN "Replica" r ON r.id = c."replicaId" GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.s, r.n]));
}
