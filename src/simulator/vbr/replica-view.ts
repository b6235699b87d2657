import type { ReplicaState } from '../inventory-types.js';
import { allowedOperations } from '../lifecycle-machine.js';
import type { VmReplicaNow } from '../simulation.js';
import { replicaPointModel, type Json } from './models.js';
import { listing, namePattern } from './paging.js';
import { notFound, type VbrContext } from './route-types.js';

/**
 * How a face sees the shared world's vSphere snapshot replicas: a VBR
 * replica is a job-level replica of the face's server, its points are its
 * VMs' points, and every point of a VM carries that VM's state. A VM whose
 * permanent failover has ended is no longer a replica: its points are gone,
 * and so is the job-level replica once none of its VMs is left.
 */

/** The job-level VM replicas of this face's server, in index order. */
export function serverJobs(ctx: VbrContext): { count: number; at(k: number): number } {
  const slice = ctx.core.inventory.slice('vm', ctx.face.server.index);
  return { count: slice.unitCount, at: (k) => slice.unitAt(k) };
}

/** A job's state from its VMs': the first of these that any remaining VM is in, else Ready. */
const JOB_STATE_PRECEDENCE: readonly ReplicaState[] = ['Processing', 'PermanentFailover', 'FailedFailover', 'Failback', 'ReadyToSwitch', 'Failover'];

export function jobState(ctx: VbrContext, job: number): ReplicaState {
  const [first, last] = ctx.core.inventory.vmReplicasOfJob(job);
  const states = new Set<ReplicaState>();
  for (let v = first; v < last; v++) {
    const vm = ctx.core.simulation.vmReplica(v);
    if (!vm.removed) states.add(vm.state);
  }
  return JOB_STATE_PRECEDENCE.find((s) => states.has(s)) ?? 'Ready';
}

/** Whether none of the job's VMs is a replica any more. */
export function jobRemoved(ctx: VbrContext, job: number): boolean {
  const [first, last] = ctx.core.inventory.vmReplicasOfJob(job);
  for (let v = first; v < last; v++) if (!ctx.core.simulation.removed('vm', v)) return false;
  return last > first;
}

export function jobCreationTime(ctx: VbrContext, job: number): number {
  const inv = ctx.core.inventory;
  return inv.vmReplicaPoint(inv.vmReplicasOfJob(job)[0] * inv.counts.pointsPerReplica)!.creationTime;
}

/** The point a VM replica runs from: the one it was last failed over to (through EM or VBR), else its latest. */
export function isCurrentPoint(ctx: VbrContext, pointIndex: number, vm: VmReplicaNow): boolean {
  if (vm.failedOverTo !== undefined) return vm.failedOverTo === pointIndex;
  const inv = ctx.core.inventory;
  return pointIndex === inv.vmReplicaPointRange(inv.vmReplicaOfPoint(pointIndex))[1] - 1;
}

/** A point's allowedOperations now: its replica's state, whether the replica runs from it, whether a session runs. */
export function pointOperations(ctx: VbrContext, pointIndex: number, vm: VmReplicaNow): string[] {
  return allowedOperations(vm.state, isCurrentPoint(ctx, pointIndex, vm), vm.running !== undefined);
}

export function pointJson(ctx: VbrContext, pointIndex: number): Json {
  const inv = ctx.core.inventory;
  const vm = ctx.core.simulation.vmReplica(inv.vmReplicaOfPoint(pointIndex));
  return replicaPointModel(inv, pointIndex, vm.state, pointOperations(ctx, pointIndex, vm));
}

/** The job-level replica with this id on this face (404 NotFound otherwise, and once none of its VMs is left). */
export function replicaOfFace(ctx: VbrContext, id: string): number {
  const inv = ctx.core.inventory;
  const job = inv.replicaIndex(id);
  if (job === undefined || job >= inv.counts.vmJobs || inv.replica(job)!.backupServer !== ctx.face.server.index || jobRemoved(ctx, job)) throw notFound(id);
  return job;
}

/** The VM replica point with this id on this face (404 NotFound otherwise, and once its VM is no longer a replica). */
export function pointOfFace(ctx: VbrContext, id: string): number {
  const inv = ctx.core.inventory;
  const index = inv.vmReplicaPointIndex(id);
  const p = index === undefined ? undefined : inv.vmReplicaPoint(index);
  if (!p || p.backupServer !== ctx.face.server.index || ctx.core.simulation.removed('vm', p.vmReplica)) throw notFound(id);
  return index!;
}

/**
 * Points `first … first + count - 1` with the listing filters. Points of VMs
 * that are gone are skipped, which costs a scan only once a permanent
 * failover has happened on the server.
 */
export function pointListing(ctx: VbrContext, first: number, count: number, indexAt: (k: number) => number = (k) => first + k): Json {
  const inv = ctx.core.inventory;
  const name = namePattern(ctx.url.searchParams.get('nameFilter'));
  const replicaId = ctx.url.searchParams.get('replicaIdFilter')?.toLowerCase();
  const anyRemoved = ctx.core.simulation.removedVmUnits().length > 0;
  const keep =
    name || replicaId || anyRemoved
      ? (k: number) => {
          const p = inv.vmReplicaPoint(indexAt(k))!;
          return (!anyRemoved || !ctx.core.simulation.removed('vm', p.vmReplica)) && (!name || name(p.vmDisplayName)) && (!replicaId || inv.replica(p.replica)!.id === replicaId);
        }
      : undefined;
  return listing(ctx.url, count, (k) => pointJson(ctx, indexAt(k)), keep);
}
