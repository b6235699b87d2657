import type { BackupServer } from '../generated/prisma/client.js';
import { authorize } from './authorize.js';
import { builder } from './builder.js';
import { LicenseEditionEnum } from './enums.js';
import { GatewayInfo } from './gateway-info.js';

const EditionSourceEnum = builder.enumType('EditionSource', {
  description: 'Where a backup server\'s license edition comes from.',
  values: {
    VBR_LICENSE: { description: 'The backup server\'s own REST API (GET /api/v1/license).' },
    SETTING: { description: 'The operator\'s setting (LICENSE_EDITION, or licenseEdition in VBR_SERVERS): the license could not be read.' },
    UNKNOWN: { description: 'Nowhere: failover is refused until VBR access or a setting gives it.' },
  } as const,
});

interface SourceView {
  ok: boolean;
  error: string | null;
  readAt: Date | null;
}

const SourceStatusRef = builder.objectRef<SourceView>('UpstreamSourceStatus').implement({
  description: 'One fact read from a backup server\'s REST API in the last sync: whether it was read, why not, and when it last was.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'Read in the last sync.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why not, and what to configure.' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true, description: 'When it was last read successfully (its age).' }),
  }),
});

const status = (error: string | null, readAt: Date | null): SourceView => ({ ok: error === null && readAt !== null, error, readAt });

const BackupServerUpstream = builder.objectRef<BackupServer>('BackupServerUpstream').implement({
  description:
    'What the gateway knows of one backup server beyond EM, and from where: its REST API (VBR REST), the edition and its source, replica states, the hierarchy, and how many replicas the sources placed. See docs/real-sources.md.',
  fields: (t) => ({
    backupServer: t.exposeString('id', { description: "EM's uid of the backup server." }),
    name: t.exposeString('name'),
    vbrConfigured: t.exposeBoolean('vbrConfigured', { description: 'VBR_SERVERS gives the gateway access to its REST API.' }),
    reachable: t.exposeBoolean('vbrReachable', { description: 'Its REST API answered the logon in the last sync.' }),
    apiRevision: t.exposeString('vbrRevision', { nullable: true, description: 'x-api-version in use.' }),
    edition: t.expose('edition', { type: LicenseEditionEnum }),
    editionSource: t.expose('editionSource', { type: EditionSourceEnum }),
    editionDetail: t.exposeString('editionDetail', { nullable: true, description: 'Why the edition is not the license\'s, and what to configure.' }),
    license: t.field({ type: SourceStatusRef, resolve: (s) => status(s.licenseError, s.licenseReadAt) }),
    replicaStates: t.field({ type: SourceStatusRef, resolve: (s) => status(s.replicaStatesError, s.replicaStatesReadAt) }),
    hierarchy: t.field({ type: SourceStatusRef, resolve: (s) => status(s.hierarchyError, s.hierarchyReadAt) }),
    hierarchyObjects: t.exposeInt('hierarchyObjects', { description: 'Inventory Browser objects listed in the last sync that read them.' }),
    replicasMatched: t.exposeInt('replicasMatched', { description: 'Replicas the sources placed in the hierarchy.' }),
    replicasUnmatched: t.exposeInt('replicasUnmatched', { description: 'Replicas they could not place: restricted users do not see these until they are placed.' }),
    unmatched: t.exposeStringList('unmatched', { description: 'The first unmatched replicas, each with why.' }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    stale: t.exposeBoolean('stale'),
  }),
});

builder.objectField(GatewayInfo, 'upstreams', (t) =>
  t.field({
    type: [BackupServerUpstream],
    description: 'Per backup server: its REST API (reachable, revision), the edition and its source, replicas matched and unmatched, hierarchy objects, and the age of each. Administrators only.',
    resolve: async (_root, _args, ctx) => {
      await authorize(ctx, 'manage', 'Inventory');
      return ctx.services.prisma.backupServer.findMany({ orderBy: { name: 'asc' } });
    },
  }),
);
