import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrationStatus, openDatabase, schemaEngineLoadTiming } from '../../../src/db/index.js';
import { tempDirs } from './support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

// Its own file, so this module graph has never loaded the engine before.
describe('the schema engine stays unloaded', { timeout: 60_000 }, () => {
  it('when opening a database and finding nothing pending', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const empty = join(await temp.make(), 'no-migrations');
      expect(await migrationStatus(db, empty)).toEqual({ applied: [], pending: [] });
      expect(await applyMigrations(db, empty)).toEqual({ applied: [] });
      expect(schemaEngineLoadTiming()).toBeUndefined();

      await applyMigrations(db);
      const timing = schemaEngineLoadTiming();
      expect(timing?.compileMs).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
