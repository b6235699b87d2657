import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import type { FailoverEventBus } from '../../../src/failover/event-bus.js';
import { allEvents, operationEvents, type EventGate } from '../../../src/failover/event-stream.js';
import { eventOf, loadEvents, type FailoverEvent } from '../../../src/failover/events.js';
import type { FailoverOperation } from '../../../src/failover/types.js';
import { change, createOperation, eventHubs, fileDatabase, sequences, settle, storeOf, until } from './events-support.js';

const db = fileDatabase();

const hubOn = eventHubs(() => db.prisma);

/**
 * The database as the stream sees it, with `$queryRaw` (how loadEvents reads)
 * going through `hook`: it may delay the read, run it late or early, and do
 * things meanwhile. `calls` counts the reads.
 */
function hooked(hook: (call: number, run: () => Promise<unknown>) => Promise<unknown>) {
  const state = { calls: 0 };
  const prisma = new Proxy(db.prisma, {
    get(target, prop) {
      if (prop === '$queryRaw') {
        return (...args: unknown[]) => {
          state.calls += 1;
          return hook(state.calls, () => (target.$queryRaw as (...a: unknown[]) => Promise<unknown>)(...args));
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as PrismaClient;
  return { prisma, state };
}

const passThrough = () => hooked((_call, run) => run());

/** Consumes a stream to its end (or its error) in the background. */
function consume(stream: AsyncIterable<FailoverEvent>) {
  const events: FailoverEvent[] = [];
  let error: unknown;
  let ended = false;
  const done = (async () => {
    try {
      for await (const event of stream) events.push(event);
    } catch (e) {
      error = e;
    } finally {
      ended = true;
    }
  })();
  return {
    events,
    done,
    get ended() {
      return ended;
    },
    get error() {
      return error;
    },
  };
}

/** Writes a change and announces it. */
async function publishChange(bus: FailoverEventBus, id: string, data: Parameters<typeof change>[2]): Promise<FailoverOperation> {
  const row = await change(db.prisma, id, data);
  bus.publish(eventOf(row));
  return row;
}

async function finish(id: string): Promise<FailoverOperation> {
  return storeOf(db.prisma).finish(id, { state: 'SUCCEEDED', result: 'Success', message: null, progress: 100, replicaState: 'Failover' }, new Date());
}

/** An active operation with events 1..3 (DISPATCHING, RUNNING, progress 10). */
async function runningOperation(): Promise<FailoverOperation> {
  const op = await createOperation(db.prisma);
  await change(db.prisma, op.id, { state: 'RUNNING' });
  return change(db.prisma, op.id, { progress: 10 });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const allowAll: EventGate = () => true;

describe('operationEvents: replay, then live', { timeout: 30_000 }, () => {
  it('live events published while the replay is being read (and are in it too) come once, in order', async () => {
    const { hub, bus } = hubOn();
    const op = await runningOperation();
    const { prisma } = hooked(async (call, run) => {
      if (call === 1) {
        // Before the replay reads: 4 and 5 are written and announced; the read then sees them as well.
        await publishChange(bus, op.id, { progress: 40 });
        await publishChange(bus, op.id, { progress: 50 });
      }
      return run();
    });
    const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 0, allowAll));
    await until(() => out.events.length >= 5, 5_000, 'replay');
    expect(out.ended).toBe(false);
    bus.publish(eventOf(await finish(op.id)));
    await out.done;
    expect(out.error).toBeUndefined();
    expect(sequences(out.events)).toEqual(range(1, 6));
    expect(out.events).toEqual(await loadEvents(db.prisma, [{ operationId: op.id, after: 0 }]));
    expect(hub.watchers).toBe(0);
  });

  it('live events published after the replay was read but before it came back are held, then follow it', async () => {
    const { hub, bus } = hubOn();
    const op = await runningOperation();
    const { prisma } = hooked(async (call, run) => {
      const result = await run();
      if (call === 1) {
        await publishChange(bus, op.id, { progress: 40 });
        await publishChange(bus, op.id, { progress: 50 });
      }
      return result;
    });
    const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 0, allowAll));
    await until(() => out.events.length >= 5, 5_000, 'replay and held');
    bus.publish(eventOf(await finish(op.id)));
    await out.done;
    expect(sequences(out.events)).toEqual(range(1, 6));
    expect(out.events.at(-1)).toMatchObject({ final: true, state: 'SUCCEEDED' });
    expect(hub.watchers).toBe(0);
  });

  it('a live event after a gap: the missing ones are read from the table first', async () => {
    const { hub, bus } = hubOn();
    const op = await runningOperation();
    const { prisma, state } = hooked(async (call, run) => {
      const result = await run();
      if (call === 1) {
        await change(db.prisma, op.id, { progress: 40 }); // never announced
        await publishChange(bus, op.id, { progress: 50 });
      }
      return result;
    });
    const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 0, allowAll));
    await until(() => out.events.length >= 5, 5_000, 'gap filled');
    // The stream filled 4 itself: the hub had not seen the operation before 5 and handed 5 out as it was.
    expect(state.calls).toBe(2);
    await change(db.prisma, op.id, { progress: 60 }); // never announced either: this gap the hub fills
    bus.publish(eventOf(await finish(op.id)));
    await out.done;
    expect(sequences(out.events)).toEqual(range(1, 7));
    expect(state.calls).toBe(2);
  });

  it('afterSequence: only the events after it, then live ones', async () => {
    const { hub, bus } = hubOn();
    const op = await runningOperation();
    const { prisma } = hooked(async (call, run) => {
      const result = await run();
      if (call === 1) await publishChange(bus, op.id, { progress: 40 });
      return result;
    });
    const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 2, allowAll));
    await until(() => out.events.length >= 2, 5_000, 'replay');
    await publishChange(bus, op.id, { progress: 70 });
    bus.publish(eventOf(await finish(op.id)));
    await out.done;
    expect(sequences(out.events)).toEqual([3, 4, 5, 6]);
  });

  it('any interleaving of writes, announcements and the replay read gives after+1..final exactly (property)', async () => {
    const { hub, bus } = hubOn(100); // the periodic look finds what nobody announced
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }), // changes before subscribing (after event 1)
        fc.array(fc.record({ announce: fc.boolean(), duringRead: fc.boolean() }), { minLength: 0, maxLength: 3 }),
        fc.boolean(), // the final event is announced
        fc.boolean(), // the replay read runs before (true) or after (false) the writes made while it is under way
        fc.nat(),
        async (before, changes, announceFinal, readFirst, afterSeed) => {
          const op = await createOperation(db.prisma);
          let progress = 0;
          for (let i = 0; i < before; i++) await change(db.prisma, op.id, { progress: ++progress });
          const after = afterSeed % (before + 2); // 0..before+1
          const during = changes.filter((c) => c.duringRead);
          const later = changes.filter((c) => !c.duringRead);
          const write = async (c: { announce: boolean }) => {
            const row = await change(db.prisma, op.id, { progress: ++progress });
            if (c.announce) bus.publish(eventOf(row));
          };
          const { prisma } = hooked(async (call, run) => {
            if (call !== 1) return run();
            if (readFirst) {
              const result = await run();
              for (const c of during) await write(c);
              return result;
            }
            for (const c of during) await write(c);
            return run();
          });
          const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, after, allowAll));
          await until(() => hub.watchers > 0, 5_000, 'watching');
          await settle(20);
          for (const c of later) await write(c);
          const ended = await finish(op.id);
          if (announceFinal) bus.publish(eventOf(ended));
          await out.done;
          expect(out.error).toBeUndefined();
          expect(sequences(out.events)).toEqual(range(after + 1, ended.sequence));
          expect(hub.watchers).toBe(0);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('an ended operation: the stored events after afterSequence, then it completes without waiting', async () => {
    const { hub } = hubOn();
    const op = await runningOperation();
    const ended = await finish(op.id);
    const { prisma } = passThrough();
    const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: ended.sequence }, 1, allowAll));
    await out.done;
    expect(sequences(out.events)).toEqual([2, 3, 4]);
    expect(out.events.at(-1)!.final).toBe(true);
    expect(hub.watchers).toBe(0);
  });

  it('ends at once, reading nothing, when afterSequence is at or past the end of an ended operation', async () => {
    const { hub } = hubOn();
    const op = await runningOperation();
    const ended = await finish(op.id);
    for (const after of [ended.sequence, ended.sequence + 5]) {
      const { prisma, state } = passThrough();
      const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: ended.sequence }, after, allowAll));
      await out.done;
      expect(out.events).toEqual([]);
      expect(out.error).toBeUndefined();
      expect(state.calls).toBe(0);
      expect(hub.watchers).toBe(0);
    }
  });

  it('events the gate refuses are skipped, the sequence still advances past them, and the final one still ends the stream', async () => {
    const { hub, bus } = hubOn();
    const op = await runningOperation();
    const judged: number[] = [];
    const gate: EventGate = async (event) => {
      judged.push(event.sequence);
      await settle(1);
      return event.sequence % 2 === 1 && !event.final;
    };
    const { prisma, state } = passThrough();
    const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 0, gate));
    await until(() => out.events.length >= 2 && judged.length >= 3, 5_000, 'replay');
    // 4 is refused live; 5 follows it with no read of the table (4 is not a gap).
    await publishChange(bus, op.id, { progress: 40 });
    await publishChange(bus, op.id, { progress: 50 });
    await until(() => out.events.length >= 3, 5_000, 'live');
    bus.publish(eventOf(await finish(op.id)));
    await out.done;
    expect(sequences(out.events)).toEqual([1, 3, 5]);
    expect(judged).toEqual([1, 2, 3, 4, 5, 6]);
    expect(state.calls).toBe(1);
    expect(hub.watchers).toBe(0);
  });

  it('a consumer that stops (return) unwatches', async () => {
    const { hub, bus } = hubOn();
    const op = await runningOperation();
    const { prisma } = passThrough();
    const iterator = operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 0, allowAll)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ sequence: 1 });
    expect(hub.watchers).toBe(1);
    expect(await iterator.return!()).toMatchObject({ done: true });
    await until(() => hub.watchers === 0, 2_000, 'unwatched');
    expect(hub.watchers).toBe(0);
    // Nothing more comes, and nothing breaks when the operation goes on.
    await publishChange(bus, op.id, { progress: 99 });
    expect(await iterator.next()).toMatchObject({ done: true });
  });

  it('a consumer that stops while waiting for live events unwatches', async () => {
    const { hub } = hubOn();
    const op = await runningOperation();
    const { prisma } = passThrough();
    const iterator = operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 3, allowAll)[Symbol.asyncIterator]();
    const pending = iterator.next(); // nothing after 3 yet
    await until(() => hub.watchers === 1, 2_000, 'watching');
    await iterator.return!();
    expect(await pending).toMatchObject({ done: true });
    await until(() => hub.watchers === 0, 2_000, 'unwatched');
    expect(hub.watchers).toBe(0);
  });

  it('a gate that fails ends the stream with its error and unwatches', async () => {
    const { hub } = hubOn();
    const op = await runningOperation();
    const { prisma } = passThrough();
    const out = consume(
      operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 0, (event) => {
        if (event.sequence === 2) throw new Error('gate broke');
        return true;
      }),
    );
    await out.done;
    expect(String(out.error)).toContain('gate broke');
    expect(sequences(out.events)).toEqual([1]);
    await until(() => hub.watchers === 0, 2_000, 'unwatched');
  });

  it('a replay that cannot be read ends the stream with the error and unwatches', async () => {
    const { hub } = hubOn();
    const op = await runningOperation();
    const { prisma } = hooked(async () => {
      throw new Error('database away');
    });
    const out = consume(operationEvents({ prisma, hub }, { id: op.id, endedAt: null }, 0, allowAll));
    await out.done;
    expect(String(out.error)).toContain('database away');
    expect(out.events).toEqual([]);
    await until(() => hub.watchers === 0, 2_000, 'unwatched');
  });
});

describe('allEvents', { timeout: 30_000 }, () => {
  it('live events of every operation the matcher and the gate let through, in order per operation', async () => {
    const { hub, bus } = hubOn();
    let judging = 0;
    const gate: EventGate = async (event) => {
      judging += 1;
      // Later events judged faster than earlier ones: order must hold anyway.
      await settle(Math.max(0, 20 - event.sequence * 5));
      return event.progress !== 20;
    };
    const before = await createOperation(db.prisma, { kind: 'CDP_VM' });
    await settle(5); // recordedAt keeps rounded milliseconds: clearly before the stream began
    const out = consume(allEvents({ hub }, (event) => event.kind === 'CDP_VM', gate));
    await until(() => hub.watchers === 1, 2_000, 'watching');
    await hub.catchUp();
    const a = await createOperation(db.prisma, { kind: 'CDP_VM' });
    const b = await createOperation(db.prisma, { kind: 'VM_REPLICA' });
    const c = await createOperation(db.prisma, { kind: 'CDP_VM' });
    for (const op of [a, b, c]) bus.publish(eventOf(op));
    for (const progress of [10, 20, 30]) for (const op of [a, b, c]) await publishChange(bus, op.id, { progress });
    bus.publish(eventOf(await finish(a.id)));
    await until(() => out.events.length >= 7, 5_000, 'events');
    await settle(100);
    const of = (id: string) => out.events.filter((e) => e.operationId === id).map((e) => [e.sequence, e.progress]);
    expect(of(a.id)).toEqual([[1, 0], [2, 10], [4, 30], [5, 100]]);
    expect(of(b.id)).toEqual([]);
    expect(of(c.id)).toEqual([[1, 0], [2, 10], [4, 30]]);
    // Live only: an operation changed before the stream began shows only what came after.
    expect(of(before.id)).toEqual([]);
    await publishChange(bus, before.id, { progress: 5 });
    await until(() => of(before.id).length >= 1, 5_000, 'the older operation');
    expect(of(before.id)).toEqual([[2, 5]]);
    // The matcher decides before the gate is asked: 5 of a, 4 of c, 1 of the older operation.
    expect(judging).toBe(10);
    // A final event does not end it.
    expect(out.ended).toBe(false);
  });

  it('a consumer that stops (return) unwatches, and a failing gate ends it', async () => {
    const { hub, bus } = hubOn();
    const iterator = allEvents({ hub }, () => true, allowAll)[Symbol.asyncIterator]();
    const first = iterator.next();
    await until(() => hub.watchers === 1, 2_000, 'watching');
    await hub.catchUp();
    const op = await createOperation(db.prisma);
    bus.publish(eventOf(op));
    expect((await first).value).toMatchObject({ operationId: op.id, sequence: 1 });
    await iterator.return!();
    await until(() => hub.watchers === 0, 2_000, 'unwatched');
    expect(hub.watchers).toBe(0);

    const failing = consume(
      allEvents({ hub }, () => true, () => {
        throw new Error('gate broke');
      }),
    );
    await until(() => hub.watchers === 1, 2_000, 'watching');
    await publishChange(bus, op.id, { state: 'RUNNING' });
    await failing.done;
    expect(String(failing.error)).toContain('gate broke');
    await until(() => hub.watchers === 0, 2_000, 'unwatched');
  });
});
