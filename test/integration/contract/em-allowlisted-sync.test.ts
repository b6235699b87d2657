import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import { createEmClient } from '../../../src/em/index.js';
import { createInventorySync } from '../../../src/inventory/index.js';
import { simulatorVbrServers } from '../../../src/server/upstream.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { undocumentedKeys } from '../../contract/em-allowlist.js';
import { simulator } from '../em/helpers.js';
import { startForwardProxy } from '../../support/forward-proxy.js';

/** The allowlist shape of an EM answer. */
function shapeOf(url: URL, status: number, body: Record<string, unknown>): string {
  if (status >= 400) return 'Error';
  if ('Entities' in body || 'Refs' in body) return 'QueryResult';
  if (url.search.toLowerCase().includes('action=intervals')) return 'CdpReplicaIntervals';
  return String(body['Type']);
}

/** Deletes one `a.b[3].c` path from a parsed answer. */
function remove(root: unknown, path: string): void {
  const steps = path.split(/\.|(?=\[)/).map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));
  let at = root as Record<string | number, unknown>;
  for (const step of steps.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  delete at[steps.at(-1)!];
}

/** The inventory as rows a portal reads, in a stable order. */
async function inventoryOf(db: Database) {
  const replicas = await db.prisma.replica.findMany({ orderBy: { emKey: 'asc' }, include: { restorePoints: { orderBy: { id: 'asc' }, select: { id: true } } } });
  return replicas.map((r) => ({ emKey: r.emKey, kind: r.kind, name: r.name, state: r.state, objectRef: r.objectRef, refs: [...r.refs].sort(), members: r.memberVmRefs, points: r.restorePoints.map((p) => p.id) }));
}

/**
 * The gateway needs nothing of EM beyond its documented fields: a sync through
 * a proxy that deletes every field outside the allowlist gives the same
 * inventory as a sync of EM's answers as they are.
 */
describe('the inventory sync on EM answers cut down to the documented fields', () => {
  let sim: RunningSimulator;
  let proxy: Awaited<ReturnType<typeof startForwardProxy>>;
  let stripped = 0;
  const dbs: Database[] = [];

  async function syncThrough(emUrl: string): Promise<Database> {
    const db = await openDatabase({ dataDir: 'memory://' });
    dbs.push(db);
    await applyMigrations(db);
    const em = createEmClient({ url: emUrl, username: 'em-admin', password: 'em-admin' });
    const sync = createInventorySync({ db, em, sources: { servers: simulatorVbrServers(sim) } });
    expect((await sync.syncNow()).ok).toBe(true);
    await sync.stop();
    await em.close();
    return db;
  }

  beforeAll(async () => {
    sim = await simulator();
    proxy = await startForwardProxy(new URL(sim.url).origin, (e) => {
      if (!e.responseBody.startsWith('{')) return e.responseBody;
      const json = JSON.parse(e.responseBody) as Record<string, unknown>;
      for (const path of undocumentedKeys(shapeOf(e.url, e.status, json), json)) {
        remove(json, path);
        stripped++;
      }
      return JSON.stringify(json);
    });
  });

  afterAll(async () => {
    for (const db of dbs) await db.close();
    await proxy?.close();
    await sim?.close();
  });

  it('gives the same replicas, refs, states and restore points', async () => {
    const direct = await inventoryOf(await syncThrough(sim.url));
    const cut = await inventoryOf(await syncThrough(`${proxy.origin}/api`));
    expect(direct.length).toBe(sim.inventory.counts.vmReplicas + sim.inventory.counts.cdpVms + sim.inventory.counts.vAppReplicas + sim.inventory.counts.cdpVApps);
    expect(direct.filter((r) => r.refs.length > 1).length).toBe(direct.length);
    expect(cut).toEqual(direct);
    // The simulator serves documented fields only: nothing had to be cut.
    expect(stripped).toBe(0);
  });
});
