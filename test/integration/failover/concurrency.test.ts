import { randomUUID } from 'node:crypto';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, startAccessGateway, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import {
  ADMIN,
  auditOf,
  expectDuplicateAnswers,
  expectOneDispatched,
  eventually,
  failoverVm,
  FAST_FAILOVER_ENV,
  operationsOf,
  readyVms,
  ReplicaPool,
  tally,
  tasksOf,
  watchStates,
  type ReadyVm,
  type Via,
} from './races.js';

/**
 * Concurrency of the failover mutation on the embedded database: duplicates
 * with one idempotency key, callers racing on one replica, key reuse and key
 * expiry. Every test takes its own Ready replica (one that failed over is not
 * Ready any more) and counts what reached the simulator.
 */
describe('failover under concurrency', () => {
  let gateway: TestGateway;
  let clients: GraphQLClients;
  let token: string;
  let pool: ReplicaPool;

  beforeAll(async () => {
    // Keys live one hour here, so the expiry test needs no second gateway.
    gateway = await startAccessGateway({ ...FAST_FAILOVER_ENV, IDEMPOTENCY_KEY_TTL_HOURS: '1' });
    clients = new GraphQLClients(gateway);
    token = await tokenSigner(gateway).sign(ADMIN);
    pool = new ReplicaPool(await readyVms(gateway, token));
  });
  afterAll(async () => {
    await clients?.close();
    await gateway?.stop();
  });

  const sim = () => gateway.simulator!;

  it('100 concurrent duplicates with one key (argument, header, graphql-ws): one EM call, one operation, 99 replays, 100 audit entries', async () => {
    const replica = pool.take();
    const key = `dup-${randomUUID()}`;
    const vias: Via[] = ['argument', 'header', 'ws'];
    sim().resetCounters();

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key, reason: 'dup drill', via: vias[i % 3] })),
    );

    const { operationId } = expectDuplicateAnswers(answers, 100);
    expect(sim().counters.failoverPosts).toBe(1);
    expect(tasksOf(gateway, replica)).toHaveLength(1);

    const operations = await operationsOf(gateway, replica);
    expect(operations).toHaveLength(1);
    const [operation] = operations;
    expect(operationId).toBe(operation!.id);
    expect(operation).toMatchObject({ idempotencyKey: key, initiatorSubject: 'admin', callerReason: 'dup drill', emTaskId: tasksOf(gateway, replica)[0]!.id });

    const decisions = (await auditOf(gateway, replica)).filter((entry) => entry.action === 'failover');
    expect(decisions).toHaveLength(100);
    expect(tally(decisions.map((entry) => `${entry.decision} ${entry.rule}`))).toEqual({ 'ALLOW admin.failover': 1, 'ALLOW idempotency.replay': 99 });
    for (const entry of decisions.filter((e) => e.decision === 'ALLOW')) expect((entry.details as { operationId?: string }).operationId).toBe(operation!.id);

    // No operation is lost: it runs to its end, once.
    expect((await watchStates(gateway, operation!.id)).at(-1)).toBe('SUCCEEDED');
    expect(sim().counters.failoverPosts).toBe(1);
  });

  it('the same key with a different request (other reason, other restore point) is IdempotencyKeyReusedError; nothing is sent', async () => {
    const replica = pool.take();
    const key = `reuse-${randomUUID()}`;
    sim().resetCounters();
    const first = await failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key, reason: 'first' });
    expect(first).toMatchObject({ __typename: 'FailoverStarted', replayed: false });
    expect(sim().counters.failoverPosts).toBe(1);

    const otherReason = await failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key, reason: 'second' });
    const otherPoint = await failoverVm(gateway, clients, token, { restorePointId: replica.points[1]!, key, reason: 'first', via: 'header' });
    const noReason = await failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key, via: 'ws' });
    for (const answer of [otherReason, otherPoint, noReason]) {
      expect(answer).toMatchObject({ __typename: 'IdempotencyKeyReusedError', code: 'IDEMPOTENCY_KEY_REUSED' });
    }
    // The same request is still a replay of the first.
    expect(await failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key, reason: 'first', via: 'ws' })).toMatchObject({
      __typename: 'FailoverStarted',
      replayed: true,
      operation: { id: first.operation.id },
    });

    expect(sim().counters.failoverPosts).toBe(1);
    expect(tasksOf(gateway, replica)).toHaveLength(1);
    expect(await operationsOf(gateway, replica)).toHaveLength(1);
    const decisions = (await auditOf(gateway, replica)).filter((entry) => entry.action === 'failover');
    expect(decisions.map((entry) => `${entry.decision} ${entry.rule}`)).toEqual([
      'ALLOW admin.failover',
      'DENY idempotency.key-reused',
      'DENY idempotency.key-reused',
      'DENY idempotency.key-reused',
      'ALLOW idempotency.replay',
    ]);
    await watchStates(gateway, decodeGlobalID(first.operation.id).id);
  });

  it('50 concurrent callers on one replica with different keys: exactly one dispatched, 49 FailoverInProgressError naming it', async () => {
    const replica = pool.take();
    // Long enough that the winner is still active while the last loser claims.
    sim().timings = { durationMs: 2_000, collectMs: 100 };
    sim().resetCounters();
    try {
      const vias: Via[] = ['argument', 'header', 'ws'];
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key: `race-${i}-${randomUUID()}`, via: vias[i % 3] })),
      );

      expect(sim().counters.failoverPosts).toBe(1);
      await expectOneDispatched(gateway, replica, answers);
      expect(sim().counters.failoverPosts).toBe(1);
    } finally {
      sim().timings = { durationMs: 300, collectMs: 30 };
    }
  });

  it('an expired idempotency key is accepted again, for a new request', async () => {
    const [a, b] = [pool.take(), pool.take()];
    const key = `ttl-${randomUUID()}`;
    sim().resetCounters();
    const prisma = gateway.services.db.prisma;

    const first = await failoverVm(gateway, clients, token, { restorePointId: a.points[0]!, key });
    expect(first).toMatchObject({ __typename: 'FailoverStarted', replayed: false });
    const [stored] = await operationsOf(gateway, a);
    // IDEMPOTENCY_KEY_TTL_HOURS=1: the key is kept one hour from the request.
    const ttl = stored!.idempotencyExpiresAt!.getTime() - stored!.createdAt.getTime();
    expect(ttl).toBeGreaterThan(3_600_000 - 5_000);
    expect(ttl).toBeLessThan(3_600_000 + 5_000);

    // While the key lives, another request with it is refused.
    expect(await failoverVm(gateway, clients, token, { restorePointId: b.points[0]!, key })).toMatchObject({ __typename: 'IdempotencyKeyReusedError' });
    expect(sim().counters.failoverPosts).toBe(1);

    await prisma.failoverOperation.update({ where: { id: stored!.id }, data: { idempotencyExpiresAt: new Date(Date.now() - 1_000) } });

    const second = await failoverVm(gateway, clients, token, { restorePointId: b.points[0]!, key, via: 'header' });
    expect(second).toMatchObject({ __typename: 'FailoverStarted', replayed: false });
    expect(second.operation.id).not.toBe(first.operation.id);
    expect(sim().counters.failoverPosts).toBe(2);
    expect(tasksOf(gateway, b)).toHaveLength(1);

    // The key moved to the new operation; the old one keeps its record without it.
    const [old] = await operationsOf(gateway, a);
    const [fresh] = await operationsOf(gateway, b);
    expect(old).toMatchObject({ id: stored!.id, idempotencyKey: null });
    expect(fresh).toMatchObject({ id: decodeGlobalID(second.operation.id).id, idempotencyKey: key });
    // And it replays the new operation now.
    expect(await failoverVm(gateway, clients, token, { restorePointId: b.points[0]!, key, via: 'ws' })).toMatchObject({ replayed: true, operation: { id: second.operation.id } });
    expect(sim().counters.failoverPosts).toBe(2);

    await Promise.all([watchStates(gateway, stored!.id), watchStates(gateway, fresh!.id)]);
  });
  /**
   * A second request whose idempotency lookup runs before the first request's claim, and whose
   * fresh EM check runs after the first request's POST. Made deterministic with read latency,
   * which the simulator decides when a request arrives: the first request's read waits 800 ms,
   * the second's 2,500 ms, so the first claims and POSTs while the second is inside its check.
   * The first failover runs 5 s, so it is still in progress when the second check returns (with
   * the usual 300 ms it would have ended, and REPLICA_NOT_READY would be the right answer).
   */
  describe('a second request checking EM while the first one dispatches', () => {
    const READ = 'GET /vmReplicaPoints/{id}';
    interface Staggered {
      replica: ReadyVm;
      first: any;
      second: any;
      posts: number;
    }
    const staggered: Record<'sameKey' | 'otherKey', Staggered> = {} as never;

    async function stagger(sameKey: boolean): Promise<Staggered> {
      const replica = pool.take();
      const key = `stagger-${randomUUID()}`;
      const timings = sim().timings;
      sim().resetCounters();
      sim().timings = { durationMs: 5_000, collectMs: 100 };
      sim().faults = { target: 'reads', latencyMs: 800 };
      try {
        const first = failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key });
        await eventually(async () => (sim().counters.byRoute[READ] === 1 ? true : undefined), 10_000, "the first request's EM check");
        sim().faults = { target: 'reads', latencyMs: 2_500 };
        const second = failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key: sameKey ? key : `${key}-other`, via: 'header' });
        await eventually(async () => (sim().counters.byRoute[READ] === 2 ? true : undefined), 10_000, "the second request's EM check");
        sim().faults = {};
        const [a, b] = await Promise.all([first, second]);
        const posts = sim().counters.failoverPosts;
        await watchStates(gateway, decodeGlobalID(a.operation.id).id);
        return { replica, first: a, second: b, posts };
      } finally {
        sim().faults = {};
        sim().timings = timings;
      }
    }

    beforeAll(async () => {
      staggered.sameKey = await stagger(true);
      staggered.otherKey = await stagger(false);
    });

    it('sends one failover either way, and the second request takes no operation', async () => {
      for (const { replica, first, posts } of Object.values(staggered)) {
        expect(first).toMatchObject({ __typename: 'FailoverStarted', replayed: false });
        expect(posts).toBe(1);
        expect(tasksOf(gateway, replica)).toHaveLength(1);
        expect((await operationsOf(gateway, replica)).map((o) => o.id)).toEqual([decodeGlobalID(first.operation.id).id]);
      }
    });

    it('the same key: the second request gets the replay of the first', () => {
      const { first, second } = staggered.sameKey;
      expect(second).toMatchObject({ __typename: 'FailoverStarted', replayed: true, operation: { id: first.operation.id } });
    });

    it('another key: the second request gets FailoverInProgressError naming the first', () => {
      const { first, second } = staggered.otherKey;
      expect(second).toMatchObject({ __typename: 'FailoverInProgressError', code: 'FAILOVER_IN_PROGRESS', activeOperation: { id: first.operation.id } });
    });
  });
});
