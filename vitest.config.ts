import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Four tiers, each its own project:
// - unit: in-process, no sockets beyond loopback servers the test itself starts
//   (the console's pure modules included);
// - integration: real HTTP/WebSocket servers, the EM simulator, embedded PGlite;
// - services: needs the PostgreSQL and Redis that .ci/run (or the machine) provides;
// - browser: the operator console in Chromium against real gateways (`npm run test:browser`).
export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds without an exports map.
    // Node resolves every import to the CJS build; Vite would give our sources the
    // ESM one while dependencies (Pothos, Yoga) get CJS: two realms, and graphql
    // refuses types from "another module or realm". Resolve as Node does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'console/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'services',
          include: ['test/services/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Services tests share one PostgreSQL and one Redis; each file uses its
          // own database, but serial files keep the machine's two cores calm.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium and one gateway at a time: two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
