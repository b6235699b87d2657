import { describe, expect, it } from 'vitest';
import { AuditWriteError, verifyAuditChain } from '../../../src/audit/index.js';
import type { Ending } from '../../../src/failover/operation-store.js';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { allowedEntry, auditedActions, createOperation, createReplica, fileDatabase, operationDraft, storeOf } from './events-support.js';

/**
 * A claim commits with its ALLOW entry and an end with its end entry: when the
 * audit log cannot write, the operation's write is undone too, so no operation
 * is dispatched, or ended, without its record.
 */
const db = fileDatabase();
const OWNER = { instanceId: 'gw-test', leaseMs: 30_000 };
const SUCCEEDED: Ending = { state: 'SUCCEEDED', result: 'Success', message: null, progress: 100, replicaState: 'Failover' };

/** Runs `during` while the audit table cannot be written (it is away, as after a failed disk or a lost grant). */
async function withAuditAway<T>(prisma: PrismaClient, during: () => Promise<T>): Promise<T> {
  await prisma.$executeRawUnsafe('ALTER TABLE audit_entry RENAME TO audit_entry_away');
  try {
    return await during();
  } finally {
    await prisma.$executeRawUnsafe('ALTER TABLE audit_entry_away RENAME TO audit_entry');
  }
}

describe('the operation store records claims and ends in their own transaction', () => {
  it('a claim commits with its ALLOW entry, naming the operation', async () => {
    const published: string[] = [];
    const store = storeOf(db.prisma, (operation) => published.push(operation.id));
    const claimed = await store.claim(operationDraft(await createReplica(db.prisma)), OWNER, new Date(), allowedEntry);
    expect(claimed.type).toBe('claimed');
    const id = claimed.type === 'claimed' ? claimed.operation.id : '';
    expect(await auditedActions(db.prisma, id)).toEqual(['failover']);
    expect(published).toEqual([id]);
  });

  it('no audit, no claim: the operation is not created, the replica stays free, nothing is published', async () => {
    const replicaId = await createReplica(db.prisma);
    const published: string[] = [];
    const store = storeOf(db.prisma, (operation) => published.push(operation.id));
    const failed = await withAuditAway(db.prisma, () => store.claim(operationDraft(replicaId, { idempotencyKey: 'k-1' }), OWNER, new Date(), allowedEntry).catch((error: unknown) => error));
    expect(failed).toBeInstanceOf(AuditWriteError);
    expect(await db.prisma.failoverOperation.count({ where: { replicaId } })).toBe(0);
    expect(await db.prisma.activeFailover.count({ where: { replicaId } })).toBe(0);
    expect(published).toEqual([]);
    // Once the log writes again, the same request (same key) claims the replica.
    expect((await store.claim(operationDraft(replicaId, { idempotencyKey: 'k-1' }), OWNER, new Date(), allowedEntry)).type).toBe('claimed');
  });

  it('a busy replica or a taken key: no entry is added by the claim (the service records the refusal)', async () => {
    const first = await createOperation(db.prisma, { idempotencyKey: 'k-2' });
    const store = storeOf(db.prisma);
    const before = await db.prisma.auditEntry.count();
    const busy = await store.claim({ ...operationDraft(first.replicaId!), initiatorSubject: 'someone-else' }, OWNER, new Date(), allowedEntry);
    const taken = await store.claim(operationDraft(await createReplica(db.prisma), { idempotencyKey: 'k-2' }), OWNER, new Date(), allowedEntry);
    expect(busy).toEqual({ type: 'busy', operationId: first.id });
    expect(taken).toMatchObject({ type: 'keyTaken', operation: { id: first.id } });
    expect(await db.prisma.auditEntry.count()).toBe(before);
  });

  it('the usual claim is one statement with its entry; busy replicas and taken keys are decided in a transaction', async () => {
    let transactions = 0;
    // The store's database, counting the interactive transactions it opens.
    const counted = new Proxy(db.prisma, {
      get: (target, key) => (key === '$transaction' ? (...args: Parameters<PrismaClient['$transaction']>) => ((transactions += 1), target.$transaction(...args)) : Reflect.get(target, key)),
    }) as PrismaClient;
    const store = storeOf(counted);
    await store.claim(operationDraft(await createReplica(db.prisma)), OWNER, new Date(), allowedEntry);
    const opened = transactions; // the first claim learns the chain's head in a transaction
    const replicaId = await createReplica(db.prisma);
    const claimed = await store.claim(operationDraft(replicaId, { idempotencyKey: 'k-one-statement' }), OWNER, new Date(), allowedEntry);
    expect(claimed.type).toBe('claimed');
    expect(transactions).toBe(opened);
    const id = claimed.type === 'claimed' ? claimed.operation.id : '';
    expect(claimed.type === 'claimed' && claimed.operation).toMatchObject({ replicaId, state: 'DISPATCHING', idempotencyKey: 'k-one-statement', leaseOwner: OWNER.instanceId });
    expect(await db.prisma.activeFailover.findUnique({ where: { replicaId } })).toMatchObject({ operationId: id });
    expect(await auditedActions(db.prisma, id)).toEqual(['failover']);
    // The same replica again, and the same key on another replica: the statement writes nothing, the transaction answers.
    expect(await store.claim({ ...operationDraft(replicaId), initiatorSubject: 'someone-else' }, OWNER, new Date(), allowedEntry)).toEqual({ type: 'busy', operationId: id });
    expect(await store.claim(operationDraft(await createReplica(db.prisma), { idempotencyKey: 'k-one-statement' }), OWNER, new Date(), allowedEntry)).toMatchObject({ type: 'keyTaken', operation: { id } });
    expect(transactions).toBe(opened + 2);
    expect(await auditedActions(db.prisma, id)).toEqual(['failover']);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it('an end commits with its end entry; a second end writes neither', async () => {
    const operation = await createOperation(db.prisma);
    const store = storeOf(db.prisma);
    const ended = await store.finishActive(operation.id, SUCCEEDED, new Date());
    expect(ended).toMatchObject({ id: operation.id, state: 'SUCCEEDED' });
    expect(await store.finishActive(operation.id, { ...SUCCEEDED, state: 'FAILED' }, new Date())).toBeNull();
    expect(await auditedActions(db.prisma, operation.id)).toEqual(['failover', 'failover.end']);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it('no audit, no end: the operation keeps running and holding its replica, to be ended (and recorded) on the next look', async () => {
    const operation = await createOperation(db.prisma);
    const published: number[] = [];
    const store = storeOf(db.prisma, (changed) => published.push(changed.sequence));
    const failed = await withAuditAway(db.prisma, () => store.finishActive(operation.id, SUCCEEDED, new Date()).catch((error: unknown) => error));
    expect(failed).toBeInstanceOf(AuditWriteError);
    expect(await db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ state: 'DISPATCHING', finishedAt: null });
    expect(await db.prisma.activeFailover.count({ where: { operationId: operation.id } })).toBe(1);
    expect(published).toEqual([]);

    expect(await store.finishActive(operation.id, SUCCEEDED, new Date())).toMatchObject({ state: 'SUCCEEDED' });
    expect(await auditedActions(db.prisma, operation.id)).toEqual(['failover', 'failover.end']);
  });

  it('not started: the refusal ends the operation with its entry, freeing the replica and the key', async () => {
    const operation = await createOperation(db.prisma, { idempotencyKey: 'k-3' });
    const ended = await storeOf(db.prisma).notStarted(operation.id, { code: 'REPLICA_NOT_READY', message: 'not ready' }, new Date());
    expect(ended).toMatchObject({ state: 'NOT_STARTED', idempotencyKey: null });
    expect(await db.prisma.activeFailover.count({ where: { operationId: operation.id } })).toBe(0);
    expect(await auditedActions(db.prisma, operation.id)).toEqual(['failover', 'failover.end']);
  });
});
