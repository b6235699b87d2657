import { describe, expect, it } from 'vitest';
import { failoverAvailability } from '../src/lib/failover-availability';

const viewer = { allowedKinds: ['VM_REPLICA', 'CDP_VM'] as const };
const replica = (state: string | null, canFailOver = true, kind: 'VM_REPLICA' | 'VCD_VAPP_REPLICA' = 'VM_REPLICA') => ({ kind, state, backupServer: { canFailOver } });

describe('whether the inventory offers "Fail over"', () => {
  it('offers it for a Ready replica, and for one whose state the sync did not learn (the gateway asks EM)', () => {
    expect(failoverAvailability({ allowedKinds: [...viewer.allowedKinds] }, replica('Ready'))).toEqual({ allowed: true });
    expect(failoverAvailability({ allowedKinds: [...viewer.allowedKinds] }, replica(null))).toEqual({ allowed: true });
  });

  it('says why not: a kind the caller may not fail over, an edition that forbids it, a state other than Ready', () => {
    expect(failoverAvailability({ allowedKinds: [...viewer.allowedKinds] }, replica('Ready', true, 'VCD_VAPP_REPLICA'))).toEqual({ allowed: false, why: 'Your accounts may not fail over this kind' });
    expect(failoverAvailability({ allowedKinds: [...viewer.allowedKinds] }, replica('Ready', false))).toMatchObject({ allowed: false, why: expect.stringMatching(/edition/) });
    expect(failoverAvailability({ allowedKinds: [...viewer.allowedKinds] }, replica('Failover'))).toEqual({ allowed: false, why: 'Not ready (Failover)' });
  });
});
