import { Worker } from 'node:worker_threads';
import pino, { type Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { PassRequest, PassRunner, PassSettings } from './pass-runner.js';
import { recordFailedSync } from './sync-pass.js';
import type { SyncReport } from './types.js';
import type { EmConnection, FromSyncWorker, SyncWorkerData, ToSyncWorker } from './worker-protocol.js';

export type { EmConnection } from './worker-protocol.js';

/** Where a sync worker runs its passes. */
export interface SyncWorkerOptions {
  /** PostgreSQL URL of the cache; the worker opens its own pool on it. */
  databaseUrl: string;
  /** EM as the worker reaches it, with its own logon session. */
  em: EmConnection;
  /**
   * The worker's JavaScript heap limit, in MB. A pass that needs more fails
   * (reported like an EM failure: nothing deleted, servers marked stale); the
   * gateway thread is not affected. Default: 128.
   */
  heapMb?: number;
}

export const DEFAULT_SYNC_HEAP_MB = 128;

/**
 * The worker's young generation. Measured on a 100,000-replica sync: 8 MB
 * peaked the process at 277 MB, 16 MB at 297 MB and 32 MB at 320 MB, at the
 * same speed within the noise.
 */
const YOUNG_GENERATION_MB = 8;

/** Waiting this long for a closing worker to end by itself, then it is terminated. */
const CLOSE_GRACE_MS = 5_000;

/**
 * The worker entry: the compiled sync-worker.js next to this file, or, when
 * this file runs from its TypeScript source (tests, `npm run dev`), the .ts
 * source through a small loader that registers tsx first.
 */
function workerSource(): { source: URL; entry?: string } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { source: new URL('./sync-worker.js', here) };
  return { source: new URL('./sync-worker-from-source.mjs', here), entry: new URL('./sync-worker.ts', here).href };
}

/** pino's numeric levels by name, to log the worker's records again. */
const LEVEL_NAMES = pino.levels.labels;

export interface WorkerRunnerOptions {
  worker: SyncWorkerOptions;
  settings: PassSettings;
  /** The gateway thread's database: records the end of a pass whose worker died. */
  prisma: PrismaClient;
  logger?: Logger;
  now: () => Date;
}

/**
 * Passes in a worker thread with its own heap limit. The sync allocates far
 * more, and far faster, than the gateway serves requests with: V8 lets a heap
 * grow to a multiple of what survives each collection, and in the gateway's
 * thread a 100,000-replica sync took the process past 500 MB. In a worker
 * with a small heap limit V8 collects early instead (the process peaks near
 * 270 MB), the sync's JSON parsing and garbage collection do not pause
 * GraphQL requests and live progress, and a sync that runs out of memory
 * fails alone instead of taking the gateway down.
 *
 * The worker starts at the first pass and stays between passes, keeping the
 * pass memory (PassMemory) there; a worker that died is replaced at the next
 * pass, which then reads the known rows from the database again.
 */
export function workerRunner(o: WorkerRunnerOptions): PassRunner {
  const heapMb = o.worker.heapMb ?? DEFAULT_SYNC_HEAP_MB;
  if (!Number.isInteger(heapMb) || heapMb < 16) throw new RangeError(`heapMb must be an integer of at least 16, got ${o.worker.heapMb}`);
  let worker: Worker | undefined;
  /** The pass in flight: settled by the worker's answer or by its death. */
  let pending: { resolve: (r: SyncReport) => void; reject: (e: Error) => void; startedAt: Date } | undefined;
  let closed: (() => void) | undefined;

  const send = (w: Worker, message: ToSyncWorker): void => w.postMessage(message);

  const relog = (line: string): void => {
    if (!o.logger) return;
    let record: { level: number; msg?: string } & Record<string, unknown>;
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      // Not a pino record: kept as text rather than lost, and never thrown into the gateway's event loop.
      return o.logger.warn({ line }, 'unreadable log record from the inventory sync worker');
    }
    const { level, msg, ...fields } = record;
    const name = (LEVEL_NAMES[level] ?? 'info') as pino.Level;
    o.logger[name](fields, msg);
  };

  const died = async (error: Error): Promise<void> => {
    const p = pending;
    pending = undefined;
    if (!p) return;
    const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    const why = outOfMemory
      ? `The inventory sync ran out of memory: its worker's heap limit is ${heapMb} MB (INVENTORY_SYNC_HEAP_MB)`
      : `The inventory sync worker stopped: ${error.message}`;
    o.logger?.error({ err: error, heapMb }, 'inventory sync worker died: nothing is deleted, the backup servers are marked stale');
    try {
      p.resolve(await recordFailedSync(o.prisma, p.startedAt, o.now(), why));
    } catch (e) {
      p.reject(e instanceof Error ? e : new Error(String(e)));
    }
  };

  const start = (): Worker => {
    const { source, entry } = workerSource();
    const workerData: SyncWorkerData & { entry?: string } = {
      databaseUrl: o.worker.databaseUrl,
      em: o.worker.em,
      settings: o.settings,
      logLevel: o.logger?.level ?? 'silent',
      entry,
    };
    const w = new Worker(source, {
      workerData,
      // Not the process's own flags (a worker inherits them by default): `-e`, `--input-type` or a
      // loader that started the process mean nothing to this entry, and some refuse to start it.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    let failure: Error | undefined;
    w.on('message', (m: FromSyncWorker) => {
      if (m.type === 'log') return relog(m.line);
      if (m.type === 'closed') return;
      const p = pending;
      pending = undefined;
      if (m.type === 'report') p?.resolve(m.report);
      else p?.reject(new Error(m.message));
      // An idle worker does not keep the process alive.
      w.unref();
    });
    w.on('error', (e) => {
      failure = e;
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      closed?.();
      void died(failure ?? new Error(`it exited with code ${code}`));
    });
    return w;
  };

  return {
    run(request: PassRequest, signal: AbortSignal): Promise<SyncReport> {
      if (pending) return Promise.reject(new Error('A pass is already running in the sync worker'));
      const w = (worker ??= start());
      w.ref();
      return new Promise<SyncReport>((resolve, reject) => {
        pending = { resolve, reject, startedAt: o.now() };
        const onAbort = (): void => send(w, { type: 'abort' });
        signal.addEventListener('abort', onAbort, { once: true });
        const settle = (): void => signal.removeEventListener('abort', onAbort);
        pending.resolve = (r) => (settle(), resolve(r));
        pending.reject = (e) => (settle(), reject(e));
        send(w, { type: 'run', ...request });
        if (signal.aborted) onAbort();
      });
    },
    async close(): Promise<void> {
      const w = worker;
      if (!w) return;
      worker = undefined;
      const exited = new Promise<void>((resolve) => (closed = resolve));
      w.ref();
      send(w, { type: 'close' });
      const timer = setTimeout(() => void w.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
      closed = undefined;
    },
  };
}
