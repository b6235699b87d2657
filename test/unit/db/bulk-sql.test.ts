import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/db/index.js';
import { bulkSqlOf } from '../../../src/db/bulk-sql.js';

// PostgreSQL's side, which bypasses Prisma: test/services/db/bulk-sql-postgres.test.ts.
describe('bulk statements on PGlite', () => {
  it('go through Prisma, which serializes its one session', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    const transaction = vi.spyOn(db.prisma, '$transaction');
    try {
      expect(await bulkSqlOf(db.prisma).transaction([{ sql: 'CREATE TEMP TABLE t (n int)', params: [] }, { sql: 'INSERT INTO t VALUES ($1), ($2)', params: [1, 2] }])).toEqual([0, 2]);
      expect(transaction).toHaveBeenCalledTimes(1);
    } finally {
      transaction.mockRestore();
      await db.close();
    }
  });
});
