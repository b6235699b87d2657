// Runs before `npm start` and `npm run simulator`: rebuilds only when a source
// file is newer than the last build. A no-change `tsc` still costs seconds,
// which every start would pay otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') latest = Math.max(latest, newest(path));
    } else if (entry.name.endsWith('.ts')) {
      latest = Math.max(latest, statSync(path).mtimeMs);
    }
  }
  return latest;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
const run = (script) => {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

if (mtime(join(root, 'prisma/schema.prisma')) > mtime(join(root, 'src/generated/prisma/client.ts'))) run('generate');
const built = mtime(join(root, 'dist/.tsbuildinfo'));
const sources = Math.max(newest(join(root, 'src')), mtime(join(root, 'src/generated/prisma/client.ts')), mtime(join(root, 'tsconfig.json')));
if (sources > built) {
  run('build');
  // tsc leaves its build info alone when a touched file did not really change:
  // mark the build as done so the next start does not rebuild again.
  const now = new Date();
  utimesSync(join(root, 'dist/.tsbuildinfo'), now, now);
}

// The operator console: any of its sources (generated documents included) newer than the page Vite wrote.
function newestFile(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}
const consoleSources = Math.max(newestFile(join(root, 'console/src')), mtime(join(root, 'console/index.html')), mtime(join(root, 'console/vite.config.ts')));
if (consoleSources > mtime(join(root, 'dist/console/index.html'))) run('build:console');
