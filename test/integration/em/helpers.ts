import { createEmClient, type BackupServer, type EmClient, type EmClientOptions, type VmReplicaPoint } from '../../../src/em/index.js';
import { startSimulator, type ReplicaKind, type ReplicaState, type RunningSimulator, type SimulatorOptions } from '../../../src/simulator/index.js';
import { createVbrClient, type VbrClient } from '../../../src/vbr/index.js';

/** A demo-sized simulator on a free loopback port, with failovers that finish in tens of milliseconds. */
export function simulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, seed: 42, size: 'demo', failoverDurationMs: 60, failoverCollectMs: 20, ...options });
}

export function client(sim: RunningSimulator, options: Partial<EmClientOptions> = {}): EmClient {
  return createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin', timeoutMs: 2_000, retryBaseDelayMs: 5, retryMaxDelayMs: 20, ...options });
}

export async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** EM's key of a VM replica (`<Replica uid>/name:<VM name>`), built from what a VBR replica point says: its job-level replica's id and its VM's name. */
const vmReplicaKey = (replicaId: string, vmName: string): string => `urn:veeam:Replica:${replicaId}/name:${vmName}`;

/**
 * The backup servers' own REST APIs (the simulator's VBR faces), where a real
 * deployment reads what EM does not serve: each server's license edition and
 * its vSphere replicas' states. A face is found by EM's BackupServer.Name;
 * one Backup Administrator client per server.
 */
export class VbrFaces {
  private readonly clients = new Map<string, VbrClient>();
  private readonly nameOf: Map<string, string>;

  constructor(
    private readonly sim: RunningSimulator,
    private readonly servers: readonly BackupServer[],
  ) {
    this.nameOf = new Map(servers.map((s) => [s.uid, s.name]));
  }

  client(serverName: string): VbrClient {
    let vbr = this.clients.get(serverName);
    if (vbr === undefined) {
      const url = this.sim.vbrUrls[serverName];
      if (url === undefined) throw new Error(`backup server ${serverName} has no VBR face`);
      vbr = createVbrClient({ url, username: 'vbr-admin', password: 'vbr-admin', timeoutMs: 2_000, retryBaseDelayMs: 5, retryMaxDelayMs: 20 });
      this.clients.set(serverName, vbr);
    }
    return vbr;
  }

  private serverName(uid: string | undefined): string {
    const name = uid === undefined ? undefined : this.nameOf.get(uid);
    if (name === undefined) throw new Error(`EM listed no backup server ${String(uid)}`);
    return name;
  }

  /** Each backup server's licensed edition (GET /api/v1/license), by EM BackupServer uid. */
  async editions(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const s of this.servers) out.set(s.uid, String((await this.client(s.name).getLicense()).edition));
    return out;
  }

  /**
   * The state of every VM replica of one backup server, by EM's vmReplicaKey.
   * Every point of a VM carries its VM replica's state; points that disagree fail the caller.
   */
  async vmReplicaStates(serverUid: string | undefined): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const p of await all(this.client(this.serverName(serverUid)).listReplicaPoints())) {
      const key = vmReplicaKey(p.replicaId, p.name);
      const state = p.state ?? 'none';
      const seen = out.get(key);
      if (seen !== undefined && seen !== state) throw new Error(`VBR points of ${key} disagree: ${seen} and ${state}`);
      out.set(key, state);
    }
    return out;
  }

  /** The state of the VM replica an EM VM replica point belongs to: its VBR replica's points named after the VM. */
  async vmReplicaState(point: VmReplicaPoint): Promise<string> {
    const replicaId = point.replicaUid.slice(point.replicaUid.lastIndexOf(':') + 1);
    const points = (await all(this.client(this.serverName(point.backupServerUid)).listReplicaPoints({ replicaId }))).filter((p) => p.name === point.vmDisplayName);
    const states = new Set(points.map((p) => p.state ?? 'none'));
    if (points.length === 0 || states.size !== 1) throw new Error(`VBR has ${points.length} point(s) of ${point.vmReplicaKey} in states ${[...states].join(', ')}`);
    return [...states][0]!;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }
}

/** The simulator's index of the failover-able unit an EM object belongs to (a VM replica, CDP VM, vApp replica or CDP vApp). */
function unitOf(sim: RunningSimulator, kind: Exclude<ReplicaKind, 'vm'>, emId: string): number {
  const inv = sim.inventory;
  const unit =
    kind === 'cdpVm' ? inv.cdpVmIndex(emId) : kind === 'cdpVApp' ? inv.cdpVAppIndex(emId) : inv.vAppReplicaPoint(inv.vAppReplicaPointIndex(emId) ?? -1)?.vAppReplica;
  if (unit === undefined) throw new Error(`the simulator has no ${kind} ${emId}`);
  return unit;
}

/**
 * A CDP VM's, vApp replica's (by one of its points) or CDP vApp's state in the
 * simulation. Neither EM nor VBR REST serves these states, so tests read the
 * simulator itself: a failover's state, else the generated one.
 */
export function simulatedState(sim: RunningSimulator, kind: Exclude<ReplicaKind, 'vm'>, emId: string): ReplicaState {
  const unit = unitOf(sim, kind, emId);
  const changed = sim.dump().replicas.find((r) => r.kind === kind && r.unit === unit);
  return (changed?.state as ReplicaState | undefined) ?? sim.inventory.initialState(kind, unit);
}
