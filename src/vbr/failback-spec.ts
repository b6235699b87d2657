import { VbrRejectedError } from './errors.js';
import type {
  VbrCustomizedFailbackTarget,
  VbrDiskType,
  VbrFailbackDatastoreSpec,
  VbrFailbackModeSpec,
  VbrFailbackSpec,
  VbrInventoryObjectRef,
  VbrInventoryObjectSpec,
  VbrSwitchover,
} from './types.js';

/**
 * The gateway's description of a failback → VBR's polymorphic
 * ViVMSnapshotReplicaFailbackSpec. VBR's per-point arrays (`destinationhost`,
 * `resourcePool`, `folderMapping`, `network`, `targetVM`) are filled for
 * every point from one choice: a failback request places its VMs in one
 * location. Everything is checked before anything is sent, and a bad field
 * throws VbrFailbackSpecError naming it.
 */

/** Where the replicas fail back to (EReplicaFailbackType). */
export type VbrFailbackDestination =
  /** The original VM in its original location; `quickRollback` only helps on vSphere before 7.0. */
  | { type: 'originalLocation'; quickRollback?: boolean }
  /** The original VM, already restored to another place: the VM to sync (one point only). */
  | { type: 'originalVm'; destinationVm: VbrInventoryObjectRef }
  /** A new VM in a location of the caller's choice. */
  | {
      type: 'customized';
      /** Host or cluster the new VMs are registered on. */
      host: VbrInventoryObjectRef;
      resourcePool?: VbrInventoryObjectRef;
      /** Disk placement per VM; VBR's default otherwise. */
      datastore?: VbrFailbackDatastorePlacement[];
      folder?: VbrInventoryObjectRef;
      /** Give the new VMs the source VMs' tags (only when they are still available on the vCenter Server). */
      restoreVmTags?: boolean;
      /** DR-site network → network the new VMs join. */
      network?: Array<{ source: VbrInventoryObjectRef; target: VbrInventoryObjectRef }>;
    };

/** ViVMSnapshotReplicaFailbackTargetDatastoreSpec: where one VM's disks go. */
export interface VbrFailbackDatastorePlacement {
  vm: VbrInventoryObjectRef;
  disks: Array<{ diskName: string; datastore: VbrInventoryObjectRef; diskType?: VbrDiskType }>;
}

export interface VbrFailbackRequest {
  /** Replica points to fail back from (one per VM). */
  pointIds: string[];
  destination: VbrFailbackDestination;
  switchover: VbrSwitchover;
  /** Power the target VMs on after the switch. */
  powerOnTargetVm: boolean;
}

/** A failback description VBR could not carry out as given; `field` is its path in the description (e.g. `switchover.at`). */
export class VbrFailbackSpecError extends VbrRejectedError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

const DISK_TYPES: readonly string[] = ['Source', 'Thick', 'Thin', 'ThickEagerZeroed'] satisfies VbrDiskType[];

/** EVmwareInventoryType values each slot takes; catches one object given for another (a datastore as the host). */
const KINDS = {
  host: ['Host', 'Cluster', 'ComputeResource'],
  resourcePool: ['ResourcePool'],
  datastore: ['Datastore', 'DatastoreCluster'],
  folder: ['Folder'],
  network: ['Network', 'DVSNetwork'],
  vm: ['VirtualMachine'],
} as const;

/** VBR needs `objectId` for every vSphere object except a vCenter Server and a standalone ESXi host. */
const OBJECT_ID_OPTIONAL: readonly string[] = ['vCenterServer', 'Host'];

/** Builds the body of POST /api/v1/failback/failbackToProduction/vSphere/snapshot. `now` decides what "in the past" means. */
export function buildFailbackSpec(request: VbrFailbackRequest, now: Date = new Date()): VbrFailbackSpec {
  const replicaPointIds = pointIdsOf(request.pointIds, 'pointIds');
  if (typeof request.powerOnTargetVm !== 'boolean') throw new VbrFailbackSpecError('powerOnTargetVm', 'must be true or false');
  const common = { replicaPointIds, powerOnTargetVM: request.powerOnTargetVm, failbackMode: failbackModeOf(request.switchover, now) };
  const destination = request.destination as VbrFailbackDestination | undefined;
  switch (destination?.type) {
    case 'originalLocation':
      return { type: 'OriginalLocation', ...common, ...(destination.quickRollback === undefined ? {} : { quickRollback: flag(destination.quickRollback, 'destination.quickRollback') }) };
    case 'originalVm': {
      if (replicaPointIds.length !== 1) throw new VbrFailbackSpecError('pointIds', 'a failback to the original VM names one destination VM: give exactly one point');
      const destinationVM = objectOf(destination.destinationVm, 'destination.destinationVm', KINDS.vm);
      return { type: 'OriginalVM', ...common, targetVM: [{ replicaPointId: replicaPointIds[0]!, destinationVM }] };
    }
    case 'customized':
      return { type: 'Customized', ...common, ...customized(destination, replicaPointIds) };
    default:
      throw new VbrFailbackSpecError('destination.type', `must be originalLocation, originalVm or customized, not ${JSON.stringify((destination as { type?: unknown } | undefined)?.type)}`);
  }
}

/** ReplicaFailbackModeSpec; a scheduled time must be a valid date after `now`. */
export function failbackModeOf(switchover: VbrSwitchover, now: Date = new Date(), field = 'switchover'): VbrFailbackModeSpec {
  switch (switchover?.type) {
    case 'auto':
      return { type: 'Auto' };
    case 'manual':
      return { type: 'Manual' };
    case 'scheduled': {
      const at = switchover.at as unknown;
      if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new VbrFailbackSpecError(`${field}.at`, 'must be a valid date and time');
      if (at.getTime() <= now.getTime()) throw new VbrFailbackSpecError(`${field}.at`, `the switchover time ${at.toISOString()} is in the past`);
      return { type: 'Scheduled', scheduledTime: at.toISOString() };
    }
    default:
      throw new VbrFailbackSpecError(`${field}.type`, `must be auto, scheduled or manual, not ${JSON.stringify((switchover as { type?: unknown } | undefined)?.type)}`);
  }
}

/** A non-empty list of distinct, non-empty point ids. */
export function pointIdsOf(ids: unknown, field: string, fail: (field: string, problem: string) => VbrRejectedError = (f, p) => new VbrFailbackSpecError(f, p)): string[] {
  if (!Array.isArray(ids) || ids.length === 0) throw fail(field, 'must list at least one replica point id');
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || id.trim() === '') throw fail(`${field}[${i}]`, 'must be a non-empty string');
  });
  if (new Set(ids).size !== ids.length) throw fail(field, 'lists a point twice');
  return [...(ids as string[])];
}

function customized(d: Extract<VbrFailbackDestination, { type: 'customized' }>, pointIds: string[]): VbrCustomizedFailbackTarget {
  const perPoint = <K extends string>(key: K, object: VbrInventoryObjectSpec) => pointIds.map((replicaPointId) => ({ replicaPointId, [key]: object }) as { replicaPointId: string } & Record<K, VbrInventoryObjectSpec>);
  // A new VM must be registered somewhere: the Host step is the one the console cannot skip for this destination.
  if (d.host === undefined) throw new VbrFailbackSpecError('destination.host', 'a customized location needs the host or cluster to register the VMs on');
  const out: VbrCustomizedFailbackTarget = {
    destinationhost: perPoint('host', objectOf(d.host, 'destination.host', KINDS.host)),
  };
  if (d.resourcePool !== undefined) out.resourcePool = perPoint('resourcePool', objectOf(d.resourcePool, 'destination.resourcePool', KINDS.resourcePool));
  if (d.datastore !== undefined && d.datastore.length > 0) out.datastore = d.datastore.map((placement, i) => datastoreOf(placement, `destination.datastore[${i}]`));
  if (d.folder !== undefined || d.restoreVmTags !== undefined) {
    out.folder = {
      ...(d.restoreVmTags === undefined ? {} : { restoreVMTags: flag(d.restoreVmTags, 'destination.restoreVmTags') }),
      ...(d.folder === undefined ? {} : { folderMapping: perPoint('folder', objectOf(d.folder, 'destination.folder', KINDS.folder)) }),
    };
  }
  if (d.network !== undefined && d.network.length > 0) {
    const networks = d.network.map((rule, i) => ({
      sourceNetwork: objectOf(rule?.source, `destination.network[${i}].source`, KINDS.network),
      targetNetwork: objectOf(rule?.target, `destination.network[${i}].target`, KINDS.network),
    }));
    out.network = pointIds.map((replicaPointId) => ({ replicaPointId, networks }));
  }
  return out;
}

function datastoreOf(placement: VbrFailbackDatastorePlacement, field: string): VbrFailbackDatastoreSpec {
  const vmObject = objectOf(placement?.vm, `${field}.vm`, KINDS.vm);
  if (!Array.isArray(placement.disks) || placement.disks.length === 0) throw new VbrFailbackSpecError(`${field}.disks`, 'must place at least one disk');
  const disks = placement.disks.map((disk, j) => {
    const at = `${field}.disks[${j}]`;
    if (typeof disk?.diskName !== 'string' || disk.diskName.trim() === '') throw new VbrFailbackSpecError(`${at}.diskName`, 'must be a non-empty string');
    const datastore = objectOf(disk.datastore, `${at}.datastore`, KINDS.datastore);
    if (disk.diskType !== undefined && !DISK_TYPES.includes(disk.diskType)) throw new VbrFailbackSpecError(`${at}.diskType`, `must be one of ${DISK_TYPES.join(', ')}`);
    return { diskName: disk.diskName, datastore, ...(disk.diskType === undefined ? {} : { diskType: disk.diskType }) };
  });
  return { vmObject, disks };
}

/** A vSphere InventoryObjectModel, with the fields VmwareObjectModel requires. */
function objectOf(ref: VbrInventoryObjectRef | undefined, field: string, kinds: readonly string[]): VbrInventoryObjectSpec {
  if (typeof ref !== 'object' || ref === null) throw new VbrFailbackSpecError(field, 'is required');
  for (const name of ['hostName', 'name', 'type'] as const) {
    if (typeof ref[name] !== 'string' || ref[name].trim() === '') throw new VbrFailbackSpecError(`${field}.${name}`, 'must be a non-empty string');
  }
  if (!kinds.includes(ref.type)) throw new VbrFailbackSpecError(`${field}.type`, `must be ${kinds.join(' or ')}, not ${ref.type}`);
  const objectId = ref.objectId;
  if (objectId !== undefined && (typeof objectId !== 'string' || objectId.trim() === '')) throw new VbrFailbackSpecError(`${field}.objectId`, 'must be a non-empty string when given');
  if (objectId === undefined && !OBJECT_ID_OPTIONAL.includes(ref.type)) throw new VbrFailbackSpecError(`${field}.objectId`, `is required for a ${ref.type}`);
  return {
    platform: 'VSphere',
    hostName: ref.hostName,
    name: ref.name,
    type: ref.type,
    ...(objectId === undefined ? {} : { objectId }),
    ...(ref.urn === undefined ? {} : { urn: ref.urn }),
  };
}

function flag(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new VbrFailbackSpecError(field, 'must be true or false');
  return value;
}
