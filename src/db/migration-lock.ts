import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { DatabaseError, reasonOf } from './errors.js';

/**
 * Serialises migration runs: always within this process, and across processes
 * when the database is PostgreSQL.
 */
export interface MigrationLock {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Our own advisory lock key (ASCII "fgmg"). It must differ from the 72707369 the
 * schema engine takes itself: the engine asks for its key on another connection
 * while we hold ours, and with the same key it would wait on us until its own
 * 10-second timeout.
 */
export const MIGRATION_LOCK_KEY = 0x66676d67;

/**
 * How long an instance waits for another one's migration before giving up with a
 * clear error instead of hanging its start forever.
 */
const LOCK_WAIT = '5min';

/** In-process serialisation: enough for PGlite, which only one process may open. */
export function processLock(): MigrationLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const result = tail.then(work, work);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

/**
 * In-process serialisation plus `pg_advisory_lock` held on a dedicated connection
 * for the whole run. A session-level lock is released by the server if this
 * process dies mid-migration, so a crashed instance never blocks the others.
 */
export function postgresLock(url: string): MigrationLock {
  const local = processLock();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      return local.run(async () => {
        let connection: SqlDriverAdapter;
        try {
          const { createPgFactory } = await import('./postgres.js');
          connection = await createPgFactory(url, { single: true }).connect();
        } catch (error) {
          throw new DatabaseError(`Cannot open the migration lock connection: ${reasonOf(error)}`, { cause: error });
        }
        try {
          try {
            await connection.executeScript(
              `SET lock_timeout = '${LOCK_WAIT}'; SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`,
            );
          } catch (error) {
            throw new DatabaseError(
              `Cannot take the migration lock (another instance may be migrating for longer than ${LOCK_WAIT}): ${reasonOf(error)}`,
              { cause: error },
            );
          }
          try {
            return await work();
          } finally {
            // Best effort: ending the connection below releases the lock anyway.
            await connection.executeScript(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => undefined);
          }
        } finally {
          await connection.dispose().catch(() => undefined);
        }
      });
    },
  };
}
