import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Policy } from './policy.js';
import type { PolicyPrincipal } from './types.js';

/** A principal's policy as the cache keeps it, with what identifies it across principals. */
export interface CachedPolicy {
  policy: Policy;
  /**
   * The effective policy, as a hash: its rules (roles, allowed kinds, granted
   * actions, the accounts whose visibility counts, the caller's own subject
   * where a rule names it, the gated servers) and the policy generation it was
   * loaded in (a scope change keeps the rules and changes the generation).
   * Two principals with the same fingerprint see exactly the same objects.
   */
  fingerprint: string;
}

export interface PolicyCacheOptions {
  /** Loads a principal's policy from the database. */
  load(principal: PolicyPrincipal): Promise<Policy>;
  /** Principals kept. Default: 10,000. */
  max?: number;
  /** Told of each lookup: served from the cache (`hit`) or loaded (`miss`). */
  onLookup?(result: 'hit' | 'miss'): void;
}

/**
 * The caller's policy, loaded once per principal and policy generation instead
 * of once per request. The generation is whatever counter the gateway bumps
 * after every account, role, scope or inventory change (read per request by
 * the caller, from Redis or PostgreSQL, which every instance shares): an entry of an older
 * generation is never served.
 */
export interface PolicyCache {
  get(principal: PolicyPrincipal, generation: number): Promise<CachedPolicy>;
}

export function createPolicyCache({ load, max = 10_000, onLookup }: PolicyCacheOptions): PolicyCache {
  const entries = new LRUCache<string, { generation: number; value: Promise<CachedPolicy> }>({ max });
  return {
    get(principal, generation) {
      const key = principalKey(principal);
      const entry = entries.get(key);
      if (entry && entry.generation === generation) {
        onLookup?.('hit');
        return entry.value;
      }
      onLookup?.('miss');
      const value = load(principal).then((policy) => {
        const fingerprint = fingerprintOf(policy, generation);
        fingerprints.set(policy, fingerprint);
        return { policy, fingerprint };
      });
      entries.set(key, { generation, value });
      // A failed load is not remembered: the next request tries again.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
  };
}

/** Subject and groups, order-free: the same principal in any token. */
function principalKey(principal: PolicyPrincipal): string {
  return JSON.stringify([principal.subject, [...principal.groups].sort()]);
}

function fingerprintOf(policy: Policy, generation: number): string {
  const rules = policy.rules.map((rule) => ({ action: rule.action, subject: rule.subject, conditions: rule.conditions ?? null, inverted: rule.inverted ?? false }));
  return createHash('sha256').update(JSON.stringify([generation, rules])).digest('base64url');
}

const fingerprints = new WeakMap<Policy, string>();

/** The fingerprint of a policy the cache handed out; undefined for one built outside it. */
export function policyFingerprint(policy: Policy): string | undefined {
  return fingerprints.get(policy);
}
