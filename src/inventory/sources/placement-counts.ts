import type { PrismaClient } from '../../generated/prisma/client.js';
import type { ServerSyncReport } from '../types.js';

const MAX_NAMED = 20;

/**
 * Replicas placed in the hierarchy and not, per backup server, counted in the
 * cache after the pass: a replica whose EM page was skipped unparsed was not
 * joined again, but its stored refs say where it stands (placed: ancestors
 * and itself; not placed: none, or EM's own ref alone). The names of those
 * not placed carry the reason this pass found, else the one stored before.
 */
export async function countPlacements(prisma: PrismaClient, reports: ServerSyncReport[]): Promise<void> {
  const rows = await prisma.$queryRawUnsafe<Array<{ server: string; matched: number; unmatched: number; names: string[] | null }>>(
    `SELECT r."backupServerId" AS server,
            count(*) FILTER (WHERE cardinality(r.refs) > 1)::int AS matched,
            count(*) FILTER (WHERE cardinality(r.refs) <= 1)::int AS unmatched,
            (array_agg(r.name ORDER BY r.name) FILTER (WHERE cardinality(r.refs) <= 1))[1:${MAX_NAMED}] AS names
       FROM "Replica" r GROUP BY 1`,
  );
  const previous = new Map((await prisma.backupServer.findMany({ select: { id: true, unmatched: true } })).map((s) => [s.id, s.unmatched]));
  const byServer = new Map(rows.map((row) => [row.server, row]));
  for (const report of reports) {
    const row = byServer.get(report.id);
    const reasons = [...report.sources.unmatched, ...(previous.get(report.id) ?? [])];
    const why = (name: string) => reasons.find((r) => r.startsWith(`${name}: `)) ?? `${name}: not placed by the sources`;
    report.sources.replicasMatched = row?.matched ?? 0;
    report.sources.replicasUnmatched = row?.unmatched ?? 0;
    report.sources.unmatched = (row?.names ?? []).map(why);
  }
}
