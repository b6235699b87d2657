import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseNow, eventOf, loadEvents, recentSequences } from '../../../src/failover/events.js';
import type { Ending } from '../../../src/failover/operation-store.js';
import type { FailoverOperation } from '../../../src/failover/types.js';
import { change, createOperation, fileDatabase, sequences, settle, storeOf } from './events-support.js';

const db = fileDatabase();

const WATCHED = ['state', 'progress', 'taskState', 'sessionState', 'result', 'message', 'replicaState'] as const;

/** What an event must equal: the operation row's watched columns and its updatedAt. */
const snapshot = (row: FailoverOperation) => ({
  operationId: row.id,
  sequence: row.sequence,
  state: row.state,
  progress: row.progress,
  taskState: row.taskState,
  sessionState: row.sessionState,
  result: row.result,
  message: row.message,
  replicaState: row.replicaState,
  at: row.updatedAt,
});

const eventRows = (operationId: string) => db.prisma.failoverEvent.findMany({ where: { operationId }, orderBy: { sequence: 'asc' } });
const row = (id: string) => db.prisma.failoverOperation.findUniqueOrThrow({ where: { id } });
const all = (operationId: string) => loadEvents(db.prisma, [{ operationId, after: 0 }]);

describe('failover_event trigger', { timeout: 30_000 }, () => {
  it('a claimed operation is event 1, DISPATCHING, the row as inserted', async () => {
    const op = await createOperation(db.prisma);
    expect(op.sequence).toBe(1);
    expect(op.state).toBe('DISPATCHING');
    const events = await eventRows(op.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject(snapshot(op));
    expect((await row(op.id)).sequence).toBe(1);
  });

  it('each change of a watched column adds exactly one event with the next sequence, equal to the row', async () => {
    const op = await createOperation(db.prisma);
    const values: Record<(typeof WATCHED)[number], unknown> = {
      state: 'RUNNING',
      progress: 37,
      taskState: 'Running',
      sessionState: 'Working',
      result: 'Success',
      message: 'half way',
      replicaState: 'Failover',
    };
    let sequence = 1;
    for (const column of WATCHED) {
      const updated = await change(db.prisma, op.id, { [column]: values[column] });
      sequence += 1;
      expect(updated.sequence, column).toBe(sequence);
      const events = await eventRows(op.id);
      expect(sequences(events), column).toEqual(Array.from({ length: sequence }, (_, i) => i + 1));
      expect(events.at(-1), column).toMatchObject(snapshot(updated));
    }
    // Back to null is a change too.
    const cleared = await change(db.prisma, op.id, { message: null });
    expect(cleared.sequence).toBe(sequence + 1);
    expect((await eventRows(op.id)).at(-1)).toMatchObject({ ...snapshot(cleared), message: null });
  });

  it('several watched columns in one statement are one event', async () => {
    const op = await createOperation(db.prisma);
    const updated = await change(db.prisma, op.id, { state: 'RUNNING', progress: 5, taskState: 'Running', sessionState: 'Starting' });
    expect(updated.sequence).toBe(2);
    const events = await eventRows(op.id);
    expect(sequences(events)).toEqual([1, 2]);
    expect(events[1]).toMatchObject(snapshot(updated));
    // Event 1 kept the state it had.
    expect(events[0]).toMatchObject(snapshot(op));
  });

  it('writing the same values again (null included) adds no event', async () => {
    const op = await createOperation(db.prisma);
    const running = await change(db.prisma, op.id, { state: 'RUNNING', progress: 10 });
    const same = await change(db.prisma, op.id, { state: 'RUNNING', progress: 10, message: null, result: null, replicaState: null });
    expect(same.sequence).toBe(running.sequence);
    expect(await eventRows(op.id)).toHaveLength(2);
  });

  it('lease columns, nextLookAt, updatedAt and other unwatched columns add no event', async () => {
    const op = await createOperation(db.prisma);
    const later = new Date(Date.now() + 60_000);
    await db.prisma.failoverOperation.update({ where: { id: op.id }, data: { leaseOwner: 'gw-other', leaseExpiresAt: later } });
    await db.prisma.failoverOperation.update({ where: { id: op.id }, data: { nextLookAt: later } });
    await db.prisma.failoverOperation.update({ where: { id: op.id }, data: { updatedAt: later } });
    await db.prisma.failoverOperation.update({ where: { id: op.id }, data: { leaseOwner: null, leaseExpiresAt: null, nextLookAt: null, updatedAt: new Date() } });
    await db.prisma.failoverOperation.update({ where: { id: op.id }, data: { emTaskId: 'task-1', restoreSessionId: 'session-1', dispatchedAt: new Date() } });
    expect((await row(op.id)).sequence).toBe(1);
    expect(await eventRows(op.id)).toHaveLength(1);
  });

  it('the sequence cannot be written directly', async () => {
    const op = await createOperation(db.prisma);
    await db.prisma.failoverOperation.update({ where: { id: op.id }, data: { sequence: 42 } });
    expect((await row(op.id)).sequence).toBe(1);
    const updated = await db.prisma.failoverOperation.update({ where: { id: op.id }, data: { sequence: 42, progress: 1 } });
    expect(updated.sequence).toBe(2);
    expect(sequences(await eventRows(op.id))).toEqual([1, 2]);
  });

  it('a statement that fails leaves neither the change nor its event', async () => {
    const op = await createOperation(db.prisma);
    // The foreign key is checked at the end of the statement, after the trigger wrote the event.
    await expect(
      db.prisma.failoverOperation.update({ where: { id: op.id }, data: { state: 'RUNNING', progress: 3, replica: { connect: { id: randomUUID() } } } }),
    ).rejects.toThrow();
    await expect(
      db.prisma.$executeRaw`UPDATE failover_operation SET state = 'RUNNING', "replicaId" = ${randomUUID()}::uuid WHERE id = ${op.id}::uuid`,
    ).rejects.toThrow();
    const now = await row(op.id);
    expect(now.state).toBe('DISPATCHING');
    expect(now.sequence).toBe(1);
    expect(await eventRows(op.id)).toHaveLength(1);
  });

  it('a change in a transaction that rolls back leaves no event, and the next change takes the next sequence', async () => {
    const op = await createOperation(db.prisma);
    const keyed = await createOperation(db.prisma, { initiator: 'keyed', idempotencyKey: 'k-1' });
    await createOperation(db.prisma, { initiator: 'keyed', idempotencyKey: 'k-2' });
    // A batch: the first statement succeeds (and writes event 2), the second violates the key's unique index.
    await expect(
      db.prisma.$transaction([
        db.prisma.failoverOperation.update({ where: { id: op.id }, data: { state: 'RUNNING', progress: 20 } }),
        db.prisma.failoverOperation.update({ where: { id: keyed.id }, data: { idempotencyKey: 'k-2' } }),
      ]),
    ).rejects.toThrow();
    expect(await eventRows(op.id)).toHaveLength(1);
    // An interactive transaction that throws after the change.
    await expect(
      db.prisma.$transaction(async (tx) => {
        const inside = await tx.failoverOperation.update({ where: { id: op.id }, data: { progress: 30 } });
        expect(inside.sequence).toBe(2);
        expect(await tx.failoverEvent.count({ where: { operationId: op.id } })).toBe(2);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await row(op.id)).sequence).toBe(1);
    expect(await eventRows(op.id)).toHaveLength(1);
    // One statement changing a watched column and violating the unique index.
    await expect(db.prisma.failoverOperation.update({ where: { id: keyed.id }, data: { progress: 9, idempotencyKey: 'k-2' } })).rejects.toThrow();
    expect(await eventRows(keyed.id)).toHaveLength(1);

    const next = await change(db.prisma, op.id, { progress: 40 });
    expect(next.sequence).toBe(2);
    expect((await eventRows(op.id)).at(-1)).toMatchObject(snapshot(next));
  });

  it("the store's writers (running batch, outcome unknown, finish) each add one event per changed row, and publish exactly those", async () => {
    const a = await createOperation(db.prisma);
    const b = await createOperation(db.prisma);
    const published: Array<[string, number]> = [];
    const store = storeOf(db.prisma, (operation) => published.push([operation.id, operation.sequence]));
    const at = new Date();
    const [ra, rb] = await Promise.all([
      store.running({ id: a.id, accepted: { taskId: 'task-a', taskState: 'Running', sessionId: 'session-a', sessionState: null }, at, sequence: a.sequence }),
      store.running({ id: b.id, accepted: { taskId: 'task-b', taskState: null, sessionId: null, sessionState: null }, at, sequence: b.sequence }),
    ]);
    expect(published).toEqual([[a.id, 2], [b.id, 2]]);
    expect([ra!.sequence, rb!.sequence]).toEqual([2, 2]);
    expect((await eventRows(a.id)).at(-1)).toMatchObject({ ...snapshot(ra!), state: 'RUNNING', taskState: 'Running' });

    // outcomeUnknown only moves DISPATCHING: on a RUNNING operation it writes nothing, and publishes nothing.
    expect((await store.outcomeUnknown(a.id, 'lost', new Date())).sequence).toBe(2);
    expect(published).toHaveLength(2);
    const c = await createOperation(db.prisma);
    const unknown = await store.outcomeUnknown(c.id, 'lost', new Date());
    expect(unknown).toMatchObject({ state: 'OUTCOME_UNKNOWN', sequence: 2 });
    expect(published.at(-1)).toEqual([c.id, 2]);

    const ended = await store.finish(a.id, { state: 'SUCCEEDED', result: 'Success', message: null, progress: 100, replicaState: 'Failover', sessionState: 'Stopped' }, new Date());
    expect(ended.sequence).toBe(3);
    const events = await eventRows(a.id);
    expect(events).toHaveLength(3);
    expect(events[2]).toMatchObject(snapshot(ended));
    // The last event, read back, is what the writer publishes.
    expect((await all(a.id)).at(-1)).toEqual(eventOf(ended));
  });

  it('a replica removed from the inventory (replicaId set null) adds no event', async () => {
    const op = await createOperation(db.prisma);
    await db.prisma.replica.delete({ where: { id: op.replicaId! } });
    const now = await row(op.id);
    expect(now.replicaId).toBeNull();
    expect(now.sequence).toBe(1);
    expect(await eventRows(op.id)).toHaveLength(1);
    expect((await all(op.id))[0]).toMatchObject({ replicaId: null, sequence: 1 });
  });
});

describe('loadEvents', { timeout: 30_000 }, () => {
  it('after and upTo bound each operation on its own; rows come by operation, then sequence', async () => {
    const a = await createOperation(db.prisma, { kind: 'CDP_VM', initiator: 'alice' });
    const b = await createOperation(db.prisma, { kind: 'VCD_VAPP_REPLICA', initiator: 'bob' });
    await change(db.prisma, a.id, { state: 'RUNNING' });
    await change(db.prisma, b.id, { state: 'RUNNING' });
    for (const progress of [10, 20, 30]) {
      await change(db.prisma, a.id, { progress });
      await change(db.prisma, b.id, { progress: progress + 1 });
    }
    // a and b: 1..5 each.
    expect(sequences(await all(a.id))).toEqual([1, 2, 3, 4, 5]);
    expect(sequences(await loadEvents(db.prisma, [{ operationId: a.id, after: 2 }]))).toEqual([3, 4, 5]);
    expect(sequences(await loadEvents(db.prisma, [{ operationId: a.id, after: 1, upTo: 3 }]))).toEqual([2, 3]);
    expect(sequences(await loadEvents(db.prisma, [{ operationId: a.id, after: 3, upTo: 3 }]))).toEqual([]);
    expect(sequences(await loadEvents(db.prisma, [{ operationId: a.id, after: 5 }]))).toEqual([]);
    expect(sequences(await loadEvents(db.prisma, [{ operationId: a.id, after: 4, upTo: 99 }]))).toEqual([5]);
    expect(await loadEvents(db.prisma, [])).toEqual([]);
    expect(await loadEvents(db.prisma, [{ operationId: randomUUID(), after: 0 }])).toEqual([]);

    const both = await loadEvents(db.prisma, [
      { operationId: b.id, after: 3 },
      { operationId: a.id, after: 0, upTo: 2 },
    ]);
    const [first, second] = [a.id, b.id].sort();
    const expected = [
      ...(first === a.id ? [[a.id, 1], [a.id, 2]] : [[b.id, 4], [b.id, 5]]),
      ...(second === a.id ? [[a.id, 1], [a.id, 2]] : [[b.id, 4], [b.id, 5]]),
    ];
    expect(both.map((e) => [e.operationId, e.sequence])).toEqual(expected);

    // The operation's facts come with each event.
    for (const event of both) {
      const op = event.operationId === a.id ? a : b;
      expect(event).toMatchObject({ kind: op.kind, replicaId: op.replicaId, initiatorSubject: op.initiatorSubject, final: false });
      expect(event.at).toBeInstanceOf(Date);
    }
    const bRow = await row(b.id);
    expect((await loadEvents(db.prisma, [{ operationId: b.id, after: 4 }]))[0]).toEqual(eventOf(bRow));
  });

  it('final is true exactly for the events in an ending state', async () => {
    const endings: Ending['state'][] = ['SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED'];
    for (const state of endings) {
      const op = await createOperation(db.prisma);
      const store = storeOf(db.prisma);
      await store.outcomeUnknown(op.id, 'lost', new Date());
      await change(db.prisma, op.id, { state: 'RUNNING', progress: 50 });
      const ended = await store.finish(op.id, { state, result: state, message: null, progress: 100, replicaState: null }, new Date());
      const events = await all(op.id);
      expect(events.map((e) => [e.state, e.final])).toEqual([
        ['DISPATCHING', false],
        ['OUTCOME_UNKNOWN', false],
        ['RUNNING', false],
        [state, true],
      ]);
      expect(eventOf(ended).final).toBe(true);
      expect(eventOf(ended)).toEqual(events.at(-1));
    }
  });
});

describe('recentSequences', { timeout: 30_000 }, () => {
  it("oldest and newest sequence per operation of the events recorded after the database's time", async () => {
    await settle(5);
    const t0 = await databaseNow(db.prisma);
    await settle(5);
    const a = await createOperation(db.prisma);
    await change(db.prisma, a.id, { state: 'RUNNING' });
    await change(db.prisma, a.id, { progress: 10 });
    // recordedAt keeps milliseconds (rounded): a few of them apart, nothing straddles t1.
    await settle(5);
    const t1 = await databaseNow(db.prisma);
    await settle(5);
    await change(db.prisma, a.id, { progress: 20 });
    const b = await createOperation(db.prisma);

    const byId = (rows: Array<{ operationId: string; first: number; sequence: number }>) =>
      Object.fromEntries(rows.map((r) => [r.operationId, { first: r.first, sequence: r.sequence }]));
    expect(byId(await recentSequences(db.prisma, t0))).toEqual({ [a.id]: { first: 1, sequence: 4 }, [b.id]: { first: 1, sequence: 1 } });
    expect(byId(await recentSequences(db.prisma, t1))).toEqual({ [a.id]: { first: 4, sequence: 4 }, [b.id]: { first: 1, sequence: 1 } });
    await settle(5);
    expect(await recentSequences(db.prisma, await databaseNow(db.prisma))).toEqual([]);
    // Numbers, not strings or bigints.
    for (const r of await recentSequences(db.prisma, t0)) {
      expect(typeof r.first).toBe('number');
      expect(typeof r.sequence).toBe('number');
    }
  });

  it('with a cut: the newest sequence recorded at or before it (null when all came after)', async () => {
    await settle(5);
    const since = await databaseNow(db.prisma);
    await settle(5);
    const a = await createOperation(db.prisma);
    await change(db.prisma, a.id, { state: 'RUNNING' });
    await settle(5);
    const cut = await databaseNow(db.prisma);
    await settle(5);
    await change(db.prisma, a.id, { progress: 50 });
    const b = await createOperation(db.prisma);
    const rows = await recentSequences(db.prisma, since, cut);
    const byId = Object.fromEntries(rows.map((r) => [r.operationId, r]));
    expect(Object.keys(byId).sort()).toEqual([a.id, b.id].sort());
    expect(byId[a.id]).toMatchObject({ first: 1, sequence: 3, before: 2 });
    expect(byId[b.id]).toMatchObject({ first: 1, sequence: 1, before: null });
  });

  it('databaseNow moves forward', async () => {
    const one = await databaseNow(db.prisma);
    const two = await databaseNow(db.prisma);
    expect(one).toBeInstanceOf(Date);
    expect(two.getTime()).toBeGreaterThanOrEqual(one.getTime());
  });
});
