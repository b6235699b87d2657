import type { Logger } from 'pino';
import { isEmError, type CdpIntervals, type CdpReplica, type EmClient, type Replica } from '../em/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import {
  deleteUnlistedServers,
  editionOf,
  markAllServersFailed,
  markServersFailed,
  markServersSynced,
  recordSyncEnd,
  recordSyncStart,
  upsertBackupServers,
} from './backup-servers.js';
import { InventoryWriter } from './bulk-write.js';
import { refsHash, replicaId } from './hash.js';
import { loadKnownPoints, loadKnownReplicas, ServerCodes } from './known-rows.js';
import { cdpChildren, cdpVAppRow, cdpVmRow, restorePointRow, vAppReplicaRow, vmReplicaRow, type CdpChildren, type ReplicaRow } from './rows.js';
import { TaskPool } from './task-pool.js';
import { emptyChangeCounts, perKind, type ServerSyncReport, type SyncReport } from './types.js';

export interface SyncPassOptions {
  prisma: PrismaClient;
  em: EmClient;
  logger?: Logger;
  /** CDP intervals are read for [now - cdpWindowMs, now]. */
  cdpWindowMs: number;
  /** CDP interval calls in flight at once. */
  cdpConcurrency: number;
  /**
   * Read the CDP intervals of every CDP VM and vApp (true), or only of those
   * that are new, changed or never had their intervals read (false: the
   * stored intervals of the others are kept as they are).
   */
  refreshCdpIntervals: boolean;
  /** Buffered rows per write transaction. */
  batchSize: number;
  now: () => Date;
  /** Aborts between pages; the pass then counts as failed and deletes nothing. */
  signal?: AbortSignal;
}

/** The pass was stopped from outside (the gateway is stopping). */
class PassAborted extends Error {}

/** The other listing failed; its error is the one reported. */
class SiblingFailed extends Error {}

/** EM errors that mean EM (or our access to it) is gone, not that one object is odd. */
function isFatal(e: unknown): boolean {
  return isEmError(e, 'unavailable') || isEmError(e, 'unauthenticated') || isEmError(e, 'session_expired') || !isEmError(e);
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * One full pass: every listing streamed page by page, each row compared with
 * the cache by hash and written only when new or changed (mark), then rows of
 * fully synced servers that were not seen deleted (sweep). A failure that
 * leaves a server's listing incomplete deletes nothing of that server.
 */
export async function runSyncPass(o: SyncPassOptions): Promise<SyncReport> {
  const { prisma, em, logger } = o;
  const startedAt = o.now();
  const writer = new InventoryWriter(prisma, startedAt, o.batchSize);
  const servers = new Map<string, { report: ServerSyncReport; error?: string }>();
  let skipped = 0;
  await recordSyncStart(prisma, startedAt);

  const finish = async (fatal: string | undefined, removedServers: string[]): Promise<SyncReport> => {
    const finishedAt = o.now();
    const failures = new Map<string, string>();
    const synced: string[] = [];
    for (const [id, s] of servers) {
      const error = fatal ?? s.error;
      if (error === undefined) synced.push(id);
      else {
        failures.set(id, error);
        s.report.ok = false;
        s.report.error = error;
      }
    }
    await markServersSynced(prisma, synced, finishedAt);
    await markServersFailed(prisma, failures, finishedAt);
    const ok = fatal === undefined && failures.size === 0;
    await recordSyncEnd(prisma, finishedAt, ok ? undefined : (fatal ?? `${failures.size} backup server(s) failed: ${[...failures.values()][0]}`));
    const report: SyncReport = {
      startedAt,
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      ok,
      error: fatal,
      servers: [...servers.values()].map((s) => s.report),
      removedServers,
      writes: writer.writes,
      skipped,
    };
    logger?.[ok ? 'info' : 'warn']({ durationMs: report.durationMs, writes: report.writes, skipped, error: fatal, failedServers: failures.size }, 'inventory sync finished');
    return report;
  };

  let listed;
  try {
    listed = await em.listBackupServers();
  } catch (e) {
    // Nothing is known of this run: every server keeps its rows and is marked stale.
    const error = `Cannot list backup servers: ${message(e)}`;
    const finishedAt = o.now();
    await markAllServersFailed(prisma, error, finishedAt);
    await recordSyncEnd(prisma, finishedAt, error);
    logger?.warn({ err: e }, 'inventory sync failed: EM did not list the backup servers');
    return { startedAt, finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime(), ok: false, error, servers: [], removedServers: [], writes: 0, skipped: 0 };
  }
  writer.writes += await upsertBackupServers(prisma, listed, startedAt);
  for (const s of listed) {
    servers.set(s.uid, {
      report: {
        id: s.uid,
        name: s.name,
        edition: editionOf(s.edition),
        ok: true,
        replicas: perKind(emptyChangeCounts),
        restorePoints: emptyChangeCounts(),
        cdpIntervals: emptyChangeCounts(),
      },
    });
  }

  const serverCodes = new ServerCodes();
  for (const id of servers.keys()) serverCodes.code(id);
  const knownReplicas = await loadKnownReplicas(prisma, serverCodes);
  const knownPoints = await loadKnownPoints(prisma, serverCodes);
  const pool = new TaskPool(o.cdpConcurrency);
  const cdpDone: Array<{ children: CdpChildren; stored: boolean }> = [];
  let cdpFatal: unknown;
  const windowTo = o.now();
  const window = { from: new Date(windowTo.getTime() - o.cdpWindowMs), to: windowTo };

  const serverOf = (uid: string | undefined): string | undefined => {
    if (uid !== undefined && servers.has(uid)) return uid;
    skipped++;
    return undefined;
  };

  /** Returns false when the row was already seen in this pass (several points of one VM replica), else what it was. */
  const offerReplica = (row: ReplicaRow): false | 'added' | 'updated' | 'unchanged' => {
    const known = knownReplicas.find(row.id);
    if (known >= 0 && knownReplicas.seen(known)) return false;
    const counts = servers.get(row.backupServerId)!.report.replicas[row.kind];
    if (known < 0) {
      knownReplicas.add(row.id, row.kind, row.backupServerId, row.contentHash, null, null, true);
      writer.addReplica(row, 'insert');
      counts.added++;
      return 'added';
    }
    knownReplicas.markSeen(known);
    if (knownReplicas.hashEquals(known, row.contentHash)) {
      counts.unchanged++;
      return 'unchanged';
    }
    writer.addReplica(row, knownReplicas.refsEquals(known, refsHash(row.refs)) ? 'keep' : 'replace');
    knownReplicas.setHash(known, row.contentHash);
    knownReplicas.setServer(known, row.backupServerId);
    knownReplicas.setKind(known, row.kind);
    counts.updated++;
    return 'updated';
  };

  const seenReplica = (id: string): boolean => {
    const known = knownReplicas.find(id);
    return known >= 0 && knownReplicas.seen(known);
  };

  /** Whether this pass reads the CDP intervals of a CDP VM or vApp just offered. */
  const wantsCdp = (row: ReplicaRow, offered: ReturnType<typeof offerReplica>): boolean => {
    if (offered === false) return false;
    if (o.refreshCdpIntervals || offered !== 'unchanged') return true;
    return !knownReplicas.hasCdp(knownReplicas.find(row.id));
  };

  const offerPoint = (p: Parameters<typeof restorePointRow>[0], replica: string, server: string): void => {
    const row = restorePointRow(p, replica);
    const known = knownPoints.find(row.id);
    if (known >= 0 && knownPoints.seen(known)) return;
    const counts = servers.get(server)!.report.restorePoints;
    if (known < 0) {
      knownPoints.add(row.id, server, row.contentHash, true);
      writer.addPoint(row);
      counts.added++;
      return;
    }
    knownPoints.markSeen(known);
    knownPoints.setServer(known, server);
    if (knownPoints.hashEquals(known, row.contentHash)) {
      counts.unchanged++;
      return;
    }
    knownPoints.setHash(known, row.contentHash);
    writer.addPoint(row);
    counts.updated++;
  };

  const scheduleCdp = async (row: ReplicaRow, fetch: () => Promise<CdpIntervals>): Promise<void> => {
    await pool.add(async () => {
      if (cdpFatal !== undefined) return;
      try {
        const children = cdpChildren(row.id, await fetch());
        const known = knownReplicas.find(row.id);
        const counts = servers.get(row.backupServerId)!.report.cdpIntervals;
        if (knownReplicas.cdpEquals(known, children.hash)) {
          counts.unchanged++;
          return;
        }
        const stored = knownReplicas.hasCdp(known);
        if (!stored) counts.added++;
        else counts.updated++;
        knownReplicas.setCdp(known, children.hash);
        cdpDone.push({ children, stored });
      } catch (e) {
        // Gone between the listing and this call: the next sync removes it.
        if (isEmError(e, 'not_found')) return;
        if (isFatal(e)) cdpFatal ??= e;
        else servers.get(row.backupServerId)!.error ??= `CDP intervals of ${row.name}: ${message(e)}`;
      }
    });
    await drainCdp();
  };

  const drainCdp = async (): Promise<void> => {
    if (cdpFatal !== undefined) throw cdpFatal;
    for (const { children, stored } of cdpDone.splice(0)) writer.addCdp(children, stored);
    await writer.flushIfFull();
  };

  const passStart = performance.now();
  const phase = (name: string): void => {
    logger?.debug({ phase: name, msSinceStart: Math.round(performance.now() - passStart) }, 'inventory sync phase done');
  };

  /** Set when one listing failed, so the other stops at its next page. */
  let failed = false;
  const checkpoint = async (): Promise<void> => {
    if (failed) throw new SiblingFailed('another listing failed');
    if (o.signal?.aborted) throw new PassAborted('The sync was interrupted (the gateway is stopping)');
    await writer.flushIfFull();
  };

  let fatal: string | undefined;
  try {
    // Job-level replicas and CDP replicas are few (one per job or policy): kept whole for lookups.
    const jobs = new Map<string, Replica>();
    for await (const page of em.listReplicas()) for (const r of page) jobs.set(r.uid, r);
    const policies = new Map<string, CdpReplica>();
    for await (const page of em.listCdpReplicas()) for (const c of page) policies.set(c.id, c);
    phase('jobs and policies');

    // Restore point listings and CDP listings (with their interval calls) are independent: run side by side.
    const streamPoints = async (): Promise<void> => {
      for await (const page of em.listVmReplicaPoints()) {
        for (const p of page) {
          const job = jobs.get(p.replicaUid);
          const server = serverOf(p.backupServerUid ?? job?.backupServerUid);
          if (server === undefined) continue;
          // A VM replica has several points: its row is built (and hashed) only for the first one seen.
          const id = replicaId('VM_REPLICA', p.vmReplicaKey);
          if (!seenReplica(id)) offerReplica(vmReplicaRow(p, job, server));
          offerPoint(p, id, server);
        }
        await checkpoint();
      }
      phase('VM replica points');
      for await (const page of em.listVAppReplicaPoints()) {
        for (const p of page) {
          const job = jobs.get(p.replicaUid);
          const server = serverOf(p.backupServerUid ?? job?.backupServerUid);
          if (server === undefined) continue;
          const id = replicaId('VCD_VAPP_REPLICA', p.vAppReplicaKey);
          if (!seenReplica(id)) offerReplica(vAppReplicaRow(p, job, server));
          offerPoint(p, id, server);
        }
        await checkpoint();
      }
      phase('vApp replica points');
    };
    const streamCdp = async (): Promise<void> => {
      for await (const page of em.listAllCdpReplicaVms()) {
        for (const vm of page) {
          const policy = policies.get(vm.cdpReplicaId);
          const server = serverOf(vm.backupServerUid ?? policy?.backupServerUid);
          if (server === undefined) continue;
          const row = cdpVmRow(vm, policy, server);
          if (wantsCdp(row, offerReplica(row))) await scheduleCdp(row, () => em.getCdpVmIntervals(vm.cdpReplicaId, vm.id, window));
        }
        await checkpoint();
      }
      phase('CDP VMs');
      const policiesByUid = new Map([...policies.values()].map((c) => [c.uid, c]));
      for await (const page of em.listCdpVApps()) {
        for (const v of page) {
          const policy = v.cdpReplicaUid === undefined ? undefined : policiesByUid.get(v.cdpReplicaUid);
          const server = serverOf(v.backupServerUid ?? policy?.backupServerUid);
          if (server === undefined) continue;
          const row = cdpVAppRow(v, policy, server);
          if (wantsCdp(row, offerReplica(row))) await scheduleCdp(row, () => em.getCdpVAppIntervals(v.id, window));
        }
        await checkpoint();
      }
      await pool.drain();
      await drainCdp();
    };
    const guard = (stream: Promise<void>): Promise<void> =>
      stream.catch((e: unknown) => {
        failed = true;
        throw e;
      });
    const results = await Promise.allSettled([guard(streamPoints()), guard(streamCdp())]);
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (errors.length > 0) throw errors.find((e) => !(e instanceof SiblingFailed)) ?? errors[0];
    await writer.flush();
    phase('listings');
  } catch (e) {
    await pool.drain();
    // Queued batches finish (or fail) before the pass records its end.
    await writer.settle();
    // Recorded like an EM failure; if the database itself is the problem, recording fails and the caller sees it.
    fatal = message(e);
    logger?.warn({ err: e }, 'inventory sync failed: nothing is deleted, the backup servers are marked stale');
  }
  if (fatal !== undefined) return finish(fatal, []);

  // Sweep: only servers whose every listing and call succeeded lose their unseen rows.
  const complete = new Set([...servers].filter(([, s]) => s.error === undefined).map(([id]) => id));
  await writer.deletePoints(knownPoints.unseen(complete, (row) => servers.get(knownPoints.server(row))!.report.restorePoints.removed++));
  await writer.deleteReplicas(knownReplicas.unseen(complete, (row) => servers.get(knownReplicas.server(row))!.report.replicas[knownReplicas.kind(row)].removed++));
  const removedServers = await deleteUnlistedServers(prisma, new Set(servers.keys()));
  writer.writes += removedServers.length;
  return finish(undefined, removedServers);
}
