import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmNotFoundError, type EmClient } from '../../../src/em/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { all, client, simulator } from './helpers.js';

const HIERARCHY_REF = /^urn:(VMware|vCloud):[A-Za-z]+:[0-9a-f-]{36}\..+$/;

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

  it('lists backup servers with one of each license edition, and reads one by id', async () => {
    const servers = await em.listBackupServers();
    expect(servers.map((s) => s.edition).sort()).toEqual(['Community', 'Enterprise', 'EnterprisePlus', 'Standard']);
    const one = await em.getBackupServer(servers[2]!.id);
    expect(one).toEqual(servers[2]);
    expect(one.uid).toBe(`urn:veeam:BackupServer:${one.id}`);
  });

  it('streams job-level replicas across pages', async () => {
    const pages: number[] = [];
    for await (const page of em.listReplicas()) pages.push(page.length);
    expect(pages).toEqual([7, 3]);
    const replicas = await all(em.listReplicas());
    expect(new Set(replicas.map((r) => r.platform))).toEqual(new Set(['VMware', 'vCloud']));
    expect(replicas.every((r) => r.backupServerUid?.startsWith('urn:veeam:BackupServer:'))).toBe(true);
  });

  it('streams every VM replica point, page by page, with its VM replica and hierarchy refs', async () => {
    const before = sim.counters.byRoute['GET /query?type=VmReplicaPoint'] ?? 0;
    const points = await all(em.listVmReplicaPoints());
    expect(points).toHaveLength(sim.inventory.counts.vmReplicaPoints);
    expect(new Set(points.map((p) => p.id)).size).toBe(points.length);
    expect(sim.counters.byRoute['GET /query?type=VmReplicaPoint']! - before).toBe(Math.ceil(points.length / 7));
    const keys = new Set(points.map((p) => p.vmReplicaKey));
    expect(keys.size).toBe(sim.inventory.counts.vmReplicas);
    for (const p of points) {
      expect(p.vmRef).toMatch(/^urn:VMware:Vm:/);
      expect(p.hierarchyRefs.at(-1)).toBe(p.vmRef);
      expect(p.hierarchyRefs.every((r) => HIERARCHY_REF.test(r))).toBe(true);
      expect(p.hierarchyRefs.some((r) => r.startsWith('urn:VMware:Cluster:'))).toBe(true);
      expect(p.replicaUid).toMatch(/^urn:veeam:Replica:/);
      expect(p.creationTime.getTime()).toBeLessThanOrEqual(sim.inventory.referenceTime);
      expect(p.replicaState).toBeDefined();
    }
  });

  it('filters VM replica points by VM name through the query service', async () => {
    const [first] = await all(em.listVmReplicaPoints());
    const mine = await all(em.listVmReplicaPoints({ vmDisplayName: first!.vmDisplayName }));
    expect(mine).toHaveLength(sim.inventory.counts.pointsPerReplica);
    expect(mine.every((p) => p.vmReplicaKey === first!.vmReplicaKey)).toBe(true);
    expect(await em.getVmReplicaPoint(first!.id)).toEqual(first);
  });

  it('streams vApp replica points with the vApp, its VMs and its Cloud Director ancestors', async () => {
    const points = await all(em.listVAppReplicaPoints());
    expect(points).toHaveLength(sim.inventory.counts.vAppReplicaPoints);
    for (const p of points) {
      expect(p.hierarchyRefs.map((r) => r.split(':')[2])).toEqual(['VcdSystem', 'Organization', 'OrgVdc', 'Vapp']);
      expect(p.vAppRef).toBe(p.hierarchyRefs.at(-1));
      expect(p.vmRefs.length).toBeGreaterThanOrEqual(2);
    }
    expect(await em.getVAppReplicaPoint(points[0]!.id)).toEqual(points[0]);
  });

  it('navigates CDP replicas to their VMs', async () => {
    const replicas = await all(em.listCdpReplicas());
    expect(replicas).toHaveLength(sim.inventory.counts.cdpReplicas);
    const vmware = replicas.filter((r) => r.platform === 'VMware');
    const vms = await em.listCdpReplicaVms(vmware[0]!.id);
    expect(vms.length).toBeGreaterThan(0);
    expect(vms.every((vm) => vm.cdpReplicaId === vmware[0]!.id && vm.cdpReplicaUid === vmware[0]!.uid)).toBe(true);
    const everyVm = await all(em.listAllCdpReplicaVms());
    expect(everyVm).toHaveLength(sim.inventory.counts.cdpVms);
    expect(await em.getCdpReplicaVm(vms[0]!.cdpReplicaId, vms[0]!.id)).toEqual(vms[0]);
    expect(vms[0]!.hierarchyRefs.at(-1)).toBe(vms[0]!.vmRef);
  });

  it('lists CDP vApps and reads one', async () => {
    const vApps = await all(em.listCdpVApps());
    expect(vApps).toHaveLength(sim.inventory.counts.cdpVApps);
    expect(vApps[0]!.vAppRef).toMatch(/^urn:vCloud:Vapp:/);
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
