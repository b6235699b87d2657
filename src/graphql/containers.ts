import { countTree, listTree, type TreeFilter, type TreeNode } from '../inventory/container-tree.js';
import { authorize } from './authorize.js';
import { BackupServerRef } from './backup-servers.js';
import { builder } from './builder.js';
import { databaseId } from './global-id.js';
import { loaders } from './loaders.js';
import { pageWindow, toPage } from './pagination.js';

const InventoryContainerRef = builder.objectRef<TreeNode>('InventoryContainer').implement({
  description:
    "An object of a backup server's hierarchy a restore scope can name: vCenter, datacenter, folder, cluster, host, resource pool, tag category, tag; Cloud Director system, organization, org VDC, vApp. Administrators only.",
  fields: (t) => ({
    ref: t.exposeString('ref', { description: 'As EM spells it (what a ScopeItemInput takes), e.g. urn:VMware:Cluster:<root>.<moref>.' }),
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: "EM's type, the <Type> of the ref: Vc, Datacenter, Folder, Cluster, Host, ResourcePool, Category, Tag, VcdSystem, Organization, OrgVdc, Vapp…" }),
    parentRef: t.exposeString('parentRef', {
      nullable: true,
      description: 'The object just above it (in the first hierarchy that lists it; a vApp: its org VDC). Null for a vCenter or Cloud Director system.',
    }),
    backupServer: t.field({
      type: BackupServerRef,
      resolve: async (node, _args, ctx) => {
        const server = await (await loaders(ctx)).backupServer.load(node.backupServerId);
        // Containers cascade with their server: missing means a sync removed it meanwhile.
        if (!server) throw new Error(`backup server ${node.backupServerId} of ${node.ref} is gone`);
        return server;
      },
    }),
    replicaCount: t.int({
      description: 'Replicas below it or it itself (those carrying its ref): what a restore scope naming it grants.',
      resolve: async (node, _args, ctx) => (await loaders(ctx)).replicaCountByRef.load(node.ref),
    }),
  }),
});

type TreeKey = readonly [string, string, string];
const keyOf = (node: TreeNode): TreeKey => [node.name, node.backupServerId, node.ref];

builder.queryField('containers', (t) =>
  t.connection(
    {
      type: InventoryContainerRef,
      description:
        'The hierarchy of every backup server, to pick restore scope items from: by name (then server and ref). Walk it from `topLevel: true` down with `parentRef`. Administrators only.',
      args: {
        search: t.arg.string({ required: false, description: 'Case-insensitive part of the name.' }),
        backupServer: t.arg.id({ required: false, description: 'Only objects of this backup server.' }),
        parentRef: t.arg.string({ required: false, description: 'Only the objects just below this one.' }),
        topLevel: t.arg.boolean({ required: false, description: 'True: only objects without a parent (vCenters, Cloud Director systems, vApps the sources could not place).' }),
        types: t.arg.stringList({ required: false, description: 'Only these EM types, e.g. ["Cluster", "Tag"].' }),
      },
      resolve: async (_root, args, ctx) => {
        await authorize(ctx, 'read', 'Inventory');
        const window = pageWindow(args, 3);
        const filter: TreeFilter = {
          search: args.search ?? undefined,
          backupServerId: args.backupServer != null ? databaseId(String(args.backupServer), 'BackupServer') : undefined,
          parentRef: args.parentRef ?? undefined,
          topLevel: args.topLevel ?? undefined,
          types: args.types ?? undefined,
        };
        const prisma = ctx.services.db.prisma;
        const rows = await listTree(prisma, filter, {
          take: window.take,
          backward: window.backward,
          after: window.after?.map(String) as unknown as TreeKey | undefined,
          before: window.before?.map(String) as unknown as TreeKey | undefined,
        });
        return { ...toPage(rows, window, keyOf), totalCount: () => countTree(prisma, filter) };
      },
    },
    { name: 'InventoryContainerConnection' },
    { name: 'InventoryContainerEdge' },
  ),
);
