import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, startAccessGateway, tokenSigner } from '../support/access.js';
import { postGraphQL, type TestGateway } from '../support/gateway.js';
import { createDatabase } from './failover-events-support.js';
import {
  ADMIN,
  auditOf,
  expectDuplicateAnswers,
  expectOneDispatched,
  failoverVm,
  FAST_FAILOVER_ENV,
  operationsOf,
  readyVms,
  ReplicaPool,
  tally,
  tasksOf,
  watchStates,
  type Via,
} from '../integration/failover/races.js';
import { vbrServersFile } from '../support/vbr-servers.js';

/**
 * The failover races on PostgreSQL, where requests really run in parallel
 * (PGlite has one connection): duplicates with one key, callers racing on one
 * replica, and two gateway instances on one database racing through the
 * database's unique indexes.
 */

describe('failover races on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
  // One secret for every instance, so one token works on all of them.
  let shared: Record<string, string>;
  let gateway: TestGateway;
  let clients: GraphQLClients;
  let token: string;
  let pool: ReplicaPool;

  beforeAll(async () => {
    database = await createDatabase('fg_failover');
    shared = { ...FAST_FAILOVER_ENV, DATABASE_URL: database.url, JWT_SECRET: randomBytes(32).toString('hex') };
    gateway = await startAccessGateway(shared);
    clients = new GraphQLClients(gateway);
    token = await tokenSigner(gateway).sign(ADMIN);
    pool = new ReplicaPool(await readyVms(gateway, token));
  });
  afterAll(async () => {
    await clients?.close();
    await gateway?.stop();
    await database?.drop();
  });

  const sim = () => gateway.simulator!;
  const vias: Via[] = ['argument', 'header', 'ws'];

  it('runs on PostgreSQL', async () => {
    const { json } = await postGraphQL(gateway.url, { query: '{ gateway { database } }' }, { authorization: `Bearer ${token}` });
    expect(json.data.gateway.database).toBe('POSTGRESQL');
  });

  it('100 concurrent duplicates with one key: one EM call, one operation, 99 replays, 100 audit entries', async () => {
    const replica = pool.take();
    const key = `pg-dup-${randomUUID()}`;
    sim().resetCounters();

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key, reason: 'pg dup', via: vias[i % 3] })),
    );

    expect(sim().counters.failoverPosts).toBe(1);
    expect(tasksOf(gateway, replica)).toHaveLength(1);
    const { operationId } = expectDuplicateAnswers(answers, 100);
    const operations = await operationsOf(gateway, replica);
    expect(operations.map((o) => o.id)).toEqual([operationId]);
    expect(operations[0]).toMatchObject({ idempotencyKey: key, callerReason: 'pg dup' });
    const decisions = (await auditOf(gateway, replica)).filter((entry) => entry.action === 'failover');
    expect(tally(decisions.map((entry) => `${entry.decision} ${entry.rule}`))).toEqual({ 'ALLOW admin.failover': 1, 'ALLOW idempotency.replay': 99 });
    expect((await watchStates(gateway, operations[0]!.id)).at(-1)).toBe('SUCCEEDED');
    expect(sim().counters.failoverPosts).toBe(1);
  });

  it('50 concurrent callers on one replica with different keys: exactly one dispatched, 49 FailoverInProgressError naming it', async () => {
    const replica = pool.take();
    sim().timings = { durationMs: 2_000, collectMs: 100 };
    sim().resetCounters();
    try {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => failoverVm(gateway, clients, token, { restorePointId: replica.points[0]!, key: `pg-race-${i}-${randomUUID()}`, via: vias[i % 3] })),
      );
      expect(sim().counters.failoverPosts).toBe(1);
      await expectOneDispatched(gateway, replica, answers);
    } finally {
      sim().timings = { durationMs: 300, collectMs: 30 };
    }
  });

  describe('two gateway instances on one database and one EM', () => {
    let second: TestGateway;
    let secondClients: GraphQLClients;

    beforeAll(async () => {
      second = await startAccessGateway({ ...shared, EM_URL: gateway.simulator!.url, VBR_SERVERS: vbrServersFile(gateway.simulator!), EM_USERNAME: 'em-admin', EM_PASSWORD: 'em-admin' });
      secondClients = new GraphQLClients(second);
    });
    afterAll(async () => {
      await secondClients?.close();
      await second?.stop();
    });

    /** Caller i goes to the first or the second instance, over HTTP (argument or header) or graphql-ws. */
    const callOn = (i: number, call: { restorePointId: string; key: string }) =>
      i % 2 === 0 ? failoverVm(gateway, clients, token, { ...call, via: vias[i % 3] }) : failoverVm(second, secondClients, token, { ...call, via: vias[i % 3] });

    it('are two instances on one EM, and one token works on both', async () => {
      expect(second.simulator).toBeUndefined();
      expect(second.services.instanceId).not.toBe(gateway.services.instanceId);
      const { json } = await postGraphQL(second.url, { query: '{ viewer { subject } }' }, { authorization: `Bearer ${token}` });
      expect(json.data.viewer.subject).toBe('admin');
    });

    it('50 callers split across both instances, different keys: exactly one dispatched across instances', async () => {
      const replica = pool.take();
      sim().timings = { durationMs: 2_000, collectMs: 100 };
      sim().resetCounters();
      try {
        const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => callOn(i, { restorePointId: replica.points[0]!, key: `pg-two-${i}-${randomUUID()}` })));
        expect(sim().counters.failoverPosts).toBe(1);
        await expectOneDispatched(gateway, replica, answers);
        expect(sim().counters.failoverPosts).toBe(1);
      } finally {
        sim().timings = { durationMs: 300, collectMs: 30 };
      }
    });

    it('100 duplicates with one key split across both instances: one EM call, one operation', async () => {
      const replica = pool.take();
      const key = `pg-two-dup-${randomUUID()}`;
      sim().resetCounters();
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => callOn(i, { restorePointId: replica.points[0]!, key })));
      expect(sim().counters.failoverPosts).toBe(1);
      expect(tasksOf(gateway, replica)).toHaveLength(1);
      const { operationId } = expectDuplicateAnswers(answers, 100);
      const operations = await operationsOf(gateway, replica);
      expect(operations.map((o) => o.id)).toEqual([operationId]);
      const decisions = (await auditOf(gateway, replica)).filter((entry) => entry.action === 'failover');
      expect(tally(decisions.map((entry) => `${entry.decision} ${entry.rule}`))).toEqual({ 'ALLOW admin.failover': 1, 'ALLOW idempotency.replay': 99 });
      expect((await watchStates(gateway, operations[0]!.id)).at(-1)).toBe('SUCCEEDED');
    });

    it('the audit chain both instances appended to verifies', async () => {
      // The trackers may still append (a failover ending): verify covers at least what was there before it ran.
      const before = await gateway.services.db.prisma.auditEntry.count();
      const { json } = await postGraphQL(second.url, { query: '{ verifyAuditLog { ok checked firstBroken { seq } } }' }, { authorization: `Bearer ${token}` });
      const after = await gateway.services.db.prisma.auditEntry.count();
      expect(json.errors).toBeUndefined();
      expect(json.data.verifyAuditLog).toMatchObject({ ok: true, firstBroken: null });
      expect(before).toBeGreaterThan(200);
      expect(json.data.verifyAuditLog.checked).toBeGreaterThanOrEqual(before);
      expect(json.data.verifyAuditLog.checked).toBeLessThanOrEqual(after);
    });
  });
});
