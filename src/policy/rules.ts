import type { Prisma } from '../generated/prisma/client.js';
import { ACTIONS } from '../operations/actions.js';
import { editionGateOf, policyActionOf, REPLICA_ACTIONS, type ReplicaAction } from './replica-actions.js';
import { actionRule, editionRule, REASON, RULE, type RuleId } from './rule-ids.js';
import type { AccountGrant, Action, InventorySubject, LicenseEdition, PolicyInput, ReplicaKind, SubjectName } from './types.js';

/** A raw CASL rule plus the stable id and the accounts that grant it (for audit and `explain`). */
export interface PolicyRule {
  id: RuleId;
  /** One action, or several sharing this rule's subject, conditions and accounts (see mergeActions). */
  action: Action | Action[];
  /** A merged rule's id and reason per action; `id` and `reason` are its first action's. */
  byAction?: Partial<Record<string, { id: RuleId; reason: string }>>;
  subject: SubjectName;
  /** Absent: the rule applies to every object of the subject type. Never `{}`. */
  conditions?: RuleConditions;
  inverted?: boolean;
  reason: string;
  /** Accounts whose grant this rule expresses; empty for denials. */
  accountIds: readonly string[];
}

export type RuleConditions =
  | Prisma.ReplicaWhereInput
  | Prisma.RestorePointWhereInput
  | Prisma.CdpRangeWhereInput
  | Prisma.CdpLongTermPointWhereInput
  | Prisma.BackupServerWhereInput
  | Prisma.FailoverOperationWhereInput;

export interface RuleOptions {
  /**
   * Replica actions on a backup server whose edition EM did not report.
   * Denied by default: EM allows failover only on Enterprise and Enterprise
   * Plus, the lifecycle actions are taken to need Standard or above, and an
   * unknown edition proves neither. Default: 'deny'.
   */
  unknownEdition?: 'deny' | 'allow';
}

export const ALL_KINDS: readonly ReplicaKind[] = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];
const INVENTORY: readonly InventorySubject[] = ['Replica', 'RestorePoint', 'CdpRange', 'CdpLongTermPoint', 'BackupServer'];

/** Accounts of the input that apply to the principal: its USER account and its GROUP accounts. */
export function matchingAccounts(input: Pick<PolicyInput, 'principal' | 'accounts'>): AccountGrant[] {
  const groups = new Set(input.principal.groups);
  return input.accounts.filter((account) => (account.type === 'USER' ? account.name === input.principal.subject : groups.has(account.name)));
}

const isAdmin = (account: AccountGrant) => account.roles.includes('PORTAL_ADMINISTRATOR');
const isRestricted = (account: AccountGrant) => !isAdmin(account) && (account.roles.includes('PORTAL_USER') || account.roles.includes('RESTORE_OPERATOR'));

/** Visibility of a replica to any of these accounts. The condition's size depends on the number of accounts, never on the scope's. */
function visibleTo(accountIds: readonly string[]): Prisma.ReplicaWhereInput {
  return { visibility: { some: { accountId: { in: [...accountIds] } } } };
}

/** The same condition, reached from each inventory subject. */
function inScope(subject: InventorySubject, accountIds: readonly string[]): RuleConditions {
  switch (subject) {
    case 'Replica':
      return visibleTo(accountIds);
    case 'RestorePoint':
    case 'CdpRange':
    case 'CdpLongTermPoint':
      // `is` is required: @casl/prisma reads a bare nested object as an equality test.
      return { replica: { is: visibleTo(accountIds) } };
    case 'BackupServer':
      return { replicas: { some: visibleTo(accountIds) } };
  }
}

/** Accounts grouped by their set of allowed kinds (usually one group: all four). Accounts allowing no kind are dropped. */
function byKinds(accounts: readonly AccountGrant[]): Array<{ kinds: ReplicaKind[]; accountIds: string[] }> {
  const groups = new Map<string, { kinds: ReplicaKind[]; accountIds: string[] }>();
  for (const account of accounts) {
    const kinds = ALL_KINDS.filter((kind) => account.allowedKinds.includes(kind));
    if (kinds.length === 0) continue;
    const key = kinds.join(',');
    const group = groups.get(key) ?? { kinds, accountIds: [] };
    group.accountIds.push(account.id);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const kindCondition = (kinds: readonly ReplicaKind[]): Prisma.ReplicaWhereInput =>
  kinds.length === ALL_KINDS.length ? {} : { kind: { in: [...kinds] } };

/** Whether an account of a restricted role may do `action`: a default of the role, or granted to the account. */
const restrictedMay = (account: AccountGrant, action: ReplicaAction) => ACTIONS[action].restrictedDefault || (account.grantedActions ?? []).includes(action);

/**
 * THE policy: the raw rules for one principal, from its accounts and the
 * editions of the backup servers. Pure; the only place that knows the roles.
 *
 * Replica actions come from the actions table: administrators may do every
 * one; restricted roles the table's `restrictedDefault` ones, and the others
 * an account's `grantedActions` adds (on that account's replicas only).
 * Allowed kinds narrow every action.
 *
 * Order matters to CASL: a later rule wins, so the most general grant comes
 * last among the grants (an administrator's decision names `admin.*`), and the
 * edition denials come after every grant.
 */
export function buildRules(input: PolicyInput, options: RuleOptions = {}): PolicyRule[] {
  const accounts = matchingAccounts(input);
  const admins = accounts.filter(isAdmin);
  const restricted = accounts.filter(isRestricted);
  const scoped = restricted.filter((account) => !account.scopeAll);
  const unscoped = restricted.filter((account) => account.scopeAll);
  const ids = (list: readonly AccountGrant[]) => list.map((account) => account.id);
  const rules: PolicyRule[] = [];

  if (scoped.length > 0) {
    for (const subject of INVENTORY) {
      rules.push({ id: RULE.scopeRead, action: 'read', subject, conditions: inScope(subject, ids(scoped)), reason: REASON.scopeRead, accountIds: ids(scoped) });
    }
    rules.push({
      id: RULE.scopeOperations,
      action: 'read',
      subject: 'FailoverOperation',
      // Their own operations stay theirs to follow even after a sync moved the replica out of scope or removed it.
      conditions: { OR: [{ replica: { is: visibleTo(ids(scoped)) } }, { initiatorSubject: input.principal.subject }] },
      reason: REASON.scopeOperations,
      accountIds: ids(scoped),
    });
    for (const action of REPLICA_ACTIONS) {
      for (const group of byKinds(scoped.filter((account) => restrictedMay(account, action)))) {
        rules.push({
          id: actionRule('scope', action),
          action: policyActionOf(action),
          subject: 'Replica',
          conditions: { ...kindCondition(group.kinds), ...visibleTo(group.accountIds) },
          reason: REASON.action('scope', action, !ACTIONS[action].restrictedDefault),
          accountIds: group.accountIds,
        });
      }
    }
  }
  if (unscoped.length > 0) {
    for (const subject of INVENTORY) {
      rules.push({ id: RULE.scopeAllRead, action: 'read', subject, reason: REASON.scopeAllRead, accountIds: ids(unscoped) });
    }
    rules.push({ id: RULE.scopeAllRead, action: 'read', subject: 'FailoverOperation', reason: REASON.scopeAllRead, accountIds: ids(unscoped) });
    for (const action of REPLICA_ACTIONS) {
      rules.push(...unconditionalAction('scope-all', action, unscoped.filter((account) => restrictedMay(account, action))));
    }
  }
  if (admins.length > 0) {
    for (const subject of INVENTORY) {
      rules.push({ id: RULE.adminRead, action: 'read', subject, reason: REASON.adminRead, accountIds: ids(admins) });
    }
    rules.push({ id: RULE.adminRead, action: 'read', subject: 'FailoverOperation', reason: REASON.adminRead, accountIds: ids(admins) });
    for (const action of REPLICA_ACTIONS) rules.push(...unconditionalAction('admin', action, admins));
    rules.push(
      { id: RULE.adminAccounts, action: 'manage', subject: 'Account', reason: REASON.adminAccounts, accountIds: ids(admins) },
      { id: RULE.adminAudit, action: 'read', subject: 'AuditEntry', reason: REASON.adminAudit, accountIds: ids(admins) },
      { id: RULE.adminExplain, action: 'explain', subject: 'Policy', reason: REASON.adminExplain, accountIds: ids(admins) },
      { id: RULE.adminInventory, action: 'manage', subject: 'Inventory', reason: REASON.adminInventory, accountIds: ids(admins) },
    );
  }
  // Denials only where something could be granted: otherwise "no rule" is the truer answer.
  for (const action of REPLICA_ACTIONS) {
    if (rules.some((rule) => rule.action === policyActionOf(action))) rules.push(...editionDenials(action, input, options));
  }
  return mergeActions(rules);
}

/**
 * One raw rule per (subject, conditions, accounts, inverted) instead of one per
 * action: every replica action has its own grant and its own edition denials,
 * and a CASL rule costs memory in every ability built (one per request when
 * the policy cache is off). A rule joins an earlier one with the same shape
 * only when no rule of its own action lies between them, so for every action
 * the order CASL decides by is unchanged. Ids and reasons stay per action.
 */
function mergeActions(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const byShape = new Map<string, number>();
  const lastOf = new Map<string, number>();
  for (const rule of rules) {
    const action = rule.action as Action;
    const shape = JSON.stringify([rule.subject, rule.inverted ?? false, rule.conditions ?? null, rule.accountIds]);
    const at = byShape.get(shape);
    const target = at === undefined ? undefined : out[at];
    const actions = target && (Array.isArray(target.action) ? target.action : [target.action]);
    if (target && actions && !actions.includes(action) && (lastOf.get(action) ?? -1) < at!) {
      target.byAction ??= { [actions[0]!]: { id: target.id, reason: target.reason } };
      target.action = [...actions, action];
      target.byAction[action] = { id: rule.id, reason: rule.reason };
      lastOf.set(action, at!);
      continue;
    }
    byShape.set(shape, out.length);
    lastOf.set(action, out.length);
    out.push({ ...rule });
  }
  return out;
}

/**
 * An action without a scope condition (administrators, "all objects");
 * narrowed by allowed kinds (all four: no condition at all). `restrictedDefault`
 * actions of restricted roles are theirs by role, the others by grant.
 */
function unconditionalAction(family: 'admin' | 'scope-all', action: ReplicaAction, accounts: readonly AccountGrant[]): PolicyRule[] {
  const reason = REASON.action(family, action, family !== 'admin' && !ACTIONS[action].restrictedDefault);
  return byKinds(accounts).map((group) => {
    const rule: PolicyRule = { id: actionRule(family, action), action: policyActionOf(action), subject: 'Replica', reason, accountIds: group.accountIds };
    if (group.kinds.length < ALL_KINDS.length) rule.conditions = kindCondition(group.kinds);
    return rule;
  });
}

/** Inverted rules for the servers whose edition the action's upstream does not run on (see EDITION_GATES). */
function editionDenials(action: ReplicaAction, input: PolicyInput, options: RuleOptions): PolicyRule[] {
  const gate = editionGateOf(action);
  const byEdition = new Map<LicenseEdition, string[]>();
  for (const server of input.servers) {
    if (gate.editions.has(server.edition)) continue;
    if (server.edition === 'UNKNOWN' && options.unknownEdition === 'allow') continue;
    const list = byEdition.get(server.edition) ?? [];
    list.push(server.id);
    byEdition.set(server.edition, list);
  }
  return [...byEdition].map(([edition, serverIds]) => ({
    id: editionRule(action, edition),
    action: policyActionOf(action),
    subject: 'Replica',
    inverted: true,
    conditions: { backupServerId: { in: serverIds } },
    reason: REASON.edition(action, edition),
    accountIds: [],
  }));
}
