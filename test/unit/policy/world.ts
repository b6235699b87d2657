import type { Database } from '../../../src/db/index.js';
import type { AccountType, LicenseEdition, PortalRole, ReplicaAction, ReplicaKind } from '../../../src/policy/index.js';

/**
 * A small inventory and a set of accounts, written as real rows; the oracle
 * (oracle.ts) reads this description, never the database's visibility rows.
 */
export interface WorldServer {
  id: string;
  edition: LicenseEdition;
}

export interface WorldReplica {
  id: string;
  kind: ReplicaKind;
  serverId: string;
  /** Every ancestor's ref and the object's own, as replica_ref holds them. */
  refs: string[];
  /** As EM names it; default VMware. */
  platform?: string;
  /** Default: none (null). */
  state?: string | null;
}

export interface WorldAccount {
  id: string;
  type: AccountType;
  name: string;
  roles: PortalRole[];
  scopeAll: boolean;
  allowedKinds: ReplicaKind[];
  /** Default: none. */
  grantedActions?: ReplicaAction[];
  scope: string[];
}

export interface World {
  servers: WorldServer[];
  replicas: WorldReplica[];
  accounts: WorldAccount[];
}

export const CDP_KINDS: ReadonlySet<ReplicaKind> = new Set(['CDP_VM', 'VCD_CDP_VAPP']);
export const POINT_KINDS: ReadonlySet<ReplicaKind> = new Set(['VM_REPLICA', 'VCD_VAPP_REPLICA']);

/** A v4-shaped UUID from a small number, so ids are readable in failures. */
export const uuid = (prefix: number, n: number): string =>
  `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export async function clearWorld(db: Database): Promise<void> {
  // Cascades take refs, points, CDP rows, scope items and visibility.
  await db.prisma.$executeRawUnsafe(`DELETE FROM "Account"`);
  await db.prisma.$executeRawUnsafe(`DELETE FROM "BackupServer"`);
}

export async function writeWorld(db: Database, world: World): Promise<void> {
  const p = db.prisma;
  const now = new Date('2026-11-01T00:00:00Z');
  await p.backupServer.createMany({
    data: world.servers.map((s) => ({ id: s.id, emId: s.id, name: s.id, edition: s.edition, contentHash: 'h' })),
  });
  await p.replica.createMany({
    data: world.replicas.map((r) => ({
      id: r.id,
      emKey: `key/${r.id}`,
      kind: r.kind,
      name: `replica ${r.id}`,
      platform: r.platform ?? 'VMware',
      state: r.state ?? null,
      backupServerId: r.serverId,
      refs: r.refs,
      contentHash: 'h',
      syncedAt: now,
    })),
  });
  await p.replicaRef.createMany({ data: world.replicas.flatMap((r) => [...new Set(r.refs)].map((ref) => ({ replicaId: r.id, ref }))) });
  await p.restorePoint.createMany({
    data: world.replicas
      .filter((r) => POINT_KINDS.has(r.kind))
      .map((r) => ({ id: `point-${r.id}`, uid: `urn:veeam:VmReplicaPoint:${r.id}`, replicaId: r.id, name: 'p', creationTime: now, contentHash: 'h', syncedAt: now })),
  });
  const cdp = world.replicas.filter((r) => CDP_KINDS.has(r.kind));
  await p.cdpRange.createMany({ data: cdp.map((r) => ({ replicaId: r.id, start: now, end: now, type: 'RestoreAvailable' })) });
  await p.cdpLongTermPoint.createMany({ data: cdp.map((r) => ({ replicaId: r.id, emId: `lt-${r.id}`, date: now, applicationConsistent: true })) });
  await writeAccounts(db, world.accounts);
}

export async function writeAccounts(db: Database, accounts: WorldAccount[]): Promise<void> {
  await db.prisma.account.createMany({
    data: accounts.map(({ scope: _scope, ...account }) => account),
  });
  await db.prisma.scopeItem.createMany({
    data: accounts.flatMap((a) => [...new Set(a.scope)].map((ref) => ({ accountId: a.id, ref, name: ref }))),
  });
}
