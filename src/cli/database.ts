import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Database } from '../db/index.js';
import { UsageError } from './command.js';

/**
 * Runs a command's work on the configured database, closed afterwards: pending
 * migrations are applied (MIGRATE_ON_START) or refused with the command to run.
 * The database modules (PGlite, Prisma) are imported here, when a command runs,
 * not when the CLI starts: `serve` starts its own work before loading them.
 */
export async function withCommandDatabase<T>(config: Config, work: (db: Database) => Promise<T>): Promise<T> {
  const { applyMigrations, migrationStatus, openDatabase } = await import('../db/index.js');
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite'), wasmTierUp: config.wasmTierUp });
  try {
    if (config.migrateOnStart) await applyMigrations(db);
    else {
      const { pending } = await migrationStatus(db);
      if (pending.length > 0) throw new UsageError(`database migrations pending (${pending.join(', ')}): run \`npm run db:migrate\` first`);
    }
    return await work(db);
  } finally {
    await db.close();
  }
}
