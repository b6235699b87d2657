import type { Logger } from 'pino';
import type { EmClient } from '../em/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { PassMemory } from './pass-memory.js';
import type { SourceSettings } from './sources/collect.js';
import { runSyncPass } from './sync-pass.js';
import type { SyncReport } from './types.js';

/** Settings shared by every pass of one InventorySync. */
export interface PassSettings {
  /** CDP intervals are read for [now - cdpWindowMs, now]. */
  cdpWindowMs: number;
  /** CDP interval calls in flight at once. */
  cdpConcurrency: number;
  /** Buffered rows per write transaction. */
  batchSize: number;
  /** How each backup server's own REST API is reached (VBR_SERVERS, LICENSE_EDITION). */
  sources: SourceSettings;
}

/** What one pass is asked to do beyond the settings. */
export interface PassRequest {
  /** See SyncPassOptions.refreshCdpIntervals. */
  refreshCdpIntervals: boolean;
}

/**
 * Runs sync passes one after another, keeping what a successful pass leaves
 * for the next one (PassMemory): in this thread, or between the workers of
 * successive passes (worker-runner.ts).
 */
export interface PassRunner {
  /**
   * One pass. Resolves with its report, EM failures included; rejects when
   * the database failed (the memory is then dropped). Aborting the signal
   * stops the pass at its next page, deleting nothing.
   */
  run(request: PassRequest, signal: AbortSignal): Promise<SyncReport>;
  /** Forgets the memory and releases what the runner holds. */
  close(): Promise<void>;
}

export interface InThreadRunnerOptions {
  prisma: PrismaClient;
  em: EmClient;
  logger?: Logger;
  settings: PassSettings;
  now: () => Date;
}

/** Passes in the calling thread, on the caller's database and EM client. */
export function inThreadRunner(o: InThreadRunnerOptions): PassRunner {
  let memory: PassMemory | undefined;
  return {
    async run(request, signal) {
      try {
        const result = await runSyncPass({ prisma: o.prisma, em: o.em, logger: o.logger, ...o.settings, ...request, now: o.now, signal, memory });
        memory = result.memory;
        return result.report;
      } catch (e) {
        // A database failure: the tables may no longer match the database.
        memory = undefined;
        throw e;
      }
    },
    async close() {
      memory = undefined;
    },
  };
}
