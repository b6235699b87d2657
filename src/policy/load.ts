import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
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
    select: { id: true, type: true, name: true, roles: true, scopeAll: true, allowedKinds: true, grantedActions: true },
  });
}

/** Backup servers on which some replica action is gated by edition (below Enterprise, or unknown). One query, a handful of rows. */
export async function loadGatedServers(prisma: Reader): Promise<ServerEdition[]> {
  return prisma.backupServer.findMany({
    where: { edition: { notIn: ['ENTERPRISE', 'ENTERPRISE_PLUS'] } },
    select: { id: true, edition: true },
  });
}

/** Accounts matching a principal: its USER account and its GROUP accounts, as a SQL fragment. */
function matchingAccountsSql(principal: PolicyPrincipal): Prisma.Sql {
  return Prisma.sql`(type = 'USER' AND name = ${principal.subject}) OR (type = 'GROUP' AND name = ANY(${[...principal.groups]}::text[]))`;
}

/**
 * Two json columns, `accounts` and `servers`: what the rules of one principal
 * are built from. A fragment, so a statement that loads more (the failover's
 * target) carries them in the same round trip.
 */
export function policyInputColumns(principal: PolicyPrincipal): Prisma.Sql {
  return Prisma.sql`
    (SELECT coalesce(json_agg(a), '[]'::json) FROM (
       SELECT id, type, name, roles, "scopeAll", "allowedKinds", "grantedActions" FROM "Account" WHERE ${matchingAccountsSql(principal)}) a) AS accounts,
    (SELECT coalesce(json_agg(s), '[]'::json) FROM (
       SELECT id, edition FROM "BackupServer" WHERE edition NOT IN ('ENTERPRISE', 'ENTERPRISE_PLUS')) s) AS servers`;
}

/** The ids of the accounts matching a principal, as a SQL subquery. */
export function matchingAccountIdsSql(principal: PolicyPrincipal): Prisma.Sql {
  return Prisma.sql`(SELECT id FROM "Account" WHERE ${matchingAccountsSql(principal)})`;
}

/** The two columns of policyInputColumns, as the adapter returns them. */
export interface PolicyInputRow {
  accounts: AccountGrant[] | string;
  servers: ServerEdition[] | string;
}

export function policyInputsOf(row: PolicyInputRow): { accounts: AccountGrant[]; servers: ServerEdition[] } {
  return { accounts: parseJson(row.accounts), servers: parseJson(row.servers) };
}

/**
 * What the rules of one principal are built from: its accounts and the gated
 * servers, in one statement. Every authenticated operation runs it, so it is
 * one round trip instead of two (on a loaded gateway each round trip's socket
 * write is a measurable share of the CPU).
 */
export async function loadPolicyInputs(prisma: Pick<PrismaClient, '$queryRaw'>, principal: PolicyPrincipal): Promise<{ accounts: AccountGrant[]; servers: ServerEdition[] }> {
  const [row] = await prisma.$queryRaw<PolicyInputRow[]>`SELECT ${policyInputColumns(principal)}`;
  return policyInputsOf(row!);
}

/** A json column as the adapter hands it over: parsed already (pg) or as text. */
function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * The `include`/`select` part that loads a replica's visibility rows for the
 * principal's scoped accounts, as `ability.can` reads them: only these rows,
 * so a replica visible to thousands of accounts loads a handful.
 */
export function visibilityInclude(scopedAccountIds: readonly string[]): { where: { accountId: { in: string[] } }; select: { accountId: true } } {
  return { where: { accountId: { in: [...scopedAccountIds] } }, select: { accountId: true } };
}
