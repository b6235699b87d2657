import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { EventListener, FailoverEventBus } from './event-bus.js';
import { databaseNow, loadEvents, recentSequences, type FailoverEvent } from './events.js';

export interface EventHubOptions {
  prisma: PrismaClient;
  bus: FailoverEventBus;
  logger: Logger;
  /** Between two looks at the event table for events no wake-up announced. Default: 2,000 ms. */
  catchUpMs?: number;
  /** How far back each look reaches before the previous one, for changes that committed late. Default: 10,000 ms. */
  catchUpOverlapMs?: number;
}

export interface EventHub {
  /** Events of one operation (`operationId`) or of all (null), in order per operation; returns the unwatch. */
  watch(operationId: string | null, listener: EventListener): () => void;
  /** Looks at the event table now for events no wake-up announced (the timer does this on its own); failures are logged. */
  catchUp(): Promise<void>;
  /** Watchers now, for the metrics and the leak checks. */
  readonly watchers: number;
  close(): void;
}

/** How long an ended operation's newest sequence is kept: late duplicates of its events are still recognised. */
const ENDED_KEPT_MS = 60_000;

/**
 * This instance's one listener on the bus. It hands each operation's events
 * to its watchers in sequence order, exactly once: a duplicate wake-up is
 * dropped; a gap (a wake-up lost on the way) is filled from the event table
 * before the next event goes out. Wake-ups that never came are found by a
 * periodic look at the events recorded lately.
 */
export function createEventHub(options: EventHubOptions): EventHub {
  const { prisma, bus, logger } = options;
  const catchUpMs = options.catchUpMs ?? 2_000;
  const overlapMs = options.catchUpOverlapMs ?? 10_000;
  const byOperation = new Map<string, Set<EventListener>>();
  const everything = new Set<EventListener>();
  /** The newest sequence handed out per operation. */
  const known = new Map<string, number>();
  /** Operations whose gap is being filled: their later events wait behind it. */
  const filling = new Map<string, Promise<void>>();
  const endedAt = new Map<string, number>();
  let watchers = 0;
  let lookedAt: Date | undefined;
  /**
   * When the first watcher of every operation arrived (this process's clock),
   * until the next look has noted where each recent operation stood at that
   * moment: what was recorded before anyone watched is history, and
   * failoverEvents is live.
   */
  let baselineAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let looking: Promise<void> | undefined;
  let closed = false;

  function dispatch(event: FailoverEvent): void {
    if (closed) return;
    known.set(event.operationId, event.sequence);
    if (event.final) endedAt.set(event.operationId, Date.now());
    for (const listener of [...(byOperation.get(event.operationId) ?? []), ...everything]) {
      // One failing watcher must not keep the event from the others: the hub has already moved past it.
      try {
        listener(event);
      } catch (error) {
        logger.error({ err: error, operationId: event.operationId }, 'failover event watcher failed');
      }
    }
  }

  function interested(operationId: string): boolean {
    return everything.size > 0 || byOperation.has(operationId);
  }

  /** Fills the operation's gap up to `upTo` from the table, then hands out what was missing. */
  function fill(operationId: string, upTo: number, then?: FailoverEvent): void {
    const previous = filling.get(operationId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const after = known.get(operationId) ?? upTo - 1;
        const missing = upTo > after ? await loadEvents(prisma, [{ operationId, after, upTo }]) : [];
        for (const event of missing) if (event.sequence > (known.get(operationId) ?? 0)) dispatch(event);
        if (then && then.sequence > (known.get(operationId) ?? 0)) dispatch(then);
      })
      .catch((error: unknown) => logger.warn({ err: error, operationId }, 'cannot fill a gap in failover events now; the next look repairs it'))
      .finally(() => {
        if (filling.get(operationId) === next) filling.delete(operationId);
      });
    filling.set(operationId, next);
  }

  function receive(event: FailoverEvent): void {
    if (closed || !interested(event.operationId)) return;
    const id = event.operationId;
    if (filling.has(id)) return fill(id, event.sequence, event);
    const last = known.get(id);
    if (last !== undefined && event.sequence <= last) return; // a duplicate, or older than what went out
    // First sight of the operation here: watchers that need earlier events read them themselves (they know where they stand).
    if (last === undefined || event.sequence === last + 1) return dispatch(event);
    fill(id, event.sequence - 1, event);
  }

  async function catchUp(): Promise<void> {
    if (closed) return;
    if (watchers === 0) {
      lookedAt = undefined;
      return;
    }
    const now = await databaseNow(prisma);
    // The watcher's arrival on the database's clock: this process's clock may differ from it.
    const arrivedAt = baselineAt;
    const cut = arrivedAt === undefined ? undefined : new Date(arrivedAt + (now.getTime() - Date.now()));
    const since = new Date(Math.min((lookedAt ?? now).getTime(), cut?.getTime() ?? Infinity) - overlapMs);
    lookedAt = now;
    const recent = await recentSequences(prisma, since, cut);
    if (cut !== undefined) {
      if (baselineAt === arrivedAt) baselineAt = undefined;
      // Where each operation stood when the watcher arrived; only what came after goes out.
      for (const row of recent) {
        if (row.before !== null && !known.has(row.operationId) && !byOperation.has(row.operationId)) known.set(row.operationId, row.before);
      }
    }
    const behind = recent.filter((row) => interested(row.operationId) && row.sequence > (known.get(row.operationId) ?? 0));
    const unknown = behind.filter((row) => !known.has(row.operationId) && !filling.has(row.operationId));
    // Operations this hub never heard of: their events of the window are what no wake-up announced.
    if (unknown.length > 0) {
      const events = await loadEvents(prisma, unknown.map((row) => ({ operationId: row.operationId, after: row.first - 1, upTo: row.sequence })));
      for (const event of events) receive(event);
    }
    for (const row of behind) if (known.has(row.operationId) || filling.has(row.operationId)) fill(row.operationId, row.sequence);
    const cutoff = Date.now() - ENDED_KEPT_MS;
    for (const [id, at] of endedAt) {
      if (at > cutoff) continue;
      endedAt.delete(id);
      known.delete(id);
    }
  }

  /** One look at a time: a look asked for while one runs joins it. */
  function lookNow(): Promise<void> {
    looking ??= catchUp()
      .catch((error: unknown) => logger.warn({ err: error }, 'failover event catch-up failed; trying again'))
      .finally(() => {
        looking = undefined;
      });
    return looking;
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => void lookNow().finally(schedule), catchUpMs);
    timer.unref();
  }

  const unsubscribe = bus.subscribe(receive);
  schedule();

  return {
    watch(operationId, listener) {
      const firstOfAll = operationId === null && everything.size === 0;
      if (firstOfAll) baselineAt = Date.now();
      const set = operationId === null ? everything : byOperation.get(operationId) ?? new Set<EventListener>();
      if (operationId !== null) byOperation.set(operationId, set);
      set.add(listener);
      watchers += 1;
      // Noted at once, so the first events after the arrival go out without waiting for the timer.
      if (firstOfAll) void lookNow();
      let watching = true;
      return () => {
        if (!watching) return;
        watching = false;
        watchers -= 1;
        set.delete(listener);
        if (operationId !== null && set.size === 0) byOperation.delete(operationId);
        // What went out to watchers that are gone is no one's concern: a later watcher starts from what comes next
        // (failoverProgress reads its own past), and the map stays as small as the watched set.
        if (operationId !== null) {
          if (!interested(operationId) && !filling.has(operationId)) known.delete(operationId);
        } else if (everything.size === 0) {
          for (const id of known.keys()) if (!byOperation.has(id) && !filling.has(id)) known.delete(id);
        }
      };
    },
    catchUp: lookNow,
    get watchers() {
      return watchers;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      unsubscribe();
    },
  };
}
