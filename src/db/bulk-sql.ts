import type pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.js';

/** A statement and its parameters ($1, $2, … in the text). */
export interface SqlStatement {
  sql: string;
  params: readonly unknown[];
}

/**
 * Where statements with large parameters go: the inventory sync's batches,
 * each carrying megabytes of JSON text.
 *
 * Through Prisma, every raw call leaves copies of its parameters in two debug
 * histories that are kept even with DEBUG unset: the client runtime's (a
 * message with the parameters as JSON text, and the query plan holding them)
 * and `@prisma/debug`'s (the driver adapter's query), the last 100 calls
 * each: memory held at the sync's peak for nothing (docs/real-sources.md,
 * "WebAssembly on Liftoff, and the batches past Prisma's debug histories").
 * On PostgreSQL these statements go to the pool the Prisma adapter itself
 * uses, so they share its connections and limits; elsewhere (PGlite, whose
 * one session Prisma's adapter serializes) they go through Prisma.
 */
export interface BulkSql {
  /** Runs the statements in order in one transaction; each one's row count. */
  transaction(statements: readonly SqlStatement[]): Promise<number[]>;
  /** Runs one statement in its own transaction; its row count. */
  execute(statement: SqlStatement): Promise<number>;
  /**
   * Runs one statement in its own transaction; its rows. The two paths decode
   * values differently (pg's types against Prisma's), so return text, numbers
   * and booleans only.
   */
  query<T>(statement: SqlStatement): Promise<T[]>;
}

const attached = new WeakMap<PrismaClient, BulkSql>();

/** Makes `sql` the bulk path of statements for this client (see openDatabase). */
export function attachBulkSql(prisma: PrismaClient, sql: BulkSql): void {
  attached.set(prisma, sql);
}

/** The bulk path attached to this client, else one through Prisma itself. */
export function bulkSqlOf(prisma: PrismaClient): BulkSql {
  return attached.get(prisma) ?? prismaBulkSql(prisma);
}

function prismaBulkSql(prisma: PrismaClient): BulkSql {
  const raw = (s: SqlStatement) => prisma.$executeRawUnsafe(s.sql, ...s.params);
  return {
    transaction: (statements) => prisma.$transaction(statements.map(raw)),
    execute: (statement) => raw(statement),
    query: <T>(s: SqlStatement) => prisma.$queryRawUnsafe<T[]>(s.sql, ...s.params),
  };
}

/** Statements on a pg pool: one connection per transaction, rolled back on any error. */
export function poolBulkSql(pool: pg.Pool): BulkSql {
  const count = (result: pg.QueryResult): number => result.rowCount ?? 0;
  return {
    async transaction(statements) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const counts: number[] = [];
        for (const s of statements) counts.push(count(await client.query(s.sql, s.params as unknown[])));
        await client.query('COMMIT');
        return counts;
      } catch (error) {
        // A connection that cannot even roll back is closed, not handed to the next caller.
        await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async execute(statement) {
      return count(await pool.query(statement.sql, statement.params as unknown[]));
    },
    async query<T>(statement: SqlStatement) {
      return (await pool.query(statement.sql, statement.params as unknown[])).rows as T[];
    },
  };
}
