import { randomUUID } from 'node:crypto';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, startAccessGateway, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import { ADMIN, auditOf, eventually, failoverVm, FAST_FAILOVER_ENV, operationsOf, readyVms, ReplicaPool, tasksOf, watchStates, type ReadyVm } from './races.js';

/**
 * Faults between the gateway and EM around the one failover POST: a lost
 * answer (timeout or dropped connection after EM started the failover), 503
 * and 500 answers, EM's logon session expiring mid-request, and EM down during
 * the fresh check. Each must end in exactly one failover EM started (or none,
 * with the operation recorded as not started), never a second POST sent by
 * the gateway, and no operation left behind.
 */
describe('failover with faults between the gateway and EM', () => {
  let gateway: TestGateway;
  let clients: GraphQLClients;
  let token: string;
  let pool: ReplicaPool;
  const NORMAL = { durationMs: 300, collectMs: 30 };

  beforeAll(async () => {
    // A hung failover POST times out after one second.
    gateway = await startAccessGateway({ ...FAST_FAILOVER_ENV, EM_TIMEOUT_MS: '1000' });
    clients = new GraphQLClients(gateway);
    token = await tokenSigner(gateway).sign(ADMIN);
    pool = new ReplicaPool(await readyVms(gateway, token));
  });
  afterEach(async () => {
    sim().faults = {};
    sim().timings = NORMAL;
    // Every test leaves no active operation behind for the next one.
    await eventually(async () => ((await gateway.services.db.prisma.activeFailover.count()) === 0 ? true : undefined), 15_000, 'no active failover');
  });
  afterAll(async () => {
    await clients?.close();
    await gateway?.stop();
  });

  const sim = () => gateway.simulator!;
  const prisma = () => gateway.services.db.prisma;
  const call = (replica: ReadyVm, key: string, via: 'argument' | 'header' | 'ws' = 'argument') =>
    failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key, via });
  const decisions = async (replica: ReadyVm) => (await auditOf(gateway, replica)).map((entry) => `${entry.action} ${entry.decision} ${entry.rule ?? '-'}`);

  describe.each(['hang', 'drop'] as const)('the answer to the failover POST is lost (%s)', (failoverResponse) => {
    it('answers FailoverStarted in OUTCOME_UNKNOWN; the tracker finds the restore session (RUNNING), then SUCCEEDED; one POST', async () => {
      const replica = pool.take();
      const key = `lost-${failoverResponse}-${randomUUID()}`;
      // The failover outlives the lost answer, so the reconciled RUNNING can be seen.
      sim().timings = { durationMs: 2_500, collectMs: 100 };
      sim().faults = { failoverResponse };
      sim().resetCounters();

      const started = Date.now();
      const answer = await call(replica, key);
      sim().faults = {};
      expect(answer).toMatchObject({ __typename: 'FailoverStarted', replayed: false, operation: { state: 'OUTCOME_UNKNOWN', emTaskId: null, restoreSessionId: null } });
      if (failoverResponse === 'hang') expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(sim().counters.failoverPosts).toBe(1);
      const tasks = tasksOf(gateway, replica);
      expect(tasks).toHaveLength(1);

      // A retry with the key meanwhile is a replay of the unknown operation: nothing is sent.
      expect(await call(replica, key, 'header')).toMatchObject({ __typename: 'FailoverStarted', replayed: true, operation: { id: answer.operation.id } });

      const id = decodeGlobalID(answer.operation.id).id;
      const states = await watchStates(gateway, id);
      expect(states).toContain('RUNNING');
      expect(states.at(-1)).toBe('SUCCEEDED');
      expect(states.slice(states.indexOf('RUNNING'))).toEqual(['RUNNING', 'SUCCEEDED']);
      const [operation] = await operationsOf(gateway, replica);
      expect(operation).toMatchObject({ id, state: 'SUCCEEDED', result: 'Success', restoreSessionId: tasks[0]!.restoreSessionId, progress: 100 });
      expect(operation!.message).toMatch(/^Reconciled/);
      expect(await prisma().activeFailover.count({ where: { replicaId: replica.id } })).toBe(0);
      expect(await decisions(replica)).toEqual(['failover ALLOW admin.failover', 'failover ALLOW idempotency.replay', 'failover.end ALLOW -']);

      // Never resent.
      expect(sim().counters.failoverPosts).toBe(1);
      expect(tasksOf(gateway, replica)).toHaveLength(1);
    });
  });

  it('503 on the failover POST: UpstreamUnavailableError, recorded NOT_STARTED, replica and key free; the retry with the same key sends once more', async () => {
    const replica = pool.take();
    const key = `503-${randomUUID()}`;
    sim().faults = { target: 'failover', errorCount: 1, errorStatus: 503 };
    sim().resetCounters();

    const refused = await call(replica, key);
    expect(refused).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE' });
    expect(sim().counters.failoverPosts).toBe(1);
    expect(tasksOf(gateway, replica)).toHaveLength(0);
    const [notStarted, ...none] = await operationsOf(gateway, replica);
    expect(none).toEqual([]);
    expect(notStarted).toMatchObject({ state: 'NOT_STARTED', result: 'UPSTREAM_UNAVAILABLE', idempotencyKey: null, emTaskId: null, restoreSessionId: null });
    expect(notStarted!.finishedAt).not.toBeNull();
    expect(await prisma().activeFailover.count({ where: { replicaId: replica.id } })).toBe(0);
    expect(await decisions(replica)).toEqual(['failover ALLOW admin.failover', 'failover.end ALLOW -']);

    const retried = await call(replica, key, 'ws');
    expect(retried).toMatchObject({ __typename: 'FailoverStarted', replayed: false, operation: { state: 'RUNNING' } });
    expect(decodeGlobalID(retried.operation.id).id).not.toBe(notStarted!.id);
    expect(sim().counters.failoverPosts).toBe(2);
    expect(tasksOf(gateway, replica)).toHaveLength(1);
    expect((await watchStates(gateway, decodeGlobalID(retried.operation.id).id)).at(-1)).toBe('SUCCEEDED');
    const operations = await operationsOf(gateway, replica);
    expect(operations.map((o) => [o.state, o.idempotencyKey])).toEqual([
      ['NOT_STARTED', null],
      ['SUCCEEDED', key],
    ]);
  });

  it('500 on the failover POST: EM may have acted, so OUTCOME_UNKNOWN, reconciled to NOT_STARTED after the grace; never resent', async () => {
    const replica = pool.take();
    const key = `500-${randomUUID()}`;
    sim().faults = { target: 'failover', errorCount: 1, errorStatus: 500 };
    sim().resetCounters();

    const answer = await call(replica, key);
    expect(answer).toMatchObject({ __typename: 'FailoverStarted', replayed: false, operation: { state: 'OUTCOME_UNKNOWN' } });
    // The 500 itself is in the request's log line; the caller reads plain words.
    expect(answer.operation.message).toMatch(/did not answer the failover; it may have started/);
    expect(answer.operation.message).not.toMatch(/500|http:/);
    const id = decodeGlobalID(answer.operation.id).id;
    // Still held while unknown: another caller is told a failover is in progress.
    const other = await failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key: randomUUID() });
    expect(other).toMatchObject({ __typename: 'FailoverInProgressError', activeOperation: { id: answer.operation.id } });

    const states = await watchStates(gateway, id);
    expect(states.at(-1)).toBe('NOT_STARTED');
    expect(states).not.toContain('RUNNING');
    const [operation] = await operationsOf(gateway, replica);
    expect(operation).toMatchObject({ state: 'NOT_STARTED', result: 'UPSTREAM_UNAVAILABLE', idempotencyKey: null });
    expect(operation!.message).toMatch(/no restore session/);
    // At least the grace (1 s) after it was sent.
    expect(operation!.finishedAt!.getTime() - operation!.dispatchedAt!.getTime()).toBeGreaterThanOrEqual(1_000);
    expect(await prisma().activeFailover.count({ where: { replicaId: replica.id } })).toBe(0);
    expect(sim().counters.failoverPosts).toBe(1);
    expect(tasksOf(gateway, replica)).toHaveLength(0);
    expect(await decisions(replica)).toEqual(['failover ALLOW admin.failover', 'failover DENY failover.in-progress', 'failover.end ALLOW -']);

    // The replica is free again: the caller's retry with the same key starts it, with one more POST.
    const retried = await call(replica, key);
    expect(retried).toMatchObject({ __typename: 'FailoverStarted', replayed: false, operation: { state: 'RUNNING' } });
    expect(sim().counters.failoverPosts).toBe(2);
    expect(tasksOf(gateway, replica)).toHaveLength(1);
    await watchStates(gateway, decodeGlobalID(retried.operation.id).id);
  });

  it('EM session expired before the request: the fresh check logs on again; one POST, one failover', async () => {
    const replica = pool.take();
    sim().resetCounters();
    expect(sim().expireSessions()).toBeGreaterThan(0);

    const answer = await call(replica, randomUUID());
    expect(answer).toMatchObject({ __typename: 'FailoverStarted', operation: { state: 'RUNNING' } });
    expect(sim().counters.byRoute['POST /sessionMngr']).toBe(1);
    expect(sim().counters.failoverPosts).toBe(1);
    expect(tasksOf(gateway, replica)).toHaveLength(1);
    expect((await watchStates(gateway, decodeGlobalID(answer.operation.id).id)).at(-1)).toBe('SUCCEEDED');
  });

  it('EM session expires while the failover POST is on its way: refused with 401, resent once after a new logon; EM starts one failover', async () => {
    const replica = pool.take();
    // The POST waits in the simulator before its session is checked: time to expire the session under it.
    sim().faults = { target: 'failover', latencyMs: 400 };
    sim().resetCounters();

    const pending = call(replica, randomUUID());
    await eventually(async () => (sim().counters.failoverPosts === 1 ? true : undefined), 10_000, 'the failover POST to arrive');
    expect(sim().expireSessions()).toBeGreaterThan(0);
    const answer = await pending;

    expect(answer).toMatchObject({ __typename: 'FailoverStarted', replayed: false, operation: { state: 'RUNNING' } });
    expect(sim().counters.failoverPosts).toBe(2);
    expect(sim().counters.byRoute['POST /sessionMngr']).toBe(1);
    const tasks = tasksOf(gateway, replica);
    expect(tasks).toHaveLength(1);
    expect(answer.operation).toMatchObject({ emTaskId: tasks[0]!.id, restoreSessionId: tasks[0]!.restoreSessionId });
    expect((await watchStates(gateway, decodeGlobalID(answer.operation.id).id)).at(-1)).toBe('SUCCEEDED');
    expect(await operationsOf(gateway, replica)).toHaveLength(1);
    expect(tasksOf(gateway, replica)).toHaveLength(1);
  });

  describe.each([
    ['every read answers 503', { target: 'reads', errorRate: 1, errorStatus: 503 }],
    ['every connection is dropped', { target: 'all', dropRate: 1 }],
  ] as const)('EM down during the fresh check (%s)', (_label, faults) => {
    it('UpstreamUnavailableError, no operation, nothing sent; the same key works once EM is back', async () => {
      const replica = pool.take();
      const key = `down-${randomUUID()}`;
      sim().resetCounters();
      sim().faults = { ...faults };

      const refused = await call(replica, key);
      sim().faults = {};
      expect(refused).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE' });
      expect(refused.message).toMatch(/unavailable/i);
      expect(sim().counters.failoverPosts).toBe(0);
      // The read was retried (3 retries) before giving up.
      expect(sim().counters.total).toBeGreaterThanOrEqual(4);
      expect(await operationsOf(gateway, replica)).toEqual([]);
      expect(await prisma().failoverOperation.count({ where: { idempotencyKey: key } })).toBe(0);
      expect(await decisions(replica)).toEqual(['failover DENY upstream.upstream-unavailable']);

      const retried = await call(replica, key);
      expect(retried).toMatchObject({ __typename: 'FailoverStarted', replayed: false, operation: { state: 'RUNNING' } });
      expect(sim().counters.failoverPosts).toBe(1);
      await watchStates(gateway, decodeGlobalID(retried.operation.id).id);
    });
  });

  it('the audit log cannot write: the call fails, nothing is claimed or sent; the same key works once it can', async () => {
    const replica = pool.take();
    const key = `audit-down-${randomUUID()}`;
    sim().resetCounters();
    // The chain's table away (a lost grant, a full disk): no decision can be recorded.
    await prisma().$executeRawUnsafe('ALTER TABLE audit_entry RENAME TO audit_entry_away');
    let failed: unknown;
    try {
      failed = await call(replica, key).catch((error: unknown) => error);
    } finally {
      await prisma().$executeRawUnsafe('ALTER TABLE audit_entry_away RENAME TO audit_entry');
    }
    expect(String(failed)).toMatch(/failover call failed/);
    expect(sim().counters.failoverPosts, 'nothing sent without its decision on record').toBe(0);
    expect(await operationsOf(gateway, replica)).toEqual([]);
    expect(await prisma().activeFailover.count({ where: { replicaId: replica.id } })).toBe(0);

    const retried = await call(replica, key);
    expect(retried).toMatchObject({ __typename: 'FailoverStarted', replayed: false });
    expect(sim().counters.failoverPosts).toBe(1);
    expect(await decisions(replica)).toEqual(['failover ALLOW admin.failover']);
    await watchStates(gateway, decodeGlobalID(retried.operation.id).id);
  });
});
