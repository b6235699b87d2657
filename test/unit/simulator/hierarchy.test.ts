import { describe, expect, it } from 'vitest';
import { generateInventory } from '../../../src/simulator/index.js';
import { vcdRoot, vcenterRoot } from '../../../src/simulator/hierarchy.js';
import { refsOfUrn } from '../../../src/simulator/urn.js';
import { allObjects, hostRuns, inventoryHosts, pageOfRuns, type InventoryObject } from '../../../src/simulator/vbr/inventory-browser.js';

/** Every object of one host in one hierarchy, by urn. */
function listing(inv: ReturnType<typeof generateInventory>, server: number, kind: 'vCenter' | 'CloudDirector', hierarchy: string): InventoryObject[] {
  const host = inventoryHosts(inv, server).find((h) => h.kind === kind)!;
  return [...allObjects(hostRuns(inv, host, hierarchy))];
}

describe('hierarchy urn paths', () => {
  const inv = generateInventory({ size: 'small' });

  it('every object sits once in each vSphere hierarchy and the EM refs are exactly what its urns give', () => {
    for (let s = 0; s < inv.counts.backupServers; s++) {
      const root = vcenterRoot(inv.seed, s);
      const urnsByVm = new Map<string, string[]>();
      for (const h of ['HostsAndClusters', 'VmsAndTemplates', 'VmsAndTags']) {
        for (const o of listing(inv, s, 'vCenter', h)) {
          if (o.type !== 'VirtualMachine') continue;
          urnsByVm.set(o.objectId, [...(urnsByVm.get(o.objectId) ?? []), o.urn]);
        }
      }
      const vms = inv.slice('vm', s);
      const cdp = inv.slice('cdpVm', s);
      expect(urnsByVm.size).toBe(vms.count + cdp.count);
      for (let k = 0; k < vms.count; k += 7) {
        const v = vms.at(k)!;
        const p = inv.vmReplicaPoint(inv.vmReplicaPointRange(v)[0])!;
        const moref = p.vmRef.slice(p.vmRef.lastIndexOf('.') + 1);
        const derived = new Set(urnsByVm.get(moref)!.flatMap((urn) => refsOfUrn(urn, root)));
        expect(new Set(p.hierarchyRefs)).toEqual(derived);
        expect(p.hierarchyRefs.at(-1)).toBe(p.vmRef);
      }
      for (let k = 0; k < cdp.count; k += 5) {
        const vm = inv.cdpVm(cdp.at(k)!)!;
        const moref = vm.vmRef.slice(vm.vmRef.lastIndexOf('.') + 1);
        expect(new Set(vm.hierarchyRefs)).toEqual(new Set(urnsByVm.get(moref)!.flatMap((urn) => refsOfUrn(urn, root))));
      }
    }
  });

  it('includes the root folders and the tag category in the refs', () => {
    const types = inv.vmReplicaPoint(0)!.hierarchyRefs.map((r) => r.split(':')[2]);
    expect(types[0]).toBe('Vc');
    expect(types).toContain('Category');
    expect(inv.vmReplicaPoint(0)!.hierarchyRefs.some((r) => r.endsWith('.group-d1'))).toBe(true);
    expect(inv.vmReplicaPoint(0)!.hierarchyRefs.some((r) => /\.group-h\d+$/.test(r))).toBe(true);
  });

  it('vApps and their VMs: refs agree with the VAppsAndVms urns', () => {
    for (let s = 0; s < inv.counts.backupServers; s++) {
      const root = vcdRoot(inv.seed, s);
      const objects = listing(inv, s, 'CloudDirector', 'VAppsAndVms');
      const byId = new Map(objects.map((o) => [o.objectId, o]));
      const vApps = inv.slice('vApp', s);
      expect(objects.filter((o) => o.type === 'vApp')).toHaveLength(vApps.count + inv.slice('cdpVApp', s).count);
      for (let k = 0; k < vApps.count; k++) {
        const p = inv.vAppReplicaPoint(inv.vAppReplicaPointRange(vApps.at(k)!)[0])!;
        const vApp = byId.get(p.vAppRef.slice(p.vAppRef.indexOf('.') + 1))!;
        expect(refsOfUrn(vApp.urn, root)).toEqual(p.hierarchyRefs);
        const members = objects.filter((o) => o.type === 'VirtualMachine' && o.urn.startsWith(`${vApp.urn};`));
        expect(members.map((m) => refsOfUrn(m.urn, root).at(-1))).toEqual(p.vmRefs);
      }
    }
  });

  it('lists every container with a name, and urn Contains "<segment>;" selects exactly the objects below it', () => {
    const objects = listing(inv, 2, 'vCenter', 'HostsAndClusters');
    expect(objects.every((o) => o.name !== '')).toBe(true);
    const host = objects.find((o) => o.type === 'Host')!;
    const segment = `hostsystem:${host.objectId};`;
    const below = objects.filter((o) => o.urn.includes(segment));
    expect(below.length).toBeGreaterThan(2);
    for (const o of objects) expect(o.urn.startsWith(`${host.urn};`)).toBe(below.includes(o));
  });

  it('agrees with the EM hierarchy nodes (names and parents)', () => {
    const nodes = new Map(inv.hierarchy().map((n) => [n.ref, n]));
    for (const o of listing(inv, 1, 'vCenter', 'VmsAndTemplates').filter((x) => x.type === 'Folder')) {
      const refs = refsOfUrn(o.urn, vcenterRoot(inv.seed, 1));
      const n = nodes.get(refs.at(-1)!)!;
      expect(n.name).toBe(o.name);
      expect(n.parentRef).toBe(refs.at(-2));
    }
  });

  it('pages by arithmetic: a page equals the same slice of the full listing', () => {
    for (const [kind, h] of [['vCenter', 'HostsAndClusters'], ['vCenter', 'VmsAndTags'], ['CloudDirector', 'VAppsAndVms']] as const) {
      const host = inventoryHosts(inv, 3).find((x) => x.kind === kind)!;
      const all = [...allObjects(hostRuns(inv, host, h))];
      for (const skip of [0, 5, 37, all.length - 3, all.length + 10]) {
        const page = pageOfRuns(hostRuns(inv, host, h), skip, 25);
        expect(page.total).toBe(all.length);
        expect(page.data).toEqual(all.slice(skip, skip + 25));
      }
    }
  });

  it('pages across the checkpoints of runs whose objects per VM vary', () => {
    const medium = generateInventory({ size: 'medium' });
    for (const [kind, h] of [['vCenter', 'VmsAndTags'], ['CloudDirector', 'VAppsAndVms']] as const) {
      const host = inventoryHosts(medium, 5).find((x) => x.kind === kind)!;
      const all = [...allObjects(hostRuns(medium, host, h))];
      expect(all.length).toBeGreaterThan(600);
      for (const skip of [250, 255, 256, 257, 300, 511, 512, 600, all.length - 1]) {
        const page = pageOfRuns(hostRuns(medium, host, h), skip, 7);
        expect(page.total).toBe(all.length);
        expect(page.data).toEqual(all.slice(skip, skip + 7));
      }
    }
  });

  it('server slices hold exactly the objects whose backup server is that server', () => {
    for (const kind of ['vm', 'cdpVm', 'vApp', 'cdpVApp'] as const) {
      const owner = (i: number): number =>
        kind === 'vm' ? inv.vmReplicaPoint(i * inv.counts.pointsPerReplica)!.backupServer : kind === 'cdpVm' ? inv.cdpVm(i)!.backupServer : kind === 'vApp' ? inv.vAppReplicaPoint(i * inv.counts.pointsPerReplica)!.backupServer : inv.cdpVApp(i)!.backupServer;
      const total = { vm: inv.counts.vmReplicas, cdpVm: inv.counts.cdpVms, vApp: inv.counts.vAppReplicas, cdpVApp: inv.counts.cdpVApps }[kind];
      let sum = 0;
      for (let s = 0; s < inv.counts.backupServers; s++) {
        const slice = inv.slice(kind, s);
        const expected = Array.from({ length: total }, (_, i) => i).filter((i) => owner(i) === s);
        expect(Array.from({ length: slice.count }, (_, k) => slice.at(k))).toEqual(expected);
        sum += slice.count;
      }
      expect(sum).toBe(total);
    }
  });
});
