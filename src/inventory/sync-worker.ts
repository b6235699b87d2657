/**
 * Entry of the inventory sync worker thread (see worker-runner.ts): runs one
 * pass on its own database pool and EM session, starting from the memory the
 * previous pass handed back, hands the new memory back with the report, and
 * ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { openDatabase } from '../db/index.js';
import { createEmClient } from '../em/index.js';
import { restorePassMemory, snapshotPassMemory, transferListOf } from './pass-memory.js';
import { runSyncPass } from './sync-pass.js';
import type { FromSyncWorker, SyncWorkerData, ToSyncWorker } from './worker-protocol.js';

const data = workerData as SyncWorkerData;
const port = parentPort!;
const post = (message: FromSyncWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
// Records go to the gateway thread, whose logger writes them: one log stream, one format.
const logger = pino({ level: data.logLevel, base: null, timestamp: false }, { write: (line: string) => post({ type: 'log', line }) });

const abort = new AbortController();
port.on('message', (message: ToSyncWorker) => {
  if (message.type === 'abort') abort.abort();
});

try {
  const db = await openDatabase({ databaseUrl: data.databaseUrl, wasmTierUp: data.wasmTierUp });
  const em = createEmClient({ ...data.em, logger: logger.child({ component: 'em-client' }) });
  try {
    const { report, memory } = await runSyncPass({
      prisma: db.prisma,
      em,
      logger,
      ...data.settings,
      refreshCdpIntervals: data.refreshCdpIntervals,
      now: () => new Date(),
      signal: abort.signal,
      memory: data.memory && restorePassMemory(data.memory),
    });
    const left = memory && snapshotPassMemory(memory);
    post({ type: 'report', report, memory: left }, left && transferListOf(left));
  } finally {
    await em.close();
    await db.close();
  }
} catch (e) {
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
}
port.close();
