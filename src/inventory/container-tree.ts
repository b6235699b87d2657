import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

/** One object a restore scope can name above the VMs: a stored container, or a Cloud Director vApp. */
export interface TreeNode {
  backupServerId: string;
  ref: string;
  name: string;
  /** EM's type, the `<Type>` of the ref (Vc, Cluster, Tag, OrgVdc, Vapp…). */
  type: string;
  parentRef: string | null;
}

export interface TreeFilter {
  /** Case-insensitive part of the name. */
  search?: string;
  backupServerId?: string;
  /** Only the objects just below this one. */
  parentRef?: string;
  /** Only the objects with no parent (vCenters, Cloud Director systems, vApps the sources could not place). */
  topLevel?: boolean;
  /** EM types. */
  types?: readonly string[];
}

/** A keyset window over (name, backupServerId, ref). */
export interface TreeWindow {
  take: number;
  backward: boolean;
  after?: readonly [string, string, string];
  before?: readonly [string, string, string];
}

/**
 * Cloud Director vApps are placed objects, not containers, in the hierarchy
 * the sync reads; EM scopes name them all the same. They come from the
 * replicas table (its vApp kinds: objectRef and name), so they are exactly the
 * vApps the inventory holds. A vApp's parent is the org VDC among its refs.
 * With `parentRef`, only replicas carrying it are looked at (replica_ref's
 * index), not every vApp.
 */
function vApps(parentRef: string | undefined): Prisma.Sql {
  const under = parentRef === undefined ? Prisma.empty : Prisma.sql`AND v.id IN (SELECT rr."replicaId" FROM replica_ref rr WHERE rr.ref = ${parentRef}::text)`;
  return Prisma.sql`
    SELECT v."backupServerId", v."objectRef" AS ref, min(v.name) AS name, split_part(v."objectRef", ':', 3) AS type,
           min(vdc.ref) AS "parentRef"
      FROM "Replica" v
      LEFT JOIN LATERAL (SELECT x AS ref FROM unnest(v.refs) x WHERE x LIKE 'urn:vCloud:OrgVdc:%' LIMIT 1) vdc ON true
     WHERE v.kind IN ('VCD_VAPP_REPLICA', 'VCD_CDP_VAPP') AND v."objectRef" IS NOT NULL ${under}
     GROUP BY v."backupServerId", v."objectRef"`;
}

function matching(filter: TreeFilter): Prisma.Sql {
  const tree = Prisma.sql`
    SELECT c."backupServerId", c.ref, c.name, c.type, c."parentRef" FROM inventory_container c
    UNION ALL ${vApps(filter.parentRef)}`;
  const where: Prisma.Sql[] = [Prisma.sql`true`];
  if (filter.search !== undefined && filter.search !== '') where.push(Prisma.sql`strpos(lower(t.name), lower(${filter.search}::text)) > 0`);
  if (filter.backupServerId !== undefined) where.push(Prisma.sql`t."backupServerId" = ${filter.backupServerId}::text`);
  if (filter.parentRef !== undefined) where.push(Prisma.sql`t."parentRef" = ${filter.parentRef}::text`);
  if (filter.topLevel === true) where.push(Prisma.sql`t."parentRef" IS NULL`);
  if (filter.topLevel === false) where.push(Prisma.sql`t."parentRef" IS NOT NULL`);
  if (filter.types !== undefined) where.push(filter.types.length === 0 ? Prisma.sql`false` : Prisma.sql`t.type IN (${Prisma.join(filter.types)})`);
  return Prisma.sql`SELECT t.* FROM (${tree}) t WHERE ${Prisma.join(where, ' AND ')}`;
}

/** One page of the containers and vApps, by name (then server and ref: the order is stable). */
export async function listTree(prisma: PrismaClient, filter: TreeFilter, window: TreeWindow): Promise<TreeNode[]> {
  const bounds: Prisma.Sql[] = [Prisma.sql`true`];
  if (window.after) bounds.push(Prisma.sql`(m.name, m."backupServerId", m.ref) > (${window.after[0]}::text, ${window.after[1]}::text, ${window.after[2]}::text)`);
  if (window.before) bounds.push(Prisma.sql`(m.name, m."backupServerId", m.ref) < (${window.before[0]}::text, ${window.before[1]}::text, ${window.before[2]}::text)`);
  const order = window.backward ? Prisma.sql`m.name DESC, m."backupServerId" DESC, m.ref DESC` : Prisma.sql`m.name, m."backupServerId", m.ref`;
  return prisma.$queryRaw<TreeNode[]>`
    SELECT m."backupServerId", m.ref, m.name, m.type, m."parentRef" FROM (${matching(filter)}) m
     WHERE ${Prisma.join(bounds, ' AND ')} ORDER BY ${order} LIMIT ${window.take}::int`;
}

export async function countTree(prisma: PrismaClient, filter: TreeFilter): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ count: number }>>`SELECT count(*)::int AS count FROM (${matching(filter)}) m`;
  return row?.count ?? 0;
}

/**
 * The names the inventory knows for these refs: a stored container's, else
 * the name of a replica whose own ref it is (a VM or vApp). Refs it does not
 * know are absent from the map.
 */
export async function namesOfRefs(prisma: Pick<PrismaClient, '$queryRaw'>, refs: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (refs.length === 0) return names;
  const containers = await prisma.$queryRaw<Array<{ ref: string; name: string }>>`
    SELECT DISTINCT ON (c.ref) c.ref, c.name FROM inventory_container c WHERE c.ref IN (${Prisma.join(refs)}) ORDER BY c.ref, c.name`;
  for (const row of containers) names.set(row.ref, row.name);
  const rest = refs.filter((ref) => !names.has(ref));
  if (rest.length === 0) return names;
  // Through replica_ref's index: a VM's or vApp's own ref is carried by its replicas alone.
  const objects = await prisma.$queryRaw<Array<{ ref: string; name: string }>>`
    SELECT DISTINCT ON (r."objectRef") r."objectRef" AS ref, r.name FROM "Replica" r
     WHERE r.id IN (SELECT rr."replicaId" FROM replica_ref rr WHERE rr.ref IN (${Prisma.join(rest)})) AND r."objectRef" IN (${Prisma.join(rest)})
     ORDER BY r."objectRef", r.name`;
  for (const row of objects) names.set(row.ref, row.name);
  return names;
}
