import { describe, expect, it } from 'vitest';
import { EM_ALLOWLIST, EM_PLURALS, undocumentedKeys } from '../../contract/em-allowlist.js';

const link = { Rel: 'Up', Href: 'https://em:9398/api/backupServers/1', Type: 'BackupServerReference', Name: 'vbr-1' };
const point = {
  Type: 'VmReplicaPoint',
  Href: 'https://em:9398/api/vmReplicaPoints/1?format=Entity',
  Name: 'sql02@2014-10-19 05:44:54',
  UID: 'urn:veeam:VmReplicaPoint:1',
  VmDisplayName: 'sql02',
  Links: [link],
  CreationTimeUTC: '2014-10-19T05:44:54Z',
  Algorithm: 'Incremental',
  PointType: 'Snapshot',
};

describe('EM allowlist', () => {
  it('leaves out the fields EM does not document, wherever the simulator serves them', () => {
    expect(EM_ALLOWLIST['BackupServer']).not.toHaveProperty('Edition');
    for (const shape of ['VmReplicaPoint', 'VAppReplicaPoint', 'CdpReplicaVm', 'VAppCdpReplica']) {
      expect(EM_ALLOWLIST[shape]).not.toHaveProperty('HierarchyRefs');
      expect(EM_ALLOWLIST[shape]).not.toHaveProperty('ReplicaState');
    }
    expect(EM_ALLOWLIST['VmReplicaPoint']).not.toHaveProperty('VmRef');
    expect(EM_ALLOWLIST['VAppReplicaPoint']).not.toHaveProperty('VAppRef');
    expect(EM_ALLOWLIST['VAppReplicaPoint']).not.toHaveProperty('VmRefs');
    expect(EM_ALLOWLIST['VAppCdpReplica']).not.toHaveProperty('VmRefs');
    // The refs EM does document stay.
    expect(EM_ALLOWLIST['CdpReplicaVm']).toHaveProperty('VmRef');
    expect(EM_ALLOWLIST['VAppCdpReplica']).toHaveProperty('vAppRef');
  });

  it('names a shape for every nested field and every plural', () => {
    for (const fields of Object.values(EM_ALLOWLIST)) for (const nested of Object.values(fields)) if (nested !== null && nested !== 'EntityCollections') expect(EM_ALLOWLIST).toHaveProperty(nested);
    for (const entity of Object.values(EM_PLURALS)) expect(EM_ALLOWLIST).toHaveProperty(entity);
  });

  it('passes a documented entity', () => {
    expect(undocumentedKeys('VmReplicaPoint', point)).toEqual([]);
  });

  it('lists extra keys at the top, in Links entries and in nested results, without walking into them', () => {
    expect(
      undocumentedKeys('VmReplicaPoint', { ...point, ReplicaState: 'Ready', HierarchyRefs: [{ Deep: 1 }], Links: [link, { ...link, Title: 'x' }] }),
    ).toEqual(['Links[1].Title', 'ReplicaState', 'HierarchyRefs']);
    expect(undocumentedKeys('Task', { Type: 'Task', TaskId: 'task-1', State: 'Finished', Result: { Success: true, Message: 'Ok', Code: 0 } })).toEqual(['Result.Code']);
    expect(undocumentedKeys('Task', { TaskId: 'task-1', Name: 'task-1' })).toEqual(['Name']);
  });

  it('walks query results into the entity each plural holds', () => {
    const page = {
      Entities: { VmReplicaPoints: { VmReplicaPoints: [point, { ...point, VmRef: 'urn:VMware:Vm:r.vm-1' }] }, Widgets: { Widgets: [] } },
      PagingInfo: { Links: [{ ...link, Rel: 'Next' }], PageNum: 1, PageSize: 2, PagesCount: 3, Total: 6 },
    };
    expect(undocumentedKeys('QueryResult', page)).toEqual(['Entities.VmReplicaPoints.VmReplicaPoints[1].VmRef', 'Entities.Widgets', 'PagingInfo.Total']);
    expect(undocumentedKeys('QueryResult', { Refs: [{ Type: 'VmReplicaPointReference', Href: 'h', Name: 'n', UID: 'u', Links: [], VmRef: 'x' }] })).toEqual(['Refs[0].VmRef']);
  });

  it('walks CDP intervals', () => {
    expect(
      undocumentedKeys('CdpReplicaIntervals', {
        StartDate: 'a',
        EndDate: 'b',
        HasApplicationConsistentState: true,
        Intervals: [{ StartDate: 'a', EndDate: 'b', Rpo: 15, IntervalType: 'RestoreAvailable', Unit: 's' }],
        RestorePoints: [{ Id: '1', Date: 'a', IsApplicationConsistent: false }],
      }),
    ).toEqual(['Intervals[0].Unit']);
  });

  it('refuses a shape it has no list for', () => {
    expect(() => undocumentedKeys('Widget', {})).toThrow(/no EM allowlist/);
  });
});
