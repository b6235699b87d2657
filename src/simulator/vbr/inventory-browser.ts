import {
  treeObject,
  vAppVmCount,
  vAppVmPath,
  vcdContainerPaths,
  vcdHost,
  vcdInstanceId,
  vcdRoot,
  vcenterHost,
  vcenterInstanceUuid,
  vcenterRoot,
  VCD_HIERARCHY,
  VSPHERE_HIERARCHIES,
  vmPaths,
  vsphereContainerPaths,
  type PathNode,
  type VsphereHierarchy,
} from '../hierarchy.js';
import type { Inventory } from '../inventory-generator.js';
import type { ServerSlice } from '../server-slice.js';

/** InventoryObjectModel (VmwareObjectModel / CloudDirectorObjectModel members the simulator fills). */
export interface InventoryObject {
  platform: 'VSphere' | 'CloudDirector';
  hostName: string;
  name: string;
  type: string;
  objectId: string;
  urn: string;
}

/**
 * A run of objects of one listing. `at` is given where the k-th object is
 * arithmetic; otherwise the run is walked from its start (cheap hashing, no
 * strings built for skipped objects).
 */
interface Run {
  count(): number;
  from(skip: number): Iterable<InventoryObject>;
}

export type HostKind = 'vCenter' | 'CloudDirector';

export interface InventoryHost {
  kind: HostKind;
  server: number;
  hostName: string;
  object: InventoryObject;
}

/** The hosts added to backup server `server`: its vCenter and its Cloud Director. */
export function inventoryHosts(inv: Inventory, server: number): InventoryHost[] {
  const vc = vcenterHost(server);
  const vcd = vcdHost(server);
  return [
    { kind: 'vCenter', server, hostName: vc, object: { platform: 'VSphere', hostName: vc, name: vc, type: 'vCenterServer', objectId: vcenterInstanceUuid(inv.seed, server), urn: `vc:${vc}` } },
    { kind: 'CloudDirector', server, hostName: vcd, object: { platform: 'CloudDirector', hostName: vcd, name: vcd, type: 'CloudDirectorServer', objectId: vcdInstanceId(inv.seed, server), urn: `vcdsystem:${vcd}` } },
  ];
}

/** Hierarchy types each host kind answers; the first is the default when the body names none. */
export const HIERARCHIES: Record<HostKind, readonly string[]> = {
  vCenter: VSPHERE_HIERARCHIES,
  CloudDirector: [VCD_HIERARCHY],
};

function objectOf(path: readonly PathNode[], root: string, platform: InventoryObject['platform'], hostName: string): InventoryObject {
  const o = treeObject(path, root);
  return { platform, hostName, name: o.name, type: o.type, objectId: o.objectId, urn: o.urn };
}

function arrayRun(items: InventoryObject[]): Run {
  return { count: () => items.length, from: (skip) => items.slice(skip) };
}

/** One object per item of a slice: the k-th object is arithmetic. */
function sliceRun(slice: ServerSlice, objectAt: (index: number) => InventoryObject): Run {
  return {
    count: () => slice.count,
    *from(skip) {
      for (let k = skip; k < slice.count; k++) yield objectAt(slice.at(k)!);
    },
  };
}

/** Items between two checkpoints of an expanding run. */
const CHECKPOINT_EVERY = 256;
/** Objects before every CHECKPOINT_EVERY-th item of a run (and the total last), per inventory and run key. */
const checkpointCache = new WeakMap<Inventory, Map<string, Float64Array>>();

/**
 * A variable number of objects per item. Objects before every 256th item are
 * counted once (integer hashing, no strings) and kept, 8 bytes per 256
 * items, so a page walks at most 256 items before its first object.
 */
function expandingRun(inv: Inventory, key: string, slice: ServerSlice, sizeOf: (index: number) => number, objectsOf: (index: number) => InventoryObject[]): Run {
  const checkpoints = (): Float64Array => {
    let byKey = checkpointCache.get(inv);
    if (!byKey) checkpointCache.set(inv, (byKey = new Map()));
    let c = byKey.get(key);
    if (!c) {
      c = new Float64Array(Math.ceil(slice.count / CHECKPOINT_EVERY) + 1);
      let seen = 0;
      for (let k = 0; k < slice.count; k++) {
        if (k % CHECKPOINT_EVERY === 0) c[k / CHECKPOINT_EVERY] = seen;
        seen += sizeOf(slice.at(k)!);
      }
      c[c.length - 1] = seen;
      byKey.set(key, c);
    }
    return c;
  };
  return {
    count: () => checkpoints().at(-1)!,
    *from(skip) {
      const c = checkpoints();
      let block = 0;
      while (block + 1 < c.length - 1 && c[block + 1]! <= skip) block++;
      let seen = c[block]!;
      for (let k = block * CHECKPOINT_EVERY; k < slice.count; k++) {
        const index = slice.at(k)!;
        const n = sizeOf(index);
        if (seen + n <= skip) {
          seen += n;
          continue;
        }
        yield* objectsOf(index).slice(Math.max(0, skip - seen));
        seen += n;
      }
    },
  };
}

/** The runs of one host's listing in one hierarchy: containers first, then VMs (vApps and their VMs). */
export function hostRuns(inv: Inventory, host: InventoryHost, hierarchy: string): Run[] {
  const seed = inv.seed;
  const s = host.server;
  if (host.kind === 'vCenter') {
    const h = hierarchy as VsphereHierarchy;
    const root = vcenterRoot(seed, s);
    const obj = (path: readonly PathNode[]): InventoryObject => objectOf(path, root, 'VSphere', host.hostName);
    const containers = vsphereContainerPaths(seed, inv.shape, s, h, h === 'VmsAndTemplates' ? inv.jobFolders(s) : []).map(obj);
    const vms = inv.slice('vm', s);
    const cdpVms = inv.slice('cdpVm', s);
    if (h === 'VmsAndTags') {
      return [
        arrayRun(containers),
        expandingRun(inv, `${s}:vm:tags`, vms, (v) => inv.vmPlace(v).tags.length, (v) => vmPaths(seed, inv.shape, inv.vmPlace(v), inv.vmName(v), h).map(obj)),
        expandingRun(inv, `${s}:cdpVm:tags`, cdpVms, (i) => inv.cdpVmPlace(i).tags.length, (i) => vmPaths(seed, inv.shape, inv.cdpVmPlace(i), inv.cdpVmName(i), h).map(obj)),
      ];
    }
    return [
      arrayRun(containers),
      sliceRun(vms, (v) => obj(vmPaths(seed, inv.shape, inv.vmPlace(v), inv.vmName(v), h)[0]!)),
      sliceRun(cdpVms, (i) => obj(vmPaths(seed, inv.shape, inv.cdpVmPlace(i), inv.cdpVmName(i), h)[0]!)),
    ];
  }
  const root = vcdRoot(seed, s);
  const obj = (path: readonly PathNode[]): InventoryObject => objectOf(path, root, 'CloudDirector', host.hostName);
  const withVms = (path: PathNode[], number: number): InventoryObject[] => [
    obj(path),
    ...Array.from({ length: vAppVmCount(seed, number) }, (_, i) => obj(vAppVmPath(seed, s, path, number, i))),
  ];
  return [
    arrayRun(vcdContainerPaths(seed, inv.shape, s).map(obj)),
    expandingRun(inv, `${s}:vApp`, inv.slice('vApp', s), (a) => 1 + vAppVmCount(seed, a), (a) => withVms(inv.vAppReplicaPath(a), a)),
    expandingRun(inv, `${s}:cdpVApp`, inv.slice('cdpVApp', s), (i) => 1 + vAppVmCount(seed, inv.cdpVAppNumber(i)), (i) => withVms(inv.cdpVAppPath(i), inv.cdpVAppNumber(i))),
  ];
}

/** Every object of the runs, in order (used with a filter or sorting: those need them all anyway). */
export function* allObjects(runs: readonly Run[]): Generator<InventoryObject> {
  for (const run of runs) yield* run.from(0);
}

/** Objects [skip, skip + limit) of the runs and their total, touching only what the page needs. */
export function pageOfRuns(runs: readonly Run[], skip: number, limit: number): { total: number; data: InventoryObject[] } {
  let total = 0;
  const data: InventoryObject[] = [];
  for (const run of runs) {
    const n = run.count();
    const start = total;
    total += n;
    if (data.length >= limit || skip >= start + n) continue;
    for (const o of run.from(Math.max(0, skip - start))) {
      if (data.length >= limit) break;
      data.push(o);
    }
  }
  return { total, data };
}
