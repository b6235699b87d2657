import { describe, expect, it } from 'vitest';
import { eventOf, loadEvents, type FailoverEvent } from '../../../src/failover/events.js';
import { change, createOperation, eventHubs, fileDatabase, sequences, settle, until } from './events-support.js';

const db = fileDatabase();

const hubOn = eventHubs(() => db.prisma);

/** A listener that records what it is handed. */
function recorder() {
  const seen: FailoverEvent[] = [];
  return { seen, listener: (event: FailoverEvent) => void seen.push(event), of: (id: string) => sequences(seen.filter((e) => e.operationId === id)) };
}

describe('event hub', { timeout: 30_000 }, () => {
  it('hands each operation its events in order, to its watchers and to watchers of everything', async () => {
    const { hub, bus } = hubOn();
    const ofA = recorder();
    const ofB = recorder();
    const everything = recorder();
    hub.watch(null, everything.listener);
    // The first watcher of everything makes the hub look at once; let that look end, so nothing below is asynchronous.
    await hub.catchUp();
    const a = await createOperation(db.prisma);
    const b = await createOperation(db.prisma);
    hub.watch(a.id, ofA.listener);
    hub.watch(b.id, ofB.listener);

    bus.publish(eventOf(a));
    bus.publish(eventOf(b));
    for (const progress of [10, 20, 30]) {
      bus.publish(eventOf(await change(db.prisma, a.id, { progress })));
      bus.publish(eventOf(await change(db.prisma, b.id, { progress: progress + 5 })));
    }
    // Nothing to fill: delivery is synchronous.
    expect(ofA.of(a.id)).toEqual([1, 2, 3, 4]);
    expect(ofA.of(b.id)).toEqual([]);
    expect(ofB.of(b.id)).toEqual([1, 2, 3, 4]);
    expect(everything.of(a.id)).toEqual([1, 2, 3, 4]);
    expect(everything.of(b.id)).toEqual([1, 2, 3, 4]);
    expect(ofA.seen.at(-1)).toMatchObject({ progress: 30, operationId: a.id });
  });

  it('drops a duplicate and anything older than what went out', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    const r = recorder();
    hub.watch(op.id, r.listener);
    const first = eventOf(op);
    const second = eventOf(await change(db.prisma, op.id, { state: 'RUNNING' }));
    bus.publish(first);
    bus.publish(first);
    bus.publish(second);
    bus.publish(second);
    bus.publish(first);
    bus.publish({ ...second });
    await settle();
    expect(r.of(op.id)).toEqual([1, 2]);
  });

  it('fills a gap from the event table, in order, before the event that revealed it', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    const r = recorder();
    hub.watch(op.id, r.listener);
    bus.publish(eventOf(op));
    // 2, 3 and 4 are written; only 4 is announced.
    await change(db.prisma, op.id, { state: 'RUNNING' });
    await change(db.prisma, op.id, { progress: 40 });
    const fourth = await change(db.prisma, op.id, { progress: 60 });
    bus.publish(eventOf(fourth));
    await until(() => r.seen.length >= 4, 5_000, 'gap filled');
    await settle();
    expect(r.of(op.id)).toEqual([1, 2, 3, 4]);
    // The filled events are the table's.
    expect(r.seen.slice(1, 3)).toEqual(await loadEvents(db.prisma, [{ operationId: op.id, after: 1, upTo: 3 }]));
    expect(r.seen[3]).toEqual(eventOf(fourth));
  });

  it('events arriving while a gap is filled wait behind it; duplicates among them are dropped', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    const r = recorder();
    hub.watch(op.id, r.listener);
    bus.publish(eventOf(op));
    const second = await change(db.prisma, op.id, { state: 'RUNNING' });
    const third = await change(db.prisma, op.id, { progress: 30 });
    const fourth = await change(db.prisma, op.id, { progress: 40 });
    const fifth = await change(db.prisma, op.id, { progress: 50 });
    bus.publish(eventOf(fourth)); // gap: 2 and 3 are read from the table
    bus.publish(eventOf(second)); // late wake-ups of what the fill hands out
    bus.publish(eventOf(third));
    bus.publish(eventOf(fourth));
    bus.publish(eventOf(fifth));
    expect(r.of(op.id)).toEqual([1]);
    await until(() => r.seen.length >= 5, 5_000, 'all events');
    await settle(100);
    expect(r.of(op.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the first event seen of an operation goes out as it is: watchers read earlier ones themselves', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    await change(db.prisma, op.id, { state: 'RUNNING' });
    const third = await change(db.prisma, op.id, { progress: 30 });
    const r = recorder();
    hub.watch(op.id, r.listener);
    bus.publish(eventOf(third));
    expect(r.of(op.id)).toEqual([3]);
  });

  it("ignores operations nobody watches, and does not hold their history against a later watcher", async () => {
    const { hub, bus } = hubOn();
    const watched = await createOperation(db.prisma);
    const other = await createOperation(db.prisma);
    const r = recorder();
    const unwatch = hub.watch(watched.id, r.listener);
    bus.publish(eventOf(other));
    const second = eventOf(await change(db.prisma, other.id, { state: 'RUNNING' }));
    bus.publish(second);
    expect(r.seen).toEqual([]);
    unwatch();
    // A watcher of `other` from now on: its next event goes out.
    const late = recorder();
    hub.watch(other.id, late.listener);
    bus.publish(eventOf(await change(db.prisma, other.id, { progress: 9 })));
    expect(late.of(other.id)).toEqual([3]);
  });

  it('catch-up: events written but never announced reach a watcher of everything, in order, once', async () => {
    const { hub } = hubOn();
    const r = recorder();
    hub.watch(null, r.listener);
    // The hub has looked once since the watcher came (the periodic look would have).
    await hub.catchUp();
    const op = await createOperation(db.prisma);
    await change(db.prisma, op.id, { state: 'RUNNING' });
    await change(db.prisma, op.id, { progress: 15 });
    expect(r.of(op.id)).toEqual([]);
    await hub.catchUp();
    await until(() => r.of(op.id).length >= 3, 5_000, 'caught up');
    expect(r.of(op.id)).toEqual([1, 2, 3]);
    expect(r.seen.filter((e) => e.operationId === op.id)).toEqual(await loadEvents(db.prisma, [{ operationId: op.id, after: 0 }]));

    // Looking again hands out nothing twice; a newer unannounced event is found from where the hub stands.
    await hub.catchUp();
    await settle();
    expect(r.of(op.id)).toEqual([1, 2, 3]);
    await change(db.prisma, op.id, { progress: 25 });
    await change(db.prisma, op.id, { progress: 35 });
    await hub.catchUp();
    await until(() => r.of(op.id).length >= 5, 5_000, 'caught up again');
    await settle();
    expect(r.of(op.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('catch-up: an unannounced event written after a watcher of everything came, before the hub looked, still reaches it', async () => {
    const { hub } = hubOn();
    const r = recorder();
    hub.watch(null, r.listener);
    // Written after the watcher arrived: live for it, not history. Its wake-up was lost (Redis is at most once).
    const op = await createOperation(db.prisma);
    await change(db.prisma, op.id, { state: 'RUNNING' });
    await hub.catchUp();
    await hub.catchUp();
    await settle();
    expect(r.of(op.id)).toEqual([1, 2]);
  });

  it('what was recorded before the first watcher of everything came is history: not sent, and later events follow it', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    bus.publish(eventOf(op)); // nobody watches yet
    await change(db.prisma, op.id, { state: 'RUNNING' }); // never announced
    // The hub places the arrival on the database's clock by the reply to its first look, so an event
    // recorded within that reply's delay before the arrival may still go out (it errs towards sending,
    // never towards losing). History here is well before the arrival, however slow the machine.
    await settle(500);
    const r = recorder();
    hub.watch(null, r.listener);
    await hub.catchUp();
    await hub.catchUp();
    await settle();
    expect(r.of(op.id)).toEqual([]);
    await change(db.prisma, op.id, { progress: 30 }); // never announced either
    await hub.catchUp();
    await until(() => r.of(op.id).length >= 1, 5_000, 'the live event');
    await settle();
    expect(r.of(op.id)).toEqual([3]);
  });

  it('catch-up runs on its own timer', async () => {
    const { hub } = hubOn(50);
    const r = recorder();
    hub.watch(null, r.listener);
    await settle(300); // a few looks
    const op = await createOperation(db.prisma);
    await change(db.prisma, op.id, { state: 'RUNNING' });
    await until(() => r.of(op.id).length >= 2, 10_000, 'timer catch-up');
    expect(r.of(op.id)).toEqual([1, 2]);
  });

  it('catch-up also repairs an operation a single watcher follows', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    const r = recorder();
    hub.watch(op.id, r.listener);
    await hub.catchUp();
    bus.publish(eventOf(op));
    await change(db.prisma, op.id, { state: 'RUNNING' });
    await change(db.prisma, op.id, { progress: 50 });
    await hub.catchUp();
    await until(() => r.of(op.id).length >= 3, 5_000, 'caught up');
    expect(r.of(op.id)).toEqual([1, 2, 3]);
  });

  it("the hub's first look repairs an operation watched on its own (catchUp looks now)", async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    const r = recorder();
    hub.watch(op.id, r.listener);
    bus.publish(eventOf(op));
    await change(db.prisma, op.id, { state: 'RUNNING' }); // its wake-up was lost
    await hub.catchUp();
    await settle(100);
    expect(r.of(op.id)).toEqual([1, 2]);
  });

  it('a watcher that throws does not keep the event from the other watchers', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    const r = recorder();
    const all = recorder();
    hub.watch(op.id, () => {
      throw new Error('watcher broke');
    });
    hub.watch(op.id, r.listener);
    hub.watch(null, all.listener);
    bus.publish(eventOf(op));
    bus.publish(eventOf(await change(db.prisma, op.id, { state: 'RUNNING' })));
    await settle();
    expect(r.of(op.id)).toEqual([1, 2]);
    expect(all.of(op.id)).toEqual([1, 2]);
  });

  it('counts watchers, and the count goes back to 0 after every unwatch (twice is harmless)', async () => {
    const { hub, bus } = hubOn();
    expect(hub.watchers).toBe(0);
    const one = recorder();
    const two = recorder();
    const all = recorder();
    const u3 = hub.watch(null, all.listener);
    // The first watcher of everything makes the hub look at once; let that look end, so nothing below is asynchronous.
    await hub.catchUp();
    const op = await createOperation(db.prisma);
    const u1 = hub.watch(op.id, one.listener);
    const u2 = hub.watch(op.id, two.listener);
    expect(hub.watchers).toBe(3);
    u1();
    u1();
    expect(hub.watchers).toBe(2);
    bus.publish(eventOf(op));
    expect([one.seen.length, two.seen.length, all.seen.length]).toEqual([0, 1, 1]);
    u2();
    u3();
    u3();
    expect(hub.watchers).toBe(0);
    bus.publish(eventOf(await change(db.prisma, op.id, { state: 'RUNNING' })));
    expect([one.seen.length, two.seen.length, all.seen.length]).toEqual([0, 1, 1]);
    // The same listener twice on the same operation counts twice and is unwatched per call.
    const same = recorder();
    const s1 = hub.watch(op.id, same.listener);
    const s2 = hub.watch(op.id, same.listener);
    expect(hub.watchers).toBe(2);
    s1();
    s2();
    expect(hub.watchers).toBe(0);
  });

  it('after close, nothing is delivered', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    const r = recorder();
    const all = recorder();
    hub.watch(op.id, r.listener);
    hub.watch(null, all.listener);
    await hub.catchUp(); // no look under way: this is about the bus
    bus.publish(eventOf(op));
    hub.close();
    bus.publish(eventOf(await change(db.prisma, op.id, { state: 'RUNNING' })));
    bus.publish(eventOf(await change(db.prisma, op.id, { progress: 12 })));
    await settle();
    expect(r.of(op.id)).toEqual([1]);
    expect(all.of(op.id)).toEqual([1]);
  });

  it('after close, a gap fill still in flight delivers nothing', async () => {
    const { hub, bus } = hubOn();
    const op = await createOperation(db.prisma);
    const r = recorder();
    hub.watch(op.id, r.listener);
    bus.publish(eventOf(op));
    await change(db.prisma, op.id, { state: 'RUNNING' });
    const third = await change(db.prisma, op.id, { progress: 30 });
    bus.publish(eventOf(third)); // starts reading 2 from the table
    hub.close();
    await settle(300);
    expect(r.of(op.id)).toEqual([1]);
  });

  it('after close, a catch-up delivers nothing (an operation the hub never saw)', async () => {
    const { hub } = hubOn();
    const r = recorder();
    hub.watch(null, r.listener);
    const op = await createOperation(db.prisma);
    hub.close();
    await hub.catchUp().catch(() => undefined);
    await settle(100);
    expect(r.of(op.id)).toEqual([]);
  });

  it('after close, a catch-up delivers nothing (an operation the hub already handed out)', async () => {
    const { hub, bus } = hubOn();
    const r = recorder();
    const op = await createOperation(db.prisma);
    hub.watch(op.id, r.listener);
    await hub.catchUp();
    bus.publish(eventOf(op));
    await change(db.prisma, op.id, { state: 'RUNNING' });
    // The periodic look that was under way when the instance shut down, or a late call.
    hub.close();
    await hub.catchUp().catch(() => undefined);
    await settle(300);
    expect(r.of(op.id)).toEqual([1]);
  });
});
