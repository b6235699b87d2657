import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../../src/generated/prisma/client.js';
import { openDatabase, type Database } from '../../../src/db/index.js';
import { prepared, statementName } from '../../../src/db/prepared.js';

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TAGGED = prepared('servicesTest', Prisma.sql`SELECT count(*)::int AS n FROM pg_class WHERE relname = ${'pg_class'}`);

/** The prepared statements of the connection a transaction runs on, after it ran the tagged statement. */
async function preparedAfterTagged(db: Database): Promise<string[]> {
  return db.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ n: number }>>(TAGGED);
    expect(row!.n).toBe(1);
    await tx.$queryRaw`SELECT 1`;
    const rows = await tx.$queryRaw<Array<{ name: string }>>`SELECT name FROM pg_prepared_statements`;
    return rows.map((r) => r.name);
  });
}

describe('named prepared statements on PostgreSQL', () => {
  let named: Database;
  let unnamed: Database;
  beforeAll(async () => {
    named = await openDatabase({ databaseUrl: URL });
    unnamed = await openDatabase({ databaseUrl: URL, preparedStatements: false });
  });
  afterAll(async () => {
    await named?.close();
    await unnamed?.close();
  });

  it('keeps the tagged statement prepared on its connection, and nothing else', async () => {
    const names = await preparedAfterTagged(named);
    // Named after the text the adapter sends (its placeholders are $1, not Prisma.sql's ?).
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^servicesTest_[0-9a-f]{16}$/);
    expect(names[0]).toBe(statementName(TAGGED.sql.replace('?', '$1')));
    // Run again on a connection that has it: the name is reused, not prepared twice (pg would refuse).
    expect(await preparedAfterTagged(named)).toEqual(names);
  });

  it('prepares nothing when turned off', async () => {
    expect(await preparedAfterTagged(unnamed)).toEqual([]);
  });
});
