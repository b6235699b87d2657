import { describe, expect, it } from 'vitest';
import type { Look } from '../../../src/failover/operation-store.js';
import { createOperation, fileDatabase, storeOf } from './events-support.js';

/**
 * The replica's state in the inventory moves with the operation's own writes:
 * a look by the lease holder (failback's phases) and the one end that counts.
 * An instance that lost its lease mid-look, or ends an operation already
 * ended, writes nothing to the replica.
 */
const db = fileDatabase();

async function runningOperation(owner: string) {
  const operation = await createOperation(db.prisma);
  const store = storeOf(db.prisma);
  await store.running({ id: operation.id, accepted: { taskId: null, taskState: null, sessionId: 'session-1', sessionState: 'Working' }, at: new Date(), sequence: operation.sequence });
  await db.prisma.failoverOperation.update({ where: { id: operation.id }, data: { leaseOwner: owner, leaseExpiresAt: new Date(Date.now() + 60_000) } });
  await db.prisma.replica.update({ where: { id: operation.replicaId! }, data: { state: 'Failover' } });
  const fresh = await db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } });
  return { store, operation: fresh };
}

const look = (id: string, sequence: number, owner: string, replicaState: string | null): Look => ({
  id,
  progress: 40,
  sessionState: 'Working',
  taskState: null,
  replicaState,
  at: new Date(),
  nextLookAt: new Date(Date.now() + 1_000),
  sequence,
  owner,
});

const replicaState = async (id: string) => (await db.prisma.replica.findUniqueOrThrow({ where: { id } })).state;

describe("the replica's state written by the operation store", () => {
  it("a look by the lease holder moves the replica's state with the operation's", async () => {
    const { store, operation } = await runningOperation('instance-b');
    await store.look(look(operation.id, operation.sequence, 'instance-b', 'ReadyToSwitch'));
    expect(await replicaState(operation.replicaId!)).toBe('ReadyToSwitch');
    expect((await db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } })).replicaState).toBe('ReadyToSwitch');
    // A look that saw no state leaves the replica's as it is.
    await store.look(look(operation.id, operation.sequence, 'instance-b', null));
    expect(await replicaState(operation.replicaId!)).toBe('ReadyToSwitch');
  });

  it('a look by an instance that lost the lease writes neither the operation nor the replica', async () => {
    const { store, operation } = await runningOperation('instance-b');
    await store.look(look(operation.id, operation.sequence, 'instance-a', 'ReadyToSwitch'));
    expect(await replicaState(operation.replicaId!)).toBe('Failover');
    expect((await db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } })).progress).not.toBe(40);
  });

  it('the end writes the final state; a second, late end does not overwrite it', async () => {
    const { store, operation } = await runningOperation('instance-b');
    await store.finishActive(operation.id, { state: 'SUCCEEDED', result: 'Success', message: null, progress: 100, replicaState: 'Failback' }, new Date());
    expect(await replicaState(operation.replicaId!)).toBe('Failback');
    expect(await store.finishActive(operation.id, { state: 'FAILED', result: 'Failed', message: null, progress: 100, replicaState: 'Failover' }, new Date())).toBeNull();
    expect(await replicaState(operation.replicaId!)).toBe('Failback');
  });

  it('an end that saw no state leaves the replica as it is', async () => {
    const { store, operation } = await runningOperation('instance-b');
    await store.finishActive(operation.id, { state: 'FAILED', result: 'Unknown', message: 'not observed', progress: 50, replicaState: null }, new Date());
    expect(await replicaState(operation.replicaId!)).toBe('Failover');
  });
});
