import { randomBytes } from 'node:crypto';
import { applyMigrations, openDatabase, type Database } from '../src/db/index.js';
import { createEmClient } from '../src/em/index.js';
import { createInventorySync, DEFAULT_SYNC_HEAP_MB } from '../src/inventory/index.js';
import { createLogger } from '../src/log/logger.js';
import type { SourceSettings } from '../src/inventory/sources/collect.js';
import { settings } from '../src/config/settings.js';
import type { Benchmark, Measurement } from './harness.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startProcess, type StartedProcess } from './processes.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REPLICAS = Number(process.env.INVENTORY_BENCH_REPLICAS ?? 100_000);
/** cdpIntervalsEvery of the sync under test (1 = every sync reads every CDP VM's and vApp's intervals, the default). */
const CDP_EVERY = Number(process.env.INVENTORY_BENCH_CDP_EVERY ?? 1);
/**
 * 'child' (default): the sync runs in its own `node` process on the compiled
 * build (dist/, which bench/run.ts builds first), as the gateway runs it, so
 * its RSS is the sync's and not tsx's (tsx's loader thread alone adds ~75 MB).
 * 'inline': in this (tsx) process, as the benchmark first did.
 */
const MODE = process.env.INVENTORY_BENCH_MODE === 'inline' ? 'inline' : 'child';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** INVENTORY_SYNC_HEAP_MB of the sync under test (0: in the calling thread). Default: the gateway's default. */
const HEAP_MB = Number(process.env.INVENTORY_SYNC_HEAP_MB ?? DEFAULT_SYNC_HEAP_MB);
/** Also run the syncs in the calling thread, as the RSS baseline (set INVENTORY_BENCH_BASELINE=0 to skip). */
const IN_THREAD_BASELINE = process.env.INVENTORY_BENCH_BASELINE !== '0';
/** WASM_TIER_UP of the sync under test, read as the gateway reads it. Default: the gateway's default. */
const WASM_TIER_UP = settings.wasmTierUp.schema.parse(process.env.WASM_TIER_UP);

interface SyncRun {
  first: { ok: boolean; error?: string; durationMs: number; writes: number };
  second: { ok: boolean; error?: string; durationMs: number; writes: number };
  firstPeakRssMb: number;
  secondPeakRssMb: number;
  baseRssMb: number;
  totals: { allReplicas: number; restorePoints: number; cdpRanges: number; cdpLongTermPoints: number };
  /** Inventory Browser objects the sources listed (every server, every hierarchy). */
  hierarchyObjects: number;
}

/** Body of the child process: two syncs with peak RSS sampling, one JSON line on stdout. */
const CHILD_SCRIPT = `
const [dbUrl, emUrl, every, heapMb, sources, wasmTierUp] = JSON.parse(process.env.INVENTORY_BENCH_CHILD);
const root = process.env.INVENTORY_BENCH_ROOT;
const { openDatabase } = await import(root + 'dist/src/db/index.js');
const { createEmClient } = await import(root + 'dist/src/em/index.js');
const { createInventorySync } = await import(root + 'dist/src/inventory/index.js');
const db = await openDatabase({ databaseUrl: dbUrl, wasmTierUp });
const em = createEmClient({ url: emUrl, username: 'em-admin', password: 'em-admin' });
// As the gateway on PostgreSQL runs it (syncWorkerOptions): in a worker unless heapMb is 0.
const worker = heapMb > 0 ? { databaseUrl: dbUrl, em: { url: emUrl, username: 'em-admin', password: 'em-admin' }, heapMb, wasmTierUp } : undefined;
const inventory = createInventorySync({ db, em, sources, cdpIntervalsEvery: every, worker });
const baseRssMb = process.memoryUsage().rss / 1048576;
async function peak(fn) {
  let p = process.memoryUsage().rss;
  const t = setInterval(() => { p = Math.max(p, process.memoryUsage().rss); }, 50);
  try { const r = await fn(); p = Math.max(p, process.memoryUsage().rss); return [r, p / 1048576]; } finally { clearInterval(t); }
}
const pick = (r) => ({ ok: r.ok, error: r.error, durationMs: r.durationMs, writes: r.writes });
const [first, firstPeakRssMb] = await peak(() => inventory.syncNow());
const [second, secondPeakRssMb] = await peak(() => inventory.syncNow());
const summary = await inventory.summary();
const totals = summary.totals;
const hierarchyObjects = summary.servers.reduce((n, s) => n + s.sources.hierarchyObjects, 0);
await inventory.stop();
await em.close();
await db.close();
process.stdout.write(JSON.stringify({ first: pick(first), second: pick(second), firstPeakRssMb, secondPeakRssMb, baseRssMb, totals, hierarchyObjects }) + '\\n');
process.exit(0);
`;

function runSyncChild(dbUrl: string, emUrl: string, heapMb: number, sources: SourceSettings): Promise<SyncRun> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT], {
    env: { ...process.env, INVENTORY_BENCH_CHILD: JSON.stringify([dbUrl, emUrl, CDP_EVERY, heapMb, sources, WASM_TIER_UP]), INVENTORY_BENCH_ROOT: new URL('..', import.meta.url).href },
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: ROOT,
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) return reject(new Error(`sync process exited with ${code}`));
      resolve(JSON.parse(line) as SyncRun);
    });
  });
}

/** The simulator in a child process; resolves with its API URL once it listens. */
function startSimulatorProcess(replicas: number): Promise<StartedProcess> {
  return startProcess(
    ['--import', 'tsx', 'src/simulator/main.ts'],
    { SIM_PORT: '0', SIM_SIZE: String(replicas), SIM_LOG_LEVEL: 'info' },
    // Generating 100,000 replicas takes a while before the listening line.
    { isReady: () => true, timeoutMs: 300_000 },
  );
}

/** Peak resident set size of this process while `fn` runs, sampled every 50 ms. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: peak / 1_048_576 };
  } finally {
    clearInterval(timer);
  }
}

/** Two syncs (first, then unchanged) of the simulator into a fresh database, with `heapMb` as INVENTORY_SYNC_HEAP_MB. */
async function syncInto(admin: Database, simUrl: string, heapMb: number, sources: SourceSettings): Promise<SyncRun> {
  const name = `fg_inv_bench_${randomBytes(4).toString('hex')}`;
  await admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  let db: Database | undefined;
  const em = createEmClient({ url: simUrl, username: 'em-admin', password: 'em-admin' });
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    db = await openDatabase({ databaseUrl: url.toString(), wasmTierUp: WASM_TIER_UP });
    await applyMigrations(db);
    if (MODE === 'child') return await runSyncChild(url.toString(), simUrl, heapMb, sources);
    const baseRssMb = process.memoryUsage().rss / 1_048_576;
    const worker = heapMb > 0 ? { databaseUrl: url.toString(), em: { url: simUrl, username: 'em-admin', password: 'em-admin' }, heapMb, wasmTierUp: WASM_TIER_UP } : undefined;
    const logger = process.env.INVENTORY_BENCH_DEBUG ? createLogger({ level: 'debug', format: 'json' }, process.stderr) : undefined;
    const inventory = createInventorySync({ db, em, sources, cdpIntervalsEvery: CDP_EVERY, logger, worker });
    try {
      const first = await withPeakRss(() => inventory.syncNow());
      const second = await withPeakRss(() => inventory.syncNow());
      const summary = await inventory.summary();
      const hierarchyObjects = summary.servers.reduce((n, server) => n + server.sources.hierarchyObjects, 0);
      return { first: first.result, second: second.result, firstPeakRssMb: first.peakRssMb, secondPeakRssMb: second.peakRssMb, baseRssMb, totals: summary.totals, hierarchyObjects };
    } finally {
      await inventory.stop();
    }
  } finally {
    await em.close();
    await db?.close();
    await admin.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

const sync: Benchmark = {
  name: 'inventory-sync',
  description: 'sync of a 100,000-replica simulator inventory with all sources (EM and every VBR face) into PostgreSQL (first and unchanged second sync)',
  needs: ['postgres'],
  async run(): Promise<Measurement[]> {
    // The simulator runs in its own process, so this process's RSS and CPU are the sync's alone.
    const sim = await startSimulatorProcess(REPLICAS);
    const admin = await openDatabase({ databaseUrl: ADMIN_URL, wasmTierUp: WASM_TIER_UP });
    try {
      // All sources: EM and every simulated backup server's VBR face, as VBR_SERVERS would name them.
      const state = (await (await fetch(`${sim.url.replace(/\/api$/, '')}/admin/state`)).json()) as { vbrFaces: Array<{ name: string; url?: string }> };
      const sources: SourceSettings = { servers: state.vbrFaces.filter((f) => f.url).map((f) => ({ key: f.name, connection: { url: f.url!, username: 'vbr-admin', password: 'vbr-admin' } })) };
      const run = await syncInto(admin, sim.url, HEAP_MB, sources);
      // Baseline: the same syncs in the calling thread (INVENTORY_SYNC_HEAP_MB=0), as the gateway ran them before the worker.
      const inThread = HEAP_MB > 0 && IN_THREAD_BASELINE ? await syncInto(admin, sim.url, 0, sources) : undefined;
      const { first, second, totals } = run;
      if (!first.ok || !second.ok) throw new Error(`sync failed: ${first.error ?? second.error}`);
      const replicas = totals.allReplicas;
      const rows = replicas + totals.restorePoints + totals.cdpRanges + totals.cdpLongTermPoints + run.hierarchyObjects;
      const firstS = first.durationMs / 1000;
      const secondS = second.durationMs / 1000;
      const replicasPerS = replicas / firstS;
      const speedup = firstS / secondS;
      const peakOf = (r: SyncRun): number => Math.max(r.firstPeakRssMb, r.secondPeakRssMb);
      const peak = peakOf(run);
      const where = HEAP_MB > 0 ? `in a worker with a ${HEAP_MB} MB heap limit` : "in the calling thread";
      const setup = `${MODE === 'child' ? 'a node process on dist/' : 'the tsx bench process'}, sync ${where}, cdpIntervalsEvery ${CDP_EVERY}, WebAssembly ${WASM_TIER_UP ? 'tiered up' : 'on Liftoff'}`;
      return [
        // The goal counts objects (next row); replicas alone are shown for scale.
        { metric: `first sync: replicas per second (${replicas} replicas, ${firstS.toFixed(1)} s)`, value: Math.round(replicasPerS), unit: 'replicas/s' },
        { metric: `first sync: objects per second (replicas + restore points + CDP ranges and points + Inventory Browser objects: ${rows})`, value: Math.round(rows / firstS), unit: 'objects/s', goal: '≥ 5,000/s', pass: rows / firstS >= 5_000 },
        {
          metric: `peak RSS of the syncing process (${setup}; ${Math.round(run.baseRssMb)} MB before the first sync; first sync ${Math.round(run.firstPeakRssMb)} MB, second ${Math.round(run.secondPeakRssMb)} MB)`,
          value: Math.round(peak),
          unit: 'MB',
          ...(inThread ? { baseline: { name: 'same syncs in the calling thread', value: Math.round(peakOf(inThread)) }, ratio: Number((peak / peakOf(inThread)).toFixed(2)) } : {}),
          goal: '≤ 300 MB',
          pass: peak <= 300,
        },
        {
          metric: `second (unchanged) sync (${setup}): ${secondS.toFixed(1)} s, ${second.writes} rows written`,
          value: Number(secondS.toFixed(2)),
          unit: 's',
          baseline: { name: 'first sync', value: Number(firstS.toFixed(2)) },
          ratio: Number(speedup.toFixed(2)),
          goal: '≥ 5× faster than the first',
          pass: speedup >= 5,
        },
      ];
    } finally {
      await admin.close();
      await sim.stop();
    }
  },
};

export const benchmarks: Benchmark[] = [sync];
