import { expect } from 'vitest';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { login, vbr, type VbrAnswer } from './vbr-support.js';

/** The lifecycle endpoints, by the name of their last-but-two path segment. */
export const LIFECYCLE = {
  failoverNow: '/api/v1/failover/failoverNow/vSphere/snapshot',
  plannedFailover: '/api/v1/failover/plannedFailover/vSphere/snapshot',
  permanentFailover: '/api/v1/failover/permanentFailover/vSphere/snapshot',
  undoFailover: '/api/v1/failover/undoFailover/vSphere/snapshot',
  failbackToProduction: '/api/v1/failback/failbackToProduction/vSphere/snapshot',
  switchToProduction: '/api/v1/failback/switchToProduction/vSphere/snapshot',
  changeSwitchoverTime: '/api/v1/failback/changeSwitchoverTime/vSphere/snapshot',
  commitFailback: '/api/v1/failback/commitFailback/vSphere/snapshot',
  undoFailback: '/api/v1/failback/undoFailback/vSphere/snapshot',
} as const;
export type LifecycleCall = keyof typeof LIFECYCLE;

/** A VM replica of the simulated world, Ready when picked. */
export interface Vm {
  unit: number;
  name: string;
  /** Its points, oldest first. */
  pointIds: string[];
  /** Its latest point: the one it runs from. */
  pointId: string;
  /** Its job-level replica (VBR's replica id). */
  replicaId: string;
  server: string;
}

/** Hands out Ready VM replicas of one backup server, each once, optionally of one job. */
export function vmPicker(sim: RunningSimulator): { next(server: string, job?: number): Vm; all(server: string, job: number): Vm[] } {
  const inv = sim.inventory;
  const used = new Set<number>();
  const vmOf = (unit: number): Vm => {
    const [first, last] = inv.vmReplicaPointRange(unit);
    const pointIds = Array.from({ length: last - first }, (_, k) => inv.vmReplicaPoint(first + k)!.id);
    const p = inv.vmReplicaPoint(first)!;
    return { unit, name: p.vmDisplayName, pointIds, pointId: pointIds.at(-1)!, replicaId: inv.replica(p.replica)!.id, server: inv.backupServer(p.backupServer)!.name };
  };
  const serverIndex = (name: string): number => inv.backupServers().find((s) => s.name === name)!.index;
  return {
    next(server, job) {
      const slice = inv.slice('vm', serverIndex(server));
      for (let k = 0; k < slice.count; k++) {
        const unit = slice.at(k)!;
        if (used.has(unit) || inv.initialState('vm', unit) !== 'Ready') continue;
        if (job !== undefined && inv.vmReplicaPoint(unit * inv.counts.pointsPerReplica)!.replica !== job) continue;
        used.add(unit);
        return vmOf(unit);
      }
      throw new Error(`no Ready VM replica left on ${server}`);
    },
    all(server, job) {
      const [first, last] = inv.vmReplicasOfJob(job);
      const vms = [];
      for (let unit = first; unit < last; unit++) {
        used.add(unit);
        vms.push(vmOf(unit));
      }
      expect(vms.every((v) => v.server === server)).toBe(true);
      return vms;
    },
  };
}

/** One lifecycle POST with a fresh token of `user`. */
export async function act(sim: RunningSimulator, server: string, call: LifecycleCall, json: unknown, user = 'vbr-admin'): Promise<VbrAnswer> {
  const token = (await login(sim, server, user)).access_token;
  return vbr(sim, server, 'POST', LIFECYCLE[call], { token, json });
}

/** A GET with a fresh administrator token. */
export async function get(sim: RunningSimulator, server: string, path: string): Promise<VbrAnswer> {
  return vbr(sim, server, 'GET', path, { token: (await login(sim, server)).access_token });
}

export interface PointJson {
  id: string;
  name: string;
  state: string;
  allowedOperations: string[];
  replicaId: string;
}

/** The VM's points as the VBR face lists them now. */
export async function pointsOf(sim: RunningSimulator, vm: Vm): Promise<PointJson[]> {
  const a = await get(sim, vm.server, `/api/v1/replicas/${vm.replicaId}/replicaPoints?limit=1000`);
  if (a.status !== 200) return [];
  return (a.json.data as PointJson[]).filter((p) => p.name === vm.name);
}

/** The VM's state on the VBR face (all its points carry it), or 'gone' when it has no point any more. */
export async function stateOf(sim: RunningSimulator, vm: Vm): Promise<string> {
  const points = await pointsOf(sim, vm);
  if (points.length === 0) return 'gone';
  expect(new Set(points.map((p) => p.state)).size).toBe(1);
  return points[0]!.state;
}

/** The allowedOperations of one of the VM's points. */
export async function operationsOf(sim: RunningSimulator, vm: Vm, pointId = vm.pointId): Promise<string[]> {
  return (await pointsOf(sim, vm)).find((p) => p.id === pointId)?.allowedOperations ?? [];
}

/** A session on the VBR face. */
export async function session(sim: RunningSimulator, server: string, id: string): Promise<VbrAnswer> {
  return get(sim, server, `/api/v1/sessions/${id}`);
}
