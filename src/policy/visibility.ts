import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * Precomputed restore scopes (EM's "rebuild scope"): `replica_visibility` holds
 * (account, replica) for every restricted account whose scope is not "all
 * objects" and every replica carrying one of the account's scope refs in
 * `replica_ref`. Each replica has a row per ancestor and for itself, so a
 * container ref (cluster, folder, org VDC, tag, …) grants every replica below it.
 *
 * Rebuilt as a difference, not from scratch: rows no longer granted are
 * deleted, missing ones inserted, so an unchanged scope over an unchanged
 * inventory writes nothing. Rebuild after a scope or role change of an account
 * (`{ accountId }`) and after every inventory sync (all accounts). Deleted
 * replicas and accounts take their rows with them (foreign keys cascade).
 */

/** Accounts whose scope is a list: a restricted role, no administrator role, scope not "all objects". */
const SCOPED = `
  NOT a."scopeAll"
  AND a.roles && ARRAY['PORTAL_USER', 'RESTORE_OPERATOR']::"PortalRole"[]
  AND NOT (a.roles && ARRAY['PORTAL_ADMINISTRATOR']::"PortalRole"[])`;

/** Serializes rebuilds across gateway instances (transaction-scoped advisory lock; the key is arbitrary but fixed). */
const LOCK = `SELECT 1 FROM pg_advisory_xact_lock(7263524965) AS lock`;

const deleteStale = (oneAccount: boolean) => `
DELETE FROM replica_visibility v
 WHERE ${oneAccount ? `v."accountId" = $1::uuid AND` : ''} NOT EXISTS (
   SELECT 1
     FROM "Account" a
     JOIN scope_item s ON s."accountId" = a.id
     JOIN replica_ref r ON r.ref = s.ref
    WHERE a.id = v."accountId" AND r."replicaId" = v."replicaId" AND ${SCOPED})`;

const insertMissing = (oneAccount: boolean) => `
INSERT INTO replica_visibility ("accountId", "replicaId", name)
SELECT DISTINCT s."accountId", r."replicaId", p.name
  FROM "Account" a
  JOIN scope_item s ON s."accountId" = a.id
  JOIN replica_ref r ON r.ref = s.ref
  JOIN "Replica" p ON p.id = r."replicaId"
 WHERE ${oneAccount ? `a.id = $1::uuid AND` : ''} ${SCOPED}
   AND NOT EXISTS (SELECT 1 FROM replica_visibility v WHERE v."accountId" = s."accountId" AND v."replicaId" = r."replicaId")
ON CONFLICT DO NOTHING`;

export interface VisibilityChange {
  added: number;
  removed: number;
}

/** A client or an interactive transaction's client. */
type Executor = Pick<PrismaClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;

/** Which visibility to rebuild: one account's, or every account's. */
export type VisibilityTarget = { accountId: string } | 'all';

/**
 * Rebuilds inside the caller's transaction (e.g. the one that changed the
 * scope, so the change and its visibility commit together). Statements run one
 * after another: a transaction client runs one statement at a time.
 */
export async function rebuildVisibilityIn(tx: Executor, target: VisibilityTarget): Promise<VisibilityChange> {
  const params = target === 'all' ? [] : [target.accountId];
  const one = target !== 'all';
  await tx.$queryRawUnsafe(LOCK);
  const removed = await tx.$executeRawUnsafe(deleteStale(one), ...params);
  const added = await tx.$executeRawUnsafe(insertMissing(one), ...params);
  // Fresh planner statistics after a large change: without them PostgreSQL
  // guesses a handful of visible rows for a scope of thousands and sorts them
  // all instead of walking the name index (autovacuum may be off, and is late
  // anyway). Cheap: tens of milliseconds.
  if (added + removed >= ANALYZE_AFTER_ROWS) await tx.$executeRawUnsafe('ANALYZE replica_visibility');
  return { added, removed };
}

/** Rows added or removed by one rebuild from which the table's statistics are refreshed. */
const ANALYZE_AFTER_ROWS = 1_000;

/** Rebuilds in a transaction of its own. */
export async function rebuildVisibility(prisma: PrismaClient, target: VisibilityTarget): Promise<VisibilityChange> {
  return prisma.$transaction((tx) => rebuildVisibilityIn(tx, target), { timeout: 120_000, maxWait: 30_000 });
}
