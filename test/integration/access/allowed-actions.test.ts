import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, startAccessGateway, tokenSigner, TYPENAMES } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';

/**
 * `Replica.allowedActions` and the policy's grants over real HTTP, on the
 * simulator's inventory: an administrator and a restore operator on a Ready
 * and a Failover vSphere VM replica, an operator whose account an
 * administrator granted more (through the mutation, audited), and CDP and
 * Cloud Director replicas that never list a lifecycle action.
 */
let gateway: TestGateway;
let clients: GraphQLClients;
let signer: ReturnType<typeof tokenSigner>;

interface Row {
  id: string;
  globalId: string;
  kind: string;
  platform: string;
  state: string | null;
  refs: string[];
}
/** A Ready and a Failover VM replica on an Enterprise server: their states came from the simulator's VBR face. */
let ready: Row;
let failedOver: Row;
let others: Row[];

beforeAll(async () => {
  gateway = await startAccessGateway();
  clients = new GraphQLClients(gateway);
  signer = tokenSigner(gateway);
  const rows = await gateway.services.db.prisma.replica.findMany({
    where: { backupServer: { edition: { in: ['ENTERPRISE', 'ENTERPRISE_PLUS'] } } },
    select: { id: true, kind: true, platform: true, state: true, refs: true },
    orderBy: { name: 'asc' },
  });
  const withId = rows.map((row) => ({ ...row, globalId: encodeGlobalID(TYPENAMES[row.kind]!, row.id) }));
  const vSphereVm = (state: string) => withId.find((row) => row.kind === 'VM_REPLICA' && row.platform === 'VMware' && row.state === state);
  ready = vSphereVm('Ready')!;
  failedOver = vSphereVm('Failover')!;
  others = withId.filter((row) => row.kind !== 'VM_REPLICA');
  for (const found of [ready, failedOver]) if (!found) throw new Error('the simulator inventory lacks a Ready or a Failover vSphere VM replica on an Enterprise server');
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

/** Each replica by `node(id:)` (full rows), null where the caller may not see it. */
async function allowedVia(token: string, rows: Row[]): Promise<Array<string[] | null>> {
  const fields = rows.map((row, i) => `r${i}: node(id: "${row.globalId}") { ... on Replica { allowedActions } }`).join(' ');
  const result = await clients.run('http', token, `{ ${fields} }`);
  expect(result.errors).toBeUndefined();
  return rows.map((_, i) => (result.data[`r${i}`] as { allowedActions: string[] } | null)?.allowedActions ?? null);
}

/** The same through the replicas list, whose narrow column selection must load what allowedActions reads. */
async function allowedInList(token: string, ids: string[] | null, kinds?: string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  let after: string | null = null;
  do {
    const result = await clients.run(
      'http',
      token,
      `query($after: String, $kinds: [ReplicaKind!]) { replicas(first: 100, after: $after, filter: { kinds: $kinds }) { pageInfo { hasNextPage endCursor } edges { node { id allowedActions } } } }`,
      { after, kinds: kinds ?? null },
    );
    expect(result.errors).toBeUndefined();
    for (const { node } of result.data.replicas.edges) if (ids === null || ids.includes(node.id)) found.set(node.id, node.allowedActions);
    after = result.data.replicas.pageInfo.hasNextPage ? result.data.replicas.pageInfo.endCursor : null;
  } while (after);
  return found;
}

async function createAccount(input: Record<string, unknown>) {
  const admin = await signer.sign({ subject: 'admin', groups: [] });
  return clients.run('http', admin, `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id name grantedActions } }`, { input });
}

describe('Replica.allowedActions over HTTP', () => {
  it('an administrator: failover and planned failover on Ready; undo, permanent failover and failback on Failover', async () => {
    const admin = await signer.sign({ subject: 'admin', groups: [] });
    expect(await allowedVia(admin, [ready, failedOver])).toEqual([
      ['FAILOVER', 'PLANNED_FAILOVER'],
      ['UNDO_FAILOVER', 'PERMANENT_FAILOVER', 'FAILBACK'],
    ]);
    const listed = await allowedInList(admin, [ready.globalId, failedOver.globalId]);
    expect([listed.get(ready.globalId), listed.get(failedOver.globalId)]).toEqual([
      ['FAILOVER', 'PLANNED_FAILOVER'],
      ['UNDO_FAILOVER', 'PERMANENT_FAILOVER', 'FAILBACK'],
    ]);
  });

  it('a restore operator: its defaults in its scope, nothing outside it; a grant by an administrator widens it, audited', async () => {
    const scope = { items: [{ ref: ready.refs.at(-1)! }, { ref: failedOver.refs.at(-1)! }] };
    const created = await createAccount({ type: 'USER', name: 'aa-operator', roles: ['RESTORE_OPERATOR'], scope });
    expect(created.errors).toBeUndefined();
    expect(created.data.createAccount.grantedActions).toEqual([]);
    const operator = await signer.sign({ subject: 'aa-operator', groups: [] });
    expect(await allowedVia(operator, [ready, failedOver])).toEqual([['FAILOVER', 'PLANNED_FAILOVER'], ['UNDO_FAILOVER']]);
    const listed = await allowedInList(operator, [ready.globalId, failedOver.globalId]);
    expect([...listed.values()].sort()).toEqual([['FAILOVER', 'PLANNED_FAILOVER'], ['UNDO_FAILOVER']].sort());
    // Out of scope: not even the replica.
    const outside = others.find((row) => !row.refs.includes(ready.refs.at(-1)!) && !row.refs.includes(failedOver.refs.at(-1)!))!;
    expect(await allowedVia(operator, [outside])).toEqual([null]);

    const admin = await signer.sign({ subject: 'admin', groups: [] });
    const updated = await clients.run('http', admin, `mutation($id: ID!) { updateAccount(id: $id, input: { grantedActions: [FAILBACK, PERMANENT_FAILOVER] }) { grantedActions } }`, {
      id: created.data.createAccount.id,
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateAccount.grantedActions).toEqual(['PERMANENT_FAILOVER', 'FAILBACK']);
    expect(await allowedVia(operator, [ready, failedOver])).toEqual([['FAILOVER', 'PLANNED_FAILOVER'], ['UNDO_FAILOVER', 'PERMANENT_FAILOVER', 'FAILBACK']]);
    const entry = await gateway.services.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'account.update' }, orderBy: { seq: 'desc' } });
    expect(entry).toMatchObject({ decision: 'ALLOW', rule: 'admin.accounts', actorSubject: 'admin' });
    expect(entry.details).toMatchObject({ before: { grantedActions: [] }, after: { grantedActions: ['PERMANENT_FAILOVER', 'FAILBACK'] } });

    // A default action is refused, audited, and changes nothing.
    const refused = await clients.run('http', admin, `mutation($id: ID!) { updateAccount(id: $id, input: { grantedActions: [UNDO_FAILOVER] }) { grantedActions } }`, {
      id: created.data.createAccount.id,
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problem: 'invalid' });
    const denial = await gateway.services.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'account.update' }, orderBy: { seq: 'desc' } });
    expect(denial).toMatchObject({ decision: 'DENY', rule: 'validation.invalid' });
    expect(await allowedVia(operator, [failedOver])).toEqual([['UNDO_FAILOVER', 'PERMANENT_FAILOVER', 'FAILBACK']]);
  });

  it('CDP and Cloud Director replicas never list a lifecycle action, even for a caller granted every one', async () => {
    const created = await createAccount({
      type: 'USER',
      name: 'aa-everything',
      roles: ['RESTORE_OPERATOR'],
      scope: { allObjects: true },
      grantedActions: ['PERMANENT_FAILOVER', 'FAILBACK', 'SWITCH_TO_PRODUCTION', 'COMMIT_FAILBACK', 'UNDO_FAILBACK'],
    });
    expect(created.errors).toBeUndefined();
    expect(new Set(others.map((row) => row.kind))).toEqual(new Set(['CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP']));
    for (const subject of ['admin', 'aa-everything']) {
      const token = await signer.sign({ subject, groups: [] });
      const lists = await allowedInList(token, null, ['CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP']);
      // Every one of them, on every server: only EM's failover, where the edition allows it.
      expect(lists.size).toBe(await gateway.services.db.prisma.replica.count({ where: { kind: { not: 'VM_REPLICA' } } }));
      expect(new Set([...lists.values()].flat()), subject).toEqual(new Set(['FAILOVER']));
      expect((await allowedVia(token, others.slice(0, 20))).every((list) => list !== null && list.every((action) => action === 'FAILOVER'))).toBe(true);
    }
  });
});

describe('explain for every action over HTTP', () => {
  const EXPLAIN = `query($account: ID!, $object: ID!, $action: PolicyAction) { explain(account: $account, object: $object, action: $action) { allowed rule reason } }`;

  it('defaults to FAILOVER, and names the rule of each action', async () => {
    const admin = await signer.sign({ subject: 'admin', groups: [] });
    const operator = await gateway.services.db.prisma.account.findFirstOrThrow({ where: { type: 'USER', name: 'aa-operator' } });
    const account = encodeGlobalID('Account', operator.id);
    const ask = async (action?: string) => {
      const result = await clients.run('http', admin, EXPLAIN, { account, object: failedOver.globalId, ...(action ? { action } : {}) });
      expect(result.errors).toBeUndefined();
      return result.data.explain;
    };
    expect(await ask()).toEqual(await ask('FAILOVER'));
    expect(await ask()).toMatchObject({ allowed: true, rule: 'scope.failover' });
    expect(await ask('UNDO_FAILOVER')).toMatchObject({ allowed: true, rule: 'scope.undoFailover' });
    expect(await ask('FAILBACK')).toMatchObject({ allowed: true, rule: 'scope.failback', reason: expect.stringContaining('granted failback') });
    expect(await ask('SWITCH_TO_PRODUCTION')).toMatchObject({ allowed: false, rule: 'default.deny' });
  });
});
