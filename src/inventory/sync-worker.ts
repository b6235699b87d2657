/**
 * Entry of the inventory sync worker thread (see worker-runner.ts): runs the
 * passes the gateway thread asks for, on its own database pool and EM session,
 * and keeps the pass memory between them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { openDatabase, type Database } from '../db/index.js';
import { createEmClient, type EmClient } from '../em/index.js';
import { inThreadRunner, type PassRunner } from './pass-runner.js';
import type { FromSyncWorker, SyncWorkerData, ToSyncWorker } from './worker-protocol.js';

const data = workerData as SyncWorkerData;
const port = parentPort!;
const post = (message: FromSyncWorker): void => port.postMessage(message);
// Records go to the gateway thread, whose logger writes them: one log stream, one format.
const logger = pino({ level: data.logLevel, base: null, timestamp: false }, { write: (line: string) => post({ type: 'log', line }) });

let opened: { db: Database; em: EmClient; runner: PassRunner } | undefined;
let abort: AbortController | undefined;

async function open(): Promise<NonNullable<typeof opened>> {
  const db = await openDatabase({ databaseUrl: data.databaseUrl });
  const em = createEmClient({ ...data.em, logger: logger.child({ component: 'em-client' }) });
  return { db, em, runner: inThreadRunner({ prisma: db.prisma, em, logger, settings: data.settings, now: () => new Date() }) };
}

async function run(refreshCdpIntervals: boolean): Promise<void> {
  abort = new AbortController();
  try {
    opened ??= await open();
    post({ type: 'report', report: await opened.runner.run({ refreshCdpIntervals }, abort.signal) });
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  } finally {
    abort = undefined;
  }
}

async function close(): Promise<void> {
  if (opened) {
    await opened.runner.close();
    await opened.em.close();
    await opened.db.close();
  }
  post({ type: 'closed' });
  port.close();
}

port.on('message', (message: ToSyncWorker) => {
  if (message.type === 'run') void run(message.refreshCdpIntervals);
  else if (message.type === 'abort') abort?.abort();
  else void close();
});
