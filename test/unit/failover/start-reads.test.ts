import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEvents } from '../../../src/failover/events.js';
import { createStartReads } from '../../../src/failover/start-reads.js';
import type { FailoverOperation } from '../../../src/failover/types.js';
import { countingRawQueries, createOperation, fileDatabase, runTo, sequences } from './events-support.js';

const db = fileDatabase();
let first: FailoverOperation;
let second: FailoverOperation;

beforeAll(async () => {
  first = await runTo(db.prisma, (await createOperation(db.prisma)).id, [10, 20, 30]);
  second = await runTo(db.prisma, (await createOperation(db.prisma)).id, [50]);
});

describe('the reads failoverProgress streams start with', () => {
  it('reads the operations of streams starting together in one statement', async () => {
    const counted = countingRawQueries(db.prisma);
    const reads = createStartReads(counted.prisma);
    const missing = randomUUID();
    const [a, b, again, none] = await Promise.all([reads.operation(first.id), reads.operation(second.id), reads.operation(first.id), reads.operation(missing)]);
    expect(counted.count()).toBe(1);
    expect(a).toMatchObject({ id: first.id, sequence: first.sequence, progress: 30 });
    expect(b).toMatchObject({ id: second.id, sequence: second.sequence, progress: 50 });
    expect(again).toEqual(a);
    expect(none).toBeUndefined();
  });

  it("reads their stored events in one statement, each stream's after its own sequence", async () => {
    const counted = countingRawQueries(db.prisma);
    const reads = createStartReads(counted.prisma);
    const wanted = [
      { operationId: first.id, after: 0 },
      { operationId: first.id, after: 3 },
      { operationId: second.id, after: 1 },
      { operationId: first.id, after: first.sequence },
      { operationId: randomUUID(), after: 0 },
    ];
    const got = await Promise.all(wanted.map((w) => reads.eventsAfter(w.operationId, w.after)));
    expect(counted.count()).toBe(1);
    // Each as its own read would give it.
    for (const [i, w] of wanted.entries()) expect(got[i]).toEqual(await loadEvents(db.prisma, [w]));
    expect(sequences(got[0]!)).toEqual([1, 2, 3, 4, 5]);
    expect(sequences(got[1]!)).toEqual([4, 5]);
    expect(sequences(got[2]!)).toEqual([2, 3]);
    expect(got[3]).toEqual([]);
    expect(got[4]).toEqual([]);
  });

  it('reads again for streams that start later: nothing is cached', async () => {
    const counted = countingRawQueries(db.prisma);
    const reads = createStartReads(counted.prisma);
    const before = await reads.operation(second.id);
    await db.prisma.failoverOperation.update({ where: { id: second.id }, data: { progress: 60, updatedAt: new Date() } });
    const after = await reads.operation(second.id);
    expect(counted.count()).toBe(2);
    expect(after!.sequence).toBe(before!.sequence + 1);
    expect(sequences(await reads.eventsAfter(second.id, before!.sequence))).toEqual([after!.sequence]);
  });
});
