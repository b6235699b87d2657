import { hash, pick } from './hash.js';
import { guid, Tag } from './ids.js';
import type { HierarchyNode } from './inventory-types.js';
import { joinUrn, segmentRef, URN_TOKENS, type UrnPlatform } from './urn.js';

/**
 * Where a generated VM or vApp sits in its backup server's vCenter and Cloud
 * Director trees, and what each container is called. Everything is a pure
 * function of (seed, server, object number): nothing is stored per object.
 * A place is a urn path (see urn.ts); the EM refs are derived from the same
 * paths, so EM's refs and VBR's urns agree by construction.
 */
export interface HierarchyShape {
  datacenters: number;
  clustersPerDatacenter: number;
  hostsPerCluster: number;
  poolsPerHost: number;
  foldersPerDatacenter: number;
  subfoldersPerFolder: number;
  categories: number;
  tags: number;
  organizations: number;
  vdcsPerOrganization: number;
}

/** One segment of a path, with what VBR's inventory says of the object it ends at. */
export interface PathNode {
  token: string;
  value: string;
  name: string;
  /** EVmwareInventoryType or ECloudDirectorInventoryType. */
  type: string;
  objectId: string;
}

/** An object of a tree: its path and what both faces show of it. */
export interface TreeObject {
  urn: string;
  name: string;
  type: string;
  objectId: string;
  /** EM ref (`urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>`). */
  ref: string;
  emType: string;
  parentRef?: string;
}

export type VsphereHierarchy = 'HostsAndClusters' | 'VmsAndTemplates' | 'VmsAndTags';
export const VSPHERE_HIERARCHIES: readonly VsphereHierarchy[] = ['HostsAndClusters', 'VmsAndTemplates', 'VmsAndTags'];
export const VCD_HIERARCHY = 'VAppsAndVms';

const TAG_NAMES = ['Production', 'Gold', 'Silver', 'PCI', 'Linux', 'Windows', 'Tier-1', 'Tier-2'];
const CATEGORY_NAMES = ['Environment', 'Service level', 'Compliance', 'Operating system'];
const ORG_NAMES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];

// ---- hosts --------------------------------------------------------------------------

/** EM's HierarchyRootId of the backup server's vCenter (a Veeam id, not the vCenter's). */
export function vcenterRoot(seed: number, server: number): string {
  return guid(seed, Tag.VcenterRoot, server);
}

export function vcdRoot(seed: number, server: number): string {
  return guid(seed, Tag.VcdRoot, server);
}

export function vcenterHost(server: number): string {
  return `vcsa-${server + 1}.lab.local`;
}

export function vcdHost(server: number): string {
  return `vcd-${server + 1}.lab.local`;
}

/** The vCenter's instance UUID: EM's UniqueId, VBR's objectId of the vCenter. */
export function vcenterInstanceUuid(seed: number, server: number): string {
  return guid(seed, Tag.VcenterInstance, server);
}

/** The Cloud Director's id: EM's UniqueId, VBR's objectId of the Cloud Director server. */
export function vcdInstanceId(seed: number, server: number): string {
  return guid(seed, Tag.VcdInstance, server);
}

// ---- paths to objects -----------------------------------------------------------------

export function treeObject(path: readonly PathNode[], root: string): TreeObject {
  const last = path[path.length - 1]!;
  const platform: UrnPlatform = URN_TOKENS[path[0]!.token]!.platform;
  const ref = segmentRef(last, root, platform);
  const parent = path.length > 1 ? segmentRef(path[path.length - 2]!, root, platform) : undefined;
  return {
    urn: joinUrn(path),
    name: last.name,
    type: last.type,
    objectId: last.objectId,
    ref,
    emType: URN_TOKENS[last.token]!.emType,
    ...(parent === undefined ? {} : { parentRef: parent }),
  };
}

/** The EM refs of a set of paths to one object: every segment once, in first-seen order (root first, the object last). */
export function refsOfPaths(paths: ReadonlyArray<readonly PathNode[]>, root: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const platform: UrnPlatform = URN_TOKENS[paths[0]![0]!.token]!.platform;
  for (const path of paths) {
    for (const node of path.slice(0, -1)) {
      const ref = segmentRef(node, root, platform);
      if (!seen.has(ref)) out.push(ref);
      seen.add(ref);
    }
  }
  out.push(segmentRef(paths[0]![paths[0]!.length - 1]!, root, platform));
  return out;
}

// ---- vSphere ---------------------------------------------------------------------------

/** A replication job whose VMs all sit in one VM folder of their own (the job includes the folder, not the VMs). */
export interface JobFolder {
  job: number;
  name: string;
}

/** Every fourth VM replication job includes a folder instead of VMs. */
export function isFolderJob(job: number): boolean {
  return job % 4 === 3;
}

export interface VmPlacement {
  server: number;
  vmNumber: number;
  datacenter: number;
  /** d*100 + cluster number in the datacenter. */
  cluster: number;
  /** cluster*10 + host number in the cluster. */
  host: number;
  /** host*10 + pool number on the host. */
  pool: number;
  /** d*100 + folder number in the datacenter. */
  folder: number;
  /** Subfolder of `folder`, or undefined when the VM sits in `folder` itself. */
  subfolder?: number;
  jobFolder?: JobFolder;
  /** Tag numbers (one, or two for about a third of the VMs). */
  tags: number[];
}

function jobFolderDatacenter(seed: number, shape: HierarchyShape, job: number): number {
  return pick(shape.datacenters, seed, 19, job);
}

export function vmPlacement(seed: number, shape: HierarchyShape, server: number, vmNumber: number, jobFolder?: JobFolder): VmPlacement {
  const datacenter = jobFolder ? jobFolderDatacenter(seed, shape, jobFolder.job) : pick(shape.datacenters, seed, 11, vmNumber);
  const cluster = datacenter * 100 + pick(shape.clustersPerDatacenter, seed, 12, vmNumber);
  const host = cluster * 10 + pick(shape.hostsPerCluster, seed, 13, vmNumber);
  const pool = host * 10 + pick(shape.poolsPerHost, seed, 14, vmNumber);
  const folder = datacenter * 100 + pick(shape.foldersPerDatacenter, seed, 15, vmNumber);
  const sub = pick(shape.subfoldersPerFolder + 1, seed, 20, vmNumber);
  const tags = [pick(shape.tags, seed, 16, vmNumber)];
  // About a third of the VMs carry a second tag, so tag scopes overlap.
  if (pick(3, seed, 17, vmNumber) === 0) {
    const second = pick(shape.tags, seed, 18, vmNumber);
    if (second !== tags[0]) tags.push(second);
  }
  return {
    server,
    vmNumber,
    datacenter,
    cluster,
    host,
    pool,
    folder,
    ...(sub < shape.subfoldersPerFolder ? { subfolder: sub } : {}),
    ...(jobFolder ? { jobFolder } : {}),
    tags,
  };
}

const node = (token: string, value: string, name: string, type: string, objectId = value): PathNode => ({ token, value, name, type, objectId });

function vcNode(server: number, seed: number): PathNode {
  return node('vc', vcenterHost(server), vcenterHost(server), 'vCenterServer', vcenterInstanceUuid(seed, server));
}

function datacenterPath(seed: number, server: number, d: number): PathNode[] {
  return [vcNode(server, seed), node('folder', 'group-d1', 'Datacenters', 'Folder'), node('datacenter', `datacenter-${d + 1}`, `DC${d + 1}`, 'Datacenter')];
}

function clusterPath(seed: number, server: number, c: number): PathNode[] {
  const d = Math.floor(c / 100);
  return [
    ...datacenterPath(seed, server, d),
    node('folder', `group-h${d + 1}`, 'host', 'Folder'),
    node('clustercomputeresource', `domain-c${c + 1}`, `Cluster ${d + 1}.${(c % 100) + 1}`, 'Cluster'),
  ];
}

function hostPath(seed: number, server: number, h: number): PathNode[] {
  return [...clusterPath(seed, server, Math.floor(h / 10)), node('hostsystem', `host-${h + 1}`, `esx${h + 1}.lab.local`, 'Host')];
}

function poolPath(seed: number, server: number, p: number): PathNode[] {
  const h = Math.floor(p / 10);
  return [...hostPath(seed, server, h), node('resourcepool', `resgroup-${p + 1}`, `Pool ${h + 1}.${(p % 10) + 1}`, 'ResourcePool')];
}

function vmRootFolderPath(seed: number, server: number, d: number): PathNode[] {
  return [...datacenterPath(seed, server, d), node('folder', `group-v${d + 1}`, 'vm', 'Folder')];
}

function folderPath(seed: number, server: number, f: number): PathNode[] {
  const d = Math.floor(f / 100);
  return [...vmRootFolderPath(seed, server, d), node('folder', `group-v${1000 + f}`, `Folder ${d + 1}.${(f % 100) + 1}`, 'Folder')];
}

function subfolderPath(seed: number, server: number, f: number, s: number): PathNode[] {
  const d = Math.floor(f / 100);
  return [...folderPath(seed, server, f), node('folder', `group-v${10_000 + f * 10 + s}`, `Folder ${d + 1}.${(f % 100) + 1}.${s + 1}`, 'Folder')];
}

function jobFolderPath(seed: number, shape: HierarchyShape, server: number, jf: JobFolder): PathNode[] {
  return [...vmRootFolderPath(seed, server, jobFolderDatacenter(seed, shape, jf.job)), node('folder', `group-v${100_000 + jf.job}`, `${jf.name} VMs`, 'Folder')];
}

function categoryOf(shape: HierarchyShape, t: number): number {
  return t % shape.categories;
}

function categoryPath(seed: number, server: number, k: number): PathNode[] {
  const id = `urn:vmomi:InventoryServiceCategory:${guid(seed, Tag.VsphereCategory, server * 64 + k)}:GLOBAL`;
  return [vcNode(server, seed), node('category', id, CATEGORY_NAMES[k % CATEGORY_NAMES.length]! + (k >= CATEGORY_NAMES.length ? ` ${k + 1}` : ''), 'Category')];
}

function tagPath(seed: number, shape: HierarchyShape, server: number, t: number): PathNode[] {
  const id = `urn:vmomi:InventoryServiceTag:${guid(seed, Tag.VsphereTag, server * 64 + t)}:GLOBAL`;
  return [...categoryPath(seed, server, categoryOf(shape, t)), node('tag', id, TAG_NAMES[t % TAG_NAMES.length]! + (t >= TAG_NAMES.length ? ` ${t + 1}` : ''), 'Tag')];
}

/** The last segment of each of a VM's paths. */
function vmNode(place: VmPlacement, name: string): PathNode {
  return node('virtualmachine', `vm-${place.vmNumber + 1000}`, name, 'VirtualMachine');
}

/** The VM's paths in one hierarchy (VmsAndTags: one per tag). */
export function vmPaths(seed: number, shape: HierarchyShape, place: VmPlacement, name: string, hierarchy: VsphereHierarchy): PathNode[][] {
  const vm = vmNode(place, name);
  switch (hierarchy) {
    case 'HostsAndClusters':
      return [[...poolPath(seed, place.server, place.pool), vm]];
    case 'VmsAndTemplates': {
      const container = place.jobFolder
        ? jobFolderPath(seed, shape, place.server, place.jobFolder)
        : place.subfolder === undefined
          ? folderPath(seed, place.server, place.folder)
          : subfolderPath(seed, place.server, place.folder, place.subfolder);
      return [[...container, vm]];
    }
    case 'VmsAndTags':
      return place.tags.map((t) => [...tagPath(seed, shape, place.server, t), vm]);
  }
}

/** EM refs (root first, the VM last) of a placed VM: every container of all its paths. */
export function vsphereVmRefs(seed: number, shape: HierarchyShape, place: VmPlacement): string[] {
  const paths = VSPHERE_HIERARCHIES.flatMap((h) => vmPaths(seed, shape, place, '', h));
  return refsOfPaths(paths, vcenterRoot(seed, place.server));
}

/** The EM ref of a placed VM itself: the last of its vsphereVmRefs, without building its containers' paths. */
export function vsphereVmRef(seed: number, place: VmPlacement): string {
  return segmentRef(vmNode(place, ''), vcenterRoot(seed, place.server), 'VMware');
}

/** The job folder's path (what a folder job includes). */
export function jobFolderObject(seed: number, shape: HierarchyShape, server: number, jf: JobFolder): TreeObject {
  return treeObject(jobFolderPath(seed, shape, server, jf), vcenterRoot(seed, server));
}

/** Container paths of one vCenter hierarchy, parents before children. */
export function vsphereContainerPaths(seed: number, shape: HierarchyShape, server: number, hierarchy: VsphereHierarchy, jobFolders: readonly JobFolder[]): PathNode[][] {
  const out: PathNode[][] = [];
  if (hierarchy === 'VmsAndTags') {
    for (let k = 0; k < shape.categories; k++) {
      out.push(categoryPath(seed, server, k));
      for (let t = k; t < shape.tags; t += shape.categories) out.push(tagPath(seed, shape, server, t));
    }
    return out;
  }
  out.push(datacenterPath(seed, server, 0).slice(0, 2));
  for (let d = 0; d < shape.datacenters; d++) {
    out.push(datacenterPath(seed, server, d));
    if (hierarchy === 'HostsAndClusters') {
      out.push(clusterPath(seed, server, d * 100).slice(0, -1));
      for (let ci = 0; ci < shape.clustersPerDatacenter; ci++) {
        const c = d * 100 + ci;
        out.push(clusterPath(seed, server, c));
        for (let hi = 0; hi < shape.hostsPerCluster; hi++) {
          const h = c * 10 + hi;
          out.push(hostPath(seed, server, h));
          for (let p = 0; p < shape.poolsPerHost; p++) out.push(poolPath(seed, server, h * 10 + p));
        }
      }
    } else {
      out.push(vmRootFolderPath(seed, server, d));
      for (let fi = 0; fi < shape.foldersPerDatacenter; fi++) {
        const f = d * 100 + fi;
        out.push(folderPath(seed, server, f));
        for (let s = 0; s < shape.subfoldersPerFolder; s++) out.push(subfolderPath(seed, server, f, s));
      }
      for (const jf of jobFolders) if (jobFolderDatacenter(seed, shape, jf.job) === d) out.push(jobFolderPath(seed, shape, server, jf));
    }
  }
  return out;
}

// ---- Cloud Director -------------------------------------------------------------------

function vcdId(seed: number, server: number, kind: number, n: number): string {
  return guid(seed, Tag.VcdObject, n, server * 16 + kind);
}

function vcdSystemNode(seed: number, server: number): PathNode {
  return node('vcdsystem', vcdHost(server), vcdHost(server), 'CloudDirectorServer', vcdInstanceId(seed, server));
}

function orgPath(seed: number, server: number, o: number): PathNode[] {
  const id = vcdId(seed, server, 1, o);
  const name = ORG_NAMES[o % ORG_NAMES.length]! + (o >= ORG_NAMES.length ? `-${o}` : '');
  return [vcdSystemNode(seed, server), node('org', id, name, 'Organization', `urn:vcloud:org:${id}`)];
}

function vdcPath(seed: number, server: number, v: number): PathNode[] {
  const o = Math.floor(v / 100);
  const id = vcdId(seed, server, 2, v);
  return [...orgPath(seed, server, o), node('orgvdc', id, `vdc-${o + 1}-${(v % 100) + 1}`, 'OrganizationVDC', `urn:vcloud:vdc:${id}`)];
}

/** Path of Cloud Director vApp number `vAppNumber` (named `name`) on `server`. */
export function vAppPath(seed: number, shape: HierarchyShape, server: number, vAppNumber: number, name: string): PathNode[] {
  const o = pick(shape.organizations, seed, 21, vAppNumber);
  const v = o * 100 + pick(shape.vdcsPerOrganization, seed, 22, vAppNumber);
  const id = vcdId(seed, server, 3, vAppNumber);
  return [...vdcPath(seed, server, v), node('vapp', id, name, 'vApp', `urn:vcloud:vapp:${id}`)];
}

/** Member VMs of a vApp: two to four. */
export function vAppVmCount(seed: number, vAppNumber: number): number {
  return 2 + pick(3, seed, 23, vAppNumber);
}

/** Path of member VM `i` of a vApp whose own path is `vApp`. */
export function vAppVmPath(seed: number, server: number, vApp: readonly PathNode[], vAppNumber: number, i: number): PathNode[] {
  const id = vcdId(seed, server, 4, vAppNumber * 8 + i);
  return [...vApp, node('vm', id, `${vApp[vApp.length - 1]!.name}-vm${i + 1}`, 'VirtualMachine', `urn:vcloud:vm:${id}`)];
}

/** EM refs (system first, the vApp last) of a vApp path. */
export function vcdVAppRefs(seed: number, server: number, vApp: readonly PathNode[]): string[] {
  return refsOfPaths([vApp], vcdRoot(seed, server));
}

/** The EM ref of the vApp itself: the last of its vcdVAppRefs. */
export function vcdVAppRef(seed: number, server: number, vApp: readonly PathNode[]): string {
  return segmentRef(vApp[vApp.length - 1]!, vcdRoot(seed, server), 'vCloud');
}

/** Member VM refs of a vApp. */
export function vcdVAppVmRefs(seed: number, server: number, vApp: readonly PathNode[], vAppNumber: number): string[] {
  const root = vcdRoot(seed, server);
  return Array.from({ length: vAppVmCount(seed, vAppNumber) }, (_, i) => treeObject(vAppVmPath(seed, server, vApp, vAppNumber, i), root).ref);
}

export function vcdContainerPaths(seed: number, shape: HierarchyShape, server: number): PathNode[][] {
  const out: PathNode[][] = [];
  for (let o = 0; o < shape.organizations; o++) {
    out.push(orgPath(seed, server, o));
    for (let vi = 0; vi < shape.vdcsPerOrganization; vi++) out.push(vdcPath(seed, server, o * 100 + vi));
  }
  return out;
}

// ---- EM's view of all containers (GET /admin/hierarchy, demo scopes) ---------------------

/** Every container node of one backup server's trees, roots included (small: used by tests and demos). */
export function hierarchyNodes(seed: number, shape: HierarchyShape, server: number, jobFolders: readonly JobFolder[]): HierarchyNode[] {
  const vcRoot = vcenterRoot(seed, server);
  const nodes: HierarchyNode[] = [];
  const seen = new Set<string>();
  const add = (path: PathNode[], root: string): void => {
    const o = treeObject(path, root);
    if (seen.has(o.ref)) return;
    seen.add(o.ref);
    nodes.push({ ref: o.ref, name: o.name, type: o.emType, ...(o.parentRef === undefined ? {} : { parentRef: o.parentRef }) });
  };
  add([vcNode(server, seed)], vcRoot);
  for (const h of VSPHERE_HIERARCHIES) for (const path of vsphereContainerPaths(seed, shape, server, h, jobFolders)) add(path, vcRoot);
  const vRoot = vcdRoot(seed, server);
  add([vcdSystemNode(seed, server)], vRoot);
  for (const path of vcdContainerPaths(seed, shape, server)) add(path, vRoot);
  return nodes;
}

/** Used to vary names deterministically. */
export function nameWord(seed: number, salt: number, n: number): string {
  return WORDS[hash(seed, salt, n) % WORDS.length]!;
}

const WORDS = ['sql', 'web', 'app', 'dc', 'exch', 'file', 'erp', 'crm', 'db', 'api', 'mail', 'build', 'log', 'mon', 'cache', 'proxy'];
