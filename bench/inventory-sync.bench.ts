import { randomBytes } from 'node:crypto';
import { applyMigrations, openDatabase, type Database } from '../src/db/index.js';
import { createEmClient } from '../src/em/index.js';
import { createInventorySync } from '../src/inventory/index.js';
import { createLogger } from '../src/log/logger.js';
import type { Benchmark, Measurement } from './harness.js';
import { spawn } from 'node:child_process';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REPLICAS = Number(process.env.INVENTORY_BENCH_REPLICAS ?? 100_000);

/** The simulator in a child process; resolves with its API URL once it listens. */
function startSimulatorProcess(replicas: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts'], {
    env: { ...process.env, SIM_PORT: '0', SIM_SIZE: String(replicas), SIM_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"([^"]+)"/.exec(buffer);
      if (match) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({ url: match[1]!, stop });
      }
    });
  });
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

const sync: Benchmark = {
  name: 'inventory-sync',
  description: 'issue 4: sync of a 100,000-replica simulator inventory into PostgreSQL (first and unchanged second sync)',
  needs: ['postgres'],
  async run(): Promise<Measurement[]> {
    // The simulator runs in its own process, so this process's RSS and CPU are the sync's alone.
    const sim = await startSimulatorProcess(REPLICAS);
    const admin = await openDatabase({ databaseUrl: ADMIN_URL });
    const name = `fg_inv_bench_${randomBytes(4).toString('hex')}`;
    await admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
    let db: Database | undefined;
    const em = createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin' });
    try {
      const url = new URL(ADMIN_URL);
      url.pathname = `/${name}`;
      db = await openDatabase({ databaseUrl: url.toString() });
      await applyMigrations(db);
      const inventory = createInventorySync({ db, em, cdpConcurrency: 16, logger: process.env.INVENTORY_BENCH_DEBUG ? createLogger({ level: "debug", format: "json" }, process.stderr) : undefined });
      const first = await withPeakRss(() => inventory.syncNow());
      const second = await withPeakRss(() => inventory.syncNow());
      if (!first.result.ok || !second.result.ok) throw new Error(`sync failed: ${first.result.error ?? second.result.error}`);
      const summary = await inventory.summary();
      const replicas = summary.totals.allReplicas;
      const rows = replicas + summary.totals.restorePoints + summary.totals.cdpRanges + summary.totals.cdpLongTermPoints;
      const firstS = first.result.durationMs / 1000;
      const secondS = second.result.durationMs / 1000;
      const replicasPerS = replicas / firstS;
      const speedup = firstS / secondS;
      const peak = Math.max(first.peakRssMb, second.peakRssMb);
      return [
        { metric: `first sync: replicas per second (${replicas} replicas, ${firstS.toFixed(1)} s)`, value: Math.round(replicasPerS), unit: 'replicas/s', goal: '≥ 5,000/s', pass: replicasPerS >= 5_000 },
        { metric: `first sync: objects per second (replicas + restore points + CDP ranges and points: ${rows})`, value: Math.round(rows / firstS), unit: 'objects/s', goal: '≥ 5,000/s', pass: rows / firstS >= 5_000 },
        { metric: 'peak RSS of the syncing process', value: Math.round(peak), unit: 'MB', goal: '≤ 300 MB', pass: peak <= 300 },
        {
          metric: `second (unchanged) sync: ${secondS.toFixed(1)} s, ${second.result.writes} rows written`,
          value: Number(secondS.toFixed(2)),
          unit: 's',
          baseline: { name: 'first sync', value: Number(firstS.toFixed(2)) },
          ratio: Number(speedup.toFixed(2)),
          goal: '≥ 5× faster than the first',
          pass: speedup >= 5,
        },
      ];
    } finally {
      await em.close();
      await db?.close();
      await admin.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
      await sim.stop();
    }
  },
};

export const benchmarks: Benchmark[] = [sync];
