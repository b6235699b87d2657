import { builder } from './builder.js';

const DatabaseKind = builder.enumType('DatabaseKind', {
  description: 'Where the gateway keeps its state.',
  values: {
    PGLITE: { value: 'pglite', description: 'Embedded PGlite in a local data folder.' },
    POSTGRESQL: { value: 'postgresql', description: 'A PostgreSQL server.' },
  } as const,
});

export const GatewayInfo = builder
  .objectRef<{ version: string; startedAt: Date; database: 'pglite' | 'postgresql' }>('GatewayInfo')
  .implement({
    description: 'The gateway process answering this request.',
    fields: (t) => ({
      version: t.exposeString('version', { description: 'Release of the gateway.' }),
      startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When this process started.' }),
      database: t.expose('database', { type: DatabaseKind }),
    }),
  });

builder.queryField('gateway', (t) =>
  t.field({
    type: GatewayInfo,
    description: 'The gateway process answering this request.',
    resolve: (_root, _args, { services }) => ({
      version: services.version,
      startedAt: services.startedAt,
      database: services.db.kind,
    }),
  }),
);
