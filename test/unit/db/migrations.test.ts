import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DatabaseError,
  applyMigrations,
  createMigration,
  defaultMigrationsDir,
  migrationStatus,
  openDatabase,
} from '../../../src/db/index.js';
import { copyOfMigrations, instanceRow, schemaWithRegion, tempDirs } from './support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

/** The committed migration folders, read here rather than hard-coded. */
async function committedMigrations(): Promise<string[]> {
  const entries = await readdir(defaultMigrationsDir(), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function columnsOf(db: Awaited<ReturnType<typeof openDatabase>>, table: string): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ column_name: string }[]>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`,
    table,
  );
  return rows.map((r) => r.column_name);
}

describe('applyMigrations (PGlite)', { timeout: 60_000 }, () => {
  it('applies init to an empty database once, and reports status before and after', async () => {
    const committed = await committedMigrations();
    expect(committed.some((name) => /^\d{14}_init$/.test(name))).toBe(true);

    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      expect(await migrationStatus(db)).toEqual({ applied: [], pending: committed });

      const first = await applyMigrations(db);
      expect(first.applied).toEqual(committed);
      expect(await migrationStatus(db)).toEqual({ applied: committed, pending: [] });
      expect(await columnsOf(db, 'GatewayInstance')).toEqual(
        ['heartbeatAt', 'hostname', 'id', 'pid', 'startedAt', 'version'],
      );

      expect(await applyMigrations(db)).toEqual({ applied: [] });
      const [recorded] = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`,
      );
      expect(Number(recorded?.n)).toBe(committed.length);
    } finally {
      await db.close();
    }
  });

  it('applies once when two calls race in one process', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const results = await Promise.all([applyMigrations(db), applyMigrations(db)]);
      const committed = await committedMigrations();
      expect(results.map((r) => r.applied).sort()).toEqual([[], committed]);
      const [recorded] = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM _prisma_migrations`,
      );
      expect(Number(recorded?.n)).toBe(committed.length);
    } finally {
      await db.close();
    }
  });

  it('fails a broken migration with one line, keeps it pending, and refuses to go on', async () => {
    const dir = await copyOfMigrations(await temp.make());
    await mkdir(join(dir, '29990101000000_broken'));
    await writeFile(join(dir, '29990101000000_broken', 'migration.sql'), 'SELECT no_such_column FROM "GatewayInstance";\n');
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const error = await applyMigrations(db, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toMatch(/^Migration failed: .*no_such_column/);
      expect((error as Error).message).not.toContain('\n');

      const status = await migrationStatus(db, dir);
      expect(status.pending).toEqual(['29990101000000_broken']);
      // What `prisma migrate deploy` does too: a failed migration blocks the next runs.
      await expect(applyMigrations(db, dir)).rejects.toThrow(/failed migrations.*29990101000000_broken/);
      // The migrations before it did apply and the database is usable.
      await db.prisma.gatewayInstance.create({ data: instanceRow('still-works') });
    } finally {
      await db.close();
    }
  });
});

describe('createMigration', { timeout: 60_000 }, () => {
  it('writes a new migration in Prisma layout from a changed schema, which then applies', async () => {
    const work = await temp.make();
    const migrationsDir = await copyOfMigrations(work);
    const schemaPath = await schemaWithRegion(work);
    const before = await committedMigrations();

    const created = await createMigration({ name: 'Add region', schemaPath, migrationsDir });
    expect(created).not.toBeNull();
    const { directory, sql } = created!;
    expect(basename(directory)).toMatch(/^\d{14}_add_region$/);
    expect(sql).toMatch(/ALTER TABLE "GatewayInstance" ADD COLUMN\s+"region" TEXT/);
    expect(await readFile(join(directory, 'migration.sql'), 'utf8')).toBe(sql);
    const names = (await readdir(migrationsDir)).filter((n) => n !== 'migration_lock.toml').sort();
    expect(names).toEqual([...before, basename(directory)]);

    // In sync now: nothing more to create.
    expect(await createMigration({ name: 'again', schemaPath, migrationsDir })).toBeNull();

    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      expect((await applyMigrations(db, migrationsDir)).applied).toEqual(names);
      expect(await columnsOf(db, 'GatewayInstance')).toContain('region');
    } finally {
      await db.close();
    }
  });

  it('starts a migrations folder from nothing, lockfile included', async () => {
    const migrationsDir = join(await temp.make(), 'fresh-migrations');
    const created = await createMigration({ name: 'init', migrationsDir });
    expect(created?.sql).toContain('CREATE TABLE "GatewayInstance"');
    expect(await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8')).toMatch(/^provider = "postgresql"$/m);
    // The project's migrations were made the same way, one change at a time, so
    // a single migration from nothing must create exactly the tables they create.
    const tables = (sql: string) => [...sql.matchAll(/CREATE TABLE "([^"]+)"/g)].map((match) => match[1]).sort();
    const committed = await Promise.all(
      (await committedMigrations()).map((name) => readFile(join(defaultMigrationsDir(), name, 'migration.sql'), 'utf8')),
    );
    expect(tables(created!.sql)).toEqual(tables(committed.join('\n')));
  });

  it('rejects a name with nothing usable before touching anything', async () => {
    const migrationsDir = join(await temp.make(), 'untouched');
    await expect(createMigration({ name: '!!!', migrationsDir })).rejects.toThrow(/no letters or digits/);
    await expect(readdir(migrationsDir)).rejects.toThrow(/ENOENT/);
  });
});
