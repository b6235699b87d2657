import type { ReplicaKind } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import type { Caller } from './caller.js';
import { PortalRoleEnum, ReplicaKindEnum } from './enums.js';

interface ScopeItemShape {
  ref: string;
  name: string;
}

export const ScopeItemRef = builder.objectRef<ScopeItemShape>('ScopeItem').implement({
  description: 'One hierarchy reference of a restore scope; a container grants everything beneath it.',
  fields: (t) => ({
    ref: t.exposeString('ref', { description: 'As EM spells it, e.g. urn:VMware:Cluster:<root>.<moref>.' }),
    name: t.exposeString('name'),
  }),
});

interface ViewerShape {
  caller: Caller;
  scopeItems: ScopeItemShape[];
}

const Viewer = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'The signed-in caller and its effective rights: the union over its user account and group accounts.',
  fields: (t) => ({
    subject: t.string({ resolve: ({ caller }) => caller.principal.subject }),
    groups: t.stringList({ resolve: ({ caller }) => caller.principal.groups }),
    tokenExpiresAt: t.field({ type: 'DateTime', resolve: ({ caller }) => caller.principal.expiresAt }),
    roles: t.field({ type: [PortalRoleEnum], resolve: ({ caller }) => caller.policy.rights.roles }),
    scopeAll: t.boolean({
      description: 'True when no restore scope limits you (Portal Administrator, or a scope of "all objects").',
      resolve: ({ caller }) => caller.policy.rights.scopeAll,
    }),
    scope: t.field({
      type: [ScopeItemRef],
      description: 'The references of your restricted accounts\' restore scopes (empty when scopeAll).',
      resolve: ({ scopeItems }) => scopeItems,
    }),
    allowedKinds: t.field({
      type: [ReplicaKindEnum],
      description: 'Failover kinds any of your accounts with a role allows.',
      resolve: ({ caller }) => caller.policy.rights.allowedKinds as ReplicaKind[],
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    description: 'Who you are to this gateway. Needs a bearer token.',
    resolve: async (_root, _args, ctx) => {
      const caller = await ctx.caller();
      const ids = caller.policy.rights.scopedAccountIds;
      const items =
        ids.length === 0 || caller.policy.rights.scopeAll
          ? []
          : await ctx.services.db.prisma.scopeItem.findMany({ where: { accountId: { in: ids } }, distinct: ['ref'], orderBy: { ref: 'asc' }, select: { ref: true, name: true } });
      return { caller, scopeItems: items };
    },
  }),
);
