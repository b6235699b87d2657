import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'failover-gateway';

let cached: string | undefined;

/**
 * The folder holding the project's package.json.
 *
 * Found by walking up from this file rather than by a fixed number of `..`, because
 * the same code runs from src/db/ (tsx, vitest) and from dist/src/db/ (compiled).
 * The package name is checked so a nested package.json (e.g. dist/ in a container
 * image) is never mistaken for the root.
 */
export function projectRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && readPackageName(candidate) === PACKAGE_NAME) {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`Cannot find the ${PACKAGE_NAME} project root above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
}

function readPackageName(file: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string') {
      return parsed.name;
    }
  } catch {
    // An unreadable or malformed package.json is just not ours: keep walking up.
  }
  return undefined;
}

/** prisma/schema.prisma of the project. */
export function defaultSchemaPath(): string {
  return join(projectRoot(), 'prisma', 'schema.prisma');
}

/** prisma/migrations/ of the project. */
export function defaultMigrationsDir(): string {
  return join(projectRoot(), 'prisma', 'migrations');
}
