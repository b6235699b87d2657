import type { VbrClient, VbrReplicaPoint } from './types.js';

/** VBR names a replica point after the VM it was created for, in whatever case the VM had. */
export function isPointOfVm(point: VbrReplicaPoint, vmName: string): boolean {
  return point.name.toLowerCase() === vmName.toLowerCase();
}

/**
 * A VM's replica point: the first point of the replica that `preferred`
 * accepts (it sees every point, the VM's or not), else the VM's newest. A
 * replica's points are those of all its VMs, and any point of a VM carries the
 * VM's state. The listing stops at the preferred point: the pages after it are
 * not read.
 */
export async function vmReplicaPoint(
  client: VbrClient,
  vbrReplicaId: string,
  vmName: string,
  preferred?: (point: VbrReplicaPoint) => boolean,
): Promise<VbrReplicaPoint | undefined> {
  let newest: VbrReplicaPoint | undefined;
  for await (const page of client.listReplicaPoints({ replicaId: vbrReplicaId })) {
    for (const point of page) {
      if (preferred?.(point)) return point;
      if (!isPointOfVm(point, vmName)) continue;
      if (newest === undefined || point.creationTime.getTime() > newest.creationTime.getTime()) newest = point;
    }
  }
  return newest;
}
