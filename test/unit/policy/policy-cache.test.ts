import { describe, expect, it } from 'vitest';
import { createPolicy, createPolicyCache, policyFingerprint, type AccountGrant, type PolicyPrincipal } from '../../../src/policy/index.js';

const ALL = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'] as const;
const group = (id: string, name: string, roles: AccountGrant['roles'], allowedKinds: AccountGrant['allowedKinds'] = ALL): AccountGrant => ({
  id,
  type: 'GROUP',
  name,
  roles,
  scopeAll: false,
  allowedKinds,
});

/** A cache over an in-memory account table that counts its loads. */
function world(accounts: AccountGrant[]) {
  const loads: string[] = [];
  let failNext = false;
  const cache = createPolicyCache({
    load: async (principal) => {
      loads.push(principal.subject);
      if (failNext) {
        failNext = false;
        throw new Error('database away');
      }
      return createPolicy({ principal, accounts, servers: [] });
    },
  });
  return { cache, loads, failOnce: () => (failNext = true) };
}

const alice: PolicyPrincipal = { subject: 'alice', groups: ['ops', 'dr'] };

describe('the policy cache', () => {
  it('loads a principal once per generation, whatever the order of its groups', async () => {
    const { cache, loads } = world([group('11111111-1111-4111-8111-111111111111', 'ops', ['RESTORE_OPERATOR'])]);
    const first = await cache.get(alice, 1);
    expect(await cache.get({ subject: 'alice', groups: ['dr', 'ops'] }, 1)).toBe(first);
    expect(loads).toEqual(['alice']);
    const next = await cache.get(alice, 2);
    expect(next).not.toBe(first);
    expect(loads).toEqual(['alice', 'alice']);
  });

  it('gives principals with the same rules one fingerprint, and different rules or generations another', async () => {
    const { cache } = world([group('11111111-1111-4111-8111-111111111111', 'ops', ['RESTORE_OPERATOR']), group('22222222-2222-4222-8222-222222222222', 'audit', ['PORTAL_USER'], ['VM_REPLICA'])]);
    const bob = await cache.get({ subject: 'bob', groups: ['ops'] }, 1);
    const carol = await cache.get({ subject: 'carol', groups: ['ops'] }, 1);
    const dave = await cache.get({ subject: 'dave', groups: ['audit'] }, 1);
    // A scoped caller's rules name its subject (the operations it started): different subjects, different fingerprints.
    expect(bob.fingerprint).not.toBe(carol.fingerprint);
    expect(dave.fingerprint).not.toBe(bob.fingerprint);
    expect((await cache.get({ subject: 'bob', groups: ['ops'] }, 2)).fingerprint).not.toBe(bob.fingerprint);
    expect(policyFingerprint(bob.policy)).toBe(bob.fingerprint);
  });

  it('shares a fingerprint between administrators of one group', async () => {
    const { cache } = world([group('33333333-3333-4333-8333-333333333333', 'admins', ['PORTAL_ADMINISTRATOR'])]);
    const erin = await cache.get({ subject: 'erin', groups: ['admins'] }, 1);
    const frank = await cache.get({ subject: 'frank', groups: ['admins'] }, 1);
    expect(erin.fingerprint).toBe(frank.fingerprint);
  });

  it('does not remember a failed load', async () => {
    const { cache, loads, failOnce } = world([]);
    failOnce();
    await expect(cache.get(alice, 1)).rejects.toThrow('database away');
    await expect(cache.get(alice, 1)).resolves.toBeDefined();
    expect(loads).toEqual(['alice', 'alice']);
  });

  it('hands out no fingerprint for a policy built outside it', () => {
    expect(policyFingerprint(createPolicy({ principal: alice, accounts: [], servers: [] }))).toBeUndefined();
  });
});
