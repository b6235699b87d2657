import { Repeater } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { EventHub } from './event-hub.js';
import { loadEvents, type FailoverEvent } from './events.js';

/** Whether the watcher may see an event; asked for every event. */
export type EventGate = (event: FailoverEvent) => boolean | Promise<boolean>;

export interface StreamDeps {
  prisma: PrismaClient;
  hub: EventHub;
  /** The stored events a stream starts with. Default: one read of its own (loadEvents). */
  replay?: (operationId: string, after: number) => Promise<FailoverEvent[]>;
}

/**
 * One operation's events after `afterSequence`: the stored ones, then live
 * ones, ending after the final event. Live events are watched before the
 * replay is read and held until it is out, and every event is taken only as
 * the next of the sequence (a gap is read from the table), so the seam has no
 * gap and no duplicate however the two overlap.
 */
export function operationEvents(
  deps: StreamDeps,
  operation: { id: string; /** Set when the operation has ended: its final sequence. */ endedAt: number | null },
  afterSequence: number,
  gate: EventGate,
): Repeater<FailoverEvent> {
  const operationId = operation.id;
  return new Repeater<FailoverEvent>(async (push, stop) => {
    // Already past the end: nothing will come.
    if (operation.endedAt !== null && afterSequence >= operation.endedAt) {
      stop();
      return;
    }
    let last = afterSequence;
    let ended = false;
    let held: FailoverEvent[] | null = [];
    let queue: Promise<void> = Promise.resolve();

    const deliverOne = async (event: FailoverEvent) => {
      last = event.sequence;
      if (await gate(event)) await push(event);
      if (event.final) {
        ended = true;
        stop();
      }
    };
    const deliver = async (events: readonly FailoverEvent[]) => {
      for (const event of events) {
        if (ended || event.sequence <= last) continue;
        if (event.sequence > last + 1) {
          for (const missing of await loadEvents(deps.prisma, [{ operationId, after: last, upTo: event.sequence - 1 }])) await deliverOne(missing);
        }
        if (!ended && event.sequence > last) await deliverOne(event);
      }
    };
    const enqueue = (events: readonly FailoverEvent[]) => {
      queue = queue.then(() => deliver(events)).catch((error: unknown) => stop(error));
    };

    const unwatch = deps.hub.watch(operationId, (event) => {
      if (held) held.push(event);
      else enqueue([event]);
    });
    try {
      enqueue(await (deps.replay ? deps.replay(operationId, afterSequence) : loadEvents(deps.prisma, [{ operationId, after: afterSequence }])));
      const waiting = held;
      held = null;
      enqueue(waiting);
    } catch (error) {
      stop(error);
    }
    await stop;
    unwatch();
  });
}

/** Live events of every operation `matches` and `gate` let through, in order per operation. */
export function allEvents(deps: Pick<StreamDeps, 'hub'>, matches: (event: FailoverEvent) => boolean, gate: EventGate): Repeater<FailoverEvent> {
  return new Repeater<FailoverEvent>(async (push, stop) => {
    let queue: Promise<void> = Promise.resolve();
    const unwatch = deps.hub.watch(null, (event) => {
      if (!matches(event)) return;
      queue = queue
        .then(async () => {
          if (await gate(event)) await push(event);
        })
        .catch((error: unknown) => stop(error));
    });
    await stop;
    unwatch();
  });
}
