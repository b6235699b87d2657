import { describe, expect, it } from 'vitest';
import type { EmClient } from '../../../src/em/index.js';
import type { PassMemory } from '../../../src/inventory/pass-memory.js';
import { runSyncPass } from '../../../src/inventory/sync-pass.js';
import { createVbrClient, type VbrClient, type VbrInventoryObject, type VbrPage } from '../../../src/vbr/index.js';
import { sharedSimulatorWorld, sourcesOf } from './support.js';

/**
 * VBR REST has no change stamp: a sync reads every Inventory Browser page
 * again, but parses (and places by) a server's hierarchy only when a page of
 * it changed since the previous pass of the same process.
 */
describe('hierarchy reuse between passes', () => {
  const env = sharedSimulatorWorld();

  /** Counts the Inventory Browser pages the sync parses; `edit` changes the objects VBR lists (a move, a rename), and so their page's bytes. */
  const world = { parsed: 0, parsedOn: new Set<string>(), edit: undefined as ((o: VbrInventoryObject) => VbrInventoryObject) | undefined };
  async function* watched(url: string, pages: AsyncIterable<VbrPage<VbrInventoryObject>>): AsyncIterable<VbrPage<VbrInventoryObject>> {
    for await (const page of pages) {
      const edit = world.edit;
      const edited = edit === undefined ? undefined : page.items().map(edit);
      const changed = edited !== undefined && edited.some((o, i) => o !== page.items()[i]);
      yield {
        fingerprint: changed ? `${page.fingerprint}+${JSON.stringify(edited)}` : page.fingerprint,
        items: () => {
          world.parsed++;
          world.parsedOn.add(url);
          return edited ?? page.items();
        },
      };
    }
  }
  const connectVbr = (endpoint: Parameters<typeof createVbrClient>[0]): VbrClient => {
    const client = createVbrClient({ ...endpoint, readRetries: 0 });
    return { ...client, browseInventoryPages: (host, query) => watched(endpoint.url, client.browseInventoryPages(host, query)) };
  };
  const pass = (memory?: PassMemory) =>
    runSyncPass({
      prisma: env.db.prisma,
      em: env.em,
      sources: sourcesOf(env.sim),
      connectVbr,
      cdpWindowMs: 7 * 86_400_000,
      cdpConcurrency: 4,
      refreshCdpIntervals: true,
      batchSize: 50,
      now: () => new Date(),
      memory,
    });
  const hostOf = (refs: string[]) => refs.find((r) => r.startsWith('urn:VMware:Host:'));

  it('an unchanged listing is fingerprinted, not parsed; a VM moved to another host is placed there by the next pass', async () => {
    const first = await pass();
    expect(first.report.ok).toBe(true);
    expect(world.parsed).toBeGreaterThan(0);

    world.parsed = 0;
    const second = await pass(first.memory);
    expect(second.report.ok).toBe(true);
    expect(second.report.writes).toBe(0);
    expect(world.parsed).toBe(0);
    expect(second.report.servers.every((s) => s.sources.hierarchyObjects > 0)).toBe(true);

    // A vSphere snapshot replica and a CDP VM, each moved to another host (vMotion): their urns change, nothing on EM does.
    const vm = await env.db.prisma.replica.findFirstOrThrow({ where: { kind: 'VM_REPLICA', refs: { isEmpty: false } }, orderBy: { name: 'asc' } });
    const cdp = await env.db.prisma.replica.findFirstOrThrow({ where: { kind: 'CDP_VM', refs: { isEmpty: false } }, orderBy: { name: 'asc' } });
    const moved = new Map([vm, cdp].map((r) => [r.objectRef!.slice(r.objectRef!.indexOf('.') + 1), r]));
    expect(moved.size).toBe(2);
    world.edit = (o) => (o.objectId !== undefined && moved.has(o.objectId) && o.urn?.includes(';hostsystem:') ? { ...o, urn: o.urn.replace(/;hostsystem:[^;]+/, ';hostsystem:host-moved') } : o);
    try {
      const third = await pass(second.memory);
      expect(third.report.ok).toBe(true);
      expect(world.parsed).toBeGreaterThan(0);
      for (const row of moved.values()) {
        const after = await env.db.prisma.replica.findUniqueOrThrow({ where: { id: row.id } });
        expect(hostOf(after.refs)).toMatch(/\.host-moved$/);
        expect(hostOf(row.refs)).not.toBe(hostOf(after.refs));
        expect(await env.db.prisma.replicaRef.count({ where: { replicaId: row.id, ref: hostOf(after.refs)! } })).toBe(1);
      }

      // The moved listing, unchanged since: parsed no more.
      world.parsed = 0;
      const fourth = await pass(third.memory);
      expect(fourth.report.writes).toBe(0);
      expect(world.parsed).toBe(0);
    } finally {
      world.edit = undefined;
    }
  }, 60_000);

  it('a CDP VM renamed on EM, on a server whose listing did not change, is still placed: its server\'s hierarchy alone is read then', async () => {
    const base = await pass();
    const unchanged = await pass(base.memory);
    const row = await env.db.prisma.replica.findFirstOrThrow({ where: { kind: 'CDP_VM', refs: { isEmpty: false } }, orderBy: { name: 'asc' } });
    const renamed = Object.create(env.em, {
      listAllCdpReplicaVms: {
        value: async function* () {
          for await (const page of env.em.listAllCdpReplicaVms()) yield page.map((vm) => (vm.name === row.name ? { ...vm, name: `${vm.name}-renamed` } : vm));
        },
      },
    }) as EmClient;
    world.parsed = 0;
    world.parsedOn.clear();
    const next = await runSyncPass({ prisma: env.db.prisma, em: renamed, sources: sourcesOf(env.sim), connectVbr, cdpWindowMs: 7 * 86_400_000, cdpConcurrency: 4, refreshCdpIntervals: true, batchSize: 50, now: () => new Date(), memory: unchanged.memory });
    expect(next.report.ok).toBe(true);
    expect(world.parsed).toBeGreaterThan(0);
    expect(world.parsedOn.size).toBe(1);
    const after = await env.db.prisma.replica.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.name).toBe(`${row.name}-renamed`);
    expect(after.refs).toEqual(row.refs);
  }, 60_000);
});
