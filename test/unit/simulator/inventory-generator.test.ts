import { describe, expect, it } from 'vitest';
import { generateInventory, type Inventory } from '../../../src/simulator/index.js';

function sample(inv: Inventory) {
  const c = inv.counts;
  return {
    servers: inv.backupServers(),
    replicas: [0, c.replicas - 1].map((i) => inv.replica(i)),
    points: [0, 1, c.vmReplicaPoints - 1].map((i) => inv.vmReplicaPoint(i)),
    vAppPoints: [0, c.vAppReplicaPoints - 1].map((i) => inv.vAppReplicaPoint(i)),
    cdpVms: [0, c.cdpVms - 1].map((i) => inv.cdpVm(i)),
    cdpVApps: [0, c.cdpVApps - 1].map((i) => inv.cdpVApp(i)),
    history: inv.cdpHistory('cdpVm', 0),
    states: Array.from({ length: c.vmReplicas }, (_, i) => inv.initialState('vm', i)),
  };
}

const REF = /^urn:(VMware|vCloud):([A-Za-z]+):([0-9a-f-]{36})\.(.+)$/;

describe('inventory generator', () => {
  it('is deterministic: same seed and size, same inventory', () => {
    expect(sample(generateInventory({ seed: 7, size: 'demo' }))).toEqual(sample(generateInventory({ seed: 7, size: 'demo' })));
  });

  it('differs with the seed', () => {
    const a = sample(generateInventory({ seed: 1 }));
    const b = sample(generateInventory({ seed: 2 }));
    expect(a.points[0]!.id).not.toBe(b.points[0]!.id);
    expect(a.servers[0]!.id).not.toBe(b.servers[0]!.id);
  });

  it('has one backup server of each edition', () => {
    for (const size of ['demo', 'large'] as const) {
      const editions = generateInventory({ size }).backupServers().map((s) => s.edition);
      expect(new Set(editions)).toEqual(new Set(['Community', 'Standard', 'Enterprise', 'EnterprisePlus']));
    }
  });

  it('sizes: presets and counts add up to the requested replica count', () => {
    for (const [size, n] of [['demo', 40], ['small', 1_000], ['large', 100_000], [12, 12]] as const) {
      const c = generateInventory({ size }).counts;
      expect(c.vmReplicas + c.cdpVms + c.vAppReplicas + c.cdpVApps).toBe(n);
      expect(Math.min(c.vmReplicas, c.cdpVms, c.vAppReplicas, c.cdpVApps)).toBeGreaterThan(0);
    }
    expect(() => generateInventory({ size: 2 })).toThrow(RangeError);
  });

  it('looks objects up by GUID, and rejects GUIDs of another seed', () => {
    const inv = generateInventory({ seed: 3, size: 'small' });
    const p = inv.vmReplicaPoint(1234)!;
    expect(inv.vmReplicaPointIndex(p.id)).toBe(1234);
    expect(inv.vmReplicaPointIndex(generateInventory({ seed: 4, size: 'small' }).vmReplicaPoint(1234)!.id)).toBeUndefined();
    expect(inv.cdpVmIndex(p.id)).toBeUndefined();
    expect(inv.vmReplicaPoint(inv.counts.vmReplicaPoints)).toBeUndefined();
  });

  it('gives every replica well-formed hierarchy refs: ancestors first, itself last, one root', () => {
    const inv = generateInventory({ size: 'small' });
    for (let i = 0; i < inv.counts.vmReplicaPoints; i += 97) {
      const p = inv.vmReplicaPoint(i)!;
      const parsed = p.hierarchyRefs.map((r) => REF.exec(r)!);
      expect(parsed.every(Boolean)).toBe(true);
      expect(new Set(parsed.map((m) => m[3]))).toHaveProperty('size', 1);
      expect(parsed.map((m) => m[2]).slice(0, 8)).toEqual(['Vc', 'Folder', 'Datacenter', 'Folder', 'Cluster', 'Host', 'ResourcePool', 'Folder']);
      expect(parsed.some((m) => m[2] === 'Category')).toBe(true);
      expect(parsed.some((m) => m[2] === 'Tag')).toBe(true);
      expect(p.hierarchyRefs.at(-1)).toBe(p.vmRef);
    }
    for (let i = 0; i < inv.counts.cdpVApps; i += 13) {
      const v = inv.cdpVApp(i)!;
      expect(v.hierarchyRefs.map((r) => REF.exec(r)![2])).toEqual(['VcdSystem', 'Organization', 'OrgVdc', 'Vapp']);
      expect(v.vmRefs.every((r) => REF.exec(r)![2] === 'Vm')).toBe(true);
    }
  });

  it('lists hierarchy nodes that every replica ref points into', () => {
    const inv = generateInventory({ size: 'demo' });
    const nodes = new Set(inv.hierarchy().map((n) => n.ref));
    for (let i = 0; i < inv.counts.vmReplicaPoints; i++) {
      for (const ref of inv.vmReplicaPoint(i)!.hierarchyRefs.slice(0, -1)) expect(nodes.has(ref)).toBe(true);
    }
  });

  it('restore points are ordered in time and end before the reference time', () => {
    const inv = generateInventory({ size: 'demo', pointsPerReplica: 5 });
    const [start, end] = inv.vmReplicaPointRange(3);
    const times = Array.from({ length: end - start }, (_, k) => inv.vmReplicaPoint(start + k)!.creationTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.at(-1)!).toBeLessThanOrEqual(inv.referenceTime);
  });

  it('CDP history has short-term ranges and long-term points, some application-consistent', () => {
    const inv = generateInventory({ size: 'small' });
    let appConsistent = 0;
    for (let i = 0; i < inv.counts.cdpVms; i++) {
      const h = inv.cdpHistory('cdpVm', i);
      expect(h.ranges.length).toBeGreaterThan(0);
      expect(h.longTermPoints).toHaveLength(12);
      if (h.longTermPoints.some((p) => p.applicationConsistent)) appConsistent++;
    }
    expect(appConsistent).toBeGreaterThan(0);
    expect(appConsistent).toBeLessThan(inv.counts.cdpVms);
  });

  it('generates 100,000 replicas without storing them', () => {
    const before = process.memoryUsage().heapUsed;
    const inv = generateInventory({ size: 'large' });
    let n = 0;
    for (let i = 0; i < inv.counts.vmReplicaPoints; i += 1_000) n += inv.vmReplicaPoint(i)!.hierarchyRefs.length;
    expect(n).toBeGreaterThan(0);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });
});
