// Part of `npm install` (prepare): makes the PGlite template that new data
// folders are copied from, so the first `npm start` skips initdb and the
// migrations. See src/db/pglite-template.ts. A failure here is not fatal:
// PGlite falls back to its own initdb at first start.
const started = Date.now();
try {
  const { ensurePGliteTemplate } = await import('../dist/src/db/pglite-template.js');
  const { applyMigrations, openDatabase } = await import('../dist/src/db/index.js');
  const dir = await ensurePGliteTemplate(async (dataDir) => {
    const db = await openDatabase({ dataDir });
    try {
      await applyMigrations(db);
    } finally {
      await db.close();
    }
  });
  console.log(`PGlite template ready in ${dir} (${Date.now() - started} ms)`);
} catch (error) {
  console.warn(`PGlite template not made (${error.message}); the first start will run initdb instead`);
}
