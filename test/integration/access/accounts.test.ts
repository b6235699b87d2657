import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedFor,
  GraphQLClients,
  readAccounts,
  readInventory,
  startAccessGateway,
  tokenSigner,
  TRANSPORTS,
  type GqlResult,
  type Inventory,
  type OracleAccount,
  type Transport,
} from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';

/**
 * Account administration through the GraphQL mutations, over HTTP and
 * graphql-ws: changes, refusals that change nothing, the audit trail of both,
 * FORBIDDEN for everyone else, and `explain` against a hand-written oracle.
 */

let gateway: TestGateway;
let clients: GraphQLClients;
let inventory: Inventory;
let signer: ReturnType<typeof tokenSigner>;
const tokens = new Map<string, string>();

async function token(subject: string, groups: string[] = []): Promise<string> {
  const key = `${subject}|${groups.join(',')}`;
  if (!tokens.has(key)) tokens.set(key, await signer.sign({ subject, groups }));
  return tokens.get(key)!;
}

beforeAll(async () => {
  gateway = await startAccessGateway({ MAX_ALIASES: '100', MAX_COST: '10000000' });
  clients = new GraphQLClients(gateway);
  inventory = await readInventory(gateway);
  signer = tokenSigner(gateway);
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

const ACCOUNT_FIELDS = 'id type name displayName roles allowedKinds visibleReplicaCount scope { all items { ref name } }';

/** Everything account administration may touch, straight from the database. */
async function snapshot() {
  const prisma = gateway.services.db.prisma;
  const [accounts, visibility] = await Promise.all([
    prisma.account.findMany({ include: { scopeItems: { orderBy: { ref: 'asc' } } }, orderBy: [{ type: 'asc' }, { name: 'asc' }] }),
    prisma.replicaVisibility.findMany({ orderBy: [{ accountId: 'asc' }, { replicaId: 'asc' }] }),
  ]);
  return { accounts, visibility };
}

async function lastAuditSeq(): Promise<bigint> {
  const last = await gateway.services.db.prisma.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
  return last?.seq ?? 0n;
}

/** Audit entries appended after `seq`, oldest first, as the admin reads them through GraphQL. */
async function auditSince(transport: Transport, seq: bigint) {
  const result = await clients.run(
    transport,
    await token('admin'),
    '{ auditLog(first: 100) { entries { seq action decision rule reason actorSubject actorGroups actorRoles subjectType subjectId requestId details } } }',
  );
  expect(result.errors).toBeUndefined();
  return (result.data.auditLog.entries as Array<Record<string, any>>).filter((entry) => BigInt(entry.seq) > seq).reverse();
}

const refsOf = (type: string) => [...inventory.refsByType.get(type)!.keys()].sort();
const accountGlobalId = (id: string) => encodeGlobalID('Account', id);
const visibleIdsFor = (account: OracleAccount) => expectedFor(inventory, [account], { subject: account.name, groups: [] }).replicas.map((replica) => replica.globalId);

async function visibleVia(transport: Transport, subject: string): Promise<string[]> {
  const result = await clients.run(transport, await token(subject), '{ replicas(first: 100) { totalCount edges { node { id } } } }');
  expect(result.errors).toBeUndefined();
  const ids = result.data.replicas.edges.map((edge: { node: { id: string } }) => edge.node.id);
  expect(result.data.replicas.totalCount).toBe(ids.length);
  return ids;
}

const CREATE = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { ${ACCOUNT_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { ${ACCOUNT_FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteAccount(id: $id) }';

function expectCode(result: GqlResult, code: string, message?: RegExp) {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.errors![0]!.extensions?.code).toBe(code);
  if (message) expect(result.errors![0]!.message).toMatch(message);
  expect(result.data?.createAccount ?? result.data?.updateAccount ?? result.data?.deleteAccount ?? null).toBeNull();
}

describe.each(TRANSPORTS)('account administration over %s', (transport) => {
  const admin = async (query: string, variables?: Record<string, unknown>) => clients.run(transport, await token('admin'), query, variables);
  const name = (base: string) => `${transport}-${base}`;

  it('create, update (scope, roles, all objects) and delete: each visible at once and audited with before and after', async () => {
    const folder = refsOf('Folder')[0]!;
    const host = refsOf('Host').at(-1)!;
    const subject = name('life');
    let seq = await lastAuditSeq();

    // Create: narrow scope.
    const created = await admin(CREATE, {
      input: { type: 'USER', name: subject, displayName: 'Life cycle', roles: ['RESTORE_OPERATOR'], scope: { items: [{ ref: folder, name: 'A folder' }] } },
    });
    expect(created.errors).toBeUndefined();
    const account = created.data.createAccount;
    const v1: OracleAccount = { type: 'USER', name: subject, roles: ['RESTORE_OPERATOR'], scope: [folder] };
    expect(account).toMatchObject({ type: 'USER', name: subject, roles: ['RESTORE_OPERATOR'], scope: { all: false, items: [{ ref: folder, name: 'A folder' }] } });
    expect(account.allowedKinds).toEqual(['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP']);
    expect(account.visibleReplicaCount).toBe(visibleIdsFor(v1).length);
    expect(await visibleVia(transport, subject)).toEqual(visibleIdsFor(v1));
    const dbId = (await gateway.services.db.prisma.account.findUniqueOrThrow({ where: { type_name: { type: 'USER', name: subject } } })).id;
    expect(account.id).toBe(accountGlobalId(dbId));
    const asNode = await admin(`query($id: ID!) { node(id: $id) { __typename ... on Account { ${ACCOUNT_FIELDS} } } }`, { id: account.id });
    expect(asNode.data.node).toEqual({ __typename: 'Account', ...account });
    let entries = await auditSince(transport, seq);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'account.create', decision: 'ALLOW', rule: 'admin.accounts', actorSubject: 'admin', actorRoles: ['PORTAL_ADMINISTRATOR'], subjectType: 'Account', subjectId: dbId });
    expect(entries[0]!.requestId).toEqual(expect.any(String));
    expect(entries[0]!.details.before).toBeNull();
    expect(entries[0]!.details.after).toMatchObject({ id: dbId, name: subject, roles: ['RESTORE_OPERATOR'], scopeAll: false, scopeItems: [{ ref: folder, name: 'A folder' }] });

    // Update the scope: visibility follows in the same request.
    seq = await lastAuditSeq();
    const updated = await admin(UPDATE, { id: account.id, input: { scope: { items: [{ ref: host, name: 'A host' }, { ref: folder, name: 'A folder' }] } } });
    expect(updated.errors).toBeUndefined();
    const v2: OracleAccount = { ...v1, scope: [host, folder] };
    expect(updated.data.updateAccount.visibleReplicaCount).toBe(visibleIdsFor(v2).length);
    expect(await gateway.services.db.prisma.replicaVisibility.count({ where: { accountId: dbId } })).toBe(visibleIdsFor(v2).length);
    expect(await visibleVia(transport, subject)).toEqual(visibleIdsFor(v2));
    entries = await auditSince(transport, seq);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'account.update', decision: 'ALLOW', subjectId: dbId });
    expect(entries[0]!.details.before.scopeItems.map((item: { ref: string }) => item.ref)).toEqual([folder]);
    expect(entries[0]!.details.after.scopeItems.map((item: { ref: string }) => item.ref).sort()).toEqual([folder, host].sort());

    // All objects, then no role at all.
    const all = await admin(UPDATE, { id: account.id, input: { scope: { allObjects: true }, allowedKinds: ['CDP_VM'] } });
    expect(all.errors).toBeUndefined();
    expect(all.data.updateAccount).toMatchObject({ scope: { all: true, items: [] }, allowedKinds: ['CDP_VM'], visibleReplicaCount: 0 });
    expect(await visibleVia(transport, subject)).toEqual(inventory.replicas.map((replica) => replica.globalId));
    const noRole = await admin(UPDATE, { id: account.id, input: { roles: [] } });
    expect(noRole.errors).toBeUndefined();
    expect(await visibleVia(transport, subject)).toEqual([]);

    // Delete.
    seq = await lastAuditSeq();
    const deleted = await admin(DELETE, { id: account.id });
    expect(deleted).toMatchObject({ data: { deleteAccount: account.id } });
    expect(await gateway.services.db.prisma.account.count({ where: { id: dbId } })).toBe(0);
    expect(await gateway.services.db.prisma.replicaVisibility.count({ where: { accountId: dbId } })).toBe(0);
    const listed = await admin('{ accounts { id name } }');
    expect(listed.data.accounts.map((a: { id: string }) => a.id)).not.toContain(account.id);
    entries = await auditSince(transport, seq);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'account.delete', decision: 'ALLOW', subjectId: dbId, details: { after: null } });
    expect(entries[0]!.details.before).toMatchObject({ id: dbId, name: subject, scopeAll: true, roles: [] });
  });

  it('a GROUP account grants its scope to tokens carrying the group, and stops when its scope changes', async () => {
    const orgVdc = refsOf('OrgVdc')[0]!;
    const vapp = refsOf('Vapp').at(-1)!;
    const group = name('group');
    const created = await admin(CREATE, { input: { type: 'GROUP', name: group, roles: ['PORTAL_USER'], scope: { items: [{ ref: orgVdc, name: 'vdc' }] } } });
    expect(created.errors).toBeUndefined();
    const member = await signer.sign({ subject: name('member'), groups: [group] });
    const see = async () => (await clients.run(transport, member, '{ replicas(first: 100) { edges { node { id } } } }')).data.replicas.edges.map((e: { node: { id: string } }) => e.node.id);
    const oracle = (refs: string[]) =>
      expectedFor(inventory, [{ type: 'GROUP', name: group, roles: ['PORTAL_USER'], scope: refs }], { subject: name('member'), groups: [group] }).replicas.map((r) => r.globalId);
    expect(oracle([orgVdc]).length).toBeGreaterThan(0);
    expect(await see()).toEqual(oracle([orgVdc]));
    expect((await admin(UPDATE, { id: created.data.createAccount.id, input: { scope: { items: [{ ref: vapp, name: 'vapp' }] } } })).errors).toBeUndefined();
    expect(await see()).toEqual(oracle([vapp]));
    expect((await admin(UPDATE, { id: created.data.createAccount.id, input: { scope: { items: [] } } })).errors).toBeUndefined();
    expect(await see()).toEqual([]);
    expect((await admin(DELETE, { id: created.data.createAccount.id })).errors).toBeUndefined();
  });

  describe('bad input: BAD_USER_INPUT, nothing changed, the refusal audited', () => {
    const refusals: Array<{ label: string; problem: string; message: RegExp; run: (admin: (q: string, v?: Record<string, unknown>) => Promise<GqlResult>) => Promise<GqlResult> }> = [
      {
        label: 'create with an unknown reference',
        problem: 'unknown-ref',
        message: /No object in the inventory has the reference urn:VMware:Cluster:nowhere\.domain-c999/,
        run: (admin) => admin(CREATE, { input: { type: 'USER', name: name('unknown-ref'), roles: ['PORTAL_USER'], scope: { items: [{ ref: 'urn:VMware:Cluster:nowhere.domain-c999', name: 'x' }] } } }),
      },
      {
        label: 'create with a malformed URN',
        problem: 'malformed-ref',
        message: /Not a hierarchy reference.*"cluster-1"/,
        run: (admin) => admin(CREATE, { input: { type: 'USER', name: name('malformed'), roles: ['PORTAL_USER'], scope: { items: [{ ref: 'cluster-1', name: 'x' }] } } }),
      },
      {
        label: 'update the operator with a known and an unknown reference',
        problem: 'unknown-ref',
        message: /urn:vCloud:OrgVdc:none\.urn:vcloud:vdc:0/,
        run: async (admin) =>
          admin(UPDATE, {
            id: await accountId('USER', 'operator'),
            input: { scope: { items: [{ ref: refsOf('Host')[0]!, name: 'ok' }, { ref: 'urn:vCloud:OrgVdc:none.urn:vcloud:vdc:0', name: 'x' }] } },
          }),
      },
      {
        label: 'update the operator with a malformed URN',
        problem: 'malformed-ref',
        message: /Not a hierarchy reference/,
        run: async (admin) => admin(UPDATE, { id: await accountId('USER', 'operator'), input: { scope: { items: [{ ref: 'urn:VMware:Cluster', name: 'x' }] } } }),
      },
      {
        label: 'create a duplicate of an existing user',
        problem: 'duplicate',
        message: /already exists/,
        run: (admin) => admin(CREATE, { input: { type: 'USER', name: 'operator', roles: ['PORTAL_USER'] } }),
      },
      {
        label: 'rename an account to the name of another',
        problem: 'duplicate',
        message: /already exists/,
        run: async (admin) => admin(UPDATE, { id: await accountId('USER', 'portal-user'), input: { name: 'operator' } }),
      },
      {
        label: 'remove the role of the last administrator',
        problem: 'last-administrator',
        message: /last Portal Administrator/,
        run: async (admin) => admin(UPDATE, { id: await accountId('USER', 'admin'), input: { roles: ['PORTAL_USER'] } }),
      },
      {
        label: 'delete the last administrator',
        problem: 'last-administrator',
        message: /last Portal Administrator/,
        run: async (admin) => admin(DELETE, { id: await accountId('USER', 'admin') }),
      },
      {
        label: 'an empty name',
        problem: 'invalid',
        message: /1 to 256 characters/,
        run: (admin) => admin(CREATE, { input: { type: 'USER', name: '   ', roles: ['PORTAL_USER'] } }),
      },
      {
        label: 'allObjects: false',
        problem: 'invalid',
        message: /allObjects must be true/,
        run: async (admin) => admin(UPDATE, { id: await accountId('USER', 'operator'), input: { scope: { allObjects: false } } }),
      },
    ];

    it.each(refusals)('$label', async ({ problem, message, run }) => {
      // The premise of the last-administrator cases: only one administrator exists.
      expect(await gateway.services.db.prisma.account.count({ where: { roles: { has: 'PORTAL_ADMINISTRATOR' } } })).toBe(1);
      const before = await snapshot();
      const seq = await lastAuditSeq();
      const result = await run(admin);
      expectCode(result, 'BAD_USER_INPUT', message);
      expect(await snapshot()).toEqual(before);
      const entries = await auditSince(transport, seq);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ decision: 'DENY', rule: `validation.${problem}`, actorSubject: 'admin', subjectType: 'Account' });
      expect(entries[0]!.action).toMatch(/^account\.(create|update|delete)$/);
      expect(entries[0]!.reason).toMatch(message);
    });

    it('with a second administrator, the first may step down (and the refusal above was about the count)', async () => {
      const second = await admin(CREATE, { input: { type: 'USER', name: name('second-admin'), roles: ['PORTAL_ADMINISTRATOR'], scope: { allObjects: true } } });
      expect(second.errors).toBeUndefined();
      const demoted = await admin(UPDATE, { id: second.data.createAccount.id, input: { roles: ['PORTAL_USER'] } });
      expect(demoted.errors).toBeUndefined();
      expect(demoted.data.updateAccount.roles).toEqual(['PORTAL_USER']);
      expect((await admin(DELETE, { id: second.data.createAccount.id })).errors).toBeUndefined();
    });

    it('a malformed account id: BAD_USER_INPUT, audited, nothing changed', async () => {
      const before = await snapshot();
      const seq = await lastAuditSeq();
      const update = await admin(UPDATE, { id: 'not-an-account-id', input: { displayName: 'x' } });
      expectCode(update, 'BAD_USER_INPUT', /not an id this gateway gave out/);
      const del = await admin(DELETE, { id: encodeGlobalID('VmReplica', '00000000-0000-4000-8000-000000000000') });
      expectCode(del, 'BAD_USER_INPUT', /not the id of a Account/);
      expect(await snapshot()).toEqual(before);
      const entries = await auditSince(transport, seq);
      expect(entries.map((entry) => [entry.action, entry.decision, entry.rule, entry.subjectId])).toEqual([
        ['account.update', 'DENY', 'validation.invalid', null],
        ['account.delete', 'DENY', 'validation.invalid', null],
      ]);
    });

    it('an unknown account id: NOT_FOUND, audited, nothing changed', async () => {
      const before = await snapshot();
      const seq = await lastAuditSeq();
      const missing = accountGlobalId('00000000-0000-4000-8000-000000000000');
      const update = await admin(UPDATE, { id: missing, input: { displayName: 'x' } });
      expect(update.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const del = await admin(DELETE, { id: missing });
      expect(del.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(await snapshot()).toEqual(before);
      const entries = await auditSince(transport, seq);
      expect(entries.map((entry) => [entry.action, entry.decision, entry.rule])).toEqual([
        ['account.update', 'DENY', 'validation.not-found'],
        ['account.delete', 'DENY', 'validation.not-found'],
      ]);
    });
  });

  describe.each([
    { label: 'operator (Restore Operator)', subject: 'operator', groups: [] as string[] },
    { label: 'portal-user (Portal User)', subject: 'portal-user', groups: [] as string[] },
    { label: 'nobody (no account)', subject: 'nobody', groups: [] as string[] },
    { label: 'a member of an "all objects" group', subject: 'grp-member', groups: ['everyone-all'] },
  ])('non-administrator $label', ({ subject, groups }) => {
    beforeAll(async () => {
      if (groups.length > 0 && !(await gateway.services.db.prisma.account.findFirst({ where: { type: 'GROUP', name: groups[0] } }))) {
        await gateway.services.accounts.create({ type: 'GROUP', name: groups[0]!, roles: ['RESTORE_OPERATOR'], scope: { all: true } });
      }
    });
    const as = async (query: string, variables?: Record<string, unknown>) => clients.run(transport, await token(subject, groups), query, variables);

    it('mutations are FORBIDDEN, change nothing and are audited as DENY', async () => {
      const before = await snapshot();
      const seq = await lastAuditSeq();
      const target = await accountId('USER', 'portal-user');
      const results = [
        await as(CREATE, { input: { type: 'USER', name: name(`by-${subject}`), roles: ['PORTAL_ADMINISTRATOR'], scope: { allObjects: true } } }),
        await as(UPDATE, { id: target, input: { scope: { allObjects: true } } }),
        await as(DELETE, { id: target }),
      ];
      for (const result of results) expectCode(result, 'FORBIDDEN', /No rule allows manage on this Account/);
      expect(await snapshot()).toEqual(before);
      const entries = await auditSince(transport, seq);
      const dbTarget = (await gateway.services.db.prisma.account.findFirstOrThrow({ where: { type: 'USER', name: 'portal-user' } })).id;
      expect(entries.map((entry) => [entry.action, entry.decision, entry.rule, entry.actorSubject, entry.actorGroups, entry.subjectId])).toEqual([
        ['account.create', 'DENY', 'default.deny', subject, groups, null],
        ['account.update', 'DENY', 'default.deny', subject, groups, dbTarget],
        ['account.delete', 'DENY', 'default.deny', subject, groups, dbTarget],
      ]);
    });

    it('a malformed account id changes nothing for them: still FORBIDDEN, and audited', async () => {
      const seq = await lastAuditSeq();
      const result = await as(DELETE, { id: 'not-an-account-id' });
      expectCode(result, 'FORBIDDEN');
      const entries = await auditSince(transport, seq);
      expect(entries.map((entry) => [entry.action, entry.decision, entry.rule, entry.actorSubject])).toEqual([['account.delete', 'DENY', 'default.deny', subject]]);
    });

    it('accounts, auditLog, verifyAuditLog, explain and node(Account) are closed to them', async () => {
      const operatorId = await accountId('USER', 'operator');
      for (const query of ['{ accounts { id } }', '{ auditLog { entries { seq } } }', '{ verifyAuditLog { ok } }', `{ explain(account: "${operatorId}", action: READ, object: "${inventory.replicas[0]!.globalId}") { allowed } }`]) {
        const result = await as(query);
        expect(result.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
        expect(result.data ?? null, query).toBeNull();
      }
      const node = await as(`{ node(id: "${operatorId}") { id } }`);
      expect(node.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('explain(account, action, object)', () => {
    /** The oracle: which rule decides, from the account's roles, scope, kinds and the server's edition. */
    function expectedDecision(account: OracleAccount, action: 'READ' | 'FAILOVER', object: { kind?: string; replicaIds: string[]; serverEdition?: string; type: string }) {
      const admin = account.roles.includes('PORTAL_ADMINISTRATOR');
      const restricted = !admin && account.roles.some((role) => role === 'PORTAL_USER' || role === 'RESTORE_OPERATOR');
      const inScope =
        account.scope === 'all' || object.replicaIds.some((id) => inventory.replicas.find((replica) => replica.id === id)!.refs.some((ref) => (account.scope as string[]).includes(ref)));
      if (!admin && !restricted) return { allowed: false, rule: 'default.deny' };
      if (action === 'READ') {
        if (admin) return { allowed: true, rule: 'admin.read' };
        if (account.scope === 'all') return { allowed: true, rule: 'scope-all.read' };
        return inScope ? { allowed: true, rule: 'scope.read' } : { allowed: false, rule: 'default.deny' };
      }
      if (object.type === 'BackupServer') return { allowed: false, rule: 'default.deny' };
      // A failover is decided on the replica (a restore point's), as the mutation does: read first.
      if (!admin && !inScope) return { allowed: false, rule: 'default.deny' };
      const kinds = account.allowedKinds ?? ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];
      if (kinds.length > 0 && object.serverEdition !== 'ENTERPRISE' && object.serverEdition !== 'ENTERPRISE_PLUS') {
        return { allowed: false, rule: object.serverEdition === 'UNKNOWN' ? 'edition.unknown' : 'edition.below-enterprise' };
      }
      if (!kinds.includes(object.kind!)) return { allowed: false, rule: 'default.deny' };
      if (admin) return { allowed: true, rule: 'admin.failover' };
      if (account.scope === 'all') return { allowed: true, rule: 'scope-all.failover' };
      return inScope ? { allowed: true, rule: 'scope.failover' } : { allowed: false, rule: 'default.deny' };
    }

    it('answers every account, action and object with the deciding rule and its reason', async () => {
      // Extra accounts: "all objects" with one allowed kind, a group, and one without a role.
      const extra: OracleAccount[] = [
        { type: 'USER', name: name('explain-all'), roles: ['PORTAL_USER'], scope: 'all', allowedKinds: ['VM_REPLICA'] },
        { type: 'GROUP', name: name('explain-group'), roles: ['RESTORE_OPERATOR'], scope: [refsOf('Tag')[0]!] },
        { type: 'USER', name: name('explain-none'), roles: [], scope: [refsOf('Cluster')[0]!] },
      ];
      for (const account of extra) {
        await gateway.services.accounts.create({
          type: account.type,
          name: account.name,
          roles: account.roles as never,
          scope: account.scope === 'all' ? { all: true } : { all: false, items: account.scope.map((ref) => ({ ref, name: ref })) },
          allowedKinds: account.allowedKinds as never,
        });
      }
      const accounts = (await readAccounts(gateway)).filter((account) => ['admin', 'operator', 'portal-user'].includes(account.name) || extra.some((e) => e.name === account.name));
      expect(accounts).toHaveLength(6);
      const editions = new Map(inventory.servers.map((server) => [server.id, server.edition]));
      // Objects: one replica of each (server, kind), everything the operator sees, a restore point in and out of its scope, every server.
      const operatorScope = accounts.find((account) => account.name === 'operator')!;
      const operatorSees = new Set(expectedFor(inventory, [operatorScope], { subject: 'operator', groups: [] }).replicas.map((replica) => replica.id));
      const replicas = inventory.replicas.filter(
        (replica, i, all) => operatorSees.has(replica.id) || all.findIndex((other) => other.kind === replica.kind && other.backupServerId === replica.backupServerId) === i,
      );
      const pointIn = inventory.restorePoints.find((point) => operatorSees.has(point.replicaId))!;
      const pointOut = inventory.restorePoints.find((point) => !operatorSees.has(point.replicaId))!;
      const objects = [
        ...replicas.map((replica) => ({ globalId: replica.globalId, type: 'Replica', kind: replica.kind, replicaIds: [replica.id], serverEdition: editions.get(replica.backupServerId) })),
        ...[pointIn, pointOut].map((point) => {
          const replica = inventory.replicas.find((r) => r.id === point.replicaId)!;
          return { globalId: point.globalId, type: 'RestorePoint', kind: replica.kind, replicaIds: [point.replicaId], serverEdition: editions.get(replica.backupServerId) };
        }),
        ...inventory.servers.map((server) => ({
          globalId: server.globalId,
          type: 'BackupServer',
          replicaIds: inventory.replicas.filter((replica) => replica.backupServerId === server.id).map((replica) => replica.id),
        })),
      ];
      // The cases below must include each rule the brief names.
      const cases = accounts.flatMap((account) => objects.flatMap((object) => (['READ', 'FAILOVER'] as const).map((action) => ({ account, object, action }))));
      const rules = new Set(cases.map((c) => expectedDecision(c.account, c.action, c.object).rule));
      for (const rule of ['admin.read', 'admin.failover', 'scope.read', 'scope.failover', 'scope-all.read', 'scope-all.failover', 'default.deny', 'edition.below-enterprise']) {
        expect(rules, rule).toContain(rule);
      }
      const dbIds = new Map((await gateway.services.db.prisma.account.findMany()).map((row) => [`${row.type}:${row.name}`, row.id]));
      for (let i = 0; i < cases.length; i += 40) {
        const batch = cases.slice(i, i + 40);
        const query = `{ ${batch
          .map((c, j) => `e${j}: explain(account: "${accountGlobalId(dbIds.get(`${c.account.type}:${c.account.name}`)!)}", action: ${c.action}, object: "${c.object.globalId}") { allowed rule reason grantingAccounts { name } }`)
          .join('\n')} }`;
        const result = await admin(query);
        expect(result.errors).toBeUndefined();
        batch.forEach((c, j) => {
          const got = result.data[`e${j}`];
          const want = expectedDecision(c.account, c.action, c.object);
          const label = `${c.account.name} ${c.action} ${c.object.type} ${c.object.globalId}`;
          expect({ allowed: got.allowed, rule: got.rule }, label).toEqual(want);
          expect(got.reason, label).not.toBe('');
          if (want.rule.startsWith('edition.')) expect(got.reason, label).toMatch(/Enterprise or Enterprise Plus; this backup server runs (Community|Standard) edition/);
          if (want.rule === 'default.deny') expect(got.reason, label).toMatch(/No rule allows/);
          expect(got.grantingAccounts, label).toEqual(want.allowed ? [{ name: c.account.name }] : []);
        });
      }
      for (const account of extra) await gateway.services.db.prisma.account.delete({ where: { type_name: { type: account.type, name: account.name } } });
    });

    it('refuses an unknown account or object and ids of other types', async () => {
      const operatorId = await accountId('USER', 'operator');
      const unknownAccount = await admin(`{ explain(account: "${accountGlobalId('00000000-0000-4000-8000-000000000000')}", action: READ, object: "${inventory.replicas[0]!.globalId}") { rule } }`);
      expect(unknownAccount.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const unknownObject = await admin(`{ explain(account: "${operatorId}", action: READ, object: "${encodeGlobalID('VmReplica', '00000000-0000-4000-8000-000000000000')}") { rule } }`);
      expect(unknownObject.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const wrongType = await admin(`{ explain(account: "${operatorId}", action: READ, object: "${operatorId}") { rule } }`);
      expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});

async function accountId(type: 'USER' | 'GROUP', name: string): Promise<string> {
  const row = await gateway.services.db.prisma.account.findFirstOrThrow({ where: { type, name } });
  return accountGlobalId(row.id);
}
