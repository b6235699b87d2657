import { Worker } from 'node:worker_threads';
import pino, { type Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import { transferListOf, type PassMemorySnapshot } from './pass-memory.js';
import type { PassRequest, PassRunner, PassSettings } from './pass-runner.js';
import { interruptedSync, recordFailedSync } from './sync-pass.js';
import type { SyncReport } from './types.js';
import type { EmConnection } from '../em/index.js';
import type { FromSyncWorker, SyncWorkerData, ToSyncWorker } from './worker-protocol.js';

/** Where a sync worker runs its passes. */
export interface SyncWorkerOptions {
  /** PostgreSQL URL of the cache; the worker opens its own pool on it. */
  databaseUrl: string;
  /** EM as the worker reaches it, with its own logon session. */
  em: EmConnection;
  /**
   * The worker's JavaScript heap limit, in MB. A pass that needs more fails
   * (reported like an EM failure: nothing deleted, servers marked stale); the
   * gateway thread is not affected. Default: 512.
   */
  heapMb?: number;
  /** As the gateway's database was opened with (the flag is process-wide). Default: false. */
  wasmTierUp?: boolean;
}

export const DEFAULT_SYNC_HEAP_MB = 512;

/**
 * The worker's young generation. Measured on a 100,000-replica sync: 8 MB
 * peaked the process at 277 MB, 16 MB at 297 MB and 32 MB at 320 MB, at the
 * same speed within the noise.
 */
const YOUNG_GENERATION_MB = 8;

/** Waiting this long for a worker closing its connections to end by itself, then it is terminated. */
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
 * One worker runs one pass and ends, so an idle gateway holds no second
 * isolate, database pool or EM session. What a pass leaves for the next one
 * (PassMemory: typed arrays, some 30 MB at 100,000 replicas) comes back with
 * the report as transferred buffers, is kept here between passes, and is
 * transferred to the next pass's worker: moved, never copied. A worker that
 * dies takes the memory with it; the next pass reads the known rows from the
 * database again.
 */
export function workerRunner(o: WorkerRunnerOptions): PassRunner {
  const heapMb = o.worker.heapMb ?? DEFAULT_SYNC_HEAP_MB;
  if (!Number.isInteger(heapMb) || heapMb < 16) throw new RangeError(`heapMb must be an integer of at least 16, got ${o.worker.heapMb}`);
  /** Left by the last successful pass, for the next one. */
  let memory: PassMemorySnapshot | undefined;
  /** The worker of the pass in flight, or of the last one while it closes its connections. */
  let current: { worker: Worker; exited: Promise<void> } | undefined;
  /** The pass in flight: settled by its worker's answer or by its death. */
  let pending: { resolve: (r: SyncReport) => void; reject: (e: Error) => void; startedAt: Date; signal: AbortSignal; worker?: Worker } | undefined;

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

  /** `w` ended: if its pass had not answered, the pass failed. */
  const died = async (w: Worker, error: Error): Promise<void> => {
    const p = pending;
    // The worker of an earlier pass ends after answering, possibly once the next pass has started.
    if (!p || p.worker !== w) return;
    pending = undefined;
    // Stopped with its process (terminated after the grace, or dying meanwhile): a stop is no failure of EM.
    if (p.signal.aborted) return p.resolve(interruptedSync(p.startedAt, o.now(), 0, o.logger));
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

  const start = (request: PassRequest): Worker => {
    const { source, entry } = workerSource();
    const handed = memory;
    memory = undefined;
    const workerData: SyncWorkerData & { entry?: string } = {
      databaseUrl: o.worker.databaseUrl,
      wasmTierUp: o.worker.wasmTierUp ?? false,
      em: o.worker.em,
      settings: o.settings,
      refreshCdpIntervals: request.refreshCdpIntervals,
      memory: handed,
      logLevel: o.logger?.level ?? 'silent',
      entry,
    };
    const w = new Worker(source, {
      workerData,
      transferList: handed ? transferListOf(handed) : [],
      // Not the process's own flags (a worker inherits them by default): `-e`, `--input-type` or a
      // loader that started the process mean nothing to this entry, and some refuse to start it.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // Read now: a worker that has ended says -1.
    const threadId = w.threadId;
    let failure: Error | undefined;
    w.on('message', (m: FromSyncWorker) => {
      if (m.type === 'log') return relog(m.line);
      const p = pending;
      if (!p || p.worker !== w) return;
      pending = undefined;
      if (m.type === 'report') {
        memory = m.memory;
        // The pass ends when its worker has (it closes its connections first): its heap and buffers are
        // released before the caller goes on, and a pass started right after never runs beside them.
        void ended({ worker: w, exited }).then(() => p.resolve(m.report));
      } else p.reject(new Error(m.message));
    });
    w.on('error', (e) => {
      failure = e;
    });
    const exited = new Promise<void>((resolve) => {
      w.once('exit', (code) => {
        o.logger?.debug({ threadId, code }, 'inventory sync worker ended');
        if (current?.worker === w) current = undefined;
        resolve();
        void died(w, failure ?? new Error(`it exited with code ${code}`));
      });
    });
    current = { worker: w, exited };
    o.logger?.debug({ threadId }, 'inventory sync worker started');
    return w;
  };

  /** Waits for a worker to end by itself (it closes its connections after answering), then stops it. */
  const ended = async (c: { worker: Worker; exited: Promise<void> }): Promise<void> => {
    const timer = setTimeout(() => void c.worker.terminate(), CLOSE_GRACE_MS);
    await c.exited;
    clearTimeout(timer);
  };

  /** Starts the worker of pass `p`, the one pending. */
  const begin = (p: NonNullable<typeof pending>, request: PassRequest): void => {
    let w: Worker;
    try {
      w = start(request);
    } catch (error) {
      pending = undefined;
      return p.reject(error instanceof Error ? error : new Error(String(error)));
    }
    p.worker = w;
    // Aborted while waiting for the previous worker to end.
    if (p.signal.aborted) abort(w);
  };

  const abort = (w: Worker): void => w.postMessage({ type: 'abort' } satisfies ToSyncWorker);

  return {
    run(request: PassRequest, signal: AbortSignal): Promise<SyncReport> {
      if (pending) return Promise.reject(new Error('A pass is already running in the sync worker'));
      return new Promise<SyncReport>((resolve, reject) => {
        const onAbort = (): void => {
          if (p.worker) abort(p.worker);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const settle = (): void => signal.removeEventListener('abort', onAbort);
        const p: NonNullable<typeof pending> = { resolve: (r) => (settle(), resolve(r)), reject: (e) => (settle(), reject(e)), startedAt: o.now(), signal };
        pending = p;
        // The last pass's worker may still be closing its connections: two isolates at once would hold
        // two sync heaps and their buffers, most of a pass's memory, in one process.
        const previous = current;
        void (previous === undefined ? Promise.resolve() : ended(previous)).then(() => begin(p, request));
      });
    },
    async close(): Promise<void> {
      memory = undefined;
      const c = current;
      if (c) await ended(c);
    },
  };
}
