import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `path` (mode 0600) with `content` unless it exists: the generated
 * development secrets in DATA_DIR. Written whole under a temporary name, then
 * linked into place: link fails when another process won the race, so the
 * first content stays and nobody ever reads a half-written file.
 */
export function createFileOnce(path: string, content: () => string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content(), { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}
