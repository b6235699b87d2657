import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import { sharedSimulatorWorld, syncOf } from './support.js';

/**
 * The containers of each backup server's hierarchy: written by the sync when
 * they differ from what is stored, and only then; kept when a server's
 * hierarchy cannot be read.
 */

/** Every container row with its row version (xmin changes with each insert or update of the row). */
async function containerRows(db: Database) {
  return db.prisma.$queryRawUnsafe<Array<{ backupServerId: string; ref: string; name: string; type: string; parentRef: string | null; version: string }>>(
    `SELECT "backupServerId", ref, name, type, "parentRef", xmin::text AS version FROM inventory_container ORDER BY "backupServerId", ref`,
  );
}

describe('inventory containers', () => {
  const world = sharedSimulatorWorld();

  it('the first sync writes every server\'s containers with EM types and parents; an unchanged sync rewrites none', async () => {
    const first = await syncOf(world.db, world.em).syncNow();
    expect(first.ok).toBe(true);
    const rows = await containerRows(world.db);
    const servers = await world.db.prisma.backupServer.findMany({ select: { id: true, containersDigest: true } });
    expect(new Set(rows.map((r) => r.backupServerId))).toEqual(new Set(servers.map((s) => s.id)));
    for (const s of servers) expect(s.containersDigest).toEqual(expect.any(String));
    // Types are EM's, read from the ref; the top of each tree is a vCenter or Cloud Director system.
    for (const r of rows) expect(r.ref.split(':')[2]).toBe(r.type);
    expect(new Set(rows.filter((r) => r.parentRef === null).map((r) => r.type))).toEqual(new Set(['Vc', 'VcdSystem']));
    for (const type of ['Datacenter', 'Folder', 'Cluster', 'Host', 'Category', 'Tag', 'Organization', 'OrgVdc']) {
      expect(rows.some((r) => r.type === type), type).toBe(true);
    }
    // Every parent is itself a container of the same server.
    const keys = new Set(rows.map((r) => `${r.backupServerId} ${r.ref}`));
    for (const r of rows) if (r.parentRef !== null) expect(keys.has(`${r.backupServerId} ${r.parentRef}`), r.ref).toBe(true);
    // vApps and VMs are placed objects, not containers.
    expect(rows.filter((r) => r.type === 'Vm' || r.type === 'Vapp')).toEqual([]);

    const second = await syncOf(world.db, world.em).syncNow();
    expect(second.ok).toBe(true);
    expect(second.writes).toBe(0);
    expect(await containerRows(world.db)).toEqual(rows);
  }, 120_000);

  it('a changed hierarchy rewrites only the rows that differ', async () => {
    const before = await containerRows(world.db);
    const [gone, renamed] = before.filter((r) => r.type === 'Cluster');
    await world.db.prisma.inventoryContainer.delete({ where: { backupServerId_ref: { backupServerId: gone!.backupServerId, ref: gone!.ref } } });
    await world.db.prisma.inventoryContainer.update({ where: { backupServerId_ref: { backupServerId: renamed!.backupServerId, ref: renamed!.ref } }, data: { name: 'stale name' } });
    const extra = { backupServerId: gone!.backupServerId, ref: `${gone!.ref}-gone`, name: 'vanished', type: 'Cluster', parentRef: gone!.parentRef, hostName: 'x' };
    await world.db.prisma.inventoryContainer.create({ data: extra });
    // What a sync that read another hierarchy would have stored.
    await world.db.prisma.backupServer.updateMany({ where: { id: { in: [gone!.backupServerId, renamed!.backupServerId] } }, data: { containersDigest: 'other' } });
    const touched = await containerRows(world.db);

    const report = await syncOf(world.db, world.em).syncNow();
    expect(report.ok).toBe(true);
    expect(report.writes).toBe(3);
    const after = await containerRows(world.db);
    expect(after.map(({ version: _, ...r }) => r)).toEqual(before.map(({ version: _, ...r }) => r));
    const versionOf = (rows: typeof after) => new Map(rows.map((r) => [`${r.backupServerId} ${r.ref}`, r.version]));
    const was = versionOf(touched);
    const rewritten = after.filter((r) => was.get(`${r.backupServerId} ${r.ref}`) !== r.version).map((r) => r.ref);
    expect(rewritten.sort()).toEqual([gone!.ref, renamed!.ref].sort());
  }, 60_000);

  it('a server whose hierarchy cannot be read keeps its containers', async () => {
    const before = await containerRows(world.db);
    await world.db.prisma.backupServer.updateMany({ data: { containersDigest: 'other' } });
    // No VBR access configured: no hierarchy is read for any server.
    const report = await syncOf(world.db, world.em, { sources: { servers: [] } }).syncNow();
    expect(report.servers.every((s) => !s.sources.hierarchy.ok)).toBe(true);
    expect(await containerRows(world.db)).toEqual(before);
  }, 60_000);
});
