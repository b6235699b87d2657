import type { EmClientOptions } from '../em/index.js';
import type { PassSettings } from './pass-runner.js';
import type { SyncReport } from './types.js';

/** How the sync worker reaches EM: the client options that can cross threads (no logger). */
export type EmConnection = Omit<EmClientOptions, 'logger'>;

/** Everything the sync worker is started with. */
export interface SyncWorkerData {
  /** PostgreSQL URL of the cache: the worker opens its own connection pool. */
  databaseUrl: string;
  em: EmConnection;
  settings: PassSettings;
  /** pino level of the records the worker sends back ('silent': none). */
  logLevel: string;
}

/** Gateway thread to worker. */
export type ToSyncWorker =
  | { type: 'run'; refreshCdpIntervals: boolean }
  /** Stop the running pass at its next page. */
  | { type: 'abort' }
  /** Close the database and EM session, then let the thread end. */
  | { type: 'close' };

/** Worker to gateway thread. */
export type FromSyncWorker =
  | { type: 'report'; report: SyncReport }
  /** The pass rejected (the database failed). */
  | { type: 'failed'; message: string }
  /** One pino JSON line, logged again by the gateway's logger. */
  | { type: 'log'; line: string }
  | { type: 'closed' };
