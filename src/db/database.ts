import { mkdir } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'pino';
import { PrismaClient } from '../generated/prisma/client.js';
import { DatabaseError, reasonOf, redactUrl } from './errors.js';
import { postgresLock, processLock } from './migration-lock.js';
import { attachMigrationTarget } from './migration-target.js';
import { PGliteAdapterFactory } from './pglite-adapter.js';
import { seedFromTemplate } from './pglite-template.js';
import { projectRoot } from '../project-root.js';
import { createScratchPGlite } from './scratch-pglite.js';
import { settleWasmTier } from './wasm-tier.js';
import { attachBulkSql, poolBulkSql } from './bulk-sql.js';

export interface DatabaseOptions {
  /**
   * PostgreSQL connection string (`postgresql://user:password@host:5432/db`).
   * When unset, an embedded PGlite database is used. Default: unset.
   */
  databaseUrl?: string;
  /**
   * PGlite data folder, created if missing; ignored when `databaseUrl` is set.
   * A relative path is taken from the current directory, except the default,
   * which lives in the project root so every command finds the same data.
   * `memory://` gives an in-memory database (tests). Default: `.data/pglite`.
   */
  dataDir?: string;
  /** Logger for opening, closing and migrating. Default: none (silent). */
  logger?: Logger;
  /**
   * Create a new PGlite folder as a copy of the install-time template, which
   * has every migration applied (src/db/pglite-template.ts), instead of running
   * initdb. Pass false where migrations must stay pending until applied
   * explicitly (MIGRATE_ON_START=false, `migrate`). Default: true.
   */
  seedFromTemplate?: boolean;
  /**
   * PostgreSQL: send the statements tagged with `prepared()` as named
   * prepared statements. Turn off behind a pooler in transaction mode that
   * does not carry prepared statements across its connections. Default: true.
   */
  preparedStatements?: boolean;
  /**
   * Let V8 recompile hot WebAssembly (Prisma's query compiler, PGlite) with
   * its optimizing compiler. Process-wide, decided by the first database
   * opened (see wasm-tier.ts). Default: false.
   */
  wasmTierUp?: boolean;
}

export interface Database {
  kind: 'pglite' | 'postgresql';
  prisma: PrismaClient;
  /** Throws a DatabaseError if the database does not answer (used by /readyz). */
  ping(): Promise<void>;
  /** Disconnects Prisma and, for PGlite, closes the data folder. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = '.data/pglite';

/**
 * Opens the database and checks that it answers, so a bad URL or an unreachable
 * server fails the start with one line rather than the first request. Migrations
 * are not applied here: see `applyMigrations`.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  settleWasmTier(options.wasmTierUp ?? false);
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.logger, options.preparedStatements ?? true)
    : openPGlite(options.dataDir, options.logger, options.seedFromTemplate ?? true);
}

async function openPostgres(url: string, logger: Logger | undefined, preparedStatements: boolean): Promise<Database> {
  // pg is loaded only for PostgreSQL: the embedded default does not pay for it at start.
  const { EnginePgFactory, checkPostgresUrl, connectionError, createPgFactory, createPgPool } = await import('./postgres.js');
  checkPostgresUrl(url);
  const pool = createPgPool(url);
  const prisma = new PrismaClient({ adapter: createPgFactory(url, { preparedStatements, pool }) });
  attachBulkSql(prisma, poolBulkSql(pool));
  const ping = async () => {
    try {
      await prisma.$queryRawUnsafe('SELECT 1');
    } catch (error) {
      throw connectionError(url, error);
    }
  };
  const close = once(() => prisma.$disconnect());
  try {
    await ping();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  const db: Database = { kind: 'postgresql', prisma, ping, close };
  attachMigrationTarget(db, {
    engineFactory: () => {
      const factory = new EnginePgFactory(url);
      return { factory, release: () => factory.close() };
    },
    lock: postgresLock(url),
    logger,
  });
  logger?.info({ database: redactUrl(url) }, 'database: PostgreSQL');
  return db;
}

async function openPGlite(dataDir: string | undefined, logger: Logger | undefined, seed: boolean): Promise<Database> {
  const location = pgliteLocation(dataDir);
  let client: PGlite;
  try {
    if (location === 'memory://') {
      // Same fresh cluster, without paying initdb for every test database.
      client = await createScratchPGlite();
    } else {
      if (!location.startsWith('memory://')) {
        const seeded = seed && (await seedFromTemplate(location));
        if (seeded) logger?.info({ dataDir: location }, 'new PGlite database seeded from the install-time template');
        await mkdir(location, { recursive: true });
      }
      client = await PGlite.create({ dataDir: location });
    }
  } catch (error) {
    throw new DatabaseError(`Cannot open the PGlite database in ${location}: ${reasonOf(error)}`, { cause: error });
  }
  const factory = new PGliteAdapterFactory(client);
  const prisma = new PrismaClient({ adapter: factory });
  const ping = async () => {
    try {
      await prisma.$queryRawUnsafe('SELECT 1');
    } catch (error) {
      throw new DatabaseError(`PGlite database in ${location} does not answer: ${reasonOf(error)}`, { cause: error });
    }
  };
  const close = once(async () => {
    try {
      await prisma.$disconnect();
    } finally {
      // Closing flushes PGlite's buffers to the data folder: without it the last
      // writes of the session may be lost.
      if (!client.closed) await client.close();
    }
  });
  const db: Database = { kind: 'pglite', prisma, ping, close };
  attachMigrationTarget(db, {
    engineFactory: () => ({ factory, release: async () => undefined }),
    lock: processLock(),
    logger,
    // PGlite reads the array types it serializes parameters with when it opens; types a migration created
    // since then would be sent as scalars ("malformed array literal") until it reads them again.
    afterMigrate: () => client.refreshArrayTypes(),
  });
  logger?.info({ dataDir: location }, 'database: embedded PGlite');
  return db;
}

function pgliteLocation(dataDir: string | undefined): string {
  if (dataDir === undefined) return resolve(projectRoot(), DEFAULT_DATA_DIR);
  if (dataDir.startsWith('memory://') || isAbsolute(dataDir)) return dataDir;
  return resolve(dataDir);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
