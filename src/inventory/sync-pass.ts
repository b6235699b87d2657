import type { Logger } from 'pino';
import { isEmError, type BackupServer, type CdpIntervals, type CdpReplica, type CdpReplicaVm, type CdpVApp, type EmClient, type EmPage, type Replica } from '../em/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import {
  deleteUnlistedServers,
  markAllServersFailed,
  markServersFailed,
  markServersSynced,
  recordServerSources,
  recordSyncEnd,
  recordSyncStart,
  upsertBackupServers,
} from './backup-servers.js';
import { InventoryWriter } from './bulk-write.js';
import { contentHash, refsHash, replicaId } from './hash.js';
import { loadKnownPoints, loadKnownReplicas, ServerCodes, type KnownPoints, type KnownReplicas } from './known-rows.js';
import { PageRecorder, PageRecords, recordApplies, type PassMemory } from './pass-memory.js';
import { cdpChildren, cdpVAppRow, cdpVAppRowId, cdpVmRow, cdpVmRowId, restorePointRow, vAppReplicaRow, vmReplicaRow, type CdpChildren, type ReplicaRow } from './rows.js';
import { TaskPool } from './task-pool.js';
import type { SourceSettings } from './sources/collect.js';
import { runSourcesStage, type SourcesStage } from './sources/stage.js';
import { sourceFailure, sourcesReport } from './sources/server-facts.js';
import { countPlacements } from './sources/placement-counts.js';
import { syncStates } from './sources/states.js';
import { syncContainers } from './sources/containers.js';
import type { VbrEndpoint } from '../config/vbr-servers.js';
import { createVbrClient, type VbrClient } from '../vbr/index.js';
import { emptyChangeCounts, perKind, type ServerSyncReport, type SyncReport } from './types.js';

export interface SyncPassOptions {
  prisma: PrismaClient;
  em: EmClient;
  /** Each backup server's own REST API (VBR_SERVERS) and the editions stated by the operator. */
  sources: SourceSettings;
  /** Opens a VBR REST client (default: the real one); tests pass their own. */
  connectVbr?: (endpoint: VbrEndpoint) => VbrClient;
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
  /** What the previous pass of this process left (see PassMemory); used only if no other process synced since. */
  memory?: PassMemory;
}

export interface SyncPassResult {
  report: SyncReport;
  /** For the next pass; undefined when this one failed (the tables may then differ from the database). */
  memory?: PassMemory;
}

/** Dead rows (deleted by sweeps) beyond this share of a kept table: reload it from the database instead. */
const MAX_DEAD_SHARE = 0.25;

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
export async function runSyncPass(o: SyncPassOptions): Promise<SyncPassResult> {
  const { prisma, em, logger } = o;
  const startedAt = o.now();
  const writer = new InventoryWriter(prisma, startedAt, o.batchSize);
  const servers = new Map<string, { report: ServerSyncReport; error?: string }>();
  let skipped = 0;
  const memory = (await memoryStillValid(prisma, o.memory)) ? o.memory : undefined;
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
    await recordServerSources(prisma, [...servers.values()].map((s) => s.report), finishedAt);
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

  let listed: BackupServer[];
  try {
    listed = await em.listBackupServers();
  } catch (e) {
    // Nothing is known of this run: every server keeps its rows and is marked stale.
    logger?.warn({ err: e }, 'inventory sync failed: EM did not list the backup servers');
    return { report: await recordFailedSync(prisma, startedAt, o.now(), `Cannot list backup servers: ${message(e)}`) };
  }
  let sources: SourcesStage;
  try {
    sources = await runSourcesStage({
      em,
      servers: listed,
      settings: o.sources,
      connect: o.connectVbr ?? ((endpoint) => createVbrClient({ ...endpoint, logger: logger?.child({ component: 'vbr-client', url: endpoint.url }) })),
      previous: memory?.sources,
      logger,
      signal: o.signal,
    });
  } catch (e) {
    logger?.warn({ err: e }, 'inventory sync failed while reading the backup servers\' own REST APIs');
    return { report: await recordFailedSync(prisma, startedAt, o.now(), `Cannot read the backup servers' sources: ${message(e)}`) };
  }
  try {
    return await runWithSources(sources);
  } finally {
    await sources.close();
  }

  async function runWithSources(sources: SourcesStage): Promise<SyncPassResult> {
    writer.writes += await upsertBackupServers(prisma, listed, sources.facts, startedAt);
    writer.writes += await syncContainers(prisma, sources.facts);
    for (const s of listed) {
      const facts = sources.facts.get(s.uid)!;
      servers.set(s.uid, {
        report: {
          id: s.uid,
          name: s.name,
          edition: facts.edition.value,
          ok: true,
          replicas: perKind(emptyChangeCounts),
          restorePoints: emptyChangeCounts(),
          cdpIntervals: emptyChangeCounts(),
          sources: { ...sourcesReport(facts), replicasMatched: 0, replicasUnmatched: 0, unmatched: [] },
        },
        // A configured REST API that failed: the server's rows keep what the last good sync wrote.
        error: sourceFailure(facts),
      });
    }

    /** Replicas whose rows this pass rewrote (a state change of one of them is no second update). */
    const updatedReplicas = new Set<string>();
    const frozen = new Set([...servers].filter(([, s]) => s.error !== undefined).map(([id]) => id));
    let serverCodes: ServerCodes;
    let knownReplicas: KnownReplicas;
    let knownPoints: KnownPoints;
    if (memory) {
      ({ servers: serverCodes, replicas: knownReplicas, points: knownPoints } = memory);
      knownReplicas.resetSeen();
      knownPoints.resetSeen();
      for (const id of servers.keys()) serverCodes.code(id);
    } else {
      serverCodes = new ServerCodes();
      for (const id of servers.keys()) serverCodes.code(id);
      knownReplicas = await loadKnownReplicas(prisma, serverCodes);
      knownPoints = await loadKnownPoints(prisma, serverCodes);
    }
    logger?.debug({ kept: memory !== undefined, replicas: knownReplicas.size, points: knownPoints.size }, memory ? 'known rows kept from the last pass' : 'known rows read from the database');
    const pool = new TaskPool(o.cdpConcurrency);
    const cdpDone: Array<{ children: CdpChildren; stored: boolean }> = [];
    let cdpFatal: unknown;
    const windowTo = o.now();
    const window = { from: new Date(windowTo.getTime() - o.cdpWindowMs), to: windowTo };

    /** The listed backup server `uid` names, if any. */
    const listedServer = (uid: string | undefined): string | undefined => (uid !== undefined && servers.has(uid) ? uid : undefined);
    const serverOf = (uid: string | undefined): string | undefined => {
      const server = listedServer(uid);
      if (server === undefined) skipped++;
      return server;
    };

    /** Returns false when the row was already seen in this pass (several points of one VM replica), else what it was. */
    const offerReplica = (row: ReplicaRow): false | 'added' | 'updated' | 'unchanged' => {
      const known = knownReplicas.find(row.id);
      if (known >= 0 && knownReplicas.seen(known)) return false;
      const counts = servers.get(row.backupServerId)!.report.replicas[row.kind];
      // Its REST API failed for now: a known row keeps what the last good sync wrote (the server is marked stale).
      if (known >= 0 && frozen.has(row.backupServerId)) {
        knownReplicas.markSeen(known);
        counts.unchanged++;
        return 'unchanged';
      }
      if (known < 0) {
        knownReplicas.add(row.id, row.kind, row.backupServerId, row.contentHash, refsHash(row.refs), null, true);
        writer.addReplica(row, 'insert');
        counts.added++;
        return 'added';
      }
      knownReplicas.markSeen(known);
      if (knownReplicas.hashEquals(known, row.contentHash)) {
        counts.unchanged++;
        return 'unchanged';
      }
      const refs = refsHash(row.refs);
      const keepRefs = knownReplicas.refsEquals(known, refs);
      writer.addReplica(row, keepRefs ? 'keep' : 'replace');
      if (!keepRefs) knownReplicas.setRefs(known, refs);
      knownReplicas.setHash(known, row.contentHash);
      knownReplicas.setServer(known, row.backupServerId);
      knownReplicas.setKind(known, row.kind);
      counts.updated++;
      updatedReplicas.add(row.id);
      return 'updated';
    };

    /** Whether this pass reads the CDP intervals of a CDP VM or vApp just offered. */
    const wantsCdp = (id: string, offered: ReturnType<typeof offerReplica>): boolean => {
      if (offered === false) return false;
      if (o.refreshCdpIntervals || offered !== 'unchanged') return true;
      return !knownReplicas.hasCdp(knownReplicas.find(id));
    };

    /**
     * Offers a CDP VM's or vApp's row. A row this process last built from the
     * same inputs (`input`: EM's object, its policy, its server, and the
     * context of every other source) is the same row: it is taken as
     * unchanged without being placed, so a server whose hierarchy did not
     * change need not have it built. Otherwise the row is built and offered.
     */
    const offerCdp = async (id: string, server: string, input: string, build: () => ReplicaRow): Promise<ReturnType<typeof offerReplica>> => {
      const known = knownReplicas.find(id);
      if (known >= 0 && !knownReplicas.seen(known) && knownReplicas.inputEquals(known, input)) {
        knownReplicas.markSeen(known);
        servers.get(server)!.report.replicas[knownReplicas.kind(known)].unchanged++;
        return 'unchanged';
      }
      await sources.ready(server);
      const offered = offerReplica(build());
      // A frozen server's row keeps what the last good sync wrote, not what these inputs build: no input matches it.
      knownReplicas.setInput(knownReplicas.find(id), frozen.has(server) ? '' : input);
      return offered;
    };

    /** Returns the point's row in knownPoints. */
    const offerPoint = (p: Parameters<typeof restorePointRow>[0], replica: string, server: string): number => {
      const row = restorePointRow(p, replica);
      const known = knownPoints.find(row.id);
      if (known >= 0 && knownPoints.seen(known)) return known;
      const counts = servers.get(server)!.report.restorePoints;
      if (known < 0) {
        writer.addPoint(row);
        counts.added++;
        return knownPoints.add(row.id, server, row.contentHash, true);
      }
      knownPoints.markSeen(known);
      knownPoints.setServer(known, server);
      if (knownPoints.hashEquals(known, row.contentHash)) {
        counts.unchanged++;
        return known;
      }
      knownPoints.setHash(known, row.contentHash);
      writer.addPoint(row);
      counts.updated++;
      return known;
    };

    /** Takes a recorded page's rows as seen and unchanged (see recordApplies). */
    const takeRecorded = (record: NonNullable<ReturnType<PageRecords['get']>>): void => {
      for (const row of record.points) {
        if (knownPoints.seen(row)) continue;
        knownPoints.markSeen(row);
        servers.get(knownPoints.server(row))!.report.restorePoints.unchanged++;
      }
      for (const row of record.replicas) {
        if (knownReplicas.seen(row)) continue;
        knownReplicas.markSeen(row);
        servers.get(knownReplicas.server(row))!.report.replicas[knownReplicas.kind(row)].unchanged++;
      }
      skipped += record.skipped;
    };

    const scheduleCdp = async (row: { id: string; backupServerId: string; name: string }, fetch: () => Promise<CdpIntervals>): Promise<void> => {
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
      if (o.signal?.aborted) throw new PassAborted(INTERRUPTED);
      await writer.flushIfFull();
    };

    let fatal: string | undefined;
    /** This pass's page records (set once the job-level replicas are known). */
    let pages: PageRecords | undefined;
    try {
      // Job-level replicas and CDP replicas are few (one per job or policy): kept whole for lookups.
      const jobs = new Map<string, Replica>();
      for await (const page of em.listReplicas()) for (const r of page) jobs.set(r.uid, r);
      const policies = new Map<string, CdpReplica>();
      for await (const page of em.listCdpReplicas()) for (const c of page) policies.set(c.id, c);
      phase('jobs and policies');

      // A point page's rows depend on the page and on these: pages recorded under other ones are not reused.
      pages = new PageRecords(
        contentHash([[...jobs.values()].map((j) => [j.uid, j.platform, j.backupServerUid]), [...servers.keys()], sources.digest]),
      );
      const recorded = memory?.pages.context === pages.context ? memory.pages : undefined;
      const context = pages.context;

      /**
       * One restore point listing. A page whose fingerprint matches the one
       * recorded last pass, and whose record still applies, is not parsed: its
       * rows are taken as seen and unchanged. Other pages are parsed and offered,
       * once the hierarchies of the servers their points are on are built.
       */
      const streamPointPages = async <P>(
        listing: string,
        source: AsyncIterable<EmPage<P>>,
        serverUidOf: (p: P) => string | undefined,
        offer: (p: P, page: PageRecorder) => void,
      ): Promise<void> => {
        let n = 0;
        for await (const page of source) {
          const key = `${listing}#${n++}`;
          const record = recorded?.get(key);
          if (record !== undefined && record.fingerprint === page.fingerprint && recordApplies(record, knownReplicas, knownPoints)) {
            takeRecorded(record);
            pages!.set(key, record);
          } else {
            const items = page.items();
            for (const server of new Set(items.map((p) => listedServer(serverUidOf(p))))) if (server !== undefined) await sources.ready(server);
            const recorder = new PageRecorder();
            for (const p of items) offer(p, recorder);
            pages!.set(key, recorder.finish(page.fingerprint));
          }
          await checkpoint();
        }
        phase(listing);
      };

      /** Offers a point and, for the first point of its replica in this pass, the replica's row. */
      const offerWithReplica = (recorder: PageRecorder, id: string, server: string, build: () => ReplicaRow, point: () => number): void => {
        let row = knownReplicas.find(id);
        // A replica has several points: its row is built (and hashed) only for the first one seen.
        const first = row < 0 || !knownReplicas.seen(row);
        if (first) {
          offerReplica(build());
          row = knownReplicas.find(id);
        }
        recorder.replica(row, first);
        recorder.point(point());
      };

      // Restore point listings and CDP listings (with their interval calls) are independent: run side by side.
      const streamPoints = async (): Promise<void> => {
        const pointServer = (p: { backupServerUid?: string; replicaUid: string }): string | undefined => p.backupServerUid ?? jobs.get(p.replicaUid)?.backupServerUid;
        await streamPointPages('VM replica points', em.listVmReplicaPointPages(), pointServer, (p, recorder) => {
          const job = jobs.get(p.replicaUid);
          const server = serverOf(pointServer(p));
          if (server === undefined) return void recorder.skipped++;
          const id = replicaId('VM_REPLICA', p.vmReplicaKey);
          offerWithReplica(recorder, id, server, () => vmReplicaRow(p, job, server, sources.join.vmReplica(p, job, server)), () => offerPoint(p, id, server));
        });
        await streamPointPages('vApp replica points', em.listVAppReplicaPointPages(), pointServer, (p, recorder) => {
          const job = jobs.get(p.replicaUid);
          const server = serverOf(pointServer(p));
          if (server === undefined) return void recorder.skipped++;
          const id = replicaId('VCD_VAPP_REPLICA', p.vAppReplicaKey);
          offerWithReplica(recorder, id, server, () => vAppReplicaRow(p, job, server, sources.join.vAppReplica(p, server)), () => offerPoint(p, id, server));
        });
      };
      const streamCdp = async (): Promise<void> => {
        for await (const page of em.listAllCdpReplicaVms()) {
          for (const vm of page) {
            const policy = policies.get(vm.cdpReplicaId);
            const server = serverOf(vm.backupServerUid ?? policy?.backupServerUid);
            if (server === undefined) continue;
            const id = cdpVmRowId(vm, policy);
            const input = cdpInput(context, 'CDP_VM', server, vm, policy);
            const offered = await offerCdp(id, server, input, () => cdpVmRow(vm, policy, server, sources.join.cdpVm(vm, server)));
            if (wantsCdp(id, offered)) await scheduleCdp({ id, backupServerId: server, name: vm.name }, () => em.getCdpVmIntervals(vm.cdpReplicaId, vm.id, window));
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
            const id = cdpVAppRowId(v);
            const input = cdpInput(context, 'VCD_CDP_VAPP', server, v, policy);
            const offered = await offerCdp(id, server, input, () => cdpVAppRow(v, policy, server, sources.join.cdpVApp(v, server)));
            if (wantsCdp(id, offered)) await scheduleCdp({ id, backupServerId: server, name: v.name }, () => em.getCdpVAppIntervals(v.id, window));
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
      for (const change of await syncStates(prisma, jobs.values(), sources.facts, sources.join, frozen, startedAt)) {
        const counts = servers.get(change.backupServerId)?.report.replicas[change.kind];
        writer.writes++;
        if (counts === undefined || updatedReplicas.has(change.id)) continue;
        // Offered as unchanged (its row was), then its state moved.
        counts.updated++;
        if (counts.unchanged > 0) counts.unchanged--;
      }
      phase('states');
    } catch (e) {
      await pool.drain();
      // Queued batches finish (or fail) before the pass records its end.
      await writer.settle();
      // Stopping is not a failure of EM: other instances sharing the database must not see the servers stale.
      if (e instanceof PassAborted) return { report: interruptedSync(startedAt, o.now(), writer.writes, logger) };
      // Recorded like an EM failure; if the database itself is the problem, recording fails and the caller sees it.
      fatal = message(e);
      logger?.warn({ err: e }, 'inventory sync failed: nothing is deleted, the backup servers are marked stale');
    }
    const countMatches = (): void => {
      for (const [id, s] of servers) {
        const c = sources.join.matchCounts(id);
        s.report.sources.replicasMatched = c.matched;
        s.report.sources.replicasUnmatched = c.unmatched;
        s.report.sources.unmatched = c.unmatchedNames;
      }
    };
    countMatches();
    if (fatal !== undefined) return { report: await finish(fatal, []) };

    // Sweep: only servers whose every listing and call succeeded lose their unseen rows.
    const complete = new Set([...servers].filter(([, s]) => s.error === undefined).map(([id]) => id));
    const unseenPoints = knownPoints.unseen(complete, (row) => servers.get(knownPoints.server(row))!.report.restorePoints.removed++);
    await writer.deletePoints(unseenPoints);
    knownPoints.remove(unseenPoints);
    const unseenReplicas = knownReplicas.unseen(complete, (row) => servers.get(knownReplicas.server(row))!.report.replicas[knownReplicas.kind(row)].removed++);
    await writer.deleteReplicas(unseenReplicas);
    knownReplicas.remove(unseenReplicas);
    const removedServers = await deleteUnlistedServers(prisma, new Set(servers.keys()));
    writer.writes += removedServers.length;
    await countPlacements(prisma, [...servers.values()].map((s) => s.report));
    const report = await finish(undefined, removedServers);
    // Kept only when the tables are exactly the database: every write made, nothing deleted behind their back.
    const keep =
      report.ok &&
      removedServers.length === 0 &&
      pages !== undefined &&
      knownReplicas.dead <= knownReplicas.length * MAX_DEAD_SHARE &&
      knownPoints.dead <= knownPoints.length * MAX_DEAD_SHARE;
    return { report, memory: keep ? { startedAt, servers: serverCodes, replicas: knownReplicas, points: knownPoints, pages: pages!, sources: sources.records } : undefined };
  }
}

/**
 * What a CDP VM's or vApp's row is built from (see offerCdp): the page-record
 * context (every source's digest), EM's object, its policy and its server.
 */
function cdpInput(context: string, kind: 'CDP_VM' | 'VCD_CDP_VAPP', server: string, object: CdpReplicaVm | CdpVApp, policy: CdpReplica | undefined): string {
  return contentHash([context, kind, server, object, policy?.uid ?? null, policy?.policyUid ?? null, policy?.policyName ?? null]);
}

/**
 * Records a pass that learnt nothing of any server (EM did not list them, or
 * the pass could not run to its end): every server keeps its rows and is
 * marked stale with `error`. Returns the pass's report.
 */
export async function recordFailedSync(prisma: PrismaClient, startedAt: Date, finishedAt: Date, error: string): Promise<SyncReport> {
  await markAllServersFailed(prisma, error, finishedAt);
  await recordSyncEnd(prisma, finishedAt, error);
  return { startedAt, finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime(), ok: false, error, servers: [], removedServers: [], writes: 0, skipped: 0 };
}

/** The message of a pass its own process stopped. */
export const INTERRUPTED = 'The sync was interrupted (the gateway is stopping)';

/**
 * The report of a pass its own process stopped. Nothing of its end is
 * recorded: the freshness columns keep what the last finished pass (of any
 * instance) wrote there, so no server looks stale for a stop.
 */
export function interruptedSync(startedAt: Date, finishedAt: Date, writes: number, logger?: Logger): SyncReport {
  logger?.info({ writes }, 'inventory sync interrupted: the freshness of the backup servers is left as it was');
  return {
    startedAt,
    finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    ok: false,
    error: INTERRUPTED,
    interrupted: true,
    servers: [],
    removedServers: [],
    writes,
    skipped: 0,
  };
}

/** Whether the memory of this process's last pass still describes the database: no other pass started since. */
async function memoryStillValid(prisma: PrismaClient, memory: PassMemory | undefined): Promise<boolean> {
  if (memory === undefined) return false;
  const state = await prisma.inventorySyncState.findUnique({ where: { id: 1 }, select: { lastStartedAt: true } });
  return state?.lastStartedAt?.getTime() === memory.startedAt.getTime();
}
