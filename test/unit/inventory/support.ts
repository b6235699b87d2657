import { afterAll, beforeAll } from 'vitest';
import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import { createEmClient, type EmClient } from '../../../src/em/index.js';
import { createInventorySync, type InventorySync, type InventorySyncOptions } from '../../../src/inventory/index.js';
import type { SourceSettings } from '../../../src/inventory/sources/collect.js';
import { simulatorVbrServers } from '../../../src/server/upstream.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../src/simulator/index.js';

/** Generated history ends at today's midnight (as the gateway's embedded simulator), inside the CDP window. */
export function today(): Date {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return d;
}

export async function simulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, size: 40, referenceTime: today(), failoverDurationMs: 60_000, ...options });
}

/** The simulator behind each client emFor made: its VBR faces are the sync's sources. */
const simulatorOf = new WeakMap<EmClient, RunningSimulator>();

/** A client that gives up at once: fault tests need failures, not retries. */
export function emFor(sim: RunningSimulator): EmClient {
  const em = createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin', readRetries: 0, timeoutMs: 5_000, pageSize: 7 });
  simulatorOf.set(em, sim);
  return em;
}

/** What VBR_SERVERS would say of a simulator's backup servers. */
export function sourcesOf(sim: RunningSimulator): SourceSettings {
  return { servers: simulatorVbrServers(sim) };
}

export async function migratedPGlite(): Promise<Database> {
  const db = await openDatabase({ dataDir: 'memory://' });
  await applyMigrations(db);
  return db;
}

/** A simulator, an EM client of it and a migrated PGlite database, started once for the tests of one file (read them inside the tests). */
export function sharedSimulatorWorld(): { sim: RunningSimulator; em: EmClient; db: Database } {
  const world = {} as { sim: RunningSimulator; em: EmClient; db: Database };
  beforeAll(async () => {
    world.sim = await simulator();
    world.em = emFor(world.sim);
    world.db = await migratedPGlite();
  }, 120_000);
  afterAll(async () => {
    await world.db?.close();
    await world.em?.close();
    await world.sim?.close();
  });
  return world;
}

/** A sync of `em`, with the VBR faces of the simulator behind it (unless `options.sources` says otherwise). */
export function syncOf(db: Database, em: EmClient, options: Partial<InventorySyncOptions> = {}): InventorySync {
  const sim = simulatorOf.get(Object.getPrototypeOf(em) as EmClient) ?? simulatorOf.get(em);
  return createInventorySync({ db, em, batchSize: 50, sources: sim ? sourcesOf(sim) : undefined, ...options });
}

/** Row counts of every inventory table. */
export async function tableCounts(db: Database) {
  const p = db.prisma;
  const [servers, replicas, refs, points, ranges, longTerm] = await Promise.all([
    p.backupServer.count(),
    p.replica.count(),
    p.replicaRef.count(),
    p.restorePoint.count(),
    p.cdpRange.count(),
    p.cdpLongTermPoint.count(),
  ]);
  return { servers, replicas, refs, points, ranges, longTerm };
}

/** Latest write stamps: equal before and after a sync means the sync rewrote nothing. */
export async function writeStamps(db: Database) {
  const p = db.prisma;
  const [replica, point, cdp, server] = await Promise.all([
    p.replica.aggregate({ _max: { syncedAt: true } }),
    p.restorePoint.aggregate({ _max: { syncedAt: true } }),
    p.replica.aggregate({ _max: { cdpSyncedAt: true } }),
    p.backupServer.aggregate({ _max: { updatedAt: true } }),
  ]);
  const ranges = await p.cdpRange.aggregate({ _max: { id: true } });
  return { replica: replica._max.syncedAt, point: point._max.syncedAt, cdp: cdp._max.cdpSyncedAt, server: server._max.updatedAt, lastRangeId: ranges._max.id };
}

/** Every change count of a report, summed per category. */
export function totalChanges(report: Awaited<ReturnType<InventorySync['syncNow']>>) {
  const sum = { added: 0, updated: 0, removed: 0, unchanged: 0 };
  for (const s of report.servers) {
    for (const c of [...Object.values(s.replicas), s.restorePoints, s.cdpIntervals]) {
      sum.added += c.added;
      sum.updated += c.updated;
      sum.removed += c.removed;
      sum.unchanged += c.unchanged;
    }
  }
  return sum;
}
