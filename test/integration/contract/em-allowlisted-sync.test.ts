import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import { createEmClient } from '../../../src/em/index.js';
import { createInventorySync } from '../../../src/inventory/index.js';
import { simulatorVbrServers } from '../../../src/server/upstream.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { undocumentedKeys } from '../../contract/em-allowlist.js';
import { simulator } from '../em/helpers.js';

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
  let proxy: Server;
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
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url!, sim.url);
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        void fetch(url, { method: req.method, headers, body }).then(async (answer) => {
          const text = await answer.text();
          let out = text;
          if (text.startsWith('{')) {
            const json = JSON.parse(text) as Record<string, unknown>;
            for (const path of undocumentedKeys(shapeOf(url, answer.status, json), json)) {
              remove(json, path);
              stripped++;
            }
            out = JSON.stringify(json);
          }
          const session = answer.headers.get('x-restsvcsessionid');
          res.writeHead(answer.status, { 'content-type': 'application/json', ...(session ? { 'x-restsvcsessionid': session } : {}) });
          res.end(out);
        });
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const db of dbs) await db.close();
    await new Promise((resolve) => proxy?.close(resolve));
    await sim?.close();
  });

  it('gives the same replicas, refs, states and restore points', async () => {
    const direct = await inventoryOf(await syncThrough(sim.url));
    const port = (proxy.address() as AddressInfo).port;
    const cut = await inventoryOf(await syncThrough(`http://127.0.0.1:${port}/api`));
    expect(direct.length).toBe(sim.inventory.counts.vmReplicas + sim.inventory.counts.cdpVms + sim.inventory.counts.vAppReplicas + sim.inventory.counts.cdpVApps);
    expect(direct.filter((r) => r.refs.length > 1).length).toBe(direct.length);
    expect(cut).toEqual(direct);
    // The simulator serves documented fields only: nothing had to be cut.
    expect(stripped).toBe(0);
  });
});
