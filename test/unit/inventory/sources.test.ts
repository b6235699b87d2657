import { describe, expect, it } from 'vitest';
import type { VbrServerEntry } from '../../../src/config/vbr-servers.js';
import type { CdpReplicaVm, CdpVApp, EmClient, HierarchyRoot, Replica, VAppReplicaPoint, VmReplicaPoint } from '../../../src/em/index.js';
import type { HierarchyRecord } from '../../../src/inventory/sources/hierarchy-read.js';
import { runSourcesStage } from '../../../src/inventory/sources/stage.js';
import { sourceFailure } from '../../../src/inventory/sources/server-facts.js';
import {
  VbrForbiddenError,
  VbrNotImplementedError,
  VbrUnavailableError,
  type VbrClient,
  type VbrInventoryObject,
  type VbrReplica,
  type VbrReplicaPoint,
} from '../../../src/vbr/index.js';

const SERVER = { uid: 'urn:veeam:BackupServer:s1', name: 'vbr-1.lab' };
const VC = 'vc1.lab';
const VCD = 'vcd1.lab';
const ROOTS: HierarchyRoot[] = [
  { id: 'r1', uid: 'urn:veeam:HierarchyRoot:r1', name: VC, hierarchyRootId: 'root-vc', uniqueId: 'vc-uuid', hostType: 'VC', backupServerUid: SERVER.uid },
  { id: 'r2', uid: 'urn:veeam:HierarchyRoot:r2', name: VCD, hierarchyRootId: 'root-vcd', uniqueId: 'vcd-uuid', hostType: 'VcdSystem', backupServerUid: SERVER.uid },
];
const ORG = '11111111-1111-1111-1111-111111111111';
const VDC = '22222222-2222-2222-2222-222222222222';
const VAPP = '33333333-3333-3333-3333-333333333333';
const VAPP_VM = '44444444-4444-4444-4444-444444444444';

const vs = (type: string, name: string, objectId: string | undefined, urn: string): VbrInventoryObject => ({ platform: 'VSphere', hostName: VC, name, type, objectId, urn });
const vcd = (type: string, name: string, objectId: string, urn: string): VbrInventoryObject => ({ platform: 'CloudDirector', hostName: VCD, name, type, objectId, urn });
const HC = `vc:${VC};folder:group-d1;datacenter:datacenter-1;folder:group-h2;clustercomputeresource:domain-c7`;

/** One vCenter and one Cloud Director as the Inventory Browser lists them. */
function inventory(extra: Partial<Record<string, VbrInventoryObject[]>> = {}): Record<string, VbrInventoryObject[]> {
  return {
    'vc1.lab/HostsAndClusters': [
      vs('Cluster', 'Cluster A', 'domain-c7', HC),
      vs('Host', 'esx1', 'host-10', `${HC};hostsystem:host-10`),
      vs('VirtualMachine', 'sql01', 'vm-100', `${HC};hostsystem:host-10;resourcepool:resgroup-5;virtualmachine:vm-100`),
      vs('VirtualMachine', 'web01', 'vm-101', `${HC};hostsystem:host-10;virtualmachine:vm-101`),
      vs('VirtualMachine', 'web01', 'vm-102', `vc:${VC};folder:group-d1;datacenter:datacenter-1;folder:group-h2;clustercomputeresource:domain-c8;hostsystem:host-11;virtualmachine:vm-102`),
      vs('VirtualMachine', 'cdp01', 'vm-200', `${HC};hostsystem:host-10;virtualmachine:vm-200`),
      ...(extra.hc ?? []),
    ],
    'vc1.lab/VmsAndTemplates': [vs('VirtualMachine', 'sql01', 'vm-100', `vc:${VC};folder:group-d1;datacenter:datacenter-1;folder:group-v3;folder:group-v9;virtualmachine:vm-100`)],
    'vc1.lab/VmsAndTags': [
      vs('Tag', 'Gold', 'urn:vmomi:InventoryServiceTag:t1:GLOBAL', `vc:${VC};category:urn:vmomi:InventoryServiceCategory:c1:GLOBAL;tag:urn:vmomi:InventoryServiceTag:t1:GLOBAL`),
      vs('VirtualMachine', 'sql01', 'vm-100', `vc:${VC};category:urn:vmomi:InventoryServiceCategory:c1:GLOBAL;tag:urn:vmomi:InventoryServiceTag:t1:GLOBAL;virtualmachine:vm-100`),
    ],
    'vcd1.lab/VAppsAndVms': [
      vcd('Organization', 'acme', `urn:vcloud:org:${ORG}`, `vcdsystem:${VCD};org:${ORG}`),
      vcd('vApp', 'shop', `urn:vcloud:vapp:${VAPP}`, `vcdsystem:${VCD};org:${ORG};orgvdc:${VDC};vapp:${VAPP}`),
      vcd('VirtualMachine', 'shop-db', `urn:vcloud:vm:${VAPP_VM}`, `vcdsystem:${VCD};org:${ORG};orgvdc:${VDC};vapp:${VAPP};vm:${VAPP_VM}`),
    ],
  };
}

interface FakeWorld {
  logon?: () => Promise<void>;
  license?: () => Promise<{ edition: string }>;
  browse?: (host: string, hierarchyType: string) => VbrInventoryObject[];
  replicas?: VbrReplica[];
  points?: VbrReplicaPoint[];
  includes?: Record<string, string[]>;
}

const unused = (): Promise<never> => Promise.reject(new Error('not called by the sync'));

function fakeClient(world: FakeWorld): VbrClient {
  const objects = inventory();
  async function* pages<T>(items: T[]): AsyncIterable<T[]> {
    yield items;
  }
  return {
    apiRevision: async () => '1.3-rev1',
    logon: world.logon ?? (async () => undefined),
    close: async () => undefined,
    getServerInfo: async () => ({ vbrId: 'x', name: SERVER.name, buildVersion: '13.0' }),
    getLicense: async () => ({ status: 'Valid', ...(await (world.license ?? (async () => ({ edition: 'EnterprisePlus' })))()) }),
    listReplicas: () => pages(world.replicas ?? []),
    listReplicaPoints: () => pages(world.points ?? []),
    getJob: async (id) => ({ id, name: 'job', type: 'VSphereReplica', includes: (world.includes?.[id] ?? []).map((urn) => ({ name: 'inc', type: 'Cluster', hostName: VC, urn })) }),
    listInventoryHosts: () =>
      pages<VbrInventoryObject>([
        { platform: 'VSphere', hostName: VC, name: VC, type: 'vCenterServer', objectId: 'vc-uuid', urn: `vc:${VC}` },
        { platform: 'CloudDirector', hostName: VCD, name: VCD, type: 'CloudDirectorServer', objectId: 'vcd-uuid', urn: `vcdsystem:${VCD}` },
      ]),
    async *browseInventoryPages(host, query) {
      const items = world.browse ? world.browse(host, query.hierarchyType) : (objects[`${host}/${query.hierarchyType}`] ?? []);
      yield { fingerprint: JSON.stringify(items), items: () => items };
    },
    // The sync never changes anything nor follows sessions.
    getReplica: unused,
    startReplicaAction: unused,
    changeFailbackSwitchoverTime: unused,
    getSession: unused,
    listSessions: () => pages([]),
  };
}

const em = { listHierarchyRoots: async () => ROOTS } as unknown as EmClient;
const CONNECTED: VbrServerEntry = { key: SERVER.name, connection: { url: 'https://vbr-1.lab:9419', username: 'u', password: 'p' } };

async function stage(world: FakeWorld, entries: VbrServerEntry[] = [CONNECTED], licenseEdition?: 'Enterprise', previous?: Map<string, HierarchyRecord>) {
  return runSourcesStage({ em, servers: [SERVER], settings: { servers: entries, licenseEdition }, connect: () => fakeClient(world), previous });
}

const job: Replica = { id: 'j1', uid: 'urn:veeam:Replica:j1', name: 'SQL job', platform: 'VMware', backupServerUid: SERVER.uid };
const webJob: Replica = { id: 'j2', uid: 'urn:veeam:Replica:j2', name: 'Web job', platform: 'VMware', backupServerUid: SERVER.uid };
const point = (vm: string, replica: Replica): VmReplicaPoint => ({
  id: `p-${vm}`, uid: `urn:veeam:VmReplicaPoint:p-${vm}`, name: `${vm}@x`, vmDisplayName: vm, creationTime: new Date(0), replicaUid: replica.uid, vmReplicaKey: `${replica.uid}/name:${vm}`,
});
const vbrPoint = (vm: string, replicaId: string, state: string, at: number): VbrReplicaPoint => ({
  id: `${vm}-${at}`, name: vm, platformName: 'VMware', platformId: 'p', creationTime: new Date(at), replicaId, allowedOperations: [], state,
});
const cdpVm: CdpReplicaVm = { id: 'c1', uid: 'urn:veeam:CdpReplicaVm:c1', name: 'cdp01', cdpReplicaId: 'cp', vmRef: 'urn:VMware:Vm:root-vc.vm-200' };
const cdpVApp: CdpVApp = { id: 'v1', uid: 'urn:veeam:VAppCdpReplica:v1', name: 'shop', vAppRef: `urn:vCloud:Vapp:root-vcd.urn:vcloud:vapp:${VAPP}` };
const vAppPoint: VAppReplicaPoint = {
  id: 'vp', uid: 'urn:veeam:VAppReplicaPoint:vp', name: 'shop@x', vAppDisplayName: 'shop', vAppName: 'shop', creationTime: new Date(0), replicaUid: 'urn:veeam:Replica:j3', vAppReplicaKey: 'k',
};
const REPLICAS: VbrReplica[] = [{ id: 'j1', type: 'Regular', jobId: 'job-1', name: 'SQL job', platformName: 'VMware', state: 'Ready' }];

describe('the sources stage', () => {
  it('places every kind from the Inventory Browser with EM refs of every ancestor, and reads edition and state from VBR', async () => {
    const s = await stage({ replicas: REPLICAS, points: [vbrPoint('sql01', 'j1', 'Ready', 1), vbrPoint('sql01', 'j1', 'Failover', 2)] });
    const facts = s.facts.get(SERVER.uid)!;
    expect(facts.edition).toMatchObject({ value: 'ENTERPRISE_PLUS', source: 'VBR_LICENSE' });
    const vm = s.join.vmReplica(point('sql01', job), job, SERVER.uid);
    expect(vm.state).toBe('Failover');
    expect(vm.vbrReplicaId).toBe('j1');
    expect(vm.objectRef).toBe('urn:VMware:Vm:root-vc.vm-100');
    expect(vm.refs).toEqual(
      expect.arrayContaining([
        'urn:VMware:Vc:root-vc.root-vc',
        'urn:VMware:Datacenter:root-vc.datacenter-1',
        'urn:VMware:Cluster:root-vc.domain-c7',
        'urn:VMware:Host:root-vc.host-10',
        'urn:VMware:ResourcePool:root-vc.resgroup-5',
        'urn:VMware:Folder:root-vc.group-v9',
        'urn:VMware:Category:root-vc.urn:vmomi:InventoryServiceCategory:c1:GLOBAL',
        'urn:VMware:Tag:root-vc.urn:vmomi:InventoryServiceTag:t1:GLOBAL',
      ]),
    );
    expect(vm.refs.at(-1)).toBe('urn:VMware:Vm:root-vc.vm-100');
    expect(s.join.cdpVm(cdpVm, SERVER.uid).refs).toContain('urn:VMware:Cluster:root-vc.domain-c7');
    const vApp = s.join.vAppReplica(vAppPoint, SERVER.uid);
    expect(vApp.refs).toEqual([
      'urn:vCloud:VcdSystem:root-vcd.root-vcd',
      `urn:vCloud:Organization:root-vcd.urn:vcloud:org:${ORG}`,
      `urn:vCloud:OrgVdc:root-vcd.urn:vcloud:vdc:${VDC}`,
      `urn:vCloud:Vapp:root-vcd.urn:vcloud:vapp:${VAPP}`,
    ]);
    expect(vApp.memberVmRefs).toEqual([`urn:vCloud:Vm:root-vcd.urn:vcloud:vm:${VAPP_VM}`]);
    expect(s.join.cdpVApp(cdpVApp, SERVER.uid).refs).toEqual(vApp.refs);
    expect(s.join.matchCounts(SERVER.uid)).toMatchObject({ matched: 4, unmatched: 0 });
    expect(facts.index!.containers.get('urn:VMware:Cluster:root-vc.domain-c7')?.name).toBe('Cluster A');
  });

  it('tells same-named VMs apart by the replication job\'s includes, and leaves them unmatched when it cannot', async () => {
    const replicas: VbrReplica[] = [{ id: 'j2', type: 'Regular', jobId: 'job-2', name: 'Web job', platformName: 'VMware', state: 'Ready' }];
    const points = [vbrPoint('web01', 'j2', 'Ready', 1)];
    const told = await stage({ replicas, points, includes: { 'job-2': [`${HC}`] } });
    expect(told.join.vmReplica(point('web01', webJob), webJob, SERVER.uid).objectRef).toBe('urn:VMware:Vm:root-vc.vm-101');
    const untold = await stage({ replicas, points, includes: { 'job-2': [`vc:${VC}`] } });
    const placement = untold.join.vmReplica(point('web01', webJob), webJob, SERVER.uid);
    expect(placement.refs).toEqual([]);
    expect(untold.join.matchCounts(SERVER.uid).unmatchedNames[0]).toMatch(/web01: 2 VMs of that name/);
  });

  it('without VBR access: the edition from LICENSE_EDITION or unknown with what to configure; CDP objects keep EM\'s own ref only', async () => {
    const stated = await stage({}, [], 'Enterprise');
    expect(stated.facts.get(SERVER.uid)!.edition).toMatchObject({ value: 'ENTERPRISE', source: 'SETTING' });
    const none = await stage({}, []);
    const facts = none.facts.get(SERVER.uid)!;
    expect(facts.edition.value).toBe('UNKNOWN');
    expect(facts.edition.detail).toMatch(/^edition unknown: give the gateway VBR access to backup server vbr-1\.lab .* or set LICENSE_EDITION/);
    expect(none.join.cdpVm(cdpVm, SERVER.uid)).toMatchObject({ refs: [cdpVm.vmRef], state: null });
    expect(none.join.vmReplica(point('sql01', job), job, SERVER.uid)).toMatchObject({ refs: [], state: null });
    expect(sourceFailure(facts)).toBeUndefined();
  });

  it('a server that does not answer: every source failed for now, so its rows are kept and it is marked stale', async () => {
    const s = await stage({ logon: async () => Promise.reject(new VbrUnavailableError('connection refused')) });
    const facts = s.facts.get(SERVER.uid)!;
    expect(facts.reachable).toBe(false);
    expect(sourceFailure(facts)).toMatch(/did not answer/);
    expect(facts.edition.source).toBe('UNKNOWN');
  });

  it('an account without the Backup Administrator role, or a VBR too old: a named, lasting gap, no wrong grant', async () => {
    const s = await stage({
      license: async () => Promise.reject(new VbrForbiddenError('AccessDenied')),
      browse: () => {
        throw new VbrNotImplementedError('needs 1.2-rev1');
      },
      replicas: REPLICAS,
      points: [vbrPoint('sql01', 'j1', 'Ready', 1)],
    }, [CONNECTED], 'Enterprise');
    const facts = s.facts.get(SERVER.uid)!;
    expect(facts.license.error).toMatch(/lacks the Backup Administrator role/);
    expect(facts.edition).toMatchObject({ value: 'ENTERPRISE', source: 'SETTING' });
    expect(facts.hierarchy.error).toMatch(/does not have it \(needs a newer VBR\)/);
    expect(sourceFailure(facts)).toBeUndefined();
    // The state still comes from VBR; the hierarchy does not, so nothing is placed.
    expect(s.join.vmReplica(point('sql01', job), job, SERVER.uid)).toMatchObject({ refs: [], state: 'Ready' });
  });

  it('an unknown urn segment is a gap: the object is not placed and its replica is unmatched, never widened', async () => {
    const odd = vs('VirtualMachine', 'odd01', 'vm-300', `vc:${VC};folder:group-d1;datacenter:datacenter-1;storagepod:group-p1;virtualmachine:vm-300`);
    const s = await stage({ browse: (host, type) => [...(inventory({ hc: [odd] })[`${host}/${type}`] ?? [])] });
    const facts = s.facts.get(SERVER.uid)!;
    expect(facts.index!.gaps.some((g) => g.includes('odd01') && g.includes('storagepod'))).toBe(true);
    expect(s.join.vmReplica(point('odd01', job), job, SERVER.uid).refs).toEqual([]);
    expect(s.join.matchCounts(SERVER.uid).unmatched).toBe(1);
  });

  it('a urn whose host EM does not know is a gap, not a guess', async () => {
    const stranger = { ...vs('VirtualMachine', 'far01', 'vm-9', `vc:other.lab;virtualmachine:vm-9`), hostName: 'other.lab' };
    const s = await stage({ browse: (host, type) => [...(inventory({ hc: [stranger] })[`${host}/${type}`] ?? [])] });
    expect(s.facts.get(SERVER.uid)!.index!.gaps.some((g) => g.includes('far01') && g.includes('no hierarchy root named other.lab'))).toBe(true);
  });

  it('a listing page for page as the previous read builds no index until an EM object must be placed; a changed page has it read in full', async () => {
    const world: FakeWorld = { replicas: REPLICAS, points: [vbrPoint('sql01', 'j1', 'Ready', 1)] };
    const first = await stage(world);
    const again = await stage(world, [CONNECTED], undefined, first.records);
    const facts = again.facts.get(SERVER.uid)!;
    expect(facts.index).toBeUndefined();
    expect(again.digest).toBe(first.digest);
    expect(facts.hierarchyListed).toBe(first.facts.get(SERVER.uid)!.index!.listed);
    // Never an empty placement for an unbuilt hierarchy: the join refuses until it is built.
    expect(() => again.join.vmReplica(point('sql01', job), job, SERVER.uid)).toThrow(/not built/);
    await again.ready(SERVER.uid);
    expect(again.join.vmReplica(point('sql01', job), job, SERVER.uid).refs).toEqual(first.join.vmReplica(point('sql01', job), job, SERVER.uid).refs);

    const moved = vs('VirtualMachine', 'sql01', 'vm-100', `${HC};hostsystem:host-11;virtualmachine:vm-100`);
    const changed = await stage({ ...world, browse: (host, type) => (type === 'HostsAndClusters' ? [...inventory()[`${host}/${type}`]!.filter((o) => o.objectId !== 'vm-100'), moved] : (inventory()[`${host}/${type}`] ?? [])) }, [CONNECTED], undefined, first.records);
    expect(changed.facts.get(SERVER.uid)!.index).toBeDefined();
    expect(changed.digest).not.toBe(first.digest);
    expect(changed.join.vmReplica(point('sql01', job), job, SERVER.uid).refs).toContain('urn:VMware:Host:root-vc.host-11');
  });

  it('an EM object to place builds the hierarchy of its own server only, once, not every unchanged server\'s', async () => {
    const other = { uid: 'urn:veeam:BackupServer:s2', name: 'vbr-2.lab' };
    const otherRoots = ROOTS.map((r) => ({ ...r, id: `${r.id}-2`, uid: `${r.uid}-2`, hierarchyRootId: `${r.hierarchyRootId}-2`, backupServerUid: other.uid }));
    const entries: VbrServerEntry[] = [CONNECTED, { key: other.name, connection: { url: 'https://vbr-2.lab:9419', username: 'u', password: 'p' } }];
    const browsed = new Map<string, number>();
    const world: FakeWorld = { replicas: REPLICAS, points: [vbrPoint('sql01', 'j1', 'Ready', 1)] };
    const run = (previous?: Map<string, HierarchyRecord>) =>
      runSourcesStage({
        em: { listHierarchyRoots: async () => [...ROOTS, ...otherRoots] } as unknown as EmClient,
        servers: [SERVER, other],
        settings: { servers: entries },
        connect: (endpoint) => {
          const client = fakeClient(world);
          const browse = client.browseInventoryPages.bind(client);
          client.browseInventoryPages = (host, query) => {
            browsed.set(endpoint.url, (browsed.get(endpoint.url) ?? 0) + 1);
            return browse(host, query);
          };
          return client;
        },
        previous,
      });
    const first = await run();
    const again = await run(first.records);
    expect([...again.facts.values()].map((f) => f.index)).toEqual([undefined, undefined]);
    browsed.clear();
    await Promise.all([again.ready(SERVER.uid), again.ready(SERVER.uid)]);
    expect(again.facts.get(SERVER.uid)!.index).toBeDefined();
    expect(again.facts.get(other.uid)!.index).toBeUndefined();
    // One read of the server's four listings, however many objects asked for it.
    expect(Object.fromEntries(browsed)).toEqual({ 'https://vbr-1.lab:9419': 4 });
    expect(again.join.vmReplica(point('sql01', job), job, SERVER.uid).objectRef).toBe('urn:VMware:Vm:root-vc.vm-100');
    expect(() => again.join.vmReplica(point('sql01', job), job, other.uid)).toThrow(/vbr-2\.lab is not built/);
    await again.ready(other.uid);
    expect(again.facts.get(other.uid)!.index).toBeDefined();
  });
});
