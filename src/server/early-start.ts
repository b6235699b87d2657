import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { seedFromTemplate } from '../db/pglite-template.js';

/** The embedded database's folder inside DATA_DIR. */
export function pgliteDataDir(config: Config): string {
  return join(config.dataDir, 'pglite');
}

/**
 * Seeds a new embedded database folder from the install-time template, for a
 * start to run while it loads the gateway's modules: the copy runs on the
 * thread pool, the module loading on the main thread, and the first start on a
 * new folder pays for the slower of the two instead of both.
 *
 * Never rejects: a folder that cannot be seeded here is left as it is, and
 * opening the database reports the problem as it would without this step.
 */
export async function seedEmbeddedDatabase(config: Config, logger: Logger): Promise<void> {
  // PostgreSQL needs no folder; a gateway that may not migrate may not use the
  // already-migrated template either.
  if (config.databaseUrl || !config.migrateOnStart) return;
  const location = pgliteDataDir(config);
  try {
    if (await seedFromTemplate(location)) {
      logger.info({ dataDir: location }, 'new PGlite database seeded from the install-time template');
    }
  } catch (error) {
    logger.debug({ err: error, dataDir: location }, 'early seeding skipped; the database opens without it');
  }
}
