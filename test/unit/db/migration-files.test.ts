import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOCKFILE_CONTENT,
  listMigrationNames,
  migrationSlug,
  migrationTimestamp,
  readMigrationList,
  writeMigration,
} from '../../../src/db/migration-files.js';
import { tempDirs } from './support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('migration folder layout', () => {
  it('names folders like Prisma', () => {
    expect(migrationTimestamp(new Date(Date.UTC(2025, 0, 31, 23, 59, 58, 999)))).toBe('20250131235958');
    expect(migrationSlug('  Add audit log! ')).toBe('add_audit_log');
    expect(migrationSlug('init')).toBe('init');
    expect(() => migrationSlug(' --- ')).toThrow(/no letters or digits/);
  });

  it('reads a missing folder as no migrations, with the PostgreSQL lockfile', async () => {
    const missing = join(await temp.make(), 'nothing-here');
    expect(await listMigrationNames(missing)).toEqual([]);
    const list = await readMigrationList(missing);
    expect(list.migrationDirectories).toEqual([]);
    expect(list.lockfile.content).toBe(LOCKFILE_CONTENT);
  });

  it('writes the lockfile once and lists folders in apply order, ignoring files', async () => {
    const dir = join(await temp.make(), 'migrations');
    await writeMigration(dir, '20250102000000_second', 'SELECT 2;\n');
    await writeMigration(dir, '20250101000000_first', 'SELECT 1;\n');
    await writeFile(join(dir, 'README.md'), 'not a migration');
    expect(await readFile(join(dir, 'migration_lock.toml'), 'utf8')).toBe(LOCKFILE_CONTENT);
    expect(await listMigrationNames(dir)).toEqual(['20250101000000_first', '20250102000000_second']);

    const list = await readMigrationList(dir);
    expect(list.migrationDirectories.map((m) => [m.path, m.migrationFile.content])).toEqual([
      ['20250101000000_first', { tag: 'ok', value: 'SELECT 1;\n' }],
      ['20250102000000_second', { tag: 'ok', value: 'SELECT 2;\n' }],
    ]);
    await expect(writeMigration(dir, '20250101000000_first', 'SELECT 3;\n')).rejects.toThrow(/EEXIST/);
  });

  it('passes an unreadable migration to the engine as an error, not a crash', async () => {
    const dir = join(await temp.make(), 'migrations');
    await mkdir(join(dir, '20250101000000_empty'), { recursive: true });
    const [entry] = (await readMigrationList(dir)).migrationDirectories;
    expect(entry?.migrationFile.content.tag).toBe('error');
  });
});
