import { accessibleBy } from '@casl/prisma/runtime';
import { BACKUP_SERVER_COLUMNS, type BackupServerNode } from './backup-server-columns.js';
import { builder } from './builder.js';
import { inOrder } from './loaders.js';
import { LicenseEditionEnum } from './enums.js';
import { nameContains } from './name-search.js';
import { keysetQuery, pageWindow, toPage } from './pagination.js';

export const BackupServerRef = builder.objectRef<BackupServerNode>('BackupServer');

builder.node(BackupServerRef, {
  description: 'A Veeam Backup & Replication server managed by EM, with the freshness of its part of the inventory.',
  id: { resolve: (server) => server.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'edition' in value && 'lastSyncedAt' in value,
  loadMany: async (ids, ctx) => {
    const { policy } = await ctx.caller();
    const rows = await ctx.services.prisma.backupServer.findMany({
      where: { AND: [accessibleBy(policy.ability, 'read').ofType('BackupServer'), { id: { in: [...ids] } }] },
      select: BACKUP_SERVER_COLUMNS,
    });
    return inOrder(ids, rows);
  },
  fields: (t) => ({
    emUid: t.exposeString('id', { description: "EM's uid, urn:veeam:BackupServer:<guid>." }),
    name: t.exposeString('name'),
    edition: t.expose('edition', { type: LicenseEditionEnum }),
    canFailOver: t.boolean({
      description: 'Whether the edition allows failover at all (Enterprise or Enterprise Plus).',
      resolve: (server) => server.edition === 'ENTERPRISE' || server.edition === 'ENTERPRISE_PLUS',
    }),
    version: t.exposeString('version', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true, description: 'End of the last successful inventory sync.' }),
    lastSyncFailedAt: t.expose('lastSyncFailedAt', { type: 'DateTime', nullable: true }),
    lastSyncError: t.exposeString('lastSyncError', { nullable: true, description: 'Why the last sync failed; null after a success.' }),
    stale: t.exposeBoolean('stale', { description: 'True while the last sync failed: the data is the last good copy.' }),
  }),
});

const BackupServerFilter = builder.inputType('BackupServerFilter', {
  fields: (t) => ({
    search: t.string({ required: false, description: 'Case-insensitive part of the name.' }),
    editions: t.field({ type: [LicenseEditionEnum], required: false }),
    stale: t.boolean({ required: false }),
  }),
});


builder.queryField('backupServers', (t) =>
  t.connection({
    type: BackupServerRef,
    description: 'Backup servers you may see, by name.',
    args: { filter: t.arg({ type: BackupServerFilter, required: false }) },
    resolve: async (_root, args, ctx) => {
      const { policy } = await ctx.caller();
      const window = pageWindow(args, 2);
      const filter = args.filter ?? {};
      const where = {
        AND: [
          accessibleBy(policy.ability, 'read').ofType('BackupServer'),
          filter.search ? { name: nameContains(filter.search) } : {},
          filter.editions ? { edition: { in: filter.editions } } : {},
          filter.stale != null ? { stale: filter.stale } : {},
        ],
      };
      const keyset = keysetQuery(['name', 'id'], ['asc', 'asc'], window);
      const rows = await ctx.services.prisma.backupServer.findMany({ where: { AND: [where, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take, select: BACKUP_SERVER_COLUMNS });
      return {
        ...toPage(rows, window, (row) => [row.name, row.id]),
        totalCount: () => ctx.services.prisma.backupServer.count({ where }),
      };
    },
  }, { name: 'BackupServerConnection' }, { name: 'BackupServerEdge' }),
);
