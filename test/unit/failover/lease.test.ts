import { describe, expect, it } from 'vitest';
import { failoverLease } from '../../../src/failover/lease.js';

describe('failoverLease', () => {
  it('outlasts a dispatch by default: the larger of 30 s and two EM timeouts plus 10 s', () => {
    expect(failoverLease({ emTimeoutMs: 10_000 })).toEqual({ ms: 30_000 });
    expect(failoverLease({ emTimeoutMs: 60_000 })).toEqual({ ms: 130_000 });
  });

  it('keeps a configured lease that outlasts a dispatch, without a warning', () => {
    expect(failoverLease({ failoverLeaseSeconds: 21, emTimeoutMs: 10_000 })).toEqual({ ms: 21_000 });
  });

  it('keeps a shorter configured lease but warns, naming both settings and what to set', () => {
    const lease = failoverLease({ failoverLeaseSeconds: 20, emTimeoutMs: 10_000 });
    expect(lease.ms).toBe(20_000);
    expect(lease.warning).toMatch(/^FAILOVER_LEASE_SECONDS=20 does not outlast a dispatch \(two EM calls of EM_TIMEOUT_MS=10000\)/);
    expect(lease.warning).toContain('Set it above 20, or leave it unset (30 s)');
    expect(failoverLease({ failoverLeaseSeconds: 3, emTimeoutMs: 10_000 }).warning).toBeDefined();
  });
});
