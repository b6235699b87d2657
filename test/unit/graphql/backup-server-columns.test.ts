import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import { BACKUP_SERVER_COLUMNS, backupServersById } from '../../../src/graphql/backup-server-columns.js';
import { migratedPGlite } from '../inventory/support.js';

let db: Database;

beforeAll(async () => {
  db = await migratedPGlite();
  await db.prisma.backupServer.createMany({
    data: [
      { id: 'urn:veeam:BackupServer:a', emId: 'a', name: 'vbr-a', edition: 'ENTERPRISE_PLUS', contentHash: 'h', version: '13.0', description: 'first', lastSyncedAt: new Date('2026-12-01T10:00:00.123Z'), stale: false },
      { id: 'urn:veeam:BackupServer:b', emId: 'b', name: 'vbr-b', edition: 'UNKNOWN', contentHash: 'h', lastSyncFailedAt: new Date('2026-12-02T11:00:00Z'), lastSyncError: 'EM said no', stale: true },
      { id: 'urn:veeam:BackupServer:c', emId: 'c', name: 'vbr-c', edition: 'STANDARD', contentHash: 'h' },
    ],
  });
}, 60_000);
afterAll(() => db?.close());

describe("the backup servers a page's replicas name", () => {
  it('reads each server as the model reads its columns: enums, dates and nulls alike', async () => {
    const ids = ['urn:veeam:BackupServer:b', 'urn:veeam:BackupServer:a', 'urn:veeam:BackupServer:c', 'urn:veeam:BackupServer:missing'];
    const rows = await backupServersById(db.prisma, ids);
    const model = await db.prisma.backupServer.findMany({ where: { id: { in: ids } }, select: BACKUP_SERVER_COLUMNS });
    const byId = (list: typeof rows) => new Map(list.map((row) => [row.id, row]));
    expect(rows).toHaveLength(3);
    expect(byId(rows)).toStrictEqual(byId(model));
  });
});
