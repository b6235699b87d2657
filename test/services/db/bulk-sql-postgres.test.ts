import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/index.js';
import { bulkSqlOf } from '../../../src/db/bulk-sql.js';

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('bulk statements on PostgreSQL', () => {
  let db: Database;
  const table = `bulk_sql_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: URL });
    await db.prisma.$executeRawUnsafe(`CREATE TABLE ${table} (id int PRIMARY KEY, doc jsonb)`);
  });
  afterAll(async () => {
    await db?.prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table}`);
    await db?.close();
  });

  it("go to the adapter's pool, not through Prisma's raw calls", async () => {
    const executeRaw = vi.spyOn(db.prisma, '$executeRawUnsafe');
    const transaction = vi.spyOn(db.prisma, '$transaction');
    try {
      const rows = JSON.stringify([{ id: 1, doc: { a: 1 } }, { id: 2, doc: { b: 'x'.repeat(1000) } }]);
      const counts = await bulkSqlOf(db.prisma).transaction([
        { sql: 'SET LOCAL synchronous_commit = off', params: [] },
        { sql: `INSERT INTO ${table} SELECT t.id, t.doc FROM json_to_recordset($1::json) AS t(id int, doc jsonb)`, params: [rows] },
        { sql: `UPDATE ${table} SET doc = $2::jsonb WHERE id = ANY($1::int[])`, params: [[2], '{"c":true}'] },
      ]);
      expect(counts).toEqual([0, 2, 1]);
      expect(executeRaw).not.toHaveBeenCalled();
      expect(transaction).not.toHaveBeenCalled();
    } finally {
      executeRaw.mockRestore();
      transaction.mockRestore();
    }
    expect(await db.prisma.$queryRawUnsafe(`SELECT id, doc FROM ${table} ORDER BY id`)).toEqual([
      { id: 1, doc: { a: 1 } },
      { id: 2, doc: { c: true } },
    ]);
  });

  it('roll back every statement of a transaction when one fails, and the pool stays usable', async () => {
    const sql = bulkSqlOf(db.prisma);
    await expect(
      sql.transaction([
        { sql: `INSERT INTO ${table} VALUES (3, '{}')`, params: [] },
        { sql: `INSERT INTO ${table} VALUES (1, '{}')`, params: [] },
      ]),
    ).rejects.toThrow(/duplicate key/);
    expect(await sql.execute({ sql: `DELETE FROM ${table} WHERE id = ANY($1::int[])`, params: [[2, 3]] })).toBe(1);
    expect(await db.prisma.$queryRawUnsafe(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 1 }]);
  });

  it('answer a statement\'s rows, a timestamp given as UTC text stored as such', async () => {
    const rows = await bulkSqlOf(db.prisma).query<{ id: number; at: string }>({
      sql: `UPDATE ${table} SET doc = jsonb_build_object('at', $2::timestamp(3)) WHERE id = $1 RETURNING id, (doc->>'at') AS at`,
      params: [1, new Date(Date.UTC(2026, 11, 6, 11, 5, 0, 123)).toISOString()],
    });
    expect(rows).toEqual([{ id: 1, at: '2026-12-06T11:05:00.123' }]);
  });

  it('end with the database: the pool is closed with the client', async () => {
    const other = await openDatabase({ databaseUrl: URL });
    const sql = bulkSqlOf(other.prisma);
    expect(await sql.execute({ sql: 'SELECT 1', params: [] })).toBe(1);
    await other.close();
    await expect(sql.execute({ sql: 'SELECT 1', params: [] })).rejects.toThrow();
  });
});
