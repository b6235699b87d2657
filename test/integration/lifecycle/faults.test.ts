import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import type { SimulatorFaults } from '../../../src/simulator/faults.js';
import { eventually, failoverInput, operationDbId, payloadOf, ReplicaPool, runFailover, startFailoverGateway, type FailoverReplica } from '../failover/support.js';

/**
 * Faults between the gateway and a backup server's REST API around the one
 * lifecycle POST (undo failover of a failed-over VM replica): 5xx before
 * anything happens, an answer lost after the action started (dropped or
 * hung), a hang before anything happens, the access token expiring and a
 * refresh token refused as already used. Each ends with exactly one action
 * VBR started (or none, recorded as not started), never a POST resent
 * blindly, the replica in the right state and the attempt and its end in the
 * audit log.
 */

const UNDO_ROUTE = 'POST /api/v1/failover/undoFailover/vSphere/snapshot';
const TOKEN_ROUTE = 'POST /api/oauth2/token';
const SWITCH_ROUTE = 'POST /api/v1/failback/switchToProduction/vSphere/snapshot';
/** The VBR client's per-call timeout (src/vbr, not configurable): a hung POST is given up after it. */
const VBR_TIMEOUT_MS = 10_000;

const UNDO = `mutation($input: ReplicaActionInput!, $key: String) {
  undoFailover(input: $input, idempotencyKey: $key) {
    __typename
    ... on ReplicaActionStarted { replayed operation { id action state replicaState result message restoreSessionId } }
    ... on Error { code message }
  }
}`;

describe('lifecycle actions with faults between the gateway and the backup server', () => {
  let gateway: TestGateway;
  let clients: GraphQLClients;
  let pool: ReplicaPool;
  let admin: string;

  beforeAll(async () => {
    // A lost dispatch without a session is over one second after it was sent.
    gateway = await startFailoverGateway({ FAILOVER_RECONCILE_GRACE_SECONDS: '1' });
    clients = new GraphQLClients(gateway);
    pool = await ReplicaPool.of(gateway);
    admin = await tokenSigner(gateway).sign({ subject: 'admin', groups: [] });
  }, 120_000);
  afterEach(async () => {
    sim().setVbrFaults({});
    sim().vbrSessionDurations = { ...sim().vbrSessionDurations, UndoFailover: 300 };
    // Every test leaves no active operation behind for the next one.
    await eventually(async () => ((await prisma().activeFailover.count()) === 0 ? true : undefined), { what: 'no active operation', timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await clients?.close();
    await gateway?.stop();
  });

  const sim = () => gateway.simulator!;
  const prisma = () => gateway.services.db.prisma;
  const servers = () => Object.keys(sim().vbrUrls);
  /** Calls to one route on every VBR face, counted on arrival. */
  const arrivals = (route: string) => servers().reduce((sum, server) => sum + (sim().vbrCounters(server).byRoute[route] ?? 0), 0);
  /** Undo failover sessions the simulated backup servers started for this VM. */
  const undoSessions = (replica: FailoverReplica) => sim().dump().vbrSessions.filter((s) => s.type === 'UndoFailover' && s.name.toLowerCase() === replica.name.toLowerCase());

  const switchSessions = (replica: FailoverReplica) =>
    sim().dump().vbrSessions.filter((s) => s.type === 'SwitchReplicaToProduction' && s.name.toLowerCase() === replica.name.toLowerCase());

  /** Starts a lifecycle action as the administrator; returns its operation's database id once it answered in `state`. */
  async function act(name: string, input: Record<string, unknown>, state = 'RUNNING'): Promise<string> {
    const type = name === 'failback' ? 'FailbackInput' : 'ReplicaActionInput';
    const result = await clients.run('http', admin, `mutation($input: ${type}!) { ${name}(input: $input) { __typename ... on ReplicaActionStarted { operation { id state } } ... on Error { code message } } }`, { input });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const payload = result.data![name];
    expect(payload, JSON.stringify(payload)).toMatchObject({ __typename: 'ReplicaActionStarted', operation: { state } });
    return operationDbId(payload.operation.id);
  }

  /** A VM replica failed over through EM, Ready to be undone. */
  async function failedOver(): Promise<FailoverReplica> {
    const replica = pool.take('VM_REPLICA', { where: (r) => r.state === 'Ready' });
    const started = payloadOf(await runFailover(clients, 'http', admin, failoverInput(replica)));
    expect(started.__typename).toBe('FailoverStarted');
    await endOf(operationDbId(started.operation.id));
    expect(await replicaState(replica)).toBe('Failover');
    return replica;
  }

  async function undo(replica: FailoverReplica, key: string): Promise<any> {
    const result = await clients.run('http', admin, UNDO, { input: { replicaId: replica.globalId, reason: 'fault test' }, key });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!.undoFailover;
  }

  /** The operation once it ended (database row). */
  function endOf(id: string, timeoutMs = 30_000) {
    return eventually(
      async () => {
        const row = await prisma().failoverOperation.findUniqueOrThrow({ where: { id } });
        return ['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING'].includes(row.state) ? undefined : row;
      },
      { what: `operation ${id} to end`, timeoutMs },
    );
  }

  /** The states the operation's events went through, each once in a row; the sequences must be 1…n without a gap. */
  async function statesOf(id: string): Promise<string[]> {
    const events = await prisma().failoverEvent.findMany({ where: { operationId: id }, orderBy: { sequence: 'asc' } });
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    return events.map((e) => e.state).filter((state, i, all) => i === 0 || all[i - 1] !== state);
  }

  const replicaState = async (replica: FailoverReplica) => (await prisma().replica.findUniqueOrThrow({ where: { id: replica.id } })).state;

  /** Decisions and ends of undo failover recorded about this replica, in chain order. */
  async function undoAudit(replica: FailoverReplica): Promise<string[]> {
    const entries = await prisma().auditEntry.findMany({ where: { subjectId: replica.id, action: { in: ['undoFailover', 'undoFailover.end'] } }, orderBy: { seq: 'asc' } });
    return entries.map((entry) => `${entry.action} ${entry.decision} ${entry.rule ?? '-'}`);
  }

  /** Waits until the next POST to the undo route has arrived at a face (it then sits in the injected latency). */
  const arrived = (before: number) => eventually(async () => (arrivals(UNDO_ROUTE) > before ? true : undefined), { what: 'the undo POST to arrive', intervalMs: 10 });

  describe('a 5xx before anything happened', () => {
    it('503: refused (UpstreamUnavailableError), NOT_STARTED, replica and key free; the retry with the same key sends once more', async () => {
      const replica = await failedOver();
      const key = `503-${randomUUID()}`;
      sim().setVbrFaults({ target: 'failover', errorCount: 1, errorStatus: 503 });
      const before = arrivals(UNDO_ROUTE);

      const refused = await undo(replica, key);
      expect(refused).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE' });
      expect(refused.message).not.toMatch(/503|http:/);
      expect(arrivals(UNDO_ROUTE) - before).toBe(1);
      expect(undoSessions(replica)).toHaveLength(0);
      const [notStarted, ...none] = await prisma().failoverOperation.findMany({ where: { replicaId: replica.id, action: 'UNDO_FAILOVER' } });
      expect(none).toEqual([]);
      expect(notStarted).toMatchObject({ state: 'NOT_STARTED', result: 'UPSTREAM_UNAVAILABLE', idempotencyKey: null, restoreSessionId: null });
      expect(await statesOf(notStarted!.id)).toEqual(['DISPATCHING', 'NOT_STARTED']);
      expect(await replicaState(replica)).toBe('Failover');
      expect(await undoAudit(replica)).toEqual(['undoFailover ALLOW admin.undoFailover', 'undoFailover.end ALLOW -']);

      // Nothing started, so the same key may try again: one more POST, and it runs.
      const retried = await undo(replica, key);
      expect(retried).toMatchObject({ __typename: 'ReplicaActionStarted', replayed: false, operation: { action: 'UNDO_FAILOVER', state: 'RUNNING' } });
      expect(operationDbId(retried.operation.id)).not.toBe(notStarted!.id);
      expect((await endOf(operationDbId(retried.operation.id))).state).toBe('SUCCEEDED');
      expect(arrivals(UNDO_ROUTE) - before).toBe(2);
      expect(undoSessions(replica)).toHaveLength(1);
      expect(await replicaState(replica)).toBe('Ready');
    });

    it('500: the server may have acted, so OUTCOME_UNKNOWN; no session is found, so NOT_STARTED after the grace; never resent', async () => {
      const replica = await failedOver();
      sim().setVbrFaults({ target: 'failover', errorCount: 1, errorStatus: 500 });
      const before = arrivals(UNDO_ROUTE);

      const answer = await undo(replica, `500-${randomUUID()}`);
      expect(answer).toMatchObject({ __typename: 'ReplicaActionStarted', replayed: false, operation: { state: 'OUTCOME_UNKNOWN' } });
      expect(answer.operation.message).not.toMatch(/500|http:/);
      const id = operationDbId(answer.operation.id);
      const operation = await endOf(id);
      expect(operation).toMatchObject({ state: 'NOT_STARTED', result: 'UPSTREAM_UNAVAILABLE', idempotencyKey: null, restoreSessionId: null });
      expect(operation.message).toMatch(/no session/);
      expect(operation.finishedAt!.getTime() - operation.dispatchedAt!.getTime()).toBeGreaterThanOrEqual(1_000);
      expect(await statesOf(id)).toEqual(['DISPATCHING', 'OUTCOME_UNKNOWN', 'NOT_STARTED']);
      expect(arrivals(UNDO_ROUTE) - before).toBe(1);
      expect(undoSessions(replica)).toHaveLength(0);
      expect(await replicaState(replica)).toBe('Failover');
      expect(await undoAudit(replica)).toEqual(['undoFailover ALLOW admin.undoFailover', 'undoFailover.end ALLOW -']);
    });
  });

  describe.each([
    ['dropped', { failoverResponse: 'drop' }, 0],
    ['hung until the client gives up', { failoverResponse: 'hang' }, VBR_TIMEOUT_MS],
  ] as const)('the answer is lost after the undo started (%s)', (_label, faults: SimulatorFaults, waitsMs) => {
    it('answers OUTCOME_UNKNOWN; the tracker finds the session among the server\'s (RUNNING), then SUCCEEDED; exactly one POST', async () => {
      const replica = await failedOver();
      const key = `lost-${randomUUID()}`;
      // The undo outlives the lost answer, so the reconciled operation is followed while it runs.
      sim().vbrSessionDurations = { ...sim().vbrSessionDurations, UndoFailover: waitsMs + 2_000 };
      sim().setVbrFaults({ target: 'failover', ...faults });
      const before = arrivals(UNDO_ROUTE);

      const started = Date.now();
      const answer = await undo(replica, key);
      sim().setVbrFaults({});
      expect(answer).toMatchObject({ __typename: 'ReplicaActionStarted', replayed: false, operation: { action: 'UNDO_FAILOVER', state: 'OUTCOME_UNKNOWN', restoreSessionId: null } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(waitsMs - 100);
      const sessions = undoSessions(replica);
      expect(sessions).toHaveLength(1);

      // A retry with the key meanwhile replays the operation: nothing is sent.
      const replay = await undo(replica, key);
      expect(replay).toMatchObject({ __typename: 'ReplicaActionStarted', replayed: true, operation: { id: answer.operation.id } });

      const id = operationDbId(answer.operation.id);
      const operation = await endOf(id);
      expect(operation).toMatchObject({ state: 'SUCCEEDED', result: 'Success', restoreSessionId: sessions[0]!.id, progress: 100, replicaState: 'Ready' });
      expect(await statesOf(id)).toEqual(['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'SUCCEEDED']);
      // The move to RUNNING says why; the end carries the session's own result message.
      const running = await prisma().failoverEvent.findFirstOrThrow({ where: { operationId: id, state: 'RUNNING' }, orderBy: { sequence: 'asc' } });
      expect(running.message).toMatch(/^Reconciled/);
      expect(await replicaState(replica)).toBe('Ready');
      expect(await undoAudit(replica)).toEqual(['undoFailover ALLOW admin.undoFailover', 'undoFailover ALLOW idempotency.replay', 'undoFailover.end ALLOW -']);
      // Never resent.
      expect(arrivals(UNDO_ROUTE) - before).toBe(1);
      expect(undoSessions(replica)).toHaveLength(1);
    });
  });

  it('a lost answer is matched to its own session, not to an earlier one of its type for the VM that no operation follows', async () => {
    // VBR starts a scheduled switch to production by itself: a SwitchReplicaToProduction session of the VM the
    // gateway never posted. A switch the gateway posts within the clock margin after it must find its own session.
    const replica = await failedOver();
    const input = { replicaId: replica.globalId };
    const durations = sim().vbrSessionDurations;
    sim().vbrSessionDurations = { ...durations, Failback: 300, SwitchReplicaToProduction: 300, UndoFailback: 300 };
    try {
      const scheduled = await act('failback', { ...input, destination: { originalLocation: {} }, switchover: { at: new Date(Date.now() + 1_000).toISOString() } });
      expect((await endOf(scheduled)).replicaState).toBe('ReadyToSwitch');
      // The scheduled switch ran on its own and ended.
      await eventually(async () => (switchSessions(replica).some((s) => s.state === 'Stopped') ? true : undefined), { what: 'the scheduled switch to end' });
      expect((await endOf(await act('undoFailback', input))).replicaState).toBe('Failover');
      expect((await endOf(await act('failback', { ...input, destination: { originalLocation: {} }, switchover: { manual: true } }))).replicaState).toBe('ReadyToSwitch');

      // The switch the gateway posts runs for a while; its answer is lost.
      sim().vbrSessionDurations = { ...durations, SwitchReplicaToProduction: 2_000 };
      sim().setVbrFaults({ target: 'failover', failoverResponse: 'drop' });
      const before = arrivals(SWITCH_ROUTE);
      const answer = await act('switchToProduction', input, 'OUTCOME_UNKNOWN');
      sim().setVbrFaults({});
      const sessions = switchSessions(replica);
      expect(sessions).toHaveLength(2);
      const own = sessions.at(-1)!;

      const operation = await endOf(answer);
      expect(operation).toMatchObject({ state: 'SUCCEEDED', restoreSessionId: own.id, replicaState: 'Failback' });
      expect(await statesOf(operation.id)).toEqual(['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'SUCCEEDED']);
      // It ended when its own session did, not at once on the other's old result.
      expect(operation.finishedAt!.getTime() - operation.createdAt.getTime()).toBeGreaterThanOrEqual(1_500);
      expect(arrivals(SWITCH_ROUTE) - before).toBe(1);
      expect(await replicaState(replica)).toBe('Failback');
    } finally {
      sim().vbrSessionDurations = durations;
    }
  });

  it('a hang before anything happened: OUTCOME_UNKNOWN after the client\'s timeout, then NOT_STARTED; one POST, no session', async () => {
    const replica = await failedOver();
    sim().setVbrFaults({ target: 'failover', hangCount: 1 });
    const before = arrivals(UNDO_ROUTE);

    const answer = await undo(replica, `hang-${randomUUID()}`);
    sim().setVbrFaults({});
    expect(answer).toMatchObject({ __typename: 'ReplicaActionStarted', operation: { state: 'OUTCOME_UNKNOWN' } });
    const id = operationDbId(answer.operation.id);
    expect(await endOf(id)).toMatchObject({ state: 'NOT_STARTED', result: 'UPSTREAM_UNAVAILABLE' });
    expect(await statesOf(id)).toEqual(['DISPATCHING', 'OUTCOME_UNKNOWN', 'NOT_STARTED']);
    expect(arrivals(UNDO_ROUTE) - before).toBe(1);
    expect(undoSessions(replica)).toHaveLength(0);
    expect(await replicaState(replica)).toBe('Failover');
    expect(await undoAudit(replica)).toEqual(['undoFailover ALLOW admin.undoFailover', 'undoFailover.end ALLOW -']);
  });

  describe('tokens', () => {
    /** The undo runs and ends SUCCEEDED with one session; returns the POSTs that arrived for it. */
    async function undoneOnce(replica: FailoverReplica, whileSending?: () => void): Promise<{ posts: number; tokenCalls: number }> {
      const before = arrivals(UNDO_ROUTE);
      const tokensBefore = arrivals(TOKEN_ROUTE);
      const pending = undo(replica, `token-${randomUUID()}`);
      if (whileSending) {
        await arrived(before);
        whileSending();
      }
      const answer = await pending;
      // VBR refused the first POST before acting (401): the client's one resend is not a blind retry.
      expect(answer).toMatchObject({ __typename: 'ReplicaActionStarted', replayed: false, operation: { state: 'RUNNING' } });
      const id = operationDbId(answer.operation.id);
      expect(await endOf(id)).toMatchObject({ state: 'SUCCEEDED', replicaState: 'Ready' });
      expect(await statesOf(id)).toEqual(['DISPATCHING', 'RUNNING', 'SUCCEEDED']);
      expect(undoSessions(replica)).toHaveLength(1);
      expect(await replicaState(replica)).toBe('Ready');
      expect(await undoAudit(replica)).toEqual(['undoFailover ALLOW admin.undoFailover', 'undoFailover.end ALLOW -']);
      return { posts: arrivals(UNDO_ROUTE) - before, tokenCalls: arrivals(TOKEN_ROUTE) - tokensBefore };
    }

    it('expired before the call: the fresh check renews the token, and the undo is posted once', async () => {
      const replica = await failedOver();
      expect(sim().expireVbrTokens()).toBeGreaterThan(0);
      const { posts, tokenCalls } = await undoneOnce(replica);
      expect(posts).toBe(1);
      expect(tokenCalls).toBeGreaterThanOrEqual(1);
    });

    it('expired while the POST is on its way: refused with 401 before acting, sent once more with a new token; one session', async () => {
      const replica = await failedOver();
      sim().setVbrFaults({ target: 'failover', latencyMs: 1_000 });
      const { posts, tokenCalls } = await undoneOnce(replica, () => {
        expect(sim().expireVbrTokens()).toBeGreaterThan(0);
      });
      expect(posts).toBe(2);
      // One refresh grant.
      expect(tokenCalls).toBe(1);
    });

    it('the refresh token is refused as already used: the client signs on with its password, and the undo still runs once', async () => {
      const replica = await failedOver();
      sim().setVbrFaults({ target: 'failover', latencyMs: 1_000 });
      const { posts, tokenCalls } = await undoneOnce(replica, () => {
        sim().failNextVbrRefresh();
        expect(sim().expireVbrTokens()).toBeGreaterThan(0);
      });
      expect(posts).toBe(2);
      // The refused refresh grant, then the password grant.
      expect(tokenCalls).toBe(2);
    });
  });
});
