import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SchemaFilter } from '@prisma/schema-engine-wasm';
import type { Database } from './database.js';
import { DatabaseError, reasonOf } from './errors.js';
import {
  listMigrationNames,
  migrationSlug,
  migrationTimestamp,
  readMigrationList,
  writeMigration,
} from './migration-files.js';
import { migrationTargetOf } from './migration-target.js';
import { ScratchAdapterFactory } from './pglite-adapter.js';
import { defaultMigrationsDir, defaultSchemaPath } from '../project-root.js';
import { withSchemaEngine } from './schema-engine.js';

export interface MigrationStatus {
  /** Migrations recorded as finished in `_prisma_migrations`, in the order they ran. */
  applied: string[];
  /** Folders in the migrations directory not applied yet (a failed one stays pending). */
  pending: string[];
}

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

/** What the engine's diff says when there is nothing to do. */
const EMPTY_DIFF = '-- This is an empty migration.';

/**
 * Which migrations the database has and which it lacks. Cheap enough for every
 * start: plain SQL plus a directory listing, no schema engine.
 *
 * @param migrationsDir default: the project's `prisma/migrations`
 */
export async function migrationStatus(
  db: Database,
  migrationsDir: string = defaultMigrationsDir(),
): Promise<MigrationStatus> {
  const [applied, names] = await Promise.all([appliedMigrations(db), listMigrationNames(migrationsDir)]);
  const done = new Set(applied);
  return { applied, pending: names.filter((name) => !done.has(name)) };
}

async function appliedMigrations(db: Database): Promise<string[]> {
  try {
    // Before the first migration the table does not exist; to_regclass says so
    // without raising an error (which would abort a surrounding transaction).
    const [table] = await db.prisma.$queryRawUnsafe<{ present: boolean }[]>(
      `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`,
    );
    if (!table?.present) return [];
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
        ORDER BY started_at, migration_name`,
    );
    return rows.map((row) => row.migration_name);
  } catch (error) {
    throw new DatabaseError(`Cannot read the migration history: ${reasonOf(error)}`, { cause: error });
  }
}

/**
 * Applies the pending migrations, as `prisma migrate deploy` does (same
 * `_prisma_migrations` records, same checksums). Idempotent; loads the schema
 * engine only when something is pending. Runs under the migration lock, so
 * instances starting together apply each migration once: the ones that waited
 * find nothing left to do.
 *
 * @param migrationsDir default: the project's `prisma/migrations`
 * @returns the folders applied by this call, in order
 */
export async function applyMigrations(
  db: Database,
  migrationsDir: string = defaultMigrationsDir(),
): Promise<{ applied: string[] }> {
  const target = migrationTargetOf(db);
  if ((await migrationStatus(db, migrationsDir)).pending.length === 0) return { applied: [] };
  return target.lock.run(async () => {
    const status = await migrationStatus(db, migrationsDir);
    if (status.pending.length === 0) return { applied: [] };
    const migrationsList = await readMigrationList(migrationsDir);
    const { factory, release } = target.engineFactory();
    const started = performance.now();
    try {
      const output = await withSchemaEngine(factory, { logger: target.logger }, (engine) =>
        engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
      ).catch((error: unknown) => {
        throw new DatabaseError(`Migration failed: ${reasonOf(error)}`, { cause: error });
      });
      const applied = output.appliedMigrationNames;
      await target.afterMigrate?.();
      target.logger?.info({ applied, ms: Math.round(performance.now() - started) }, 'database migrated');
      return { applied };
    } finally {
      await release();
    }
  });
}

export interface DiffOptions {
  /** The Prisma schema to compare. Default: the project's `prisma/schema.prisma`. */
  schemaPath?: string;
  /** The migrations to replay. Default: the project's `prisma/migrations`. */
  migrationsDir?: string;
}

/**
 * The SQL that would bring a database built from the migrations folder to the
 * Prisma schema; `''` when they agree. Needs no database: the migrations are
 * replayed into a throwaway in-memory PGlite (the shadow database).
 */
export async function diffSchemaAgainstMigrations(options: DiffOptions = {}): Promise<string> {
  const schemaPath = resolve(options.schemaPath ?? defaultSchemaPath());
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  const content = await readFile(schemaPath, 'utf8').catch((error: unknown) => {
    throw new DatabaseError(`Cannot read the Prisma schema ${schemaPath}: ${reasonOf(error)}`, { cause: error });
  });
  const migrationsList = await readMigrationList(migrationsDir);
  const factory = new ScratchAdapterFactory();
  try {
    const result = await withSchemaEngine(factory, {}, (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content }] },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      }),
    );
    const sql = result.stdout ?? '';
    return sql.trim() === '' || sql.trim() === EMPTY_DIFF ? '' : sql;
  } catch (error) {
    throw new DatabaseError(`Cannot diff ${schemaPath} against ${resolve(migrationsDir)}: ${reasonOf(error)}`, {
      cause: error,
    });
  } finally {
    await factory.close();
  }
}

export interface CreateMigrationOptions extends DiffOptions {
  /** What the migration does, e.g. `add audit log`; becomes the folder's suffix (`add_audit_log`). */
  name: string;
}

/**
 * Writes `<migrationsDir>/<timestamp>_<name>/migration.sql` with the SQL from
 * `diffSchemaAgainstMigrations`, in Prisma's layout. Nothing is applied.
 *
 * @returns the new folder and its SQL, or null when schema and migrations agree
 */
export async function createMigration(
  options: CreateMigrationOptions,
): Promise<{ directory: string; sql: string } | null> {
  const slug = migrationSlug(options.name);
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  const sql = await diffSchemaAgainstMigrations({ ...options, migrationsDir });
  if (sql === '') return null;
  const directory = await writeMigration(migrationsDir, await nextFolderName(migrationsDir, slug), sql);
  return { directory, sql };
}

/**
 * Timestamp-prefixed like Prisma's, and always sorting after the existing
 * folders: two migrations made within one second (tests, scripts) or on a clock
 * behind a colleague's must still apply in the order they were made.
 */
async function nextFolderName(migrationsDir: string, slug: string): Promise<string> {
  const last = (await listMigrationNames(migrationsDir)).at(-1);
  let stamp = migrationTimestamp(new Date());
  const lastStamp = last?.slice(0, 14);
  if (lastStamp && /^\d{14}$/.test(lastStamp) && stamp <= lastStamp) {
    stamp = migrationTimestamp(new Date(parseStamp(lastStamp).getTime() + 1000));
  }
  return `${stamp}_${slug}`;
}

function parseStamp(stamp: string): Date {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(stamp.slice(at, at + (i === 0 ? 4 : 2))));
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}
