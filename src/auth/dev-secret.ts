import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';

/**
 * The development HS256 secret: generated once per data folder and kept in
 * `<dataDir>/dev-jwt-secret` (mode 0600), so `npm run token` and a running
 * `npm start` on the same DATA_DIR agree on it, and it survives restarts,
 * without any secret in the repository. Never used in production.
 */
export function devSecretPath(dataDir: string): string {
  return join(dataDir, 'dev-jwt-secret');
}

const MIN_LENGTH = 32;

/** Reads the data folder's development secret, creating it first if missing. */
export function loadOrCreateDevSecret(dataDir: string): string {
  const path = devSecretPath(dataDir);
  const existing = readSecret(path);
  if (existing !== undefined) return existing;
  mkdirSync(dataDir, { recursive: true });
  // Written whole under a temporary name, then linked into place: link fails when another
  // process won the race, and nobody ever reads a half-written file.
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  const created = readSecret(path);
  if (created === undefined) throw new ConfigError(`Cannot read the development JWT secret ${path}`);
  return created;
}

function readSecret(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`Cannot read the development JWT secret ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const secret = text.trim();
  if (secret.length < MIN_LENGTH) {
    throw new ConfigError(`The development JWT secret ${path} is shorter than ${MIN_LENGTH} characters; delete the file to get a new one`);
  }
  return secret;
}
