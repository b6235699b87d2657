import type { BackupServer } from '../em/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { contentHash } from './hash.js';
import type { ServerFacts } from './sources/server-facts.js';
import type { LicenseEdition, ServerSyncReport } from './types.js';

/** Backup server rows and their freshness columns. */

/**
 * Writes the listed servers whose synced fields changed and stamps every one
 * with the start of this sync. The edition is the sources' (license, else a
 * setting); a license that could not be read for now keeps the last known
 * edition rather than turning it unknown. Returns how many rows were
 * inserted or updated.
 */
export async function upsertBackupServers(prisma: PrismaClient, servers: BackupServer[], facts: Map<string, ServerFacts>, startedAt: Date): Promise<number> {
  const existing = new Map(
    (await prisma.backupServer.findMany({ select: { id: true, contentHash: true, edition: true } })).map((s) => [s.id, s]),
  );
  let writes = 0;
  for (const s of servers) {
    const f = facts.get(s.uid)!;
    const known = existing.get(s.uid);
    const keepEdition = f.edition.source === 'UNKNOWN' && f.license.transient === true && known !== undefined;
    const edition: LicenseEdition = keepEdition ? known.edition : f.edition.value;
    const data = { emId: s.id, name: s.name, edition, version: s.version ?? null, description: s.description ?? null };
    const hash = contentHash([data.emId, data.name, data.edition, data.version, data.description]);
    if (known?.contentHash === hash) continue;
    writes++;
    if (known === undefined) await prisma.backupServer.create({ data: { id: s.uid, ...data, contentHash: hash, lastSyncStartedAt: startedAt } });
    else await prisma.backupServer.update({ where: { id: s.uid }, data: { ...data, contentHash: hash, updatedAt: startedAt } });
  }
  if (servers.length > 0) {
    await prisma.backupServer.updateMany({ where: { id: { in: servers.map((s) => s.uid) } }, data: { lastSyncStartedAt: startedAt } });
  }
  return writes;
}

/** Stores what each server's sources said this sync (freshness columns: not counted as writes). A source read now gets its time; one that failed keeps the time of its last good read. */
export async function recordServerSources(prisma: PrismaClient, reports: ServerSyncReport[], at: Date): Promise<void> {
  for (const r of reports) {
    const s = r.sources;
    await prisma.backupServer.updateMany({
      where: { id: r.id },
      data: {
        editionSource: s.editionSource,
        editionDetail: s.editionDetail,
        vbrConfigured: s.configured,
        vbrReachable: s.reachable,
        vbrRevision: s.revision,
        licenseError: s.license.error ?? null,
        replicaStatesError: s.replicaStates.error ?? null,
        hierarchyError: s.hierarchy.error ?? null,
        ...(s.license.ok ? { licenseReadAt: at } : {}),
        ...(s.replicaStates.ok ? { replicaStatesReadAt: at } : {}),
        ...(s.hierarchy.ok ? { hierarchyReadAt: at, hierarchyObjects: s.hierarchyObjects } : {}),
        replicasMatched: s.replicasMatched,
        replicasUnmatched: s.replicasUnmatched,
        unmatched: s.unmatched,
      },
    });
  }
}

/** Deletes the servers EM no longer lists (cascading to everything under them); returns their ids. */
export async function deleteUnlistedServers(prisma: PrismaClient, listed: Set<string>): Promise<string[]> {
  const gone = (await prisma.backupServer.findMany({ select: { id: true } })).map((s) => s.id).filter((id) => !listed.has(id));
  if (gone.length > 0) await prisma.backupServer.deleteMany({ where: { id: { in: gone } } });
  return gone;
}

export async function markServersSynced(prisma: PrismaClient, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await prisma.backupServer.updateMany({ where: { id: { in: ids } }, data: { lastSyncedAt: at, stale: false, lastSyncError: null } });
}

/** The cache keeps these servers' rows as they were; they are flagged stale with the reason. */
export async function markServersFailed(prisma: PrismaClient, failures: Map<string, string>, at: Date): Promise<void> {
  for (const [id, error] of failures) {
    await prisma.backupServer.updateMany({ where: { id }, data: { lastSyncFailedAt: at, stale: true, lastSyncError: error } });
  }
}

/** Marks every known server failed: for errors that leave no server's data complete (EM down, listing failed). */
export async function markAllServersFailed(prisma: PrismaClient, error: string, at: Date): Promise<string[]> {
  const ids = (await prisma.backupServer.findMany({ select: { id: true } })).map((s) => s.id);
  await prisma.backupServer.updateMany({ data: { lastSyncFailedAt: at, stale: true, lastSyncError: error } });
  return ids;
}

export async function recordSyncStart(prisma: PrismaClient, at: Date): Promise<void> {
  await prisma.inventorySyncState.upsert({ where: { id: 1 }, create: { id: 1, lastStartedAt: at }, update: { lastStartedAt: at } });
}

export async function recordSyncEnd(prisma: PrismaClient, at: Date, error: string | undefined): Promise<void> {
  const data = error === undefined ? { lastFinishedAt: at, lastSucceededAt: at, lastError: null } : { lastFinishedAt: at, lastError: error };
  await prisma.inventorySyncState.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
}
