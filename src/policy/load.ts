import type { PrismaClient } from '../generated/prisma/client.js';
import type { AccountGrant, PolicyPrincipal, ServerEdition } from './types.js';

type Reader = Pick<PrismaClient, 'account' | 'backupServer'>;

/** The principal's accounts: its USER account (name = subject) and its GROUP accounts (name in groups). One query. */
export async function loadAccountGrants(prisma: Reader, principal: PolicyPrincipal): Promise<AccountGrant[]> {
  return prisma.account.findMany({
    where: {
      OR: [
        { type: 'USER', name: principal.subject },
        ...(principal.groups.length > 0 ? [{ type: 'GROUP' as const, name: { in: [...principal.groups] } }] : []),
      ],
    },
    select: { id: true, type: true, name: true, roles: true, scopeAll: true, allowedKinds: true },
  });
}

/** Backup servers on which failover is gated by edition (below Enterprise, or unknown). One query, a handful of rows. */
export async function loadGatedServers(prisma: Reader): Promise<ServerEdition[]> {
  return prisma.backupServer.findMany({
    where: { edition: { notIn: ['ENTERPRISE', 'ENTERPRISE_PLUS'] } },
    select: { id: true, edition: true },
  });
}

/**
 * The `include`/`select` part that loads a replica's visibility rows for the
 * principal's scoped accounts, as `ability.can` reads them: only these rows,
 * so a replica visible to thousands of accounts loads a handful.
 */
export function visibilityInclude(scopedAccountIds: readonly string[]): { where: { accountId: { in: string[] } }; select: { accountId: true } } {
  return { where: { accountId: { in: [...scopedAccountIds] } }, select: { accountId: true } };
}
