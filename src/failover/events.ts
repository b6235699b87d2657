import type { PrismaClient } from '../generated/prisma/client.js';
import type { FailoverOperation, FailoverState, ReplicaKind } from './types.js';
import { isActive } from './types.js';
import { REPLICA_KINDS } from '../operations/kinds.js';

/**
 * One change of a failover operation as watchers see it: the operation's
 * state right after the change. Event N of an operation is exactly the
 * operation's row while its `sequence` was N (a database trigger writes it),
 * so an operation row just written doubles as its newest event.
 */
export interface FailoverEvent {
  operationId: string;
  /** 1, 2, 3, … per operation, without gaps. */
  sequence: number;
  state: FailoverState;
  progress: number;
  taskState: string | null;
  sessionState: string | null;
  result: string | null;
  message: string | null;
  replicaState: string | null;
  /** When the gateway made the change. */
  at: Date;
  /** The last event of the operation: it ended. */
  final: boolean;
  /** Who may see it and what filters match: copied from the operation, which never changes them. */
  kind: ReplicaKind;
  replicaId: string | null;
  initiatorSubject: string;
}

/** The event an operation row stands for (its newest). */
export function eventOf(operation: FailoverOperation): FailoverEvent {
  return {
    operationId: operation.id,
    sequence: operation.sequence,
    state: operation.state,
    progress: operation.progress,
    taskState: operation.taskState,
    sessionState: operation.sessionState,
    result: operation.result,
    message: operation.message,
    replicaState: operation.replicaState,
    at: operation.updatedAt,
    final: !isActive(operation.state),
    kind: operation.kind,
    replicaId: operation.replicaId,
    initiatorSubject: operation.initiatorSubject,
  };
}

/** An event as JSON carries it between instances (Redis). */
export type FailoverEventWire = Omit<FailoverEvent, 'at'> & { at: string };

export const toWire = (event: FailoverEvent): FailoverEventWire => ({ ...event, at: event.at.toISOString() });

const STATES: ReadonlySet<string> = new Set(['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED']);
const KINDS: ReadonlySet<string> = new Set(REPLICA_KINDS);
const textOrNull = (value: unknown) => value === null || typeof value === 'string';

/**
 * Parses a wire event; null for anything that is not a whole one (another
 * publisher on the channel, a newer format): a watcher acts on every field
 * (`final` ends a stream, kind and initiator decide who sees it).
 */
export function fromWire(value: unknown): FailoverEvent | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const wire = value as Record<string, unknown>;
  const valid =
    typeof wire.operationId === 'string' &&
    Number.isInteger(wire.sequence) &&
    (wire.sequence as number) >= 1 &&
    typeof wire.state === 'string' &&
    STATES.has(wire.state) &&
    Number.isInteger(wire.progress) &&
    typeof wire.final === 'boolean' &&
    typeof wire.kind === 'string' &&
    KINDS.has(wire.kind) &&
    typeof wire.initiatorSubject === 'string' &&
    textOrNull(wire.replicaId) &&
    ['taskState', 'sessionState', 'result', 'message', 'replicaState'].every((key) => textOrNull(wire[key])) &&
    typeof wire.at === 'string';
  if (!valid) return null;
  const at = new Date(wire.at as string);
  if (Number.isNaN(at.getTime())) return null;
  const event = wire as unknown as FailoverEventWire;
  return {
    operationId: event.operationId,
    sequence: event.sequence,
    state: event.state,
    progress: event.progress,
    taskState: event.taskState,
    sessionState: event.sessionState,
    result: event.result,
    message: event.message,
    replicaState: event.replicaState,
    at,
    final: event.final,
    kind: event.kind,
    replicaId: event.replicaId,
    initiatorSubject: event.initiatorSubject,
  };
}

/** An event as the table and its operation hold it; `final` follows from its state. */
type EventRow = Omit<FailoverEvent, 'final'>;

/** The operations' events after `after` (per operation), in order of operation and sequence; `upTo` bounds them. */
export async function loadEvents(prisma: PrismaClient, wanted: ReadonlyArray<{ operationId: string; after: number; upTo?: number }>): Promise<FailoverEvent[]> {
  if (wanted.length === 0) return [];
  const values = JSON.stringify(wanted.map((w) => ({ id: w.operationId, after: w.after, up_to: w.upTo ?? null })));
  const rows = await prisma.$queryRaw<EventRow[]>`
    SELECT e."operationId", e.sequence, e.state, e.progress, e."taskState", e."sessionState", e.result, e.message, e."replicaState", e.at,
           o.kind, o."replicaId", o."initiatorSubject"
      FROM json_to_recordset(${values}::json) AS w(id uuid, after int, up_to int)
      JOIN failover_event e ON e."operationId" = w.id AND e.sequence > w.after AND (w.up_to IS NULL OR e.sequence <= w.up_to)
      JOIN failover_operation o ON o.id = e."operationId"
     ORDER BY e."operationId", e.sequence`;
  // An ended operation changes no more: its event in an ending state is its last.
  return rows.map((row) => ({ ...row, final: !isActive(row.state) }));
}

/**
 * Per operation with events recorded since `since` (the database's clock, as
 * every time here): the oldest and newest sequence among them, and the newest
 * recorded at or before `cut` (null when none was): how missed wake-ups are
 * found, and where a new watcher's live stream begins.
 */
export async function recentSequences(
  prisma: PrismaClient,
  since: Date,
  cut: Date = since,
): Promise<Array<{ operationId: string; first: number; sequence: number; before: number | null }>> {
  return prisma.$queryRaw<Array<{ operationId: string; first: number; sequence: number; before: number | null }>>`
    SELECT "operationId", min(sequence)::int AS first, max(sequence)::int AS sequence,
           (max(sequence) FILTER (WHERE "recordedAt" <= ${cut}))::int AS before
      FROM failover_event WHERE "recordedAt" > ${since} GROUP BY "operationId"`;
}

/** The database's clock, for `recentSequences`: instances' clocks may differ, the database's is one. */
export async function databaseNow(prisma: PrismaClient): Promise<Date> {
  const [row] = await prisma.$queryRaw<Array<{ now: Date }>>`SELECT clock_timestamp() AS now`;
  return row!.now;
}
