import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, failoverInput, operationDbId, payloadOf, ReplicaPool, runFailover, startFailoverGateway, type FailoverReplica } from '../failover/support.js';

/**
 * The replica lifecycle after failover, end to end: the gateway on the
 * embedded simulator, whose EM face and per-server VBR REST faces share one
 * world. Failover goes through EM; undo, permanent failover, failback and its
 * phases through the backup server's REST API.
 */

const PAYLOAD = `
  __typename
  ... on ReplicaActionStarted { replayed operation { id action state replicaState result message restoreSessionId } }
  ... on ReplicaActionDryRun { action replicaState rule reason }
  ... on Error { code message }
  ... on ForbiddenError { rule }
  ... on WrongReplicaStateError { replicaState allowedActions }
  ... on ActionNotSupportedError { kind }
  ... on BadUserInputError { field }
  ... on FailoverInProgressError { activeOperation: operation { id } }`;

const mutation = (name: string, input: string) => `mutation($input: ${input}!, $key: String) { ${name}(input: $input, idempotencyKey: $key) { ${PAYLOAD} } }`;
const ACTION = (name: string) => mutation(name, 'ReplicaActionInput');
const FAILBACK = mutation('failback', 'FailbackInput');
const REPLICA = `query($id: ID!) { node(id: $id) { ... on Replica { id state allowedActions } } }`;
const OPERATION = `query($id: ID!) { failoverOperation(id: $id) { id action state replicaState result message } }`;

describe('replica lifecycle through the backup server', () => {
  let gateway: TestGateway;
  let clients: GraphQLClients;
  let pool: ReplicaPool;
  let admin: string;
  let operator: string;

  beforeAll(async () => {
    gateway = await startFailoverGateway();
    clients = new GraphQLClients(gateway);
    pool = await ReplicaPool.of(gateway);
    const signer = tokenSigner(gateway);
    admin = await signer.sign({ subject: 'admin', groups: [] });
    await gateway.services.db.prisma.account.create({ data: { type: 'USER', name: 'lc-operator', roles: ['RESTORE_OPERATOR'], scopeAll: true } });
    operator = await signer.sign({ subject: 'lc-operator', groups: [] });
  }, 120_000);
  afterAll(async () => {
    await clients?.close();
    await gateway?.stop();
  });

  const vmReplica = () => pool.take('VM_REPLICA', { where: (r) => r.state === 'Ready' });
  /** Lifecycle POSTs every backup server's VBR face received. */
  const vbrPosts = () =>
    Object.keys(gateway.simulator!.vbrUrls)
      .flatMap((server) => Object.entries(gateway.simulator!.vbrCounters(server).byRoute))
      .filter(([route]) => /^POST .*\/vSphere\/snapshot/.test(route))
      .reduce((sum, [, n]) => sum + n, 0);

  async function act(token: string, name: string, input: Record<string, unknown>, key?: string): Promise<any> {
    const result = await clients.run('http', token, name === 'failback' ? FAILBACK : ACTION(name), { input, key });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data![name];
  }

  async function ended(token: string, operationId: string): Promise<any> {
    return eventually(
      async () => {
        const result = await clients.run('http', token, OPERATION, { id: operationId });
        const operation = result.data?.failoverOperation as any;
        return operation && !['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING'].includes(operation.state) ? operation : undefined;
      },
      { what: `operation ${operationId} to end`, timeoutMs: 30_000 },
    );
  }

  async function replicaNow(token: string, replica: FailoverReplica): Promise<any> {
    return (await clients.run('http', token, REPLICA, { id: replica.globalId })).data?.node;
  }

  async function failedOver(token: string, replica: FailoverReplica): Promise<void> {
    const started = payloadOf(await runFailover(clients, 'http', token, failoverInput(replica)));
    expect(started.__typename).toBe('FailoverStarted');
    expect((await ended(token, started.operation.id)).state).toBe('SUCCEEDED');
  }

  async function runs(token: string, name: string, input: Record<string, unknown>, replicaState: string | null): Promise<any> {
    const payload = await act(token, name, input);
    expect(payload.__typename, JSON.stringify(payload)).toBe('ReplicaActionStarted');
    const operation = await ended(token, payload.operation.id);
    expect(operation).toMatchObject({ state: 'SUCCEEDED', replicaState });
    return operation;
  }

  it('an operator fails a VM over and undoes it; each step is audited with its rule and reason', async () => {
    const replica = vmReplica();
    expect((await replicaNow(operator, replica)).allowedActions).toEqual(expect.arrayContaining(['FAILOVER', 'PLANNED_FAILOVER']));
    await failedOver(operator, replica);
    const after = await replicaNow(operator, replica);
    expect(after.state).toBe('Failover');
    expect(after.allowedActions).toContain('UNDO_FAILOVER');
    // Failback and permanent failover are the administrator's by default.
    expect(after.allowedActions).not.toContain('PERMANENT_FAILOVER');

    const undo = await runs(operator, 'undoFailover', { replicaId: replica.globalId, reason: 'site A is back' }, 'Ready');
    expect(undo.action).toBe('UNDO_FAILOVER');
    expect((await replicaNow(operator, replica)).state).toBe('Ready');

    const entries = await gateway.services.db.prisma.auditEntry.findMany({ where: { action: { in: ['undoFailover', 'undoFailover.end'] }, subjectId: replica.id }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => [e.action, e.decision])).toEqual([
      ['undoFailover', 'ALLOW'],
      ['undoFailover.end', 'ALLOW'],
    ]);
    expect(entries[0]).toMatchObject({ rule: 'scope-all.undoFailover', callerReason: 'site A is back' });
  });

  it('an administrator fails back with a manual switchover, switches and commits', async () => {
    const replica = vmReplica();
    await failedOver(admin, replica);
    await runs(admin, 'failback', { replicaId: replica.globalId, destination: { originalLocation: {} }, switchover: { manual: true } }, 'ReadyToSwitch');
    expect((await replicaNow(admin, replica)).allowedActions).toEqual(expect.arrayContaining(['SWITCH_TO_PRODUCTION', 'UNDO_FAILBACK']));
    await runs(admin, 'switchToProduction', { replicaId: replica.globalId }, 'Failback');
    await runs(admin, 'commitFailback', { replicaId: replica.globalId }, 'Ready');
    expect((await replicaNow(admin, replica)).state).toBe('Ready');
  });

  it('undo failback returns a failed-back replica to Failover', async () => {
    const replica = vmReplica();
    await failedOver(admin, replica);
    await runs(admin, 'failback', { replicaId: replica.globalId, destination: { originalLocation: {} }, switchover: { automatic: true }, powerOnTargetVm: true }, 'Failback');
    await runs(admin, 'undoFailback', { replicaId: replica.globalId }, 'Failover');
  });

  it('a permanent failover removes the replica from the inventory and says so in the audit log', async () => {
    const replica = vmReplica();
    await failedOver(admin, replica);
    const forbidden = await act(operator, 'permanentFailover', { replicaId: replica.globalId });
    expect(forbidden.__typename).toBe('ForbiddenError');
    const done = await runs(admin, 'permanentFailover', { replicaId: replica.globalId, reason: 'site A is lost' }, null);
    expect(done.action).toBe('PERMANENT_FAILOVER');
    expect(await replicaNow(admin, replica)).toBeNull();
    expect(await gateway.services.db.prisma.replica.findUnique({ where: { id: replica.id } })).toBeNull();
    const end = await gateway.services.db.prisma.auditEntry.findFirst({ where: { action: 'permanentFailover.end' }, orderBy: { seq: 'desc' } });
    expect(end?.details).toMatchObject({ operationId: operationDbId(done.id), removedFromInventory: true });
  });

  it('refuses an action the state does not allow, a kind without a lifecycle API and a switchover in the past, dispatching nothing', async () => {
    const ready = vmReplica();
    const cdp = pool.take('CDP_VM');
    const before = vbrPosts();
    const wrong = await act(admin, 'undoFailover', { replicaId: ready.globalId });
    expect(wrong).toMatchObject({ __typename: 'WrongReplicaStateError', code: 'WRONG_REPLICA_STATE', replicaState: 'Ready' });
    expect(wrong.allowedActions).toEqual(expect.arrayContaining(['FAILOVER', 'PLANNED_FAILOVER']));
    expect(wrong.message).toMatch(/Ready.*undo failover needs Failover/);

    const unsupported = await act(admin, 'undoFailover', { replicaId: cdp.globalId });
    expect(unsupported).toMatchObject({ __typename: 'ActionNotSupportedError', code: 'ACTION_NOT_SUPPORTED', kind: 'CDP_VM' });
    expect(unsupported.message).toMatch(/console/);
    expect((await replicaNow(admin, cdp)).allowedActions).toEqual(['FAILOVER']);

    const past = await act(admin, 'failback', { replicaId: ready.globalId, destination: { originalLocation: {} }, switchover: { at: '2020-01-01T00:00:00Z' } });
    expect(past).toMatchObject({ __typename: 'BadUserInputError', field: 'input.failback.switchover.at' });

    const customized = await act(admin, 'failback', {
      replicaId: ready.globalId,
      destination: { customized: { host: { hostName: 'vc01', name: 'vm-host', type: 'Datastore', objectId: 'datastore-1' } } },
      switchover: { manual: true },
    });
    expect(customized.__typename).toBe('BadUserInputError');

    const unknown = await act(admin, 'undoFailover', { replicaId: ready.globalId.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    expect(['NotFoundError', 'BadUserInputError']).toContain(unknown.__typename);
    expect(vbrPosts()).toBe(before);
  });

  it('a planned failover starts through VBR; 50 racers mixing actions on one replica run exactly one', async () => {
    const replica = vmReplica();
    // Long enough that no racer comes after the planned failover ended (then an undo would be legal).
    gateway.simulator!.vbrSessionDurations = { ...gateway.simulator!.vbrSessionDurations, PlannedFailover: 20_000 };
    const before = vbrPosts();
    const calls = Array.from({ length: 50 }, (_, i) => act(admin, i % 2 === 0 ? 'plannedFailover' : 'undoFailover', { replicaId: replica.globalId }));
    const payloads = await Promise.all(calls);
    const started = payloads.filter((p) => p.__typename === 'ReplicaActionStarted');
    expect(started).toHaveLength(1);
    expect(started[0].operation.action).toBe('PLANNED_FAILOVER');
    for (const refused of payloads.filter((p) => p.__typename !== 'ReplicaActionStarted')) expect(['FailoverInProgressError', 'WrongReplicaStateError']).toContain(refused.__typename);
    expect(vbrPosts() - before).toBe(1);
    gateway.simulator!.vbrSessionDurations = { ...gateway.simulator!.vbrSessionDurations, PlannedFailover: 300 };
    await ended(admin, started[0].operation.id);

    // 100 duplicates of one call with one key: one POST, one operation.
    const key = randomUUID();
    const beforeUndo = vbrPosts();
    const duplicates = await Promise.all(Array.from({ length: 100 }, () => act(admin, 'undoFailover', { replicaId: replica.globalId }, key)));
    const ids = new Set(duplicates.map((p) => p.operation?.id));
    expect(ids.size).toBe(1);
    expect(duplicates.filter((p) => p.replayed === false)).toHaveLength(1);
    expect(vbrPosts() - beforeUndo).toBe(1);
  });

  it('a dry run decides and checks the state, audits, and sends nothing', async () => {
    const replica = vmReplica();
    await failedOver(admin, replica);
    const before = vbrPosts();
    const dry = await act(admin, 'undoFailover', { replicaId: replica.globalId, dryRun: true });
    expect(dry).toMatchObject({ __typename: 'ReplicaActionDryRun', action: 'UNDO_FAILOVER', replicaState: 'Failover', rule: 'admin.undoFailover' });
    expect(vbrPosts()).toBe(before);
  });
});
