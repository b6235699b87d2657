// Prisma CLI configuration. The gateway itself never reads this file: at run
// time it builds its client from src/db/ with a driver adapter, and applies
// migrations with the WebAssembly schema engine (src/db/schema-engine.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
