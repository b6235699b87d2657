import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Logger } from 'pino';
import type { Database } from './database.js';
import type { MigrationLock } from './migration-lock.js';

/**
 * What the migration code needs from an open database beyond its public face.
 * Kept off the `Database` object so the rest of the gateway cannot reach the raw
 * driver; attached by `openDatabase` and looked up by the migration functions.
 */
export interface MigrationTarget {
  /**
   * An adapter factory for one schema-engine run and the function that releases
   * what the run opened. For PGlite it wraps the client's own PGlite instance:
   * a data folder may be open only once, even within one process.
   */
  engineFactory(): { factory: SqlMigrationAwareDriverAdapterFactory; release(): Promise<void> };
  lock: MigrationLock;
  logger: Logger | undefined;
  /** Runs after migrations were applied through this connection (PGlite: learn the array types of enums they created). */
  afterMigrate?(): Promise<void>;
}

const targets = new WeakMap<Database, MigrationTarget>();

export function attachMigrationTarget(db: Database, target: MigrationTarget): void {
  targets.set(db, target);
}

export function migrationTargetOf(db: Database): MigrationTarget {
  const target = targets.get(db);
  if (!target) throw new TypeError('Migrations need a Database returned by openDatabase()');
  return target;
}
