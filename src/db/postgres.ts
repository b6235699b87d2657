import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { DatabaseError, reasonOf, redactUrl } from './errors.js';
import { statementName } from './prepared.js';

/**
 * pg waits forever for a connection by default; a gateway pointed at a
 * black-holed address must fail its start (or its readiness) instead.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/** Parses and checks a PostgreSQL URL, failing with one line that names the problem. */
export function checkPostgresUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseError(
      'DATABASE_URL is not a valid URL (expected postgresql://user:password@host:5432/database)',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseError(
      `DATABASE_URL must start with postgresql:// or postgres://, got ${parsed.protocol}// (${redactUrl(url)})`,
    );
  }
  if (!parsed.hostname && !parsed.searchParams.has('host')) {
    throw new DatabaseError(`DATABASE_URL names no host (${redactUrl(url)})`);
  }
  return parsed;
}

/**
 * A driver adapter factory; each `connect()` opens its own pool, unless `pool` is
 * given: then that pool, which the client ends when it disconnects.
 * `single` makes that pool one connection that is never closed for idleness, for
 * work that keeps session state (advisory locks) until it ends the pool itself.
 * `preparedStatements` sends the statements tagged with `prepared()` under a
 * name, so each connection plans them once (src/db/prepared.ts).
 */
export function createPgFactory(url: string, options: { single?: boolean; preparedStatements?: boolean; pool?: pg.Pool } = {}): PrismaPg {
  return new PrismaPg(
    options.pool ?? poolConfig(url, options.single),
    {
      // The adapter's type wants a name for every statement; pg sends one without a name unnamed, as before.
      ...(options.preparedStatements ? { statementNameGenerator: (query) => statementName(query.sql) as string } : {}),
      // A pool handed in is the client's to end, as one it opens itself.
      disposeExternalPool: true,
    },
  );
}

/** The pool a gateway's Prisma client runs on, opened here so its bulk statements can share it (bulk-sql.ts). */
export function createPgPool(url: string): pg.Pool {
  return new pg.Pool(poolConfig(url));
}

function poolConfig(url: string, single = false): pg.PoolConfig {
  return { connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...(single ? { max: 1, idleTimeoutMillis: 0 } : {}) };
}

/**
 * A factory for one schema-engine run. Each connection is its own pool of one,
 * so the engine's session state (its own advisory lock, its transactions) stays on
 * one server connection, and `close()` ends every pool it opened, which also
 * releases any session lock the engine left behind.
 */
export class EnginePgFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  readonly #open = new Set<SqlDriverAdapter>();

  constructor(private readonly url: string) {}

  async connect(): Promise<SqlDriverAdapter> {
    return this.#track(wholeScripts(await createPgFactory(this.url, { single: true }).connect()));
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    // Only diffs need a shadow database, and those run on scratch PGlite
    // instances: applying migrations to a real server never asks for one.
    throw new DatabaseError('No shadow database is available on the PostgreSQL migration connection');
  }

  async close(): Promise<void> {
    const open = [...this.#open];
    this.#open.clear();
    await Promise.allSettled(open.map((adapter) => adapter.dispose()));
  }

  #track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    this.#open.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    // adapter-pg ends its pool on dispose and pg throws when a pool is ended twice.
    adapter.dispose = () => {
      this.#open.delete(adapter);
      disposed ??= dispose();
      return disposed;
    };
    return adapter;
  }
}

/** What adapter-pg's adapter holds: its pool, and its conversion of pg errors into the engine's. */
interface PgAdapterInternals {
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
}

/**
 * Migration scripts sent to the server whole, as one simple query. adapter-pg
 * splits a script at every `;`, which cuts apart the body of a PL/pgSQL
 * function (`$$ … ; … $$`); the server parses dollar quotes itself. One simple
 * query also runs as one implicit transaction, so a migration that fails
 * leaves nothing half-applied.
 */
function wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = adapter as unknown as PgAdapterInternals;
  if (typeof internals.client?.query !== 'function' || typeof internals.onError !== 'function') {
    throw new DatabaseError('@prisma/adapter-pg changed shape: cannot run migration scripts whole');
  }
  adapter.executeScript = async (script: string) => {
    try {
      await internals.client.query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

/** The one-line message for a server that cannot be reached or refuses us. */
export function connectionError(url: string, error: unknown): DatabaseError {
  return new DatabaseError(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${reasonOf(error)}`, {
    cause: error,
  });
}
