import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import { EmUnavailableError, type EmClient, type EmPage } from '../../../src/em/index.js';
import { REPLICA_KINDS, type InventorySync } from '../../../src/inventory/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { emFor, simulator, syncOf, tableCounts, totalChanges, writeStamps } from './support.js';

/**
 * The sync's behaviour, run against any database: PGlite in the unit tier,
 * PostgreSQL in the services tier. `open` gives a fresh migrated database.
 */
export function describeSyncScenarios(label: string, open: () => Promise<Database>): void {
  describe(`inventory sync (${label})`, () => {
    let sim: RunningSimulator;
    let em: EmClient;
    const cleanups: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      sim = await simulator();
      em = emFor(sim);
    });
    afterEach(async () => {
      sim.faults = {};
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    afterAll(async () => {
      await em.close();
      await sim.close();
    });

    async function fresh(): Promise<Database> {
      const db = await open();
      cleanups.push(() => db.close());
      return db;
    }

    it('first sync stores servers, all four kinds with refs, restore points and CDP intervals', async () => {
      const db = await fresh();
      const report = await syncOf(db, em).syncNow();
      const c = sim.inventory.counts;
      expect(report.ok).toBe(true);
      expect(report.skipped).toBe(0);
      expect(report.servers).toHaveLength(c.backupServers);

      const counts = await tableCounts(db);
      expect(counts.servers).toBe(c.backupServers);
      expect(counts.replicas).toBe(c.vmReplicas + c.cdpVms + c.vAppReplicas + c.cdpVApps);
      expect(counts.points).toBe(c.vmReplicaPoints + c.vAppReplicaPoints);
      expect(counts.ranges).toBeGreaterThan(0);
      expect(counts.longTerm).toBeGreaterThan(0);

      const perKind = await db.prisma.replica.groupBy({ by: ['kind'], _count: true });
      expect(Object.fromEntries(perKind.map((k) => [k.kind, k._count]))).toEqual({
        VM_REPLICA: c.vmReplicas,
        CDP_VM: c.cdpVms,
        VCD_VAPP_REPLICA: c.vAppReplicas,
        VCD_CDP_VAPP: c.cdpVApps,
      });

      // A VM replica: identity, refs exactly as EM spells them, in the column and the join table, and its points.
      const point = sim.inventory.vmReplicaPoint(0)!;
      const vm = await db.prisma.replica.findFirstOrThrow({
        where: { kind: 'VM_REPLICA', objectRef: point.vmRef },
        include: { replicaRefs: true, restorePoints: true, backupServer: true },
      });
      expect(vm.name).toBe(point.vmDisplayName);
      expect(vm.refs).toEqual(point.hierarchyRefs);
      expect(vm.replicaRefs.map((r) => r.ref).sort()).toEqual([...point.hierarchyRefs].sort());
      expect(vm.restorePoints.map((p) => p.id).sort()).toEqual([0, 1, 2].map((k) => sim.inventory.vmReplicaPoint(k)!.id).sort());
      expect(vm.jobName).toBe(sim.inventory.replica(0)!.jobName);
      expect(vm.backupServer.name).toBe(sim.inventory.backupServer(point.backupServer)!.name);
      expect(vm.state).toBe(sim.inventory.initialState('vm', 0));

      // A CDP VM keeps both ids the failover URL needs, and its intervals.
      const cdp = sim.inventory.cdpVm(0)!;
      const cdpRow = await db.prisma.replica.findFirstOrThrow({ where: { kind: 'CDP_VM', emId: cdp.id }, include: { cdpRanges: true, cdpLongTermPoints: true } });
      expect(cdpRow.parentEmId).toBe(sim.inventory.cdpReplica(cdp.cdpReplica)!.id);
      expect(cdpRow.refs).toEqual(cdp.hierarchyRefs);
      const history = sim.inventory.cdpHistory('cdpVm', 0);
      expect(cdpRow.cdpRanges.map((r) => r.start.getTime()).sort()).toEqual(history.ranges.map((r) => r.start).sort());
      expect(cdpRow.cdpLongTermPoints.map((p) => p.emId).sort()).toEqual(history.longTermPoints.map((p) => p.id).sort());
      expect(cdpRow.cdpLongTermPoints.filter((p) => p.applicationConsistent).length).toBe(history.longTermPoints.filter((p) => p.applicationConsistent).length);

      const vApp = sim.inventory.cdpVApp(0)!;
      const vAppRow = await db.prisma.replica.findFirstOrThrow({ where: { kind: 'VCD_CDP_VAPP', emId: vApp.id }, include: { cdpLongTermPoints: true } });
      expect(vAppRow.memberVmRefs).toEqual(vApp.vmRefs);
      expect(vAppRow.cdpLongTermPoints.length).toBeGreaterThan(0);

      // Scope filtering goes through the ref index.
      const datacenter = point.hierarchyRefs[1]!;
      const inScope = await db.prisma.replica.count({ where: { replicaRefs: { some: { ref: datacenter } } } });
      expect(inScope).toBeGreaterThan(0);

      const summary = await syncOf(db, em).summary();
      expect(summary.totals.allReplicas).toBe(counts.replicas);
      expect(summary.servers.map((s) => s.edition).sort()).toEqual(['COMMUNITY', 'ENTERPRISE', 'ENTERPRISE_PLUS', 'STANDARD']);
      for (const s of summary.servers) {
        expect(s.stale).toBe(false);
        expect(s.lastSyncError).toBeNull();
        expect(s.lastSyncedAt).toEqual(report.finishedAt);
      }
      expect(summary.lastSync.succeededAt).toEqual(report.finishedAt);
    });

    it('a second sync of an unchanged inventory writes nothing', async () => {
      const db = await fresh();
      const sync = syncOf(db, em);
      await sync.syncNow();
      const before = await writeStamps(db);
      const second = await sync.syncNow();
      expect(second.ok).toBe(true);
      expect(second.writes).toBe(0);
      const changes = totalChanges(second);
      expect(changes).toMatchObject({ added: 0, updated: 0, removed: 0 });
      expect(changes.unchanged).toBeGreaterThan(0);
      expect(await writeStamps(db)).toEqual(before);
    });

    /** A client that counts the restore point pages the sync asks to parse. */
    function countingParses(inner: EmClient): { em: EmClient; parsed: () => number } {
      let parsed = 0;
      const counted = <T>(pages: AsyncIterable<EmPage<T>>): AsyncIterable<EmPage<T>> => ({
        async *[Symbol.asyncIterator]() {
          for await (const page of pages) {
            yield { fingerprint: page.fingerprint, items: () => (parsed++, page.items()) };
          }
        },
      });
      const em: EmClient = Object.create(inner, {
        listVmReplicaPointPages: { value: () => counted(inner.listVmReplicaPointPages()) },
        listVAppReplicaPointPages: { value: () => counted(inner.listVAppReplicaPointPages()) },
      });
      return { em, parsed: () => parsed };
    }

    it('a second sync in the same process parses no unchanged restore point page, and still sees a change', async () => {
      const db = await fresh();
      const counting = countingParses(em);
      const sync = syncOf(db, counting.em);
      const first = await sync.syncNow();
      const pages = counting.parsed();
      expect(pages).toBeGreaterThan(2);
      const second = await sync.syncNow();
      expect(second.ok).toBe(true);
      expect(second.writes).toBe(0);
      expect(counting.parsed()).toBe(pages);
      // Every row of the first sync was accounted for, unchanged (none left unseen, so none deleted).
      expect(totalChanges(second)).toEqual({ added: 0, updated: 0, removed: 0, unchanged: totalChanges(first).added });

      // A failover changes that VM replica's state on its backup server's REST API: the state pass writes it, and no EM page is parsed again.
      const inv = sim.inventory;
      const canFailOver = (v: number) =>
        inv.initialState('vm', v) === 'Ready' && ['Enterprise', 'EnterprisePlus'].includes(inv.backupServer(inv.vmReplicaPoint(v * inv.counts.pointsPerReplica)!.backupServer)!.edition);
      let v = 0;
      while (!canFailOver(v)) v++;
      const point = inv.vmReplicaPoint(v * inv.counts.pointsPerReplica)!;
      await em.failoverVmReplicaPoint(point.id);
      try {
        const third = await sync.syncNow();
        expect(totalChanges(third)).toMatchObject({ added: 0, updated: 1, removed: 0 });
        expect(counting.parsed()).toBe(pages);
        expect((await db.prisma.replica.findFirstOrThrow({ where: { objectRef: point.vmRef } })).state).toBe('Failover');
      } finally {
        sim.reset();
      }
    }, 60_000);

    it('rows another process deleted come back: a pass does not trust its memory after another sync', async () => {
      const db = await fresh();
      const mine = syncOf(db, em);
      await mine.syncNow();
      const full = await tableCounts(db);
      const small = await simulator({ size: 20 });
      const smallEm = emFor(small);
      cleanups.push(async () => {
        await smallEm.close();
        await small.close();
      });
      // "Another process" (its own InventorySync) syncs a smaller inventory: most rows go.
      expect((await syncOf(db, smallEm).syncNow()).ok).toBe(true);
      expect((await tableCounts(db)).points).toBeLessThan(full.points);
      const back = await mine.syncNow();
      expect(back.ok).toBe(true);
      expect(await tableCounts(db)).toEqual(full);
    }, 60_000);

    it('cdpIntervalsEvery: 2 reads every CDP unit\'s intervals on the 1st and 3rd sync only, keeping the stored ones in between', async () => {
      const db = await fresh();
      const sync = syncOf(db, em, { cdpIntervalsEvery: 2 });
      const cdpCalls = (r: Awaited<ReturnType<InventorySync['syncNow']>>) =>
        r.servers.reduce((n, s) => n + s.cdpIntervals.added + s.cdpIntervals.updated + s.cdpIntervals.unchanged, 0);
      const first = await sync.syncNow();
      expect(first.ok).toBe(true);
      const units = cdpCalls(first);
      expect(units).toBeGreaterThan(0);
      const counts = await tableCounts(db);
      const before = await writeStamps(db);
      const second = await sync.syncNow();
      expect(second.ok).toBe(true);
      expect(second.writes).toBe(0);
      expect(cdpCalls(second)).toBe(0);
      expect(await tableCounts(db)).toEqual(counts);
      expect(await writeStamps(db)).toEqual(before);
      const third = await sync.syncNow();
      expect(third.ok).toBe(true);
      expect(third.writes).toBe(0);
      expect(third.servers.reduce((n, s) => n + s.cdpIntervals.unchanged, 0)).toBe(units);
      expect(() => syncOf(db, em, { cdpIntervalsEvery: 0 })).toThrow(RangeError);
    });

    it('joins a sync already running', async () => {
      const db = await fresh();
      const sync = syncOf(db, em);
      const [a, b] = await Promise.all([sync.syncNow(), sync.syncNow()]);
      expect(a).toBe(b);
    });

    it('writes only what changed: a failover moves one replica state', async () => {
      const db = await fresh();
      const sync = syncOf(db, em);
      await sync.syncNow();
      // The first VM replica that is Ready, on an edition that can fail over.
      const inv = sim.inventory;
      const canFailOver = (v: number) => {
        const p = inv.vmReplicaPoint(v * inv.counts.pointsPerReplica)!;
        return inv.initialState('vm', v) === 'Ready' && ['Enterprise', 'EnterprisePlus'].includes(inv.backupServer(p.backupServer)!.edition);
      };
      let v = 0;
      while (!canFailOver(v)) v++;
      const point = inv.vmReplicaPoint(v * inv.counts.pointsPerReplica)!;
      const rowBefore = await db.prisma.replica.findFirstOrThrow({ where: { objectRef: point.vmRef } });
      await em.failoverVmReplicaPoint(point.id);
      try {
        const report = await sync.syncNow();
        const changes = totalChanges(report);
        expect(changes).toMatchObject({ added: 0, updated: 1, removed: 0 });
        const server = report.servers.find((s) => s.id === rowBefore.backupServerId)!;
        expect(server.replicas.VM_REPLICA.updated).toBe(1);
        const rowAfter = await db.prisma.replica.findUniqueOrThrow({ where: { id: rowBefore.id } });
        expect(rowAfter.state).toBe('Failover');
        expect(rowAfter.syncedAt.getTime()).toBeGreaterThan(rowBefore.syncedAt.getTime());
        // One replica row written; its refs did not change, so replica_ref was left alone.
        expect(report.writes).toBe(1);
      } finally {
        sim.reset();
      }
    });

    it('removed objects disappear; rows of a smaller inventory are the only ones left', async () => {
      const db = await fresh();
      await syncOf(db, em).syncNow();
      const small = await simulator({ size: 20 });
      const smallEm = emFor(small);
      cleanups.push(async () => {
        await smallEm.close();
        await small.close();
      });
      const report = await syncOf(db, smallEm).syncNow();
      expect(report.ok).toBe(true);
      const c = small.inventory.counts;
      const counts = await tableCounts(db);
      expect(counts.replicas).toBe(c.vmReplicas + c.cdpVms + c.vAppReplicas + c.cdpVApps);
      expect(counts.points).toBe(c.vmReplicaPoints + c.vAppReplicaPoints);
      expect(totalChanges(report).removed).toBeGreaterThan(0);
      // No orphans: refs and CDP rows went with their replicas.
      const orphans = await db.prisma.$queryRawUnsafe<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM replica_ref x LEFT JOIN "Replica" r ON r.id = x."replicaId" WHERE r.id IS NULL`,
      );
      expect(orphans[0]!.n).toBe(0);
    });

    it('EM down: nothing is deleted, servers are marked stale with the error, the last good data stays', async () => {
      const db = await fresh();
      const sync = syncOf(db, em);
      const good = await sync.syncNow();
      const before = await tableCounts(db);
      sim.faults = { errorRate: 1, errorStatus: 503 };
      const failed = await sync.syncNow();
      expect(failed.ok).toBe(false);
      expect(failed.error).toMatch(/503|unavailable/i);
      expect(await tableCounts(db)).toEqual(before);
      const summary = await sync.summary();
      for (const s of summary.servers) {
        expect(s.stale).toBe(true);
        expect(s.lastSyncError).toMatch(/503|unavailable/i);
        expect(s.lastSyncedAt).toEqual(good.finishedAt);
        expect(s.lastSyncFailedAt).toEqual(failed.finishedAt);
      }
      expect(summary.lastSync.error).toMatch(/503|unavailable/i);
      expect(summary.lastSync.succeededAt).toEqual(good.finishedAt);

      sim.faults = {};
      const recovered = await sync.syncNow();
      expect(recovered.ok).toBe(true);
      expect((await sync.summary()).servers.every((s) => !s.stale && s.lastSyncError === null)).toBe(true);
    });

    it('a listing failing mid-sync deletes nothing, even what the earlier listings no longer showed', async () => {
      const db = await fresh();
      await syncOf(db, em).syncNow();
      const before = await tableCounts(db);
      const small = await simulator({ size: 20 });
      const smallEm = emFor(small);
      cleanups.push(async () => {
        await smallEm.close();
        await small.close();
      });
      // The CDP vApp listing comes last: by then the smaller inventory's other listings have been seen.
      const failing: EmClient = Object.create(smallEm, {
        listCdpVApps: {
          value: async function* () {
            yield* [];
            throw new EmUnavailableError('EM is unavailable: connection reset (test)');
          },
        },
      });
      const report = await syncOf(db, failing).syncNow();
      expect(report.ok).toBe(false);
      expect(report.error).toContain('connection reset (test)');
      expect(totalChanges(report).removed).toBe(0);
      const after = await tableCounts(db);
      expect(after.replicas).toBe(before.replicas);
      expect(after.points).toBe(before.points);
      expect(after.servers).toBe(before.servers);
      const summary = await syncOf(db, em).summary();
      expect(summary.servers.every((s) => s.stale && s.lastSyncError?.includes('connection reset (test)'))).toBe(true);
    });

    it('one server failing (an interval call rejected) keeps that server stale and syncs the others', async () => {
      const db = await fresh();
      const first = await syncOf(db, em).syncNow();
      const victim = sim.inventory.cdpVm(0)!;
      const victimServer = sim.inventory.backupServer(victim.backupServer)!.uid;
      const { EmRejectedError } = await import('../../../src/em/index.js');
      const picky: EmClient = Object.create(em, {
        getCdpVmIntervals: {
          value: (cdpReplicaId: string, vmId: string, range: { from: Date; to: Date }) =>
            vmId === victim.id ? Promise.reject(new EmRejectedError('EM answered 400 (test)')) : em.getCdpVmIntervals(cdpReplicaId, vmId, range),
        },
      });
      const report = await syncOf(db, picky).syncNow();
      expect(report.ok).toBe(false);
      const failed = report.servers.filter((s) => !s.ok);
      expect(failed.map((s) => s.id)).toEqual([victimServer]);
      expect(failed[0]!.error).toContain('EM answered 400 (test)');
      const summary = await syncOf(db, em).summary();
      for (const s of summary.servers) {
        expect(s.stale).toBe(s.id === victimServer);
        if (s.id !== victimServer) expect(s.lastSyncedAt).toEqual(report.finishedAt);
        else expect(s.lastSyncedAt).toEqual(first.finishedAt);
      }
      // The victim's CDP rows are the last good ones.
      const row = await db.prisma.replica.findFirstOrThrow({ where: { emId: victim.id }, include: { cdpLongTermPoints: true } });
      expect(row.cdpLongTermPoints.length).toBeGreaterThan(0);
    });

    it('a sync interrupted by stop() changes no freshness: servers keep their state, the last sync its outcome', async () => {
      const db = await fresh();
      const first = await syncOf(db, em).syncNow();
      expect(first.ok).toBe(true);
      const freshness = async () => {
        const summary = await syncOf(db, em).summary();
        return {
          lastSync: { finishedAt: summary.lastSync.finishedAt, succeededAt: summary.lastSync.succeededAt, error: summary.lastSync.error },
          servers: summary.servers.map((s) => ({ id: s.id, stale: s.stale, lastSyncedAt: s.lastSyncedAt, lastSyncFailedAt: s.lastSyncFailedAt, lastSyncError: s.lastSyncError })),
        };
      };
      const before = await freshness();
      const counts = await tableCounts(db);
      // The process stops while the pass reads its first page of restore points.
      let stopping: Promise<void> | undefined;
      const stoppedMidway: EmClient = Object.create(em, {
        listVmReplicaPointPages: {
          value: async function* () {
            for await (const page of em.listVmReplicaPointPages()) {
              stopping ??= sync.stop();
              yield page;
            }
          },
        },
      });
      const sync = syncOf(db, stoppedMidway);
      const report = await sync.syncNow();
      await stopping;
      expect(report.ok).toBe(false);
      expect(report.interrupted).toBe(true);
      expect(report.error).toMatch(/interrupted/);
      expect(await freshness()).toEqual(before);
      expect(await tableCounts(db)).toEqual(counts);
    });

    it('start() syncs at once and stop() ends the schedule', async () => {
      const db = await fresh();
      const sync = syncOf(db, em, { intervalMinutes: 60 });
      sync.start();
      sync.start();
      await expect.poll(async () => (await sync.summary()).lastSync.finishedAt, { timeout: 15_000 }).not.toBeNull();
      await sync.stop();
      const summary = await sync.summary();
      expect(summary.totals.allReplicas).toBe(40);
      for (const kind of REPLICA_KINDS) expect(summary.totals.replicas[kind]).toBeGreaterThan(0);
    });
  });
}
