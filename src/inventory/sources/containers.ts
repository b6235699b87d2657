import type { PrismaClient } from '../../generated/prisma/client.js';
import { parseEmRef } from '../../hierarchy/index.js';
import { contentHash } from '../hash.js';
import type { PlacedContainer } from './hierarchy-index.js';
import type { ServerFacts } from './server-facts.js';

/** One row of inventory_container, as written. */
export interface ContainerRow {
  ref: string;
  name: string;
  /** EM's type (the `<Type>` of the ref), the spelling scopes and EM use. */
  type: string;
  parentRef: string | null;
  hostName: string;
}

/** A container as stored: EM's type comes from its ref; the Inventory Browser's own type only if the ref does not parse. */
export function containerRow(c: PlacedContainer): ContainerRow {
  const parsed = parseEmRef(c.ref);
  return { ref: c.ref, name: c.name, type: parsed.ok ? parsed.ref.type : c.type, parentRef: c.parentRef ?? null, hostName: c.hostName };
}

/** EM types of a hierarchy's top: the vCenter or Cloud Director system itself. */
const HOST_TYPES = new Set(['Vc', 'VcdSystem']);

/**
 * The rows of a server's containers, by ref, and their digest (independent of
 * listing order). The Inventory Browser lists what is inside a vCenter or
 * Cloud Director, not the host itself (hosts come from another call), so
 * each host is added from its children's parent ref, named by its host name.
 */
export function containerRows(containers: Iterable<PlacedContainer>): { rows: ContainerRow[]; digest: string } {
  const byRef = new Map<string, ContainerRow>();
  for (const c of containers) byRef.set(c.ref, containerRow(c));
  for (const row of [...byRef.values()]) {
    if (row.parentRef === null || byRef.has(row.parentRef)) continue;
    const parent = parseEmRef(row.parentRef);
    if (parent.ok && HOST_TYPES.has(parent.ref.type)) {
      byRef.set(row.parentRef, { ref: row.parentRef, name: row.hostName, type: parent.ref.type, parentRef: null, hostName: row.hostName });
    }
  }
  const rows = [...byRef.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return { rows, digest: contentHash(rows.map((r) => [r.ref, r.name, r.type, r.parentRef, r.hostName])) };
}

const UPSERT = `
INSERT INTO inventory_container ("backupServerId", ref, name, type, "parentRef", "hostName")
SELECT $2::text, t.ref, t.name, t.type, t."parentRef", t."hostName"
  FROM json_to_recordset($1::json) AS t(ref text, name text, type text, "parentRef" text, "hostName" text)
ON CONFLICT ("backupServerId", ref) DO UPDATE SET
  name = EXCLUDED.name, type = EXCLUDED.type, "parentRef" = EXCLUDED."parentRef", "hostName" = EXCLUDED."hostName"
WHERE (inventory_container.name, inventory_container.type, inventory_container."parentRef", inventory_container."hostName")
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.type, EXCLUDED."parentRef", EXCLUDED."hostName")`;

const DELETE_GONE = `
DELETE FROM inventory_container c
 WHERE c."backupServerId" = $2::text
   AND NOT EXISTS (SELECT 1 FROM json_to_recordset($1::json) AS t(ref text) WHERE t.ref = c.ref)`;

/**
 * Stores the containers of every server whose hierarchy was read in this
 * pass, when they differ from what was stored (a digest per server on
 * BackupServer: an unchanged hierarchy costs one read of the digests and no
 * write). A server whose hierarchy could not be read keeps its containers.
 * Returns how many rows were inserted, changed or deleted.
 */
export async function syncContainers(prisma: PrismaClient, facts: Map<string, ServerFacts>): Promise<number> {
  const read = [...facts.values()].filter((f) => f.hierarchy.ok && f.index !== undefined);
  if (read.length === 0) return 0;
  const stored = new Map(
    (await prisma.backupServer.findMany({ where: { id: { in: read.map((f) => f.serverUid) } }, select: { id: true, containersDigest: true } })).map((s) => [
      s.id,
      s.containersDigest,
    ]),
  );
  let writes = 0;
  for (const f of read) {
    // Not stored yet (upsertBackupServers writes the rows first); nothing to hang containers on.
    if (!stored.has(f.serverUid)) continue;
    const { rows, digest } = containerRows(f.index!.containers.values());
    if (stored.get(f.serverUid) === digest) continue;
    const json = JSON.stringify(rows);
    writes += await prisma.$transaction(async (tx) => {
      const removed = await tx.$executeRawUnsafe(DELETE_GONE, json, f.serverUid);
      const written = await tx.$executeRawUnsafe(UPSERT, json, f.serverUid);
      await tx.backupServer.update({ where: { id: f.serverUid }, data: { containersDigest: digest } });
      return removed + written;
    });
  }
  return writes;
}
