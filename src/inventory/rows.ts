import type { CdpIntervals, CdpReplica, CdpReplicaVm, CdpVApp, Replica, VAppReplicaPoint, VmReplicaPoint } from '../em/index.js';
import { contentHash, replicaId } from './hash.js';
import type { Placement } from './sources/join.js';
import type { ReplicaKind } from './types.js';

/**
 * EM objects turned into the rows the cache stores. Pure functions: the hash
 * of a row covers exactly the columns written from EM, so an unchanged EM
 * object gives an unchanged hash whatever the sync's clock says.
 */

export interface ReplicaRow {
  id: string;
  emKey: string;
  kind: ReplicaKind;
  name: string;
  platform: string;
  /** The state a new row starts with (see sources/states.ts: the sync keeps states current in a pass of their own). */
  state: string | null;
  backupServerId: string;
  parentEmId: string | null;
  parentEmUid: string | null;
  emId: string | null;
  objectRef: string | null;
  jobUid: string | null;
  jobName: string | null;
  policyUid: string | null;
  policyName: string | null;
  refs: string[];
  memberVmRefs: string[];
  /** The VBR replica (vSphere snapshot replicas) the sources matched, for reading state and for lifecycle calls. */
  vbrReplicaId: string | null;
  contentHash: string;
}

export interface RestorePointRow {
  id: string;
  uid: string;
  replicaId: string;
  name: string;
  creationTime: Date;
  algorithm: string | null;
  pointType: string | null;
  contentHash: string;
}

/** The CDP intervals of one CDP VM or vApp, replaced as a whole when their hash changes. */
export interface CdpChildren {
  replicaId: string;
  hash: string;
  hasApplicationConsistentState: boolean;
  ranges: Array<{ start: Date; end: Date; rpo: number | null; type: string }>;
  longTermPoints: Array<{ emId: string; date: Date; applicationConsistent: boolean }>;
}

const idFromUid = (uid: string): string => uid.slice(uid.lastIndexOf(':') + 1);

function finish(row: Omit<ReplicaRow, 'id' | 'contentHash'>): ReplicaRow {
  const hash = contentHash([
    row.kind, row.emKey, row.name, row.platform, row.backupServerId, row.parentEmId, row.parentEmUid, row.emId,
    row.objectRef, row.jobUid, row.jobName, row.policyUid, row.policyName, row.refs, row.memberVmRefs, row.vbrReplicaId,
  ]);
  return { id: replicaId(row.kind, row.emKey), ...row, contentHash: hash };
}

/** The VM replica (failover-able unit) a VM replica point belongs to. */
export function vmReplicaRow(p: VmReplicaPoint, job: Replica | undefined, backupServerId: string, placement: Placement): ReplicaRow {
  return finish({
    emKey: p.vmReplicaKey,
    kind: 'VM_REPLICA',
    name: p.vmDisplayName,
    platform: job?.platform ?? 'VMware',
    state: placement.state,
    backupServerId,
    parentEmId: idFromUid(p.replicaUid),
    parentEmUid: p.replicaUid,
    emId: null,
    objectRef: placement.objectRef,
    jobUid: null,
    jobName: job?.name ?? null,
    policyUid: null,
    policyName: null,
    refs: placement.refs,
    memberVmRefs: [],
    vbrReplicaId: placement.vbrReplicaId,
  });
}

/** The vApp replica (failover-able unit) a vApp replica point belongs to. */
export function vAppReplicaRow(p: VAppReplicaPoint, job: Replica | undefined, backupServerId: string, placement: Placement): ReplicaRow {
  return finish({
    emKey: p.vAppReplicaKey,
    kind: 'VCD_VAPP_REPLICA',
    name: p.vAppName ?? p.vAppDisplayName,
    platform: job?.platform ?? 'vCloud',
    state: placement.state,
    backupServerId,
    parentEmId: idFromUid(p.replicaUid),
    parentEmUid: p.replicaUid,
    emId: null,
    objectRef: placement.objectRef,
    jobUid: null,
    jobName: job?.name ?? null,
    policyUid: null,
    policyName: null,
    refs: placement.refs,
    memberVmRefs: placement.memberVmRefs,
    vbrReplicaId: placement.vbrReplicaId,
  });
}

/** The CDP replica uid a CDP VM's row names as its parent. */
const cdpParentUid = (vm: CdpReplicaVm, policy: CdpReplica | undefined): string => vm.cdpReplicaUid ?? policy?.uid ?? `urn:veeam:CdpReplica:${vm.cdpReplicaId}`;

/** The row id of a CDP VM, known without building its row. */
export const cdpVmRowId = (vm: CdpReplicaVm, policy: CdpReplica | undefined): string => replicaId('CDP_VM', `${cdpParentUid(vm, policy)}/${vm.uid}`);

/** The row id of a CDP vApp, known without building its row. */
export const cdpVAppRowId = (v: CdpVApp): string => replicaId('VCD_CDP_VAPP', v.uid);

export function cdpVmRow(vm: CdpReplicaVm, policy: CdpReplica | undefined, backupServerId: string, placement: Placement): ReplicaRow {
  const parentUid = cdpParentUid(vm, policy);
  return finish({
    emKey: `${parentUid}/${vm.uid}`,
    kind: 'CDP_VM',
    name: vm.name,
    platform: 'VMware',
    state: placement.state,
    backupServerId,
    parentEmId: vm.cdpReplicaId,
    parentEmUid: parentUid,
    emId: vm.id,
    objectRef: placement.objectRef,
    jobUid: null,
    jobName: null,
    policyUid: vm.policyUid ?? policy?.policyUid ?? null,
    policyName: vm.policyName ?? policy?.policyName ?? null,
    refs: placement.refs,
    memberVmRefs: [],
    vbrReplicaId: placement.vbrReplicaId,
  });
}

export function cdpVAppRow(v: CdpVApp, policy: CdpReplica | undefined, backupServerId: string, placement: Placement): ReplicaRow {
  return finish({
    emKey: v.uid,
    kind: 'VCD_CDP_VAPP',
    name: v.name,
    platform: 'vCloud',
    state: placement.state,
    backupServerId,
    parentEmId: v.cdpReplicaUid ? idFromUid(v.cdpReplicaUid) : null,
    parentEmUid: v.cdpReplicaUid ?? null,
    emId: v.id,
    objectRef: placement.objectRef,
    jobUid: null,
    jobName: null,
    policyUid: v.policyUid ?? policy?.policyUid ?? null,
    policyName: v.policyName ?? policy?.policyName ?? null,
    refs: placement.refs,
    memberVmRefs: placement.memberVmRefs,
    vbrReplicaId: placement.vbrReplicaId,
  });
}

export function restorePointRow(p: VmReplicaPoint | VAppReplicaPoint, replica: string): RestorePointRow {
  const row = {
    id: p.id,
    uid: p.uid,
    replicaId: replica,
    name: p.name,
    creationTime: p.creationTime,
    algorithm: p.algorithm ?? null,
    pointType: p.pointType ?? null,
  };
  return { ...row, contentHash: contentHash([row.id, row.uid, row.replicaId, row.name, row.creationTime.getTime(), row.algorithm, row.pointType]) };
}

export function cdpChildren(replica: string, intervals: CdpIntervals): CdpChildren {
  const ranges = intervals.ranges.map((r) => ({ start: r.start, end: r.end, rpo: r.rpo === undefined ? null : Math.round(r.rpo), type: r.type }));
  const longTermPoints = intervals.longTermPoints.map((p) => ({ emId: p.id, date: p.date, applicationConsistent: p.applicationConsistent }));
  const hash = contentHash([
    intervals.hasApplicationConsistentState,
    ranges.map((r) => [r.start.getTime(), r.end.getTime(), r.rpo, r.type]),
    longTermPoints.map((p) => [p.emId, p.date.getTime(), p.applicationConsistent]),
  ]);
  return { replicaId: replica, hash, hasApplicationConsistentState: intervals.hasApplicationConsistentState, ranges, longTermPoints };
}
