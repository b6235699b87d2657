export { DEFAULT_DATA_DIR, openDatabase, type Database, type DatabaseOptions } from './database.js';
export { DatabaseError } from './errors.js';
export {
  applyMigrations,
  createMigration,
  diffSchemaAgainstMigrations,
  migrationStatus,
  type CreateMigrationOptions,
  type DiffOptions,
  type MigrationStatus,
} from './migrations.js';
export { defaultMigrationsDir, defaultSchemaPath, projectRoot } from '../project-root.js';
export { schemaEngineLoadTiming } from './schema-engine.js';
