import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatabaseError,
  applyMigrations,
  defaultMigrationsDir,
  migrationStatus,
  openDatabase,
  type Database,
} from '../../../src/db/index.js';
import { MIGRATION_LOCK_KEY } from '../../../src/db/migration-lock.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The admin URL pointed at another database on the same server. */
function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

let admin: Database;
const created: string[] = [];

/** A fresh, uniquely named database, dropped after the file. */
async function freshDatabase(): Promise<string> {
  const name = `fg_test_${randomBytes(6).toString('hex')}`;
  await admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  created.push(name);
  return urlFor(name);
}

async function committedMigrations(): Promise<string[]> {
  const entries = await readdir(defaultMigrationsDir(), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

beforeAll(async () => {
  admin = await openDatabase({ databaseUrl: ADMIN_URL });
});

afterAll(async () => {
  for (const name of created) {
    await admin.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  await admin?.close();
});

describe('PostgreSQL database', () => {
  it('opens, answers, and closes idempotently', async () => {
    const db = await openDatabase({ databaseUrl: await freshDatabase() });
    expect(db.kind).toBe('postgresql');
    await db.ping();
    await db.close();
    await db.close();
  });

  it('applies the migrations, then round-trips a GatewayInstance', async () => {
    const db = await openDatabase({ databaseUrl: await freshDatabase() });
    try {
      const committed = await committedMigrations();
      expect(await migrationStatus(db)).toEqual({ applied: [], pending: committed });
      expect(await applyMigrations(db)).toEqual({ applied: committed });
      expect(await migrationStatus(db)).toEqual({ applied: committed, pending: [] });
      expect(await applyMigrations(db)).toEqual({ applied: [] });

      const beat = new Date('2031-05-06T07:08:09.123Z');
      await db.prisma.gatewayInstance.create({
        data: { id: 'pg-1', hostname: 'h', pid: 1, version: 'v', heartbeatAt: beat },
      });
      const row = await db.prisma.gatewayInstance.findUniqueOrThrow({ where: { id: 'pg-1' } });
      expect(row).toMatchObject({ hostname: 'h', pid: 1, version: 'v' });
      expect(row.heartbeatAt.toISOString()).toBe(beat.toISOString());
      expect(row.startedAt).toBeInstanceOf(Date);
    } finally {
      await db.close();
    }
  });

  it('two instances migrating the same fresh database together record each migration once', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([openDatabase({ databaseUrl: url }), openDatabase({ databaseUrl: url })]);
    try {
      const committed = await committedMigrations();
      const results = await Promise.all([applyMigrations(a), applyMigrations(b)]);
      expect(results.map((r) => r.applied).sort()).toEqual([[], committed]);

      const rows = await a.prisma.$queryRawUnsafe<{ migration_name: string; finished: boolean }[]>(
        `SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name`,
      );
      expect(rows).toEqual(committed.map((migration_name) => ({ migration_name, finished: true })));
      // Neither our lock nor the engine's outlives the run.
      const locks = await a.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
          WHERE l.locktype = 'advisory' AND d.datname = current_database()`,
      );
      expect(Number(locks[0]?.n)).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('waits for another instance holding the migration lock, then finds nothing to do', async () => {
    const url = await freshDatabase();
    const holder = await openDatabase({ databaseUrl: url });
    const waiter = await openDatabase({ databaseUrl: url });
    try {
      // Play the other instance by hand: hold the lock in a transaction on one
      // connection, apply the migrations meanwhile, then let go.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const held = holder.prisma.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
          locked();
          await released;
        },
        { timeout: 60_000 },
      );
      await isLocked;
      let waiterDone = false;
      const waiting = applyMigrations(waiter).then((r) => ((waiterDone = true), r));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(waiterDone).toBe(false);

      await applyMigrationsBehindTheLock(url);
      release();
      await held;
      expect(await waiting).toEqual({ applied: [] });
    } finally {
      await Promise.all([holder.close(), waiter.close()]);
    }
  });

  it('an unreachable server fails with one line', async () => {
    const url = new URL(ADMIN_URL);
    url.port = '1';
    url.password = 'not-to-be-printed';
    const error = await openDatabase({ databaseUrl: url.toString() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/^Cannot connect to PostgreSQL at .*:1\/.*: Can't reach database server/);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).not.toContain('not-to-be-printed');
  });

  it('a missing database is named in one line', async () => {
    const error = await openDatabase({ databaseUrl: urlFor('fg_test_missing_db') }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/database "fg_test_missing_db" does not exist/);
    expect((error as Error).message).not.toContain('\n');
  });
});

/**
 * The other instance's side of the lock test: it holds the lock already, so it
 * drives the schema engine directly instead of calling applyMigrations (whose
 * lock it could not take from the same test).
 */
async function applyMigrationsBehindTheLock(url: string): Promise<void> {
  const { readMigrationList } = await import('../../../src/db/migration-files.js');
  const { EnginePgFactory } = await import('../../../src/db/postgres.js');
  const { withSchemaEngine } = await import('../../../src/db/schema-engine.js');
  const factory = new EnginePgFactory(url);
  try {
    const migrationsList = await readMigrationList(defaultMigrationsDir());
    await withSchemaEngine(factory, {}, (engine) =>
      engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } }),
    );
  } finally {
    await factory.close();
  }
}
