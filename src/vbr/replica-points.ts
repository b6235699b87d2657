import type { VbrClient, VbrReplicaPoint } from './types.js';

/** VBR names a replica point after the VM it was created for, in whatever case the VM had. */
export function isPointOfVm(point: VbrReplicaPoint, vmName: string): boolean {
  return point.name.toLowerCase() === vmName.toLowerCase();
}

/**
 * A VM's replica point: the first point of the replica that `preferred`
 * accepts, else the VM's newest. A replica's points are those of all its VMs
 * (a job's replica holds every VM of the job), and any point of a VM carries
 * the VM's state.
 *
 * The VM's own points are asked for first with `nameFilter`: one short page
 * where the whole listing is every point of every VM in the job, on the path
 * every failover's fresh check takes. VBR documents the filter as a pattern
 * that "can match any restore point parameter" and says nothing of case, so
 * the names are still checked here, and a filtered listing with none of the
 * VM's points is followed by the whole one: a server that reads the filter
 * differently costs a second listing, never a wrong point.
 */
export async function vmReplicaPoint(
  client: VbrClient,
  vbrReplicaId: string,
  vmName: string,
  preferred?: (point: VbrReplicaPoint) => boolean,
): Promise<VbrReplicaPoint | undefined> {
  const filtered = await pickPoint(client.listReplicaPoints({ replicaId: vbrReplicaId, name: vmName }), vmName, preferred);
  return filtered ?? pickPoint(client.listReplicaPoints({ replicaId: vbrReplicaId }), vmName, preferred);
}

/** The listing stops at the preferred point: the pages after it are not read. */
async function pickPoint(listing: AsyncIterable<VbrReplicaPoint[]>, vmName: string, preferred?: (point: VbrReplicaPoint) => boolean): Promise<VbrReplicaPoint | undefined> {
  let newest: VbrReplicaPoint | undefined;
  for await (const page of listing) {
    for (const point of page) {
      if (preferred?.(point)) return point;
      if (!isPointOfVm(point, vmName)) continue;
      if (newest === undefined || point.creationTime.getTime() > newest.creationTime.getTime()) newest = point;
    }
  }
  return newest;
}
