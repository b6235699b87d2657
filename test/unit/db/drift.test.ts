import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffSchemaAgainstMigrations } from '../../../src/db/index.js';
import { schemaWithRegion, tempDirs } from './support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

// If this fails, prisma/schema.prisma changed without a migration: run
// `npm run db:migration:create -- <name>` and commit the new folder.
describe('schema drift', { timeout: 60_000 }, () => {
  it('prisma/schema.prisma and prisma/migrations agree', async () => {
    expect(await diffSchemaAgainstMigrations()).toBe('');
  });

  it('a schema edited without a migration is caught', async () => {
    const schemaPath = await schemaWithRegion(await temp.make());
    const sql = await diffSchemaAgainstMigrations({ schemaPath });
    expect(sql).toMatch(/ALTER TABLE "GatewayInstance" ADD COLUMN\s+"region" TEXT/);
  });

  it('an invalid schema is reported, not diffed', async () => {
    const dir = await temp.make();
    const schemaPath = join(dir, 'schema.prisma');
    await writeFile(schemaPath, 'datasource db {\n  provider = "postgresql"\n}\nmodel Broken {\n  id Strin @id\n}\n');
    await expect(diffSchemaAgainstMigrations({ schemaPath })).rejects.toThrow(/Strin/);
  });
});
