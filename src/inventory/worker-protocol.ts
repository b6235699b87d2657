import type { EmConnection } from '../em/index.js';
import type { PassMemorySnapshot } from './pass-memory.js';
import type { PassSettings } from './pass-runner.js';
import type { SyncReport } from './types.js';

/** Everything the sync worker is started with: one worker runs one pass. */
export interface SyncWorkerData {
  /** PostgreSQL URL of the cache: the worker opens its own connection pool. */
  databaseUrl: string;
  /** As the gateway's database was opened with. */
  wasmTierUp: boolean;
  em: EmConnection;
  settings: PassSettings;
  refreshCdpIntervals: boolean;
  /** What the previous pass handed back (its buffers transferred, not copied). */
  memory?: PassMemorySnapshot;
  /** pino level of the records the worker sends back ('silent': none). */
  logLevel: string;
}

/** Gateway thread to worker: stop the pass at its next page. */
export type ToSyncWorker = { type: 'abort' };

/** Worker to gateway thread. */
export type FromSyncWorker =
  /** The pass's report, and the memory it leaves for the next pass (buffers transferred). */
  | { type: 'report'; report: SyncReport; memory?: PassMemorySnapshot }
  /** The pass rejected (the database failed). */
  | { type: 'failed'; message: string }
  /** One pino JSON line, logged again by the gateway's logger. */
  | { type: 'log'; line: string };
