import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DatabaseError,
  applyMigrations,
  migrationStatus,
  openDatabase,
  projectRoot,
} from '../../../src/db/index.js';
import { instanceRow, tempDirs } from './support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

// A PGlite instance costs seconds to create (initdb) on a busy two-core machine.
describe('openDatabase (PGlite)', { timeout: 60_000 }, () => {
  it('opens an in-memory database that answers, and closes idempotently', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    expect(db.kind).toBe('pglite');
    await expect(db.ping()).resolves.toBeUndefined();
    const [row] = await db.prisma.$queryRawUnsafe<{ answer: number }[]>('SELECT 41 + 1 AS answer');
    expect(row?.answer).toBe(42);
    await db.close();
    await expect(db.close()).resolves.toBeUndefined();
    await expect(db.ping()).rejects.toBeInstanceOf(DatabaseError);
  });

  it('creates a missing data folder', async () => {
    const dataDir = join(await temp.make(), 'nested', 'pglite');
    const db = await openDatabase({ dataDir });
    try {
      await db.ping();
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('round-trips a GatewayInstance through Prisma', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      await applyMigrations(db);
      const before = Date.now();
      const created = await db.prisma.gatewayInstance.create({ data: instanceRow('gw-a') });
      expect(created).toMatchObject(instanceRow('gw-a'));
      expect(created.startedAt).toBeInstanceOf(Date);
      expect(Math.abs(created.startedAt.getTime() - before)).toBeLessThan(60_000);

      const beat = new Date('2030-01-02T03:04:05.678Z');
      await db.prisma.gatewayInstance.update({ where: { id: 'gw-a' }, data: { heartbeatAt: beat } });
      await db.prisma.gatewayInstance.create({ data: { ...instanceRow('gw-b'), heartbeatAt: new Date(0) } });

      const stale = await db.prisma.gatewayInstance.findMany({
        where: { heartbeatAt: { lt: new Date('2000-01-01') } },
      });
      expect(stale.map((i) => i.id)).toEqual(['gw-b']);
      const found = await db.prisma.gatewayInstance.findUniqueOrThrow({ where: { id: 'gw-a' } });
      expect(found.heartbeatAt.toISOString()).toBe(beat.toISOString());

      await expect(db.prisma.gatewayInstance.create({ data: instanceRow('gw-a') })).rejects.toMatchObject({
        code: 'P2002',
      });
      await db.prisma.gatewayInstance.delete({ where: { id: 'gw-b' } });
      expect(await db.prisma.gatewayInstance.count()).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('keeps data and migration history across close and reopen of a data folder', async () => {
    const dataDir = join(await temp.make(), 'pglite');
    // Not seeded from the (already migrated) install-time template: this test applies them.
    const first = await openDatabase({ dataDir, seedFromTemplate: false });
    try {
      expect((await applyMigrations(first)).applied.length).toBeGreaterThan(0);
      await first.prisma.gatewayInstance.create({ data: instanceRow('survivor') });
    } finally {
      await first.close();
    }

    const second = await openDatabase({ dataDir });
    try {
      const status = await migrationStatus(second);
      expect(status.pending).toEqual([]);
      expect(status.applied.length).toBeGreaterThan(0);
      expect(await applyMigrations(second)).toEqual({ applied: [] });
      const row = await second.prisma.gatewayInstance.findUnique({ where: { id: 'survivor' } });
      expect(row).toMatchObject(instanceRow('survivor'));
    } finally {
      await second.close();
    }
  });

  it('puts the default data folder in the project root', () => {
    // Not opened: that would create .data/ in the working tree.
    expect(existsSync(join(projectRoot(), 'package.json'))).toBe(true);
    expect(existsSync(join(projectRoot(), 'prisma', 'schema.prisma'))).toBe(true);
  });
});

describe('openDatabase (bad PostgreSQL URLs)', () => {
  it.each([
    ['not a url', /not a valid URL/],
    ['mysql://user@host/db', /must start with postgresql:\/\/ or postgres:\/\//],
  ])('rejects %j with one clear line', async (databaseUrl, message) => {
    const error = await openDatabase({ databaseUrl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never prints the password', async () => {
    const error = await openDatabase({ databaseUrl: 'mysql://user:hunter2@host/db' }).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
