import type { Database } from '../db/index.js';
import { migrationStatus } from '../db/index.js';

export interface ReadinessReport {
  ready: boolean;
  database: 'ok' | string;
  migrations: 'ok' | string;
  /** With the embedded simulator only: whether the demo accounts exist (a token from `npm run token` works). */
  demoAccounts?: 'ok' | string;
}

/**
 * /readyz: the database answers and every migration is applied, and, with
 * the embedded simulator, the demo accounts exist. A load balancer should
 * send traffic only to an instance that says ready; an instance started with
 * MIGRATE_ON_START=false stays unready until someone runs `npm run db:migrate`.
 */
export function createReadinessCheck(
  db: Database,
  options: {
    /** Every migration is already known to be applied (the start checked). Default: false. */
    migrated?: boolean;
    /** Whether the demo accounts exist; unset when the gateway has none (EM_URL). */
    demoAccounts?: () => boolean;
  } = {},
): () => Promise<ReadinessReport> {
  // Once all migrations are seen applied they stay applied for this process's
  // life (a migration is a deploy), so later checks only ping.
  let migrated = options.migrated ?? false;
  return async () => {
    const report: ReadinessReport = { ready: false, database: 'ok', migrations: 'ok' };
    if (options.demoAccounts) report.demoAccounts = options.demoAccounts() ? 'ok' : 'not created yet: the first inventory sync creates them';
    try {
      await db.ping();
    } catch (error) {
      report.database = `unreachable: ${(error as Error).message}`;
      report.migrations = 'unknown';
      return report;
    }
    if (!migrated) {
      try {
        const status = await migrationStatus(db);
        if (status.pending.length > 0) {
          report.migrations = `${status.pending.length} pending: ${status.pending.join(', ')}`;
          return report;
        }
        migrated = true;
      } catch (error) {
        report.migrations = `unknown: ${(error as Error).message}`;
        return report;
      }
    }
    report.ready = report.demoAccounts === undefined || report.demoAccounts === 'ok';
    return report;
  };
}
