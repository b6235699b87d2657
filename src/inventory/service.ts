import type { Logger } from 'pino';
import type { Database } from '../db/index.js';
import type { EmClient } from '../em/index.js';
import type { SourceSettings } from './sources/collect.js';
import { inventorySummary } from './summary.js';
import { inThreadRunner, type PassRunner, type PassSettings } from './pass-runner.js';
import type { InventorySummary, SyncReport } from './types.js';
import { workerRunner, type SyncWorkerOptions } from './worker-runner.js';

export interface InventorySyncOptions {
  /** Database holding the cache (migrations applied). */
  db: Pick<Database, 'prisma'>;
  /** EM, or the simulator behind the same client. */
  em: EmClient;
  /**
   * Each backup server's own REST API (VBR_SERVERS) and the editions stated
   * by the operator (LICENSE_EDITION). Default: none (what EM alone gives).
   */
  sources?: SourceSettings;
  /** Default: silent. */
  logger?: Logger;
  /** Minutes between the end of one scheduled sync and the start of the next (start() only). Default: 15. */
  intervalMinutes?: number;
  /** Days of CDP history read per CDP VM or vApp, ending now. Default: 7. */
  cdpWindowDays?: number;
  /** CDP interval calls to EM in flight at once. Default: 16. */
  cdpConcurrency?: number;
  /**
   * Read the CDP intervals of every CDP VM and vApp on every Nth sync of this
   * process (the first sync always reads them all). On the syncs in between,
   * only new or changed CDP VMs/vApps, and those whose intervals were never
   * read, get the call; the others keep their stored intervals, which may then
   * be up to N-1 sync intervals old (EM's CDP ranges move continuously).
   * A full read whose sync failed is repeated on the next sync.
   * Default: 1 (every sync reads every CDP VM's and vApp's intervals).
   */
  cdpIntervalsEvery?: number;
  /** Buffered rows written per transaction. Default: 1,000. */
  batchSize?: number;
  /** Clock (tests; the passes of a sync worker use the real one). Default: () => new Date(). */
  now?: () => Date;
  /**
   * Run the passes in a worker thread with its own database pool, EM session
   * and heap limit (see worker-runner.ts), instead of in the calling thread on
   * `db` and `em`. PostgreSQL only: an embedded PGlite database belongs to the
   * thread that opened it. Default: in the calling thread.
   */
  worker?: SyncWorkerOptions;
  /**
   * Runs after each sync, before its report is returned (e.g. rebuilding the
   * precomputed restore scopes). A failure is logged; the report stands.
   * Default: nothing.
   */
  onSynced?: (report: SyncReport) => Promise<void>;
}

export interface InventorySync {
  /**
   * Syncs now. While a sync runs, a second call joins it and gets the same
   * report. EM failures do not reject: they are in the report and in the
   * freshness columns. Rejects only when the database fails.
   */
  syncNow(): Promise<SyncReport>;
  /** Counts per kind and backup server, with freshness. */
  summary(): Promise<InventorySummary>;
  /** Syncs at once, then every `intervalMinutes` after each sync ends (never overlapping). Idempotent. */
  start(): void;
  /**
   * Stops the schedule and interrupts a running sync at its next page
   * (deleting nothing); resolves when it has ended and its sync worker, if
   * any, has stopped. The pass memory is dropped.
   */
  stop(): Promise<void>;
}

export function createInventorySync(options: InventorySyncOptions): InventorySync {
  const prisma = options.db.prisma;
  const logger = options.logger;
  const intervalMs = (options.intervalMinutes ?? 15) * 60_000;
  if (!(intervalMs > 0)) throw new RangeError(`intervalMinutes must be positive, got ${options.intervalMinutes}`);
  const cdpWindowDays = options.cdpWindowDays ?? 7;
  if (!(cdpWindowDays > 0)) throw new RangeError(`cdpWindowDays must be positive, got ${options.cdpWindowDays}`);
  const cdpIntervalsEvery = options.cdpIntervalsEvery ?? 1;
  if (!Number.isInteger(cdpIntervalsEvery) || cdpIntervalsEvery < 1) throw new RangeError(`cdpIntervalsEvery must be a positive integer, got ${options.cdpIntervalsEvery}`);
  const now = options.now ?? (() => new Date());
  /** Syncs left before the next one that reads every CDP unit's intervals (0: this one). */
  let cdpRefreshDueIn = 0;
  let inFlight: Promise<SyncReport> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let abort = new AbortController();
  const settings: PassSettings = {
    cdpWindowMs: cdpWindowDays * 86_400_000,
    cdpConcurrency: options.cdpConcurrency ?? 16,
    batchSize: options.batchSize ?? 1_000,
    sources: options.sources ?? { servers: [] },
  };
  const runner: PassRunner = options.worker
    ? workerRunner({ worker: options.worker, settings, prisma, logger, now })
    : inThreadRunner({ prisma, em: options.em, logger, settings, now });

  const syncNow = (): Promise<SyncReport> => {
    if (inFlight) return inFlight;
    const refreshCdpIntervals = cdpRefreshDueIn <= 0;
    inFlight = runner
      .run({ refreshCdpIntervals }, abort.signal)
      .then(async (report) => {
        // A full interval read that failed is due again on the next sync.
        if (!refreshCdpIntervals) cdpRefreshDueIn--;
        else if (report.ok) cdpRefreshDueIn = cdpIntervalsEvery - 1;
        try {
          await options.onSynced?.(report);
        } catch (error) {
          logger?.error({ err: error }, 'work after the inventory sync failed');
        }
        return report;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const scheduled = async (): Promise<void> => {
    timer = undefined;
    try {
      await syncNow();
    } catch (e) {
      logger?.error({ err: e }, 'inventory sync failed: database error');
    }
    if (!started) return;
    timer = setTimeout(() => void scheduled(), intervalMs);
    // The schedule alone must not keep a process alive.
    timer.unref();
  };

  return {
    syncNow,
    summary: () => inventorySummary(prisma),
    start() {
      if (started) return;
      started = true;
      abort = new AbortController();
      void scheduled();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      abort.abort();
      await inFlight?.catch(() => undefined);
      await runner.close();
      abort = new AbortController();
    },
  };
}
