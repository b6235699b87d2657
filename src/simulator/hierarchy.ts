import { hash, pick } from './hash.js';
import { guid, Tag } from './ids.js';
import type { HierarchyNode } from './inventory-types.js';

/**
 * Where a generated VM or vApp sits in its vSphere or Cloud Director tree, as
 * EM's HierarchyObjRef strings: `urn:<Platform>:<Type>:<HierarchyRootId>.<ref>`.
 * Placement is a pure function of (seed, server, object number), like the rest
 * of the inventory.
 */
export interface HierarchyShape {
  datacenters: number;
  clustersPerDatacenter: number;
  hostsPerCluster: number;
  poolsPerCluster: number;
  foldersPerDatacenter: number;
  tags: number;
  organizations: number;
  vdcsPerOrganization: number;
}

const TAG_NAMES = ['Production', 'Gold', 'Silver', 'PCI', 'Linux', 'Windows', 'Tier-1', 'Tier-2'];
const ORG_NAMES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];

export function vcenterRoot(seed: number, server: number): string {
  return guid(seed, Tag.VcenterRoot, server);
}

export function vcdRoot(seed: number, server: number): string {
  return guid(seed, Tag.VcdRoot, server);
}

const vs = (root: string, type: string, ref: string): string => `urn:VMware:${type}:${root}.${ref}`;
const vcd = (root: string, type: string, ref: string): string => `urn:vCloud:${type}:${root}.${ref}`;

function vsphereTagRef(seed: number, root: string, server: number, t: number): string {
  return vs(root, 'Tag', `urn:vmomi:InventoryServiceTag:${guid(seed, Tag.VsphereTag, server * 64 + t)}:GLOBAL`);
}

/** Refs (root first, the VM last) of vSphere VM number `vmNumber` on backup server `server`. */
export function vsphereVmRefs(seed: number, shape: HierarchyShape, server: number, vmNumber: number): string[] {
  const root = vcenterRoot(seed, server);
  const d = pick(shape.datacenters, seed, 11, vmNumber);
  const c = d * 100 + pick(shape.clustersPerDatacenter, seed, 12, vmNumber);
  const h = c * 10 + pick(shape.hostsPerCluster, seed, 13, vmNumber);
  const p = c * 10 + pick(shape.poolsPerCluster, seed, 14, vmNumber);
  const f = d * 100 + pick(shape.foldersPerDatacenter, seed, 15, vmNumber);
  const refs = [
    vs(root, 'Vc', root),
    vs(root, 'Datacenter', `datacenter-${d + 1}`),
    vs(root, 'Cluster', `domain-c${c + 1}`),
    vs(root, 'Host', `host-${h + 1}`),
    vs(root, 'ResourcePool', `resgroup-${p + 1}`),
    vs(root, 'Folder', `group-v${f + 1}`),
    vsphereTagRef(seed, root, server, pick(shape.tags, seed, 16, vmNumber)),
  ];
  // About a third of the VMs carry a second tag, so tag scopes overlap.
  if (pick(3, seed, 17, vmNumber) === 0) {
    const second = vsphereTagRef(seed, root, server, pick(shape.tags, seed, 18, vmNumber));
    if (!refs.includes(second)) refs.push(second);
  }
  refs.push(vs(root, 'Vm', `vm-${vmNumber + 1000}`));
  return refs;
}

function vcdId(seed: number, server: number, kind: number, n: number): string {
  return guid(seed, Tag.VcdObject, n, server * 16 + kind);
}

/** Refs (system first, the vApp last) of Cloud Director vApp number `vAppNumber` on `server`. */
export function vcdVAppRefs(seed: number, shape: HierarchyShape, server: number, vAppNumber: number): string[] {
  const root = vcdRoot(seed, server);
  const o = pick(shape.organizations, seed, 21, vAppNumber);
  const v = o * 100 + pick(shape.vdcsPerOrganization, seed, 22, vAppNumber);
  return [
    vcd(root, 'VcdSystem', root),
    vcd(root, 'Organization', `urn:vcloud:org:${vcdId(seed, server, 1, o)}`),
    vcd(root, 'OrgVdc', `urn:vcloud:vdc:${vcdId(seed, server, 2, v)}`),
    vcd(root, 'Vapp', `urn:vcloud:vapp:${vcdId(seed, server, 3, vAppNumber)}`),
  ];
}

/** Member VM refs of a vApp: two to four VMs. */
export function vcdVAppVmRefs(seed: number, server: number, vAppNumber: number): string[] {
  const root = vcdRoot(seed, server);
  const count = 2 + pick(3, seed, 23, vAppNumber);
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    refs.push(vcd(root, 'Vm', `urn:vcloud:vm:${vcdId(seed, server, 4, vAppNumber * 8 + i)}`));
  }
  return refs;
}

/** Every container node of one backup server's trees (small: used by tests and demos, not by the API). */
export function hierarchyNodes(seed: number, shape: HierarchyShape, server: number): HierarchyNode[] {
  const nodes: HierarchyNode[] = [];
  const root = vcenterRoot(seed, server);
  const vc = vs(root, 'Vc', root);
  nodes.push({ ref: vc, name: `vcsa-${server + 1}.lab.local`, type: 'Vc' });
  for (let t = 0; t < shape.tags; t++) {
    nodes.push({ ref: vsphereTagRef(seed, root, server, t), name: TAG_NAMES[t % TAG_NAMES.length]!, type: 'Tag', parentRef: vc });
  }
  for (let d = 0; d < shape.datacenters; d++) {
    const dc = vs(root, 'Datacenter', `datacenter-${d + 1}`);
    nodes.push({ ref: dc, name: `DC${d + 1}`, type: 'Datacenter', parentRef: vc });
    for (let f = 0; f < shape.foldersPerDatacenter; f++) {
      nodes.push({ ref: vs(root, 'Folder', `group-v${d * 100 + f + 1}`), name: `Folder ${d + 1}.${f + 1}`, type: 'Folder', parentRef: dc });
    }
    for (let ci = 0; ci < shape.clustersPerDatacenter; ci++) {
      const c = d * 100 + ci;
      const cluster = vs(root, 'Cluster', `domain-c${c + 1}`);
      nodes.push({ ref: cluster, name: `Cluster ${d + 1}.${ci + 1}`, type: 'Cluster', parentRef: dc });
      for (let h = 0; h < shape.hostsPerCluster; h++) {
        nodes.push({ ref: vs(root, 'Host', `host-${c * 10 + h + 1}`), name: `esx${c * 10 + h + 1}.lab.local`, type: 'Host', parentRef: cluster });
      }
      for (let p = 0; p < shape.poolsPerCluster; p++) {
        nodes.push({ ref: vs(root, 'ResourcePool', `resgroup-${c * 10 + p + 1}`), name: `Pool ${c + 1}.${p + 1}`, type: 'ResourcePool', parentRef: cluster });
      }
    }
  }
  const vroot = vcdRoot(seed, server);
  const system = vcd(vroot, 'VcdSystem', vroot);
  nodes.push({ ref: system, name: `vcd-${server + 1}.lab.local`, type: 'VcdSystem' });
  for (let o = 0; o < shape.organizations; o++) {
    const org = vcd(vroot, 'Organization', `urn:vcloud:org:${vcdId(seed, server, 1, o)}`);
    nodes.push({ ref: org, name: ORG_NAMES[o % ORG_NAMES.length]! + (o >= ORG_NAMES.length ? `-${o}` : ''), type: 'Organization', parentRef: system });
    for (let vi = 0; vi < shape.vdcsPerOrganization; vi++) {
      const v = o * 100 + vi;
      nodes.push({ ref: vcd(vroot, 'OrgVdc', `urn:vcloud:vdc:${vcdId(seed, server, 2, v)}`), name: `vdc-${o + 1}-${vi + 1}`, type: 'OrgVdc', parentRef: org });
    }
  }
  return nodes;
}

/** Used to vary names deterministically. */
export function nameWord(seed: number, salt: number, n: number): string {
  return WORDS[hash(seed, salt, n) % WORDS.length]!;
}

const WORDS = ['sql', 'web', 'app', 'dc', 'exch', 'file', 'erp', 'crm', 'db', 'api', 'mail', 'build', 'log', 'mon', 'cache', 'proxy'];
