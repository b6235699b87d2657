import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How a CLI command finds the running gateway: `<dataDir>/control.json`,
 * written at start (mode 0600: the token is a credential) and removed at stop.
 * Needed because an embedded PGlite folder can be open in one process only.
 */
export interface ControlFile {
  /** Base URL of the gateway's control endpoints, e.g. http://127.0.0.1:4000. */
  url: string;
  /** Bearer token the control endpoints require. */
  token: string;
  /** Process id of the gateway, to tell a live gateway from a file left by a crash. */
  pid: number;
}

export function controlFilePath(dataDir: string): string {
  return join(dataDir, 'control.json');
}

/** Writes the file atomically (temporary file, then rename), readable by its owner only. */
export function writeControlFile(dataDir: string, file: ControlFile): void {
  mkdirSync(dataDir, { recursive: true });
  const path = controlFilePath(dataDir);
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file)}\n`, { mode: 0o600 });
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The running gateway's control file; undefined when missing, unreadable, malformed, or its process is gone. */
export function readControlFile(dataDir: string): ControlFile | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(controlFilePath(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { url, token, pid } = parsed as Record<string, unknown>;
  if (typeof url !== 'string' || typeof token !== 'string' || typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  return isAlive(pid) ? { url, token, pid } : undefined;
}

export function removeControlFile(dataDir: string): void {
  rmSync(controlFilePath(dataDir), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
