import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';

describe('a PGlite database migrated by the process that opened it', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('filters on arrays of the enums its migrations created (PGlite learns their array types after migrating)', async () => {
    // memory:// is never seeded from the install-time template: every migration runs in this process.
    db = await openDatabase({ dataDir: 'memory://' });
    await applyMigrations(db);
    await db.prisma.account.create({ data: { type: 'USER', name: 'alice', roles: ['PORTAL_ADMINISTRATOR'] } });
    await db.prisma.account.create({ data: { type: 'USER', name: 'bob', roles: ['RESTORE_OPERATOR'] } });
    expect(await db.prisma.account.count({ where: { roles: { has: 'PORTAL_ADMINISTRATOR' } } })).toBe(1);
    expect(await db.prisma.account.count({ where: { roles: { hasSome: ['RESTORE_OPERATOR', 'PORTAL_USER'] } } })).toBe(1);
  });
});
