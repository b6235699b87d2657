import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import type { EmClient } from '../../../src/em/index.js';
import type { SyncWorkerOptions } from '../../../src/inventory/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { emFor, simulator, syncOf, tableCounts, totalChanges, writeStamps } from '../../unit/inventory/support.js';
import { createDatabase } from '../failover-events-support.js';

/** The inventory sync in a worker thread (INVENTORY_SYNC_HEAP_MB), against PostgreSQL and the simulator over HTTP. */
describe('inventory sync in a worker thread (PostgreSQL)', () => {
  let sim: RunningSimulator;
  let em: EmClient;
  const drops: Array<() => Promise<void>> = [];
  const opened: Database[] = [];

  beforeAll(async () => {
    sim = await simulator();
    em = emFor(sim);
  });

  afterAll(async () => {
    for (const db of opened) await db.close();
    for (const drop of drops) await drop();
    await em?.close();
    await sim?.close();
  });

  async function fresh(): Promise<{ db: Database; url: string }> {
    const { url, drop } = await createDatabase('fg_invw');
    drops.push(drop);
    const db = await openDatabase({ databaseUrl: url });
    opened.push(db);
    await applyMigrations(db);
    return { db, url };
  }

  const workerOn = (url: string, heapMb?: number): SyncWorkerOptions => ({
    databaseUrl: url,
    em: { url: sim.url, username: 'em-admin', password: 'em-admin', readRetries: 0, timeoutMs: 5_000, pageSize: 7 },
    heapMb,
  });

  /** Every inventory row a sync writes, in a stable order, without the write times. */
  async function rows(db: Database): Promise<unknown[]> {
    return db.prisma.$queryRawUnsafe(`
      SELECT 'replica' AS t, id::text AS id, "contentHash" AS h, "cdpHash" AS x, array_to_string(refs, ',') AS y FROM "Replica"
      UNION ALL SELECT 'point', id, "contentHash", "replicaId"::text, NULL FROM "RestorePoint"
      UNION ALL SELECT 'ref', "replicaId"::text, ref, NULL, NULL FROM replica_ref
      UNION ALL SELECT 'range', "replicaId"::text, start::text || '/' || "end"::text, type, rpo::text FROM "CdpRange"
      UNION ALL SELECT 'long-term', "replicaId"::text, "emId", date::text, "applicationConsistent"::text FROM "CdpLongTermPoint"
      UNION ALL SELECT 'server', id, name, edition::text, NULL FROM "BackupServer"
      ORDER BY 1, 2, 3, 4, 5`);
  }

  /** A logger at `level` whose records land in the returned array. */
  function capturing(level: pino.Level): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    return { logger: pino({ level }, sink).child({ component: 'inventory' }), lines };
  }

  it('writes exactly what a sync in the calling thread writes; the next pass, in a new worker, starts from the memory handed back and writes nothing', async () => {
    const here = await fresh();
    const there = await fresh();
    const inThread = await syncOf(here.db, em).syncNow();
    const { logger, lines } = capturing('debug');
    const sync = syncOf(there.db, em, { worker: workerOn(there.url), logger });
    const known = () => lines.filter((l) => typeof l.kept === 'boolean').map((l) => l.kept);
    try {
      const first = await sync.syncNow();
      expect(first.ok).toBe(true);
      expect(first.writes).toBe(inThread.writes);
      expect(totalChanges(first)).toEqual(totalChanges(inThread));
      const all = await rows(there.db);
      expect(all.length).toBeGreaterThan(100);
      expect(all).toEqual(await rows(here.db));

      expect(known()).toEqual([false]);

      const stamps = await writeStamps(there.db);
      const second = await sync.syncNow();
      expect(second.ok).toBe(true);
      expect(second.writes).toBe(0);
      expect(totalChanges(second)).toMatchObject({ added: 0, updated: 0, removed: 0 });
      expect(await writeStamps(there.db)).toEqual(stamps);
      // The known rows came back from the first worker and went to the second one: not read again.
      expect(known()).toEqual([false, true]);
      expect(lines.find((l) => l.kept === true)).toMatchObject({ replicas: 40 });

      // A sync by someone else in between: the memory no longer describes the database and is not used.
      await syncOf(there.db, em).syncNow();
      expect((await sync.syncNow()).ok).toBe(true);
      expect(known()).toEqual([false, true, false]);
    } finally {
      await sync.stop();
    }
  });

  it("sends the worker's log records through the gateway's logger", async () => {
    const { db, url } = await fresh();
    const { logger, lines } = capturing('info');
    const sync = syncOf(db, em, { worker: workerOn(url), logger });
    try {
      const report = await sync.syncNow();
      const finished = lines.find((l) => l.msg === 'inventory sync finished');
      expect(finished).toMatchObject({ component: 'inventory', level: 30, writes: report.writes });
    } finally {
      await sync.stop();
    }
  });

  it('a pass ends once its worker has, so the next never runs beside it: never two sync isolates at once', async () => {
    const { db, url } = await fresh();
    const { logger, lines } = capturing('debug');
    const sync = syncOf(db, em, { worker: workerOn(url), logger });
    const lifecycle = () => lines.filter((l) => l.msg === 'inventory sync worker started' || l.msg === 'inventory sync worker ended').map((l) => `${l.msg === 'inventory sync worker started' ? 'start' : 'end'} ${String(l.threadId)}`);
    try {
      expect((await sync.syncNow()).ok).toBe(true);
      const first = lifecycle()[0]!.split(' ')[1];
      // Its heap and buffers are gone when the caller goes on.
      expect(lifecycle()).toEqual([`start ${first}`, `end ${first}`]);
      expect((await sync.syncNow()).ok).toBe(true);
      const second = lifecycle()[2]!.split(' ')[1];
      expect(lifecycle()).toEqual([`start ${first}`, `end ${first}`, `start ${second}`, `end ${second}`]);
    } finally {
      await sync.stop();
    }
  });

  it('EM down: the worker reports the failure, nothing is deleted and the servers are marked stale', async () => {
    const { db, url } = await fresh();
    const sync = syncOf(db, em, { worker: workerOn(url) });
    try {
      await sync.syncNow();
      const before = await tableCounts(db);
      sim.faults = { errorRate: 1, errorStatus: 503 };
      const failed = await sync.syncNow();
      sim.faults = {};
      expect(failed.ok).toBe(false);
      expect(failed.error).toMatch(/503|unavailable/i);
      expect(await tableCounts(db)).toEqual(before);
      expect((await sync.summary()).servers.every((s) => s.stale)).toBe(true);
      expect((await sync.syncNow()).ok).toBe(true);
    } finally {
      sim.faults = {};
      await sync.stop();
    }
  });

  it('a worker that runs out of memory fails its sync alone: rows kept, servers stale, the calling thread unharmed', async () => {
    const { db, url } = await fresh();
    await syncOf(db, em).syncNow();
    const before = await tableCounts(db);
    // 16 MB cannot even hold the database client's code: the worker dies on its first pass.
    const starved = syncOf(db, em, { worker: workerOn(url, 16) });
    try {
      const report = await starved.syncNow();
      expect(report.ok).toBe(false);
      expect(report.error).toMatch(/ran out of memory.*16 MB \(INVENTORY_SYNC_HEAP_MB\)/);
      expect(await tableCounts(db)).toEqual(before);
      const summary = await starved.summary();
      expect(summary.servers.length).toBeGreaterThan(0);
      expect(summary.servers.every((s) => s.stale && s.lastSyncError === report.error)).toBe(true);
      expect(summary.lastSync.error).toBe(report.error);
    } finally {
      await starved.stop();
    }
    // The same database syncs again once a worker has room.
    const healthy = syncOf(db, em, { worker: workerOn(url) });
    try {
      expect((await healthy.syncNow()).ok).toBe(true);
    } finally {
      await healthy.stop();
    }
  });

  it('a database the worker cannot use rejects the sync, as a database failure in the calling thread does', async () => {
    const { db, url } = await fresh();
    const missing = new URL(url);
    missing.pathname = `${missing.pathname}_missing`;
    const sync = syncOf(db, em, { worker: workerOn(missing.toString()) });
    try {
      await expect(sync.syncNow()).rejects.toThrow(/_missing/);
      // The next pass, in a new worker, fails the same way.
      await expect(sync.syncNow()).rejects.toThrow(/_missing/);
    } finally {
      await sync.stop();
    }
  });

  it('stop() interrupts a sync running in the worker, deleting nothing, and a later sync still works', async () => {
    const { db, url } = await fresh();
    const sync = syncOf(db, em, { worker: workerOn(url) });
    try {
      await sync.syncNow();
      const before = await tableCounts(db);
      // Slow EM: the pass is still reading when stop() comes.
      sim.faults = { latencyMs: 200 };
      const running = sync.syncNow();
      await new Promise((r) => setTimeout(r, 300));
      await sync.stop();
      const report = await running;
      sim.faults = {};
      expect(report.ok).toBe(false);
      expect(report.error).toMatch(/interrupted/);
      expect(await tableCounts(db)).toEqual(before);
      expect((await sync.syncNow()).ok).toBe(true);
    } finally {
      sim.faults = {};
      await sync.stop();
    }
  });
});
