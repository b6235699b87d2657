import { pick, unit } from './hash.js';
import {
  hierarchyNodes,
  isFolderJob,
  vcdHost,
  vcdInstanceId,
  vcdRoot,
  vcenterHost,
  vcenterInstanceUuid,
  vcenterRoot,
  nameWord,
  vAppPath,
  vcdVAppRef,
  vcdVAppRefs,
  vcdVAppVmRefs,
  vmPlacement,
  vsphereVmRef,
  vsphereVmRefs,
  type HierarchyShape,
  type JobFolder,
  type PathNode,
  type VmPlacement,
} from './hierarchy.js';
import { ServerSlice } from './server-slice.js';
import { guid, indexOf, Tag, uid } from './ids.js';
import {
  EDITIONS,
  type BackupServerRecord,
  type CdpHistory,
  type CdpReplicaRecord,
  type CdpVAppRecord,
  type CdpVmRecord,
  type Edition,
  type HierarchyNode,
  type HierarchyRootRecord,
  type InventoryCounts,
  type InventoryOptions,
  type InventorySize,
  type ReplicaJobRecord,
  type ReplicaKind,
  type ReplicaState,
  type VAppReplicaPointRecord,
  type VmReplicaPointRecord,
} from './inventory-types.js';

const HOUR = 3_600_000;
/** CDP VMs and vApps share their trees with the others but number their morefs and ids from here. */
const CDP_NUMBER_BASE = 1_000_000;
const DEFAULT_REFERENCE_TIME = Date.UTC(2025, 5, 1);
const PRESETS: Record<Exclude<InventorySize, number>, number> = { demo: 40, small: 1_000, medium: 10_000, large: 100_000 };

/** Salts that keep the four kinds' hash streams apart. */
const KIND_SALT: Record<ReplicaKind, number> = { vm: 1, cdpVm: 2, vApp: 3, cdpVApp: 4 };

export function resolveSize(size: InventorySize | undefined): number {
  const n = typeof size === 'number' ? size : PRESETS[size ?? 'demo'];
  if (!Number.isInteger(n) || n < 4) throw new RangeError(`inventory size must be 'demo', 'small', 'medium', 'large' or an integer >= 4, got ${String(size)}`);
  return n;
}

/**
 * A generated inventory. Nothing per VM, vApp or point is stored: records are
 * computed on demand from the seed and the object's index, so memory grows
 * with the number of jobs at most and paging is index arithmetic. A record's `hierarchyRefs` (and a
 * vApp's member `vmRefs`, a VM replica point's `vmRef`) are built when first
 * read: they cost more than the rest of the record, and most pages rendered
 * from records never read them.
 */
export class Inventory {
  readonly seed: number;
  readonly size: number;
  readonly referenceTime: number;
  readonly counts: InventoryCounts;
  readonly shape: HierarchyShape;
  private readonly vmsPerJob: number;
  private readonly vmsPerPolicy: number;
  private readonly vAppsPerJob: number;
  private readonly vAppsPerPolicy: number;
  private readonly servers: BackupServerRecord[];
  /**
   * Job-level replica records, built on first use: one per job (a few
   * thousand at 100,000 replicas), read for every restore point rendered.
   */
  private readonly replicaRecords: Array<ReplicaJobRecord | undefined> = [];

  constructor(options: InventoryOptions = {}) {
    this.seed = (options.seed ?? 42) >>> 0;
    this.size = resolveSize(options.size);
    this.referenceTime = options.referenceTime === undefined ? DEFAULT_REFERENCE_TIME : Number(options.referenceTime);
    const points = options.pointsPerReplica ?? 3;
    if (!Number.isInteger(points) || points < 1 || points > 64) throw new RangeError('pointsPerReplica must be an integer in 1..64');

    // 60 % VM replicas, 20 % CDP VMs, 10 % vApps, 10 % CDP vApps; every kind present.
    const cdpVms = Math.max(1, Math.round(this.size * 0.2));
    const vApps = Math.max(1, Math.round(this.size * 0.1));
    const cdpVApps = Math.max(1, Math.round(this.size * 0.1));
    const vmReplicas = this.size - cdpVms - vApps - cdpVApps;
    const demo = this.size <= 100;
    this.vmsPerJob = demo ? 3 : 25;
    this.vmsPerPolicy = demo ? 4 : 50;
    this.vAppsPerJob = demo ? 2 : 10;
    this.vAppsPerPolicy = demo ? 2 : 10;
    const backupServers = this.size >= 10_000 ? 8 : 4;
    const vmJobs = Math.ceil(vmReplicas / this.vmsPerJob);
    const vcdJobs = Math.ceil(vApps / this.vAppsPerJob);
    const vmPolicies = Math.ceil(cdpVms / this.vmsPerPolicy);
    const vcdPolicies = Math.ceil(cdpVApps / this.vAppsPerPolicy);
    this.counts = {
      backupServers,
      vmReplicas,
      cdpVms,
      vAppReplicas: vApps,
      cdpVApps,
      vmJobs,
      vcdJobs,
      vmPolicies,
      vcdPolicies,
      pointsPerReplica: points,
      vmReplicaPoints: vmReplicas * points,
      vAppReplicaPoints: vApps * points,
      replicas: vmJobs + vcdJobs,
      cdpReplicas: vmPolicies + vcdPolicies,
    };
    const perServer = (vmReplicas + cdpVms) / backupServers;
    this.shape = {
      datacenters: demo ? 1 : 2,
      clustersPerDatacenter: demo ? 2 : Math.min(10, Math.max(2, Math.ceil(perServer / 1_000))),
      hostsPerCluster: demo ? 2 : 6,
      poolsPerHost: 2,
      foldersPerDatacenter: demo ? 2 : 6,
      subfoldersPerFolder: demo ? 1 : 3,
      categories: demo ? 2 : 4,
      tags: demo ? 4 : 8,
      organizations: demo ? 2 : 6,
      vdcsPerOrganization: 2,
    };
    this.servers = [];
    for (let s = 0; s < backupServers; s++) this.servers.push(this.makeBackupServer(s));
  }

  // ---- backup servers -------------------------------------------------------------

  backupServer(index: number): BackupServerRecord | undefined {
    return this.servers[index];
  }

  backupServers(): readonly BackupServerRecord[] {
    return this.servers;
  }

  private makeBackupServer(s: number): BackupServerRecord {
    // One of each edition first; extra servers (large inventories) alternate the two that can fail over.
    const edition: Edition = s < 4 ? EDITIONS[s]! : s % 2 === 0 ? 'EnterprisePlus' : 'Enterprise';
    const id = guid(this.seed, Tag.BackupServer, s);
    return {
      index: s,
      id,
      uid: uid('BackupServer', id),
      name: `vbr-${String(s + 1).padStart(2, '0')}.lab.local`,
      description: `Backup server ${s + 1} (${edition})`,
      edition,
      version: '13.0.1.1071',
      port: 9392,
    };
  }

  /** Jobs spread over servers so most replicas sit on editions that can fail over. */
  private serverOf(unitIndex: number): number {
    const slot = unitIndex % 8;
    if (slot < 2) return slot;
    return 2 + ((slot - 2) % (this.counts.backupServers - 2));
  }

  /** VCD jobs start two slots later, so even a demo has vApps on editions that can fail over. */
  private replicaServer(replicaIndex: number): number {
    return this.serverOf(replicaIndex >= this.counts.vmJobs ? replicaIndex + 2 : replicaIndex);
  }

  // ---- job-level replicas -----------------------------------------------------------

  replica(index: number): ReplicaJobRecord | undefined {
    if (index < 0 || index >= this.counts.replicas) return undefined;
    return (this.replicaRecords[index] ??= this.makeReplica(index));
  }

  private makeReplica(index: number): ReplicaJobRecord {
    const vcd = index >= this.counts.vmJobs;
    const id = guid(this.seed, Tag.Replica, index);
    const name = this.jobName(index);
    const jobId = guid(this.seed, Tag.Job, index);
    const server = this.replicaServer(index);
    const repositoryId = guid(this.seed, Tag.Repository, server);
    return {
      index,
      id,
      uid: uid('Replica', id),
      name,
      platform: vcd ? 'vCloud' : 'VMware',
      backupServer: server,
      jobUid: uid('Job', jobId),
      jobName: name,
      repositoryUid: uid('Repository', repositoryId),
      repositoryName: `Replica repository ${server + 1}`,
    };
  }

  private pointIntervalMs(job: number): number {
    return [4, 6, 12, 24][pick(4, this.seed, 41, job)]! * HOUR;
  }

  private pointTime(job: number, unitNumber: number, salt: number, p: number): number {
    const interval = this.pointIntervalMs(job);
    const offset = Math.floor(unit(this.seed, salt, unitNumber) * interval);
    const t = this.referenceTime - offset - (this.counts.pointsPerReplica - 1 - p) * interval;
    return t - (t % 1000);
  }

  // ---- VM replica points ------------------------------------------------------------

  vmReplicaPoint(index: number): VmReplicaPointRecord | undefined {
    if (index < 0 || index >= this.counts.vmReplicaPoints) return undefined;
    const P = this.counts.pointsPerReplica;
    const v = this.vmReplicaOfPoint(index);
    const p = index % P;
    const job = Math.floor(v / this.vmsPerJob);
    const server = this.serverOf(job);
    const { seed, shape } = this;
    let place: VmPlacement | undefined;
    const placed = (): VmPlacement => (place ??= this.vmPlace(v));
    let ref: string | undefined;
    let refs: string[] | undefined;
    const vmDisplayName = this.vmName(v);
    const creationTime = this.pointTime(job, v, 42, p);
    const id = guid(this.seed, Tag.VmReplicaPoint, index);
    return {
      index,
      id,
      uid: uid('VmReplicaPoint', id),
      name: `${vmDisplayName}@${formatEmTime(creationTime)}`,
      vmDisplayName,
      creationTime,
      algorithm: p === 0 ? 'Full' : 'Incremental',
      pointType: 'Snapshot',
      replica: job,
      vmReplica: v,
      backupServer: server,
      get vmRef() {
        return (ref ??= vsphereVmRef(seed, placed()));
      },
      get hierarchyRefs() {
        return (refs ??= vsphereVmRefs(seed, shape, placed()));
      },
    };
  }

  /** The VM replica whose point `index` is. */
  vmReplicaOfPoint(index: number): number {
    return Math.floor(index / this.counts.pointsPerReplica);
  }

  /** Indexes of the restore points of VM replica `v` (oldest first). */
  vmReplicaPointRange(v: number): [start: number, end: number] {
    const P = this.counts.pointsPerReplica;
    return [v * P, v * P + P];
  }

  /** Range of VM replica indexes in job-level replica `job`. */
  vmReplicasOfJob(job: number): [start: number, end: number] {
    if (job < 0 || job >= this.counts.vmJobs) return [0, 0];
    return [job * this.vmsPerJob, Math.min((job + 1) * this.vmsPerJob, this.counts.vmReplicas)];
  }

  /** Range of vApp replica indexes in VCD job-level replica `replicaIndex`. */
  vAppReplicasOfJob(replicaIndex: number): [start: number, end: number] {
    const job = replicaIndex - this.counts.vmJobs;
    if (job < 0 || job >= this.counts.vcdJobs) return [0, 0];
    return [job * this.vAppsPerJob, Math.min((job + 1) * this.vAppsPerJob, this.counts.vAppReplicas)];
  }

  // ---- vApp replica points -----------------------------------------------------------

  vAppReplicaPoint(index: number): VAppReplicaPointRecord | undefined {
    if (index < 0 || index >= this.counts.vAppReplicaPoints) return undefined;
    const P = this.counts.pointsPerReplica;
    const a = Math.floor(index / P);
    const p = index % P;
    const job = this.counts.vmJobs + Math.floor(a / this.vAppsPerJob);
    const server = this.replicaServer(job);
    const vAppName = this.vAppName(a);
    const path = this.vAppReplicaPath(a);
    const { seed } = this;
    let refs: string[] | undefined;
    let vmRefs: string[] | undefined;
    const creationTime = this.pointTime(job, a, 43, p);
    const id = guid(this.seed, Tag.VAppReplicaPoint, index);
    return {
      index,
      id,
      uid: uid('VAppReplicaPoint', id),
      name: `${vAppName}@${formatEmTime(creationTime)}`,
      vAppDisplayName: vAppName,
      vAppName,
      creationTime,
      algorithm: p === 0 ? 'Full' : 'Incremental',
      pointType: 'Snapshot',
      replica: job,
      vAppReplica: a,
      backupServer: server,
      vAppRef: vcdVAppRef(seed, server, path),
      get vmRefs() {
        return (vmRefs ??= vcdVAppVmRefs(seed, server, path, a));
      },
      get hierarchyRefs() {
        return (refs ??= vcdVAppRefs(seed, server, path));
      },
    };
  }

  vAppReplicaPointRange(a: number): [start: number, end: number] {
    const P = this.counts.pointsPerReplica;
    return [a * P, a * P + P];
  }

  // ---- CDP replicas (one per policy) ---------------------------------------------------

  cdpReplica(index: number): CdpReplicaRecord | undefined {
    if (index < 0 || index >= this.counts.cdpReplicas) return undefined;
    const vcd = index >= this.counts.vmPolicies;
    const server = this.serverOf(index + 3);
    const id = guid(this.seed, Tag.CdpReplica, index);
    const policyId = guid(this.seed, Tag.Policy, index);
    const name = vcd ? `VCD CDP Policy ${index - this.counts.vmPolicies + 1}` : `CDP Policy ${index + 1}`;
    return {
      index,
      id,
      uid: uid('CdpReplica', id),
      name,
      platform: vcd ? 'vCloud' : 'VMware',
      backupServer: server,
      policyUid: uid('CdpPolicy', policyId),
      policyName: name,
      repositoryUid: uid('Repository', guid(this.seed, Tag.Repository, server)),
      repositoryName: `Replica repository ${server + 1}`,
    };
  }

  /** Range of CDP VM indexes in CDP replica `index` (empty for VCD policies). */
  cdpVmsOf(index: number): [start: number, end: number] {
    if (index < 0 || index >= this.counts.vmPolicies) return [0, 0];
    return [index * this.vmsPerPolicy, Math.min((index + 1) * this.vmsPerPolicy, this.counts.cdpVms)];
  }

  cdpVm(index: number): CdpVmRecord | undefined {
    if (index < 0 || index >= this.counts.cdpVms) return undefined;
    const policy = Math.floor(index / this.vmsPerPolicy);
    const server = this.serverOf(policy + 3);
    const place = this.cdpVmPlace(index);
    const { seed, shape } = this;
    let refs: string[] | undefined;
    const id = guid(this.seed, Tag.CdpReplicaVm, index);
    return {
      index,
      id,
      uid: uid('CdpReplicaVm', id),
      name: this.cdpVmName(index),
      cdpReplica: policy,
      backupServer: server,
      vmRef: vsphereVmRef(seed, place),
      get hierarchyRefs() {
        return (refs ??= vsphereVmRefs(seed, shape, place));
      },
    };
  }

  cdpVApp(index: number): CdpVAppRecord | undefined {
    if (index < 0 || index >= this.counts.cdpVApps) return undefined;
    const policy = this.counts.vmPolicies + Math.floor(index / this.vAppsPerPolicy);
    const server = this.serverOf(policy + 3);
    const path = this.cdpVAppPath(index);
    const { seed } = this;
    const number = this.cdpVAppNumber(index);
    let refs: string[] | undefined;
    let vmRefs: string[] | undefined;
    const id = guid(this.seed, Tag.VAppCdpReplica, index);
    return {
      index,
      id,
      uid: uid('VAppCdpReplica', id),
      name: this.cdpVAppName(index),
      cdpReplica: policy,
      backupServer: server,
      vAppRef: vcdVAppRef(seed, server, path),
      get vmRefs() {
        return (vmRefs ??= vcdVAppVmRefs(seed, server, path, number));
      },
      get hierarchyRefs() {
        return (refs ??= vcdVAppRefs(seed, server, path));
      },
    };
  }

  // ---- lookups by bare GUID --------------------------------------------------------------

  backupServerIndex(id: string): number | undefined {
    const i = indexOf(this.seed, Tag.BackupServer, id);
    return i !== undefined && i < this.counts.backupServers ? i : undefined;
  }
  /** Index of the job-level replica whose job has GUID `id` (job i created replica i). */
  jobIndex(id: string): number | undefined {
    return bounded(indexOf(this.seed, Tag.Job, id), this.counts.replicas);
  }
  replicaIndex(id: string): number | undefined {
    return bounded(indexOf(this.seed, Tag.Replica, id), this.counts.replicas);
  }
  vmReplicaPointIndex(id: string): number | undefined {
    return bounded(indexOf(this.seed, Tag.VmReplicaPoint, id), this.counts.vmReplicaPoints);
  }
  vAppReplicaPointIndex(id: string): number | undefined {
    return bounded(indexOf(this.seed, Tag.VAppReplicaPoint, id), this.counts.vAppReplicaPoints);
  }
  cdpReplicaIndex(id: string): number | undefined {
    return bounded(indexOf(this.seed, Tag.CdpReplica, id), this.counts.cdpReplicas);
  }
  cdpVmIndex(id: string): number | undefined {
    return bounded(indexOf(this.seed, Tag.CdpReplicaVm, id), this.counts.cdpVms);
  }
  cdpVAppIndex(id: string): number | undefined {
    return bounded(indexOf(this.seed, Tag.VAppCdpReplica, id), this.counts.cdpVApps);
  }

  // ---- replica state and CDP history -----------------------------------------------------

  /** State a replica has before the simulation touches it: mostly Ready, a few in each other state. */
  initialState(kind: ReplicaKind, index: number): ReplicaState {
    // Only vSphere snapshot replicas have a state any REST API reports (VBR's replica points). The other kinds
    // start Ready: a gateway cannot know otherwise, and a world where some of them were failed over by hand
    // before it ever looked is one no client could tell from this one. A failover through EM still moves them.
    if (kind !== 'vm') return 'Ready';
    const u = unit(this.seed, 51, KIND_SALT[kind], index);
    if (u < 0.9) return 'Ready';
    if (u < 0.94) return 'Failover';
    if (u < 0.99) return u < 0.97 ? 'FailedFailover' : 'Processing';
    return 'FailedFailover';
  }

  /**
   * Short-term ranges and long-term points of a CDP VM or vApp. A vApp point is
   * application-consistent only if all its VMs are; "mixed" vApps never are.
   */
  cdpHistory(kind: 'cdpVm' | 'cdpVApp', index: number): CdpHistory {
    const salt = KIND_SALT[kind];
    const rpoSeconds = [15, 30, 60, 300][pick(4, this.seed, 61, salt, index)]!;
    const shortTermMs = [1, 4, 12, 24][pick(4, this.seed, 62, salt, index)]! * HOUR;
    const longTermEveryMs = [1, 2, 4, 8][pick(4, this.seed, 63, salt, index)]! * HOUR;
    const noAppConsistency = pick(5, this.seed, 64, salt, index) === 0;
    const end = this.referenceTime - rpoSeconds * 1000;
    const start = this.referenceTime - shortTermMs;
    const ranges =
      pick(3, this.seed, 65, salt, index) === 0
        ? [
            { start, end: start + shortTermMs / 2 - 300_000, rpoSeconds },
            { start: start + shortTermMs / 2 + 300_000, end, rpoSeconds },
          ]
        : [{ start, end, rpoSeconds }];
    const longTermPoints = [];
    for (let k = 11; k >= 0; k--) {
      longTermPoints.push({
        id: guid(this.seed, Tag.LongTermPoint, index * 16 + k, salt),
        date: start - k * longTermEveryMs,
        applicationConsistent: !noAppConsistency && k % 3 === 0,
      });
    }
    return { ranges, longTermPoints };
  }

  // ---- hierarchy roots: each backup server's vCenter (even index) and Cloud Director (odd) ----

  get hierarchyRootCount(): number {
    return this.counts.backupServers * 2;
  }

  hierarchyRoot(index: number): HierarchyRootRecord | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.hierarchyRootCount) return undefined;
    const server = Math.floor(index / 2);
    const vc = index % 2 === 0;
    const id = vc ? vcenterRoot(this.seed, server) : vcdRoot(this.seed, server);
    return {
      index,
      id,
      uid: uid('HierarchyRoot', id),
      name: vc ? vcenterHost(server) : vcdHost(server),
      uniqueId: vc ? vcenterInstanceUuid(this.seed, server).toUpperCase() : vcdInstanceId(this.seed, server),
      hostType: vc ? 'VC' : 'VcdSystem',
      backupServer: server,
    };
  }

  hierarchyRootIndex(id: string): number | undefined {
    const vc = bounded(indexOf(this.seed, Tag.VcenterRoot, id), this.counts.backupServers);
    if (vc !== undefined) return vc * 2;
    const vcd = bounded(indexOf(this.seed, Tag.VcdRoot, id), this.counts.backupServers);
    return vcd === undefined ? undefined : vcd * 2 + 1;
  }

  // ---- places in the vCenter and Cloud Director trees ------------------------------------

  /** Name of the VM of VM replica `v`. */
  vmName(v: number): string {
    return `${nameWord(this.seed, 32, v)}-${String(v + 1).padStart(4, '0')}`;
  }

  cdpVmName(index: number): string {
    return `${nameWord(this.seed, 34, index)}-cdp-${String(index + 1).padStart(4, '0')}`;
  }

  vAppName(a: number): string {
    return `vapp-${nameWord(this.seed, 33, a)}-${String(a + 1).padStart(4, '0')}`;
  }

  cdpVAppName(index: number): string {
    return `vapp-${nameWord(this.seed, 35, index)}-cdp-${String(index + 1).padStart(4, '0')}`;
  }

  /** Name of VM replication job `job` (index < vmJobs) or VCD job. */
  jobName(job: number): string {
    return job >= this.counts.vmJobs ? `VCD Replication ${job - this.counts.vmJobs + 1}` : `${nameWord(this.seed, 31, job).toUpperCase()} Replication ${job + 1}`;
  }

  /** The VM folder a folder job includes, or undefined for a job that includes its VMs. */
  jobFolder(job: number): JobFolder | undefined {
    return job >= 0 && job < this.counts.vmJobs && isFolderJob(job) ? { job, name: this.jobName(job) } : undefined;
  }

  vmPlace(v: number): VmPlacement {
    const job = Math.floor(v / this.vmsPerJob);
    return vmPlacement(this.seed, this.shape, this.serverOf(job), v, this.jobFolder(job));
  }

  cdpVmPlace(index: number): VmPlacement {
    const policy = Math.floor(index / this.vmsPerPolicy);
    // CDP VMs live in the same vCenters as the others but need their own moref numbers.
    return vmPlacement(this.seed, this.shape, this.serverOf(policy + 3), CDP_NUMBER_BASE + index);
  }

  vAppReplicaPath(a: number): PathNode[] {
    const job = this.counts.vmJobs + Math.floor(a / this.vAppsPerJob);
    return vAppPath(this.seed, this.shape, this.replicaServer(job), a, this.vAppName(a));
  }

  /** The number CDP vApp `index` has in its Cloud Director tree. */
  cdpVAppNumber(index: number): number {
    return CDP_NUMBER_BASE + index;
  }

  cdpVAppPath(index: number): PathNode[] {
    const policy = this.counts.vmPolicies + Math.floor(index / this.vAppsPerPolicy);
    return vAppPath(this.seed, this.shape, this.serverOf(policy + 3), this.cdpVAppNumber(index), this.cdpVAppName(index));
  }

  /** The objects of one kind on backup server `server`, by arithmetic (see ServerSlice). */
  slice(kind: ReplicaKind, server: number): ServerSlice {
    const c = this.counts;
    const table: Record<ReplicaKind, [units: number, perUnit: number, total: number, offset: number]> = {
      vm: [c.vmJobs, this.vmsPerJob, c.vmReplicas, 0],
      cdpVm: [c.vmPolicies, this.vmsPerPolicy, c.cdpVms, 3],
      vApp: [c.vcdJobs, this.vAppsPerJob, c.vAppReplicas, c.vmJobs + 2],
      cdpVApp: [c.vcdPolicies, this.vAppsPerPolicy, c.cdpVApps, c.vmPolicies + 3],
    };
    const [units, perUnit, total, offset] = table[kind];
    const residues: number[] = [];
    for (let r = 0; r < 8; r++) if (this.serverOf(r + offset) === server) residues.push(r);
    return new ServerSlice(residues, units, perUnit, total);
  }

  /** Folder jobs of backup server `server`. */
  jobFolders(server: number): JobFolder[] {
    const jobs = this.slice('vm', server);
    const out: JobFolder[] = [];
    for (let k = 0; k < jobs.unitCount; k++) {
      const folder = this.jobFolder(jobs.unitAt(k));
      if (folder) out.push(folder);
    }
    return out;
  }

  /** Container nodes of every backup server's vSphere and Cloud Director trees. */
  hierarchy(): HierarchyNode[] {
    return this.servers.flatMap((s) => hierarchyNodes(this.seed, this.shape, s.index, this.jobFolders(s.index)));
  }
}

function bounded(index: number | undefined, count: number): number | undefined {
  return index !== undefined && index < count ? index : undefined;
}

/** EM's restore point name timestamp, `YYYY-MM-DD HH:mm:ss` (UTC). */
export function formatEmTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Builds a deterministic inventory; see {@link InventoryOptions}. */
export function generateInventory(options: InventoryOptions = {}): Inventory {
  return new Inventory(options);
}
