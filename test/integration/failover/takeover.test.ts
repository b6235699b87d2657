import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmClient, type EmClient } from '../../../src/em/index.js';
import { createFailoverTracker, createOperationStore } from '../../../src/failover/index.js';
import { GraphQLClients, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, failoverInput, operationDbId, payloadOf, ReplicaPool, runFailover, startFailoverGateway } from './support.js';

/**
 * An operation that another instance takes over: the new owner logs on to EM
 * with a session of its own, and EM's tasks belong to the logon session that
 * started them, so the new owner cannot read the failover's task. The final
 * event must not carry the task state the first owner saw while it ran.
 */
describe('a failover taken over by another instance', () => {
  let gateway: TestGateway;
  let clients: GraphQLClients;
  let em: EmClient;

  beforeAll(async () => {
    gateway = await startFailoverGateway({ SIMULATOR_FAILOVER_MS: '1500' });
    clients = new GraphQLClients(gateway);
    em = createEmClient({ url: gateway.simulator!.url, username: 'em-admin', password: 'em-admin' });
  }, 120_000);
  afterAll(async () => {
    await em?.close();
    await clients?.close();
    await gateway?.stop();
  });

  /** An administrator's failover of a fresh VM replica, started. */
  async function startedFailover() {
    const replica = (await ReplicaPool.of(gateway)).take('VM_REPLICA');
    const admin = await tokenSigner(gateway).sign({ subject: 'admin', groups: [] });
    const started = payloadOf(await runFailover(clients, 'http', admin, failoverInput(replica)));
    expect(started.__typename).toBe('FailoverStarted');
    return started;
  }

  it('ends with current fields: no task state left over from the first owner', async () => {
    const started = await startedFailover();
    expect(started.operation.taskState).toBe('Running');
    const id = operationDbId(started.operation.id);
    const prisma = gateway.services.db.prisma;

    // The other instance holds the lease from now on (as after the first one's lease expired).
    const other = 'other-instance';
    await prisma.failoverOperation.update({ where: { id }, data: { leaseOwner: other, leaseExpiresAt: new Date(Date.now() + 3_600_000) } });
    const tracker = createFailoverTracker({
      prisma,
      em,
      instanceId: other,
      logger: pino({ level: 'silent' }),
      isDispatching: () => false,
      store: createOperationStore({ prisma, audit: gateway.services.audit, publish: () => undefined }),
      pollMs: 100,
      leaseMs: 3_600_000,
    });
    const ended = await eventually(
      async () => {
        await tracker.tick();
        const row = await prisma.failoverOperation.findUniqueOrThrow({ where: { id } });
        return row.state === 'RUNNING' ? undefined : row;
      },
      { what: 'the operation to end under its new owner', timeoutMs: 30_000 },
    );
    expect(ended.state).toBe('SUCCEEDED');

    const events = await prisma.failoverEvent.findMany({ where: { operationId: id }, orderBy: { sequence: 'asc' } });
    const last = events.at(-1)!;
    expect(last.state).toBe('SUCCEEDED');
    expect(last.sessionState).toBe('Stopped');
    // EM does not tell the new owner about the task (another logon session's): the end says nothing of it.
    expect(last.taskState).toBeNull();
    expect(ended.taskState).toBeNull();
  }, 60_000);

  it("is reconciled by its own instance when its answer was never stored (the write after EM's answer failed)", async () => {
    const id = operationDbId((await startedFailover()).operation.id);
    const prisma = gateway.services.db.prisma;
    const own = gateway.services.instanceId;
    // As if storing EM's answer had failed: the operation is still DISPATCHING, owned by this instance, which is
    // no longer sending it, and its lease has run out. No other instance exists to take it over.
    await prisma.failoverOperation.update({
      where: { id },
      data: { state: 'DISPATCHING', emTaskId: null, taskState: null, restoreSessionId: null, sessionState: null, dispatchedAt: null, leaseOwner: own, leaseExpiresAt: new Date(Date.now() - 1_000) },
    });
    const ended = await eventually(
      async () => {
        const row = await prisma.failoverOperation.findUniqueOrThrow({ where: { id } });
        return row.state === 'SUCCEEDED' || row.state === 'FAILED' || row.state === 'NOT_STARTED' ? row : undefined;
      },
      { what: 'the stored-answer-less operation to be reconciled and ended', timeoutMs: 30_000 },
    );
    // EM's restore session proves it started, and ran to its end.
    expect(ended.state).toBe('SUCCEEDED');
    expect(ended.restoreSessionId).not.toBeNull();
  }, 60_000);
});
