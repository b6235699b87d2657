import { describe, expect, it } from 'vitest';
import { FAILOVER_INPUTS } from '../src/lib/failover-input';

describe('the failover input of each kind', () => {
  it('VM and vApp replicas fail over to a restore point, with the reason trimmed (none when blank)', () => {
    const choice = { kind: 'restorePoint', restorePointId: 'UmVzdG9yZVBvaW50OjE=' } as const;
    expect(FAILOVER_INPUTS.VM_REPLICA('r', { choice, reason: '  flood ', dryRun: true })).toEqual({
      vmReplica: { restorePointId: 'UmVzdG9yZVBvaW50OjE=', reason: 'flood', dryRun: true },
    });
    expect(FAILOVER_INPUTS.VCD_VAPP_REPLICA('r', { choice, reason: '   ', dryRun: false })).toEqual({
      vcdVAppReplica: { restorePointId: 'UmVzdG9yZVBvaW50OjE=', reason: null, dryRun: false },
    });
  });

  it('CDP kinds fail over to one target: latest crash-consistent, latest application-consistent, or a moment', () => {
    expect(FAILOVER_INPUTS.CDP_VM('cdp', { choice: { kind: 'latestCrashConsistent' }, reason: '', dryRun: false })).toEqual({
      cdpVmReplica: { replicaId: 'cdp', target: { latestCrashConsistent: true }, reason: null, dryRun: false },
    });
    expect(FAILOVER_INPUTS.VCD_CDP_VAPP('vapp', { choice: { kind: 'latestApplicationConsistent' }, reason: 'x', dryRun: true })).toEqual({
      vcdCdpVAppReplica: { replicaId: 'vapp', target: { latestApplicationConsistent: true }, reason: 'x', dryRun: true },
    });
    expect(FAILOVER_INPUTS.CDP_VM('cdp', { choice: { kind: 'pointInTime', at: Date.UTC(2026, 11, 3, 23, 25) }, reason: '', dryRun: true }).cdpVmReplica?.target).toEqual({
      pointInTime: '2026-12-03T23:25:00.000Z',
    });
  });

  it('refuses a target the kind does not have', () => {
    expect(() => FAILOVER_INPUTS.VM_REPLICA('r', { choice: { kind: 'latestCrashConsistent' }, reason: '', dryRun: true })).toThrow(/restore points/);
    expect(() => FAILOVER_INPUTS.CDP_VM('r', { choice: { kind: 'restorePoint', restorePointId: 'p' }, reason: '', dryRun: true })).toThrow(/moment/);
  });
});
