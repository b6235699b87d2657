import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';
import { createFileOnce } from '../config/data-dir-file.js';

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
  createFileOnce(path, () => `${randomBytes(32).toString('base64url')}\n`);
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
