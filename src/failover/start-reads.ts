import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client.js';
import { loadEvents, type FailoverEvent } from './events.js';
import type { FailoverOperation } from './types.js';

/**
 * The two reads a `failoverProgress` stream starts with, batched across every
 * stream starting at the same moment: when a failover is accepted, its wall
 * screens and consoles subscribe together, and a reconnecting portal brings
 * back hundreds at once. One statement per batch instead of two per stream
 * leaves the connection pool to the writers whose events those streams wait for.
 */
export interface StartReads {
  /** The operation row, or undefined when there is none. */
  operation(id: string): Promise<FailoverOperation | undefined>;
  /** The operation's stored events after `after`, in sequence. */
  eventsAfter(operationId: string, after: number): Promise<FailoverEvent[]>;
}

interface EventsKey {
  operationId: string;
  after: number;
}

/**
 * A batch gathers the starts of one turn of the event loop: everything the
 * sockets delivered in its poll phase runs before `setImmediate`.
 */
const nextTurn = (run: () => void) => void setImmediate(run);

export function createStartReads(prisma: PrismaClient): StartReads {
  const operations = new DataLoader<string, FailoverOperation | undefined>(
    async (ids) => {
      const rows = await prisma.$queryRaw<FailoverOperation[]>`SELECT * FROM failover_operation WHERE id = ANY(${[...new Set(ids)]}::uuid[])`;
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    },
    { cache: false, batchScheduleFn: nextTurn },
  );
  const events = new DataLoader<EventsKey, FailoverEvent[]>(
    async (keys) => {
      // One read per operation, from the lowest sequence any of its streams wants.
      const lowest = new Map<string, number>();
      for (const key of keys) lowest.set(key.operationId, Math.min(key.after, lowest.get(key.operationId) ?? key.after));
      const rows = await loadEvents(prisma, [...lowest].map(([operationId, after]) => ({ operationId, after })));
      const byOperation = new Map<string, FailoverEvent[]>();
      for (const row of rows) {
        let list = byOperation.get(row.operationId);
        if (!list) byOperation.set(row.operationId, (list = []));
        list.push(row);
      }
      return keys.map((key) => (byOperation.get(key.operationId) ?? []).filter((event) => event.sequence > key.after));
    },
    { cache: false, batchScheduleFn: nextTurn },
  );
  return {
    operation: (id) => operations.load(id),
    eventsAfter: (operationId, after) => events.load({ operationId, after }),
  };
}
