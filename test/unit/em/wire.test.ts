import { describe, expect, it } from 'vitest';
import { cdpFailoverSpec } from '../../../src/em/failover.js';
import { backoffDelay } from '../../../src/http-client/retry.js';
import {
  collectionItems,
  pagingInfo,
  parseBackupServer,
  parseCdpReplica,
  parseCdpReplicaVm,
  parseCdpVApp,
  parseIntervals,
  parseReplica,
  parseTask,
  parseVAppReplicaPoint,
  parseVmReplicaPoint,
} from '../../../src/em/wire.js';
import { EmNotFoundError, EmOutcomeUnknownError, isEmError } from '../../../src/em/index.js';

describe('EM wire reading (tolerant)', () => {
  it('finds entities however the collection is wrapped', () => {
    const items = [{ UID: 'urn:veeam:X:1' }];
    expect(collectionItems({ Entities: { VmReplicaPoints: { VmReplicaPoints: items } } }, 'VmReplicaPoints')).toEqual(items);
    expect(collectionItems({ Entities: { VmReplicaPoints: items } }, 'VmReplicaPoints')).toEqual(items);
    expect(collectionItems({ vmReplicaPoints: items }, 'VmReplicaPoints')).toEqual(items);
    expect(collectionItems({ Refs: items }, 'VmReplicaPoints')).toEqual(items);
    expect(collectionItems({ Entities: { VmReplicaPoints: { VmReplicaPoint: items[0] } } }, 'VmReplicaPoints')).toEqual(items);
    expect(collectionItems({ Entities: { SomethingElse: items } }, 'VmReplicaPoints')).toEqual(items);
    expect(collectionItems(items, 'VmReplicaPoints')).toEqual(items);
  });

  it('reads a real-EM VmReplicaPoint without simulator extensions, using links', () => {
    const p = parseVmReplicaPoint({
      Name: 'sql02@2014-10-19 05:44:54',
      UID: 'urn:veeam:VmReplicaPoint:abc',
      VmDisplayName: 'sql02',
      CreationTimeUTC: '2014-10-19T05:44:54',
      PoinType: 'Snapshot',
      Links: [
        { Rel: 'Up', Href: 'https://em:9398/api/backupServers/srv', Type: 'BackupServerReference' },
        { Rel: 'Up', Href: 'https://em:9398/api/replicas/rep', Type: 'ReplicaReference' },
      ],
    });
    expect(p).toMatchObject({ id: 'abc', replicaUid: 'urn:veeam:Replica:rep', backupServerUid: 'urn:veeam:BackupServer:srv', pointType: 'Snapshot' });
    expect(p.vmReplicaKey).toBe('urn:veeam:Replica:rep/name:sql02');
    expect(p.creationTime.toISOString()).toBe('2014-10-19T05:44:54.000Z');
    for (const extension of ['replicaState', 'vmRef', 'hierarchyRefs']) expect(p).not.toHaveProperty(extension);
  });

  it('reads none of the undocumented fields an older simulator served, only documented fields and Up links', () => {
    const up = [
      { Rel: 'Up', Href: 'https://em:9398/api/backupServers/srv', Type: 'BackupServerReference' },
      { Rel: 'Up', Href: 'https://em:9398/api/replicas/rep', Type: 'ReplicaReference' },
    ];
    const server = parseBackupServer({ UID: 'urn:veeam:BackupServer:srv', Name: 'vbr01', Version: '13.0.1.1071', Edition: 'EnterprisePlus' });
    expect(server).toEqual({ id: 'srv', uid: 'urn:veeam:BackupServer:srv', name: 'vbr01', version: '13.0.1.1071', description: undefined });
    const replica = parseReplica({ UID: 'urn:veeam:Replica:rep', Name: 'Job 1', Platform: 'VMware', JobUid: 'urn:veeam:Job:j', JobName: 'Job 1', RepositoryUid: 'urn:veeam:Repository:r', Links: up });
    expect(replica).toEqual({ id: 'rep', uid: 'urn:veeam:Replica:rep', name: 'Job 1', platform: 'VMware', backupServerUid: 'urn:veeam:BackupServer:srv' });
    const vmPoint = parseVmReplicaPoint({
      UID: 'urn:veeam:VmReplicaPoint:abc',
      Name: 'sql02@2014-10-19 05:44:54',
      VmDisplayName: 'sql02',
      ReplicaState: 'Ready',
      VmRef: 'urn:VMware:Vm:root.vm-1',
      HierarchyRefs: ['urn:VMware:Cluster:root.domain-c1', 'urn:VMware:Vm:root.vm-1'],
      Links: up,
    });
    expect(vmPoint).toMatchObject({ replicaUid: 'urn:veeam:Replica:rep', backupServerUid: 'urn:veeam:BackupServer:srv' });
    for (const extension of ['replicaState', 'vmRef', 'hierarchyRefs']) expect(vmPoint).not.toHaveProperty(extension);
    const vAppPoint = parseVAppReplicaPoint({
      UID: 'urn:veeam:VAppReplicaPoint:def',
      Name: 'app01@2025-01-01 00:00:00',
      VAppDisplayName: 'app01',
      VAppName: 'app01',
      ReplicaState: 'Incomplete',
      VAppRef: 'urn:vCloud:Vapp:root.urn:vcloud:vapp:1',
      VmRefs: ['urn:vCloud:Vm:root.urn:vcloud:vm:1'],
      HierarchyRefs: ['urn:vCloud:Vapp:root.urn:vcloud:vapp:1'],
      Links: up,
    });
    expect(vAppPoint).toMatchObject({ id: 'def', vAppName: 'app01', vAppReplicaKey: 'urn:veeam:Replica:rep/name:app01' });
    for (const extension of ['replicaState', 'vAppRef', 'vmRefs', 'hierarchyRefs']) expect(vAppPoint).not.toHaveProperty(extension);
    // CDP: the documented VmRef / vAppRef stay; the rest does not.
    const cdpVm = parseCdpReplicaVm({ UID: 'urn:veeam:CdpReplicaVm:vm1', Name: 'web01', VmRef: 'urn:VMware:Vm:root.vm-85541', ReplicaState: 'Ready', HierarchyRefs: ['x'], Links: up }, 'cdp1');
    expect(cdpVm).toMatchObject({ cdpReplicaId: 'cdp1', vmRef: 'urn:VMware:Vm:root.vm-85541', backupServerUid: 'urn:veeam:BackupServer:srv' });
    for (const extension of ['replicaState', 'hierarchyRefs']) expect(cdpVm).not.toHaveProperty(extension);
    const cdpVApp = parseCdpVApp({ UID: 'urn:veeam:VAppCdpReplica:va1', Name: 'app02', vAppRef: 'urn:vCloud:Vapp:root.urn:vcloud:vapp:2', VmRefs: ['y'], ReplicaState: 'Ready', Links: up });
    expect(cdpVApp).toMatchObject({ vAppRef: 'urn:vCloud:Vapp:root.urn:vcloud:vapp:2', backupServerUid: 'urn:veeam:BackupServer:srv' });
    for (const extension of ['replicaState', 'vmRefs', 'hierarchyRefs']) expect(cdpVApp).not.toHaveProperty(extension);
  });

  it('reads a CDP replica from its documented fields only', () => {
    const up = [{ Rel: 'Up', Href: 'https://em:9398/api/backupServers/srv', Type: 'BackupServerReference' }];
    const c = parseCdpReplica({ UID: 'urn:veeam:CdpReplica:c1', Name: 'pol', BackupServer: 'vbr-1', PolicyUid: 'urn:veeam:CdpPolicy:p', PolicyName: 'pol', Platform: 'vCloud', BackupServerName: 'other', PolicyId: 'x', Links: up });
    expect(c).toEqual({ id: 'c1', uid: 'urn:veeam:CdpReplica:c1', name: 'pol', backupServerUid: 'urn:veeam:BackupServer:srv', backupServerName: 'vbr-1', policyUid: 'urn:veeam:CdpPolicy:p', policyName: 'pol' });
  });

  it('reads tasks with a string Success and a Related restore session link', () => {
    const t = parseTask({
      TaskId: 'task-1',
      State: 'Finished',
      Operation: 'StartReplicaFailover',
      Result: { Success: 'true', Message: 'Ok' },
      Links: [{ Rel: 'Related', Href: 'https://em/api/restoreSessions/rs-1?format=Entity', Type: 'RestoreSession' }],
    });
    expect(t).toEqual({ id: 'task-1', state: 'Finished', operation: 'StartReplicaFailover', result: { success: true, message: 'Ok' }, restoreSessionId: 'rs-1' });
  });

  it('reads intervals in the XML-mapped {Interval: …} shape too', () => {
    const i = parseIntervals({
      StartDate: '2025-01-01T00:00:00Z',
      EndDate: '2025-01-02T00:00:00Z',
      HasApplicationConsistentState: 'true',
      Intervals: { Interval: { StartDate: '2025-01-01T01:00:00Z', EndDate: '2025-01-01T02:00:00Z', Rpo: '15', IntervalType: 'RestoreAvailable' } },
      RestorePoints: { RestorePoint: [{ Id: 'p', Date: '2025-01-01T00:30:00Z', IsApplicationConsistent: true }] },
    });
    expect(i.hasApplicationConsistentState).toBe(true);
    expect(i.ranges).toHaveLength(1);
    expect(i.ranges[0]!.rpo).toBe(15);
    expect(i.longTermPoints[0]).toMatchObject({ id: 'p', applicationConsistent: true });
  });

  it('reads PagingInfo', () => {
    expect(pagingInfo({ PagingInfo: { PageNum: 1, PagesCount: 3, Links: [{ Rel: 'Next', Href: 'x', Type: 'PageReference' }] } })).toEqual({ pageNum: 1, pagesCount: 3, nextHref: 'x' });
    expect(pagingInfo({})).toBeUndefined();
  });
});

describe('CdpFailoverStartSpec building', () => {
  const at = new Date('2025-01-01T00:00:00Z');
  it('sets exactly one target', () => {
    expect(cdpFailoverSpec({ kind: 'latestCrashConsistent' }, 'RestoreAtPointInTime')).toEqual({ RestoreCurrent: true, RestoreCurrentVss: false });
    expect(cdpFailoverSpec({ kind: 'latestApplicationConsistent' }, 'RestoreAtPointInTime')).toEqual({ RestoreCurrent: false, RestoreCurrentVss: true });
    expect(cdpFailoverSpec({ kind: 'pointInTime', at }, 'RestoreAtPointinTime')).toEqual({ RestoreCurrent: false, RestoreCurrentVss: false, RestoreAtPointinTime: at.toISOString() });
    expect(cdpFailoverSpec({ kind: 'interval', at }, 'RestoreAtPointInTime')).toEqual({ RestoreCurrent: false, RestoreCurrentVss: false, RestoreAtInterval: at.toISOString() });
  });
});

describe('retries and errors', () => {
  it('backs off exponentially with full jitter, capped', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    for (let attempt = 0; attempt < 8; attempt++) {
      for (let k = 0; k < 50; k++) {
        const d = backoffDelay(policy, attempt);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.min(1_000, 100 * 2 ** attempt));
      }
    }
  });

  it('errors are discriminable by kind and by class', () => {
    const e = new EmOutcomeUnknownError('lost', { method: 'POST', url: 'u' });
    expect(isEmError(e)).toBe(true);
    expect(isEmError(e, 'outcome_unknown')).toBe(true);
    expect(isEmError(e, 'not_found')).toBe(false);
    expect(e.name).toBe('EmOutcomeUnknownError');
    expect(new EmNotFoundError('x').kind).toBe('not_found');
    expect(isEmError(new Error('x'))).toBe(false);
  });
});
