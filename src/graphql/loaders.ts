import { accessibleBy } from '@casl/prisma/runtime';
import DataLoader from 'dataloader';
import type { CdpLongTermPoint, CdpRange, RestorePoint } from '../generated/prisma/client.js';
import type { VisibilityFacts } from '../policy/index.js';
import { backupServersById, type BackupServerNode } from './backup-server-columns.js';
import type { GatewayContext } from './context.js';

/**
 * Per-operation batch loaders: a nested query asks the database once per
 * level, not once per parent (no N+1). Every batch is filtered by the caller's
 * ability like a top-level list.
 */
export interface Loaders {
  backupServer: DataLoader<string, BackupServerNode | null>;
  restorePoints: DataLoader<string, RestorePoint[]>;
  cdpRanges: DataLoader<string, CdpRange[]>;
  cdpLongTermPoints: DataLoader<string, CdpLongTermPoint[]>;
  /** Replicas carrying each hierarchy ref (replica_ref), unfiltered: only administrators reach it (containers). */
  replicaCountByRef: DataLoader<string, number>;
  /**
   * Each replica's visibility rows for the caller's scoped accounts, as the
   * policy's action rules read them (`allowedActions`). No query when the
   * caller has no scoped account: its rules have no visibility condition.
   */
  replicaVisibility: DataLoader<string, VisibilityFacts[]>;
}

/** Rows in the order of the ids asked for; null where a row is missing (or outside the caller's scope). */
export function inOrder<T extends { id: string }>(ids: readonly string[], rows: readonly T[]): Array<T | null> {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

const perOperation = new WeakMap<GatewayContext, Promise<Loaders>>();

function groupBy<T>(rows: readonly T[], keys: readonly string[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

export function loaders(ctx: GatewayContext): Promise<Loaders> {
  let existing = perOperation.get(ctx);
  if (!existing) {
    existing = ctx.caller().then(({ policy }) => {
      const prisma = ctx.services.prisma;
      const can = accessibleBy(policy.ability, 'read');
      return {
        // Only ever asked for the server of a replica that passed the caller's
        // filter, and a server holding a visible replica is visible by rule: the
        // scope filter here would only re-derive that, at the cost of joining
        // every visible replica.
        backupServer: new DataLoader(async (ids) => inOrder(ids, await backupServersById(prisma, ids))),
        restorePoints: new DataLoader(async (ids) =>
          groupBy(
            await prisma.restorePoint.findMany({ where: { AND: [can.ofType('RestorePoint'), { replicaId: { in: [...ids] } }] } }),
            ids,
            (row) => row.replicaId,
          ),
        ),
        cdpRanges: new DataLoader(async (ids) =>
          groupBy(
            await prisma.cdpRange.findMany({ where: { AND: [can.ofType('CdpRange'), { replicaId: { in: [...ids] } }] } }),
            ids,
            (row) => row.replicaId,
          ),
        ),
        cdpLongTermPoints: new DataLoader(async (ids) =>
          groupBy(
            await prisma.cdpLongTermPoint.findMany({ where: { AND: [can.ofType('CdpLongTermPoint'), { replicaId: { in: [...ids] } }] } }),
            ids,
            (row) => row.replicaId,
          ),
        ),
        replicaCountByRef: new DataLoader(async (refs) => {
          const counts = await prisma.replicaRef.groupBy({ by: ['ref'], where: { ref: { in: [...refs] } }, _count: { _all: true } });
          const byRef = new Map(counts.map((row) => [row.ref, row._count._all]));
          return refs.map((ref) => byRef.get(ref) ?? 0);
        }),
        replicaVisibility: new DataLoader(async (ids) => {
          const accountIds = policy.rights.scopedAccountIds;
          if (accountIds.length === 0) return ids.map(() => []);
          const rows = await prisma.replicaVisibility.findMany({ where: { replicaId: { in: [...ids] }, accountId: { in: accountIds } }, select: { replicaId: true, accountId: true } });
          return groupBy(rows, ids, (row) => row.replicaId).map((list) => list.map(({ accountId }) => ({ accountId })));
        }),
      };
    });
    perOperation.set(ctx, existing);
  }
  return existing;
}
