import { describe, expect, it } from 'vitest';
import { EMPTY_FAILBACK_FORM, failbackInput, type FailbackForm } from '../src/lib/failback-input';
import { toLocalInput } from '../src/lib/format';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const build = (form: Partial<FailbackForm>, reason = '', dryRun = false) => failbackInput('VmReplica:1', { ...EMPTY_FAILBACK_FORM, ...form }, { reason, dryRun, now: NOW });

describe('the failback input', () => {
  it('original location with a manual switchover (the defaults), the VM powered on, the reason trimmed', () => {
    expect(build({}, '  site A is back ', true)).toEqual({
      input: {
        replicaId: 'VmReplica:1',
        destination: { originalLocation: { quickRollback: false } },
        switchover: { manual: true },
        powerOnTargetVm: true,
        reason: 'site A is back',
        dryRun: true,
      },
    });
    expect(build({ quickRollback: true, powerOn: false, switchover: 'automatic' })).toMatchObject({
      input: { destination: { originalLocation: { quickRollback: true } }, switchover: { automatic: true }, powerOnTargetVm: false, reason: null, dryRun: false },
    });
  });

  it('the original VM restored elsewhere: a VirtualMachine of a vCenter, all three fields needed', () => {
    expect(build({ destination: 'originalVm', vcenter: ' vcsa-1 ', vmName: 'db-01', vmObjectId: 'vm-2042' })).toMatchObject({
      input: { destination: { originalVm: { vm: { hostName: 'vcsa-1', name: 'db-01', type: 'VirtualMachine', objectId: 'vm-2042' } } } },
    });
    expect(build({ destination: 'originalVm', vcenter: 'vcsa-1', vmName: 'db-01' })).toEqual({ problem: { field: 'vmObjectId', message: expect.stringMatching(/vm-2042/) } });
    expect(build({ destination: 'originalVm' })).toMatchObject({ problem: { field: 'vcenter' } });
  });

  it('a customized location: the host or cluster, and the resource pool and folder only when named', () => {
    const built = build({ destination: 'customized', vcenter: 'vcsa-1', hostName: 'Cluster B', hostType: 'Cluster', hostObjectId: 'domain-c7', restoreVmTags: true });
    expect(built).toMatchObject({
      input: { destination: { customized: { host: { hostName: 'vcsa-1', name: 'Cluster B', type: 'Cluster', objectId: 'domain-c7' }, restoreVmTags: true } } },
    });
    expect('input' in built && built.input.destination.customized).not.toHaveProperty('resourcePool');
    expect('input' in built && built.input.destination.customized).not.toHaveProperty('folder');
    expect(
      build({ destination: 'customized', vcenter: 'vcsa-1', hostName: 'esx-7', resourcePoolName: 'DR', resourcePoolObjectId: 'resgroup-9', folderName: 'Restored' }),
    ).toMatchObject({
      input: {
        destination: {
          customized: {
            host: { hostName: 'vcsa-1', name: 'esx-7', type: 'Host' },
            resourcePool: { hostName: 'vcsa-1', name: 'DR', type: 'ResourcePool', objectId: 'resgroup-9' },
            folder: { hostName: 'vcsa-1', name: 'Restored', type: 'Folder' },
          },
        },
      },
    });
    expect(build({ destination: 'customized', vcenter: 'vcsa-1' })).toMatchObject({ problem: { field: 'hostName' } });
  });

  it('a switch at a time: a moment in the future, sent as an instant', () => {
    const later = NOW + 3_600_000;
    expect(build({ switchover: 'at', switchAt: toLocalInput(later) })).toMatchObject({ input: { switchover: { at: new Date(later).toISOString() } } });
    expect(build({ switchover: 'at', switchAt: toLocalInput(NOW - 60_000) })).toEqual({ problem: { field: 'switchAt', message: 'The switch must be in the future.' } });
    expect(build({ switchover: 'at', switchAt: '' })).toMatchObject({ problem: { field: 'switchAt' } });
  });
});
