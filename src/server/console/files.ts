import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where `npm run build:console` writes the console (Vite's output). */
export const CONSOLE_BUILD_DIR = join('dist', 'console');

/** Content type by extension: only what Vite emits for the console. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Types worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

export interface ConsoleFile {
  body: Buffer;
  /** The gzip encoding, when it is smaller. */
  gzip?: Buffer;
  contentType: string;
  /** Vite names files under assets/ after their content hash: they never change. */
  immutable: boolean;
}

export interface ConsoleFiles {
  /** By URL path, e.g. /assets/index-3f2a1b.js; index.html as /index.html. */
  get(path: string): ConsoleFile | undefined;
  /** The page every console route answers with. */
  index: ConsoleFile;
}

/**
 * Reads the built console into memory once (a few hundred KB), with a gzip copy
 * of each text file, so serving costs no disk read and no compression per
 * request. Undefined when the console was not built.
 */
export function loadConsoleFiles(root: string): ConsoleFiles | undefined {
  const dir = join(root, CONSOLE_BUILD_DIR);
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = new Map<string, ConsoleFile>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const path = `/${relative(dir, full).split(sep).join('/')}`;
    const extension = extname(entry.name);
    const contentType = CONTENT_TYPES[extension];
    if (contentType === undefined) continue;
    const body = readFileSync(full);
    const gzip = COMPRESSIBLE.has(extension) ? gzipSync(body, { level: 9 }) : undefined;
    files.set(path, {
      body,
      gzip: gzip && gzip.length < body.length ? gzip : undefined,
      contentType,
      immutable: path.startsWith('/assets/'),
    });
  }
  const index = files.get('/index.html');
  if (index === undefined) return undefined;
  return { get: (path) => files.get(path), index };
}
