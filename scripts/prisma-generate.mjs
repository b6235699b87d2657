// Runs `prisma generate` offline.
//
// The Prisma CLI wants a native schema engine before it does anything, and
// tries to download one on first use; these machines (and many air-gapped
// production build hosts) cannot reach the binary host. `generate` never
// calls that engine, so any existing file satisfies the check. Migrations
// use the WebAssembly engine instead (src/db/schema-engine.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
env.CHECKPOINT_DISABLE = '1';
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
