import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir, defaultSchemaPath } from '../../../src/db/index.js';

/** Temporary folders removed by `cleanup()` (call it from afterAll). */
export function tempDirs() {
  const made: string[] = [];
  return {
    async make(prefix = 'fg-db-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup(): Promise<void> {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** The committed migrations, copied so a test may add to them. */
export async function copyOfMigrations(into: string): Promise<string> {
  const dir = join(into, 'migrations');
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

/**
 * The project's schema with one more optional column on GatewayInstance: what a
 * developer who forgot `migration create` would leave behind.
 */
export async function schemaWithRegion(into: string): Promise<string> {
  const original = await readFile(defaultSchemaPath(), 'utf8');
  const modified = original.replace(/(\n\s+hostname\s+String\n)/, '$1  region      String?\n');
  if (modified === original) throw new Error('test setup: could not add a column to schema.prisma');
  const path = join(into, 'schema.prisma');
  await writeFile(path, modified);
  return path;
}

/** A GatewayInstance row as the gateway writes one at start. */
export function instanceRow(id: string) {
  return { id, hostname: 'gw-host-1', pid: 4242, version: '0.1.0-test' };
}
