import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrationStatus, openDatabase } from '../../../src/db/index.js';
import { ensurePGliteTemplate, pgliteTemplateDir, seedFromTemplate } from '../../../src/db/pglite-template.js';
import { instanceRow, tempDirs } from './support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('the install-time PGlite template', () => {
  beforeAll(async () => {
    // `npm install` makes it; make it here too when tests run on a tree built otherwise.
    await ensurePGliteTemplate(async (dataDir) => {
      const db = await openDatabase({ dataDir, seedFromTemplate: false });
      try {
        await applyMigrations(db);
      } finally {
        await db.close();
      }
    });
  }, 120_000);

  it('is keyed by the PGlite version and the migrations', () => {
    expect(pgliteTemplateDir()).toMatch(/pglite-\d+\.\d+\.\d+-[0-9a-f]{12}$/);
    expect(existsSync(join(pgliteTemplateDir(), 'PG_VERSION'))).toBe(true);
  });

  it('gives a new data folder every migration already applied', async () => {
    const db = await openDatabase({ dataDir: join(await temp.make(), 'pglite') });
    try {
      expect((await migrationStatus(db)).pending).toEqual([]);
      expect(await applyMigrations(db)).toEqual({ applied: [] });
    } finally {
      await db.close();
    }
  });

  it('is not used when migrations must stay pending', async () => {
    const db = await openDatabase({ dataDir: join(await temp.make(), 'pglite'), seedFromTemplate: false });
    try {
      expect((await migrationStatus(db)).pending.length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('is copied, never shared: what one folder writes, another does not see', async () => {
    const first = await openDatabase({ dataDir: join(await temp.make(), 'pglite') });
    try {
      await first.prisma.gatewayInstance.create({ data: instanceRow('only-in-first') });
    } finally {
      await first.close();
    }
    const second = await openDatabase({ dataDir: join(await temp.make(), 'pglite') });
    try {
      expect(await second.prisma.gatewayInstance.count()).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('leaves a folder that already holds a database alone', async () => {
    const dataDir = join(await temp.make(), 'pglite');
    const first = await openDatabase({ dataDir });
    await first.prisma.gatewayInstance.create({ data: instanceRow('kept') });
    await first.close();
    const again = await openDatabase({ dataDir });
    try {
      expect(await again.prisma.gatewayInstance.count()).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('copies every file of the template into a new folder', async () => {
    const location = join(await temp.make(), 'pglite');
    expect(await seedFromTemplate(location)).toBe(true);
    expect(filesUnder(location)).toEqual(filesUnder(pgliteTemplateDir()));
  });

  it('copies without the system cp too (Node does the copy)', async () => {
    const location = join(await temp.make(), 'pglite');
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      expect(await seedFromTemplate(location)).toBe(true);
    } finally {
      process.env.PATH = path;
    }
    expect(filesUnder(location)).toEqual(filesUnder(pgliteTemplateDir()));
    const db = await openDatabase({ dataDir: location });
    try {
      expect((await migrationStatus(db)).pending).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
