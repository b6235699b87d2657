import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../project-root.js';

/**
 * A PGlite cluster made once, at install time, with every migration applied,
 * and copied into each new data folder.
 *
 * PGlite runs initdb for a new folder (4–6 s on these machines) and the
 * schema engine then applies the migrations: the very first `npm start` would
 * be the slowest. Copying a ready cluster (about 40 MB) takes a few hundred
 * milliseconds. The template is keyed by the PGlite version and by a hash of
 * prisma/migrations, so an upgrade or a new migration never copies a cluster
 * that does not fit; without a matching template, PGlite's own initdb runs and
 * migrations apply as usual.
 */
function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  let dir = dirname(entry);
  for (;;) {
    try {
      const pkg = require(join(dir, 'package.json')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    } catch {
      // keep walking up to the package root
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

function migrationsHash(): string {
  const dir = join(projectRoot(), 'prisma', 'migrations');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    hash.update(name);
    try {
      hash.update(readFileSync(join(dir, name, 'migration.sql')));
    } catch {
      // migration_lock.toml and stray files: the name is enough
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** Where the template lives: npm's conventional cache folder, rebuilt by every install. */
export function pgliteTemplateDir(): string {
  return join(projectRoot(), 'node_modules', '.cache', 'failover-gateway', `pglite-${pgliteVersion()}-${migrationsHash()}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the template if it is missing; returns its folder. `migrate` applies
 * the migrations to the fresh cluster (passed in to keep this module free of
 * the migration code, which imports it).
 */
export async function ensurePGliteTemplate(migrate: (dataDir: string) => Promise<void>): Promise<string> {
  const target = pgliteTemplateDir();
  if (await exists(join(target, 'PG_VERSION'))) return target;
  const building = `${target}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  // Loaded here only: a start imports this module to seed its folder early,
  // before the heavy modules, and must not pay for PGlite's at that point.
  const { PGlite } = await import('@electric-sql/pglite');
  const client = await PGlite.create({ dataDir: building });
  await client.close();
  await migrate(building);
  await rm(target, { recursive: true, force: true });
  // Rename is atomic: a concurrent reader sees no template or a whole one.
  await rename(building, target);
  return target;
}

/**
 * Copies a folder to a new path. The system's `cp` does it in its own process:
 * a start seeds its folder while it loads its modules (see
 * src/server/early-start.ts), and Node's own `fs.cp` runs its per-file steps
 * on the main thread, between module loads, which made a 40 MB copy of about
 * 1,000 files take 2 s instead of under 0.1 s. Where `cp` is missing or fails
 * (Windows), `fs.cp` does it.
 */
async function copyTree(from: string, to: string): Promise<void> {
  try {
    await promisify(execFile)('cp', ['-R', '-p', from, to]);
    return;
  } catch {
    await rm(to, { recursive: true, force: true });
  }
  await cp(from, to, { recursive: true });
}

/**
 * Seeds a new, empty data folder from the template. Returns false (and leaves
 * the folder to PGlite's initdb) when there is no template or the folder is in use.
 */
export async function seedFromTemplate(location: string): Promise<boolean> {
  // A folder that already holds a database (every restart) is settled first,
  // before the template key, which hashes every migration file.
  if (await exists(location)) {
    const entries = await readdir(location);
    if (entries.length > 0) return false;
  }
  const template = pgliteTemplateDir();
  if (!(await exists(join(template, 'PG_VERSION')))) return false;
  await mkdir(dirname(location), { recursive: true });
  const staging = `${location}.seeding-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await copyTree(template, staging);
  await rm(location, { recursive: true, force: true });
  await rename(staging, location);
  return true;
}
