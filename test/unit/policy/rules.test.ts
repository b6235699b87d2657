import { accessibleBy } from '@casl/prisma/runtime';
import { describe, expect, it } from 'vitest';
import { asReplica, buildRules, createPolicy, decide, RULE, type AccountGrant, type PolicyInput } from '../../../src/policy/index.js';

const ALL = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'] as const;
const account = (id: string, o: Partial<AccountGrant> = {}): AccountGrant => ({ id, type: 'USER', name: id, roles: [], scopeAll: false, allowedKinds: [...ALL], ...o });
const input = (subject: string, accounts: AccountGrant[], o: Partial<PolicyInput> = {}): PolicyInput => ({
  principal: { subject, groups: [] },
  accounts,
  servers: [
    { id: 'community', edition: 'COMMUNITY' },
    { id: 'standard', edition: 'STANDARD' },
    { id: 'unknown', edition: 'UNKNOWN' },
    { id: 'enterprise', edition: 'ENTERPRISE' },
  ],
  ...o,
});
const replicaOn = (backupServerId: string, visibleTo: string[] = [], kind: (typeof ALL)[number] = 'VM_REPLICA') =>
  asReplica({ kind, backupServerId, visibility: visibleTo.map((accountId) => ({ accountId })) });

describe('policy rules', () => {
  const admin = createPolicy(input('admin', [account('admin', { roles: ['PORTAL_ADMINISTRATOR'] })])).ability;
  const operator = createPolicy(input('op', [account('op', { roles: ['RESTORE_OPERATOR'] })])).ability;

  it('names the administrator rules and their reasons', () => {
    expect(decide(admin, 'read', replicaOn('enterprise'))).toMatchObject({ allowed: true, rule: RULE.adminRead, accountIds: ['admin'] });
    expect(decide(admin, 'failover', replicaOn('enterprise'))).toMatchObject({ allowed: true, rule: RULE.adminFailover });
    expect(decide(admin, 'manage', 'Account')).toMatchObject({ allowed: true, rule: RULE.adminAccounts });
    expect(decide(admin, 'read', 'AuditEntry')).toMatchObject({ allowed: true, rule: RULE.adminAudit });
    expect(decide(admin, 'explain', 'Policy')).toMatchObject({ allowed: true, rule: RULE.adminExplain, reason: expect.stringContaining('Administrator') });
  });

  it('keeps administration to administrators', () => {
    for (const [action, subject] of [['manage', 'Account'], ['read', 'AuditEntry'], ['explain', 'Policy']] as const) {
      expect(decide(operator, action, subject)).toMatchObject({ allowed: false, rule: RULE.noRule });
    }
  });

  it('denies failover below Enterprise by the edition rule, naming the edition, even for an administrator', () => {
    expect(decide(admin, 'failover', replicaOn('community'))).toEqual({
      allowed: false,
      rule: RULE.editionBelowEnterprise,
      reason: 'Failover needs Veeam Backup & Replication Enterprise or Enterprise Plus; this backup server runs Community edition',
      accountIds: [],
    });
    expect(decide(admin, 'failover', replicaOn('standard')).reason).toContain('Standard edition');
    expect(decide(admin, 'failover', replicaOn('unknown'))).toMatchObject({ allowed: false, rule: RULE.editionUnknown });
    // Reading is not gated by edition.
    expect(decide(admin, 'read', replicaOn('community')).allowed).toBe(true);
  });

  it('lets an unknown edition through when told to', () => {
    const lenient = createPolicy(input('admin', [account('admin', { roles: ['PORTAL_ADMINISTRATOR'] })]), { unknownEdition: 'allow' }).ability;
    expect(decide(lenient, 'failover', replicaOn('unknown')).allowed).toBe(true);
    expect(decide(lenient, 'failover', replicaOn('standard')).allowed).toBe(false);
  });

  it('grants a restricted role what its visibility rows show, and names the scope rule', () => {
    expect(decide(operator, 'read', replicaOn('enterprise', ['op']))).toMatchObject({ allowed: true, rule: RULE.scopeRead, reason: 'In the restore scope' });
    expect(decide(operator, 'failover', replicaOn('enterprise', ['op']))).toMatchObject({ allowed: true, rule: RULE.scopeFailover });
    expect(decide(operator, 'read', replicaOn('enterprise', ['someone-else']))).toMatchObject({ allowed: false, rule: RULE.noRule });
    expect(decide(operator, 'read', replicaOn('enterprise')).reason).toBe('No rule allows read on this Replica');
    expect(decide(operator, 'failover', replicaOn('community', ['op'])).rule).toBe(RULE.editionBelowEnterprise);
  });

  it('narrows failover to allowed kinds, for administrators too', () => {
    const narrow = createPolicy(input('a', [account('a', { roles: ['PORTAL_ADMINISTRATOR'], allowedKinds: ['CDP_VM'] })])).ability;
    expect(narrow.can('failover', replicaOn('enterprise', [], 'CDP_VM'))).toBe(true);
    expect(narrow.can('failover', replicaOn('enterprise', [], 'VM_REPLICA'))).toBe(false);
    expect(narrow.can('read', replicaOn('enterprise', [], 'VM_REPLICA'))).toBe(true);
  });

  it('matches nothing for an empty scope or no account, in memory and as a database filter', () => {
    const none = createPolicy(input('ghost', [])).ability;
    expect(none.rules).toEqual([]);
    expect(accessibleBy(none, 'read').ofType('Replica')).toEqual({ OR: [] });
    // The empty-scope operator's rule is keyed by its account: without visibility rows it matches nothing.
    expect(operator.can('read', replicaOn('enterprise'))).toBe(false);
    expect(accessibleBy(operator, 'read').ofType('Replica')).toEqual({ OR: [{ visibility: { some: { accountId: { in: ['op'] } } } }] });
  });

  it('emits no edition denial where nothing could be failed over: "no rule" is the truer reason', () => {
    const nobody = createPolicy(input('nobody', [account('nobody')]));
    expect(nobody.rules).toEqual([]);
    expect(decide(nobody.ability, 'failover', replicaOn('community')).rule).toBe(RULE.noRule);
  });

  it('never writes an empty condition, and keeps the rule count independent of the scope', () => {
    const many = Array.from({ length: 50 }, (_, i) => account(`g${i}`, { type: 'GROUP', roles: ['PORTAL_USER'], allowedKinds: i % 2 ? ['CDP_VM'] : [...ALL] }));
    const rules = buildRules({ ...input('u', many), principal: { subject: 'u', groups: many.map((a) => a.name) } });
    for (const rule of rules) if (rule.conditions !== undefined) expect(Object.keys(rule.conditions).length).toBeGreaterThan(0);
    // 5 inventory read rules, one for failover operations, one rule per distinct kind set carrying the 3 default
    // actions, one denial per gated edition: failover's 3 (below Enterprise), which planned and undo failover's
    // (below Standard: Community and unknown, the same servers) join.
    expect(rules.length).toBe(5 + 1 + 2 + 3);
    expect(rules.filter((rule) => Array.isArray(rule.action) && rule.action.length === 3)).toHaveLength(2 + 2);
  });

  it('names the administrator when an administrator grant and a scope grant both apply', () => {
    const both = createPolicy({
      ...input('mia', [account('mia', { roles: ['PORTAL_USER'] }), account('admins', { type: 'GROUP', roles: ['PORTAL_ADMINISTRATOR'] })]),
      principal: { subject: 'mia', groups: ['admins'] },
    });
    expect(decide(both.ability, 'read', replicaOn('enterprise', ['mia'])).rule).toBe(RULE.adminRead);
    expect(both.rights).toEqual({ accountIds: ['mia', 'admins'], roles: ['PORTAL_ADMINISTRATOR', 'PORTAL_USER'], scopeAll: true, scopedAccountIds: ['mia'], allowedKinds: [...ALL] });
  });

  it('ignores accounts of other principals', () => {
    const policy = createPolicy(input('op', [account('op', { roles: ['RESTORE_OPERATOR'] }), account('boss', { roles: ['PORTAL_ADMINISTRATOR'] })]));
    expect(policy.rights.accountIds).toEqual(['op']);
    expect(policy.ability.can('manage', 'Account')).toBe(false);
  });
});
