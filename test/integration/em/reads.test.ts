import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmNotFoundError, type EmClient } from '../../../src/em/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { all, client, simulator, VbrFaces } from './helpers.js';

const HIERARCHY_REF = /^urn:(VMware|vCloud):[A-Za-z]+:[0-9a-f-]{36}\..+$/;

/** The `<HierarchyRootId>` of an EM hierarchy ref `urn:<Platform>:<Type>:<HierarchyRootId>.<ref>`. */
const rootOf = (ref: string): string => ref.split(':')[3]!.split('.')[0]!;

describe('EM client: reading the inventory', () => {
  let sim: RunningSimulator;
  let em: EmClient;
  beforeAll(async () => {
    sim = await simulator();
    em = client(sim, { pageSize: 7 });
  });
  afterAll(async () => {
    await em.close();
    await sim.close();
  });

  it('lists backup servers without an edition (EM has none), reads one by id; their own licenses hold one of each edition', async () => {
    const servers = await em.listBackupServers();
    expect(servers).toHaveLength(sim.inventory.counts.backupServers);
    for (const s of servers) expect(s).not.toHaveProperty('edition');
    const one = await em.getBackupServer(servers[2]!.id);
    expect(one).toEqual(servers[2]);
    expect(one.uid).toBe(`urn:veeam:BackupServer:${one.id}`);
    // Where a real deployment reads the edition: each backup server's REST API (its face is found by EM's name).
    const vbr = new VbrFaces(sim, servers);
    const editions = await vbr.editions();
    await vbr.close();
    expect([...editions.values()].sort()).toEqual(['Community', 'Enterprise', 'EnterprisePlus', 'Standard']);
    expect(editions).toEqual(new Map(sim.inventory.backupServers().map((s) => [s.uid, s.edition])));
  });

  it('streams job-level replicas across pages', async () => {
    const pages: number[] = [];
    for await (const page of em.listReplicas()) pages.push(page.length);
    expect(pages).toEqual([7, 3]);
    const replicas = await all(em.listReplicas());
    expect(new Set(replicas.map((r) => r.platform))).toEqual(new Set(['VMware', 'vCloud']));
    expect(replicas.every((r) => r.backupServerUid?.startsWith('urn:veeam:BackupServer:'))).toBe(true);
  });

  it('streams every VM replica point, page by page, with its VM replica; no ref or state (EM gives none: VBR has the state)', async () => {
    const before = sim.counters.byRoute['GET /query?type=VmReplicaPoint'] ?? 0;
    const points = await all(em.listVmReplicaPoints());
    expect(points).toHaveLength(sim.inventory.counts.vmReplicaPoints);
    expect(new Set(points.map((p) => p.id)).size).toBe(points.length);
    expect(sim.counters.byRoute['GET /query?type=VmReplicaPoint']! - before).toBe(Math.ceil(points.length / 7));
    const keys = new Set(points.map((p) => p.vmReplicaKey));
    expect(keys.size).toBe(sim.inventory.counts.vmReplicas);
    for (const p of points) {
      for (const extension of ['vmRef', 'hierarchyRefs', 'replicaState']) expect(p).not.toHaveProperty(extension);
      expect(p.replicaUid).toMatch(/^urn:veeam:Replica:/);
      expect(p.backupServerUid).toMatch(/^urn:veeam:BackupServer:/);
      expect(p.vmReplicaKey).toBe(`${p.replicaUid}/name:${p.vmDisplayName}`);
      expect(p.creationTime.getTime()).toBeLessThanOrEqual(sim.inventory.referenceTime);
    }
    // Every VM replica has its state on its backup server's REST API, under the same replica id and VM name.
    const vbr = new VbrFaces(sim, await em.listBackupServers());
    const states = new Map<string, string>();
    for (const uid of new Set(points.map((p) => p.backupServerUid))) for (const [key, state] of await vbr.vmReplicaStates(uid)) states.set(key, state);
    await vbr.close();
    expect([...states.keys()].sort()).toEqual([...keys].sort());
    expect([...states.values()]).toContain('Ready');
  });

  it('filters VM replica points by VM name through the query service', async () => {
    const [first] = await all(em.listVmReplicaPoints());
    const mine = await all(em.listVmReplicaPoints({ vmDisplayName: first!.vmDisplayName }));
    expect(mine).toHaveLength(sim.inventory.counts.pointsPerReplica);
    expect(mine.every((p) => p.vmReplicaKey === first!.vmReplicaKey)).toBe(true);
    expect(await em.getVmReplicaPoint(first!.id)).toEqual(first);
  });

  it('streams vApp replica points with their vApp replica; no refs of the vApp, its VMs or ancestors (EM gives none)', async () => {
    const points = await all(em.listVAppReplicaPoints());
    expect(points).toHaveLength(sim.inventory.counts.vAppReplicaPoints);
    for (const p of points) {
      for (const extension of ['vAppRef', 'vmRefs', 'hierarchyRefs', 'replicaState']) expect(p).not.toHaveProperty(extension);
      expect(p.vAppName).toBeTruthy();
      expect(p.replicaUid).toMatch(/^urn:veeam:Replica:/);
      expect(p.vAppReplicaKey).toBe(`${p.replicaUid}/name:${p.vAppDisplayName}`);
    }
    expect(new Set(points.map((p) => p.vAppReplicaKey)).size).toBe(sim.inventory.counts.vAppReplicas);
    expect(await em.getVAppReplicaPoint(points[0]!.id)).toEqual(points[0]);
  });

  it('navigates CDP replicas to their VMs', async () => {
    const replicas = await all(em.listCdpReplicas());
    expect(replicas).toHaveLength(sim.inventory.counts.cdpReplicas);
    // EM's CdpReplica has no documented Platform: the simulator's inventory says which policies protect vSphere VMs.
    const vmware = replicas.filter((r) => sim.inventory.cdpReplica(sim.inventory.cdpReplicaIndex(r.id)!)!.platform === 'VMware');
    expect(vmware.length).toBeGreaterThan(0);
    const vms = await em.listCdpReplicaVms(vmware[0]!.id);
    expect(vms.length).toBeGreaterThan(0);
    expect(vms.every((vm) => vm.cdpReplicaId === vmware[0]!.id && vm.cdpReplicaUid === vmware[0]!.uid)).toBe(true);
    const everyVm = await all(em.listAllCdpReplicaVms());
    expect(everyVm).toHaveLength(sim.inventory.counts.cdpVms);
    expect(await em.getCdpReplicaVm(vms[0]!.cdpReplicaId, vms[0]!.id)).toEqual(vms[0]);
    // EM's documented VmRef names the protected VM under one of its backup server's hierarchy roots; no ancestors.
    const roots = await em.listHierarchyRoots();
    for (const vm of everyVm) {
      expect(vm).not.toHaveProperty('hierarchyRefs');
      expect(vm.vmRef).toMatch(HIERARCHY_REF);
      expect(vm.vmRef).toMatch(/^urn:VMware:Vm:/);
      expect(roots.find((r) => r.hierarchyRootId === rootOf(vm.vmRef!))?.backupServerUid).toBe(vm.backupServerUid);
    }
  });

  it('lists CDP vApps and reads one', async () => {
    const vApps = await all(em.listCdpVApps());
    expect(vApps).toHaveLength(sim.inventory.counts.cdpVApps);
    const roots = await em.listHierarchyRoots();
    for (const v of vApps) {
      for (const extension of ['vmRefs', 'hierarchyRefs', 'replicaState']) expect(v).not.toHaveProperty(extension);
      expect(v.vAppRef).toMatch(HIERARCHY_REF);
      expect(v.vAppRef).toMatch(/^urn:vCloud:Vapp:/);
      expect(roots.find((r) => r.hierarchyRootId === rootOf(v.vAppRef!))).toMatchObject({ hostType: 'VcdSystem', backupServerUid: v.backupServerUid });
    }
    expect(await em.getCdpVApp(vApps[0]!.id)).toEqual(vApps[0]);
  });

  it('reads CDP intervals: short-term ranges and long-term points, for VMs and vApps', async () => {
    const ref = sim.inventory.referenceTime;
    const range = { from: new Date(ref - 7 * 86_400_000), to: new Date(ref) };
    const [vm] = await all(em.listAllCdpReplicaVms());
    const vmIntervals = await em.getCdpVmIntervals(vm!.cdpReplicaId, vm!.id, range);
    expect(vmIntervals.ranges.length).toBeGreaterThan(0);
    expect(vmIntervals.ranges[0]!.type).toBe('RestoreAvailable');
    expect(vmIntervals.longTermPoints).toHaveLength(12);
    expect(vmIntervals.hasApplicationConsistentState).toBe(vmIntervals.longTermPoints.some((p) => p.applicationConsistent));
    const [vApp] = await all(em.listCdpVApps());
    const vAppIntervals = await em.getCdpVAppIntervals(vApp!.id, range);
    expect(vAppIntervals.ranges.length).toBeGreaterThan(0);
    // A narrower window returns only what falls inside it.
    const narrow = await em.getCdpVmIntervals(vm!.cdpReplicaId, vm!.id, { from: new Date(ref - 60_000), to: new Date(ref) });
    expect(narrow.longTermPoints).toHaveLength(0);
  });

  it('answers unknown ids with EmNotFoundError', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(em.getVmReplicaPoint(missing)).rejects.toBeInstanceOf(EmNotFoundError);
    await expect(em.getBackupServer(missing)).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    await expect(em.getCdpReplicaVm(missing, missing)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(em.getTask('task-999')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(em.getRestoreSession(missing)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
