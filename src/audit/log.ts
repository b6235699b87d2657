import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { reasonOf } from '../db/errors.js';
import { prepared } from '../db/prepared.js';
import { GENESIS_HASH, entryHash } from './canonical.js';
import { isTransactionConflict, isUniqueViolation } from '../db/sql-state.js';
import { AuditInputError, normaliseInput } from './input.js';
import { AUDIT_LOCK_KEY } from './lock.js';
import type { AuditEntry, AuditEntryInput, ChainHead, UnchainedEntry } from './types.js';

export interface AuditLogOptions {
  /** Most entries written in one transaction; more wait for the next one. Default: 500. */
  maxBatch?: number;
  /** Clock for entries that give no `at`. Default: the system clock. */
  now?: () => Date;
  /**
   * How long one batch's transaction may take, waiting for other instances'
   * appends included, before it fails and rejects its callers. Default: 30,000 ms.
   */
  transactionTimeoutMs?: number;
}

export interface AuditLog {
  /**
   * Adds an entry to the chain. Resolves with the stored entry once its
   * transaction has committed; rejects with AuditInputError (nothing written)
   * or AuditWriteError (its batch's transaction failed, nothing of it written).
   */
  append(entry: AuditEntryInput): Promise<AuditEntry>;
  /**
   * Runs the caller's write and appends the entry its result calls for (none
   * when `entryOf` gives null) in one transaction: both commit or neither.
   * Resolves with the write's result once committed; rejects with the write's
   * own error, AuditInputError or AuditWriteError, nothing of it written.
   * The write may run more than once (a batch retried after a conflict): it
   * must do nothing outside the transaction it is given.
   */
  appendWith<T>(write: (tx: Prisma.TransactionClient) => Promise<T>, entryOf: (result: T) => AuditEntryInput | null, alone?: StatementWrite<T>): Promise<T>;
  /** Refuses new appends and waits for the accepted ones. Idempotent. */
  close(): Promise<void>;
}

/**
 * The same write as one statement, whose entry is known before it runs. When
 * the write is alone in its batch and the chain's head is known, the log sends
 * the write and its entry as one statement: no transaction to open, one round
 * trip, one commit. Everywhere else (other appends in the batch, another
 * instance appending, the statement failing or writing nothing) the write runs
 * in its transaction as `write`, which stays the one that decides: the
 * statement must write exactly what `write` would, or nothing.
 */
export interface StatementWrite<T> {
  /** The prepared statement's name (src/db/prepared.ts). */
  name: string;
  /** The write's common table expressions, without WITH; the last is named `written`: the entry is inserted when it has a row. */
  ctes: Prisma.Sql;
  /** The entry the write calls for. */
  entry: AuditEntryInput;
  /** The write's result from the rows of `written`; undefined when it has none (then `write` runs). */
  result(rows: unknown[]): T | undefined;
}

/** The batch holding an entry could not be committed. */
export class AuditWriteError extends Error {
  override readonly name = 'AuditWriteError';
}

/** An accepted append: an entry, or a write whose result names its entry. */
type Pending =
  | { type: 'entry'; entry: UnchainedEntry; resolve(entry: AuditEntry): void; reject(error: unknown): void }
  | {
      type: 'with';
      /** Runs the caller's write in the batch's transaction; the entry it calls for, if any. */
      run(tx: Prisma.TransactionClient): Promise<UnchainedEntry | null>;
      /** The write and its entry as one statement, when it may run alone: whether it wrote (see StatementWrite). */
      alone?: { entry: UnchainedEntry; send(entries: string): Promise<boolean> };
      /** The batch committed: the caller gets the result of the last run. */
      resolve(): void;
      reject(error: unknown): void;
    };

/** A caller's write failed: its batch is undone and written again without it. */
class CompanionFailure extends Error {
  constructor(readonly pending: Pending, override readonly cause: unknown) {
    super('a write joined to the audit log failed');
  }
}

/** How long a log keeps taking the lock after a conflict with another instance. */
const CONTENDED_MS = 1_000;

/** Locked attempts per batch before its callers are rejected. */
const LOCKED_ATTEMPTS = 5;

/** A batch's entries go in as the rows of one JSON parameter, between these two parts. */
const INSERT_FROM_JSON = `INSERT INTO audit_entry (seq, at, "actorSubject", "actorGroups", "actorRoles", action, "subjectType", "subjectId",
    decision, rule, reason, "requestId", "clientAddress", "userAgent", "callerReason", details, "prevHash", hash)
  SELECT * FROM json_to_recordset(`;
const AS_ENTRY_ROWS = `::json) AS t(seq bigint, at timestamptz, "actorSubject" text, "actorGroups" text[],
    "actorRoles" text[], action text, "subjectType" text, "subjectId" text, decision "AuditDecision", rule text, reason text,
    "requestId" text, "clientAddress" text, "userAgent" text, "callerReason" text, details jsonb, "prevHash" text, hash text)`;
const INSERT = `${INSERT_FROM_JSON}$1${AS_ENTRY_ROWS}`;

/**
 * The gateway's writer to the audit chain, one per process and database.
 *
 * Within a process, appends that arrive while a batch is being written go
 * together in the next one. Across processes, see `write` below: the primary
 * key on seq keeps the chain whole, and a transaction-scoped advisory lock
 * taken before reading the head makes contending instances take turns.
 */
export function createAuditLog(db: { prisma: PrismaClient }, options: AuditLogOptions = {}): AuditLog {
  const maxBatch = options.maxBatch ?? 500;
  const now = options.now ?? (() => new Date());
  const timeout = options.transactionTimeoutMs ?? 30_000;
  const queue: Pending[] = [];
  let draining: Promise<void> | undefined;
  let closed = false;

  /** The chain's last entry as this log last saw it committed; unknown at first and after any failure. */
  let head: ChainHead | undefined;
  /** Until then, batches take the lock first: another instance is appending too. */
  let contendedUntil = 0;

  /**
   * Writes one batch. Correctness rests on the primary key: a batch is chained
   * to the head it believes in, and its insert fails whole if any of its seqs
   * exists, so no seq is taken twice and no link skips an entry. While this
   * log's cached head is the chain's (one instance appending), a batch is one
   * INSERT; after a conflict, batches take the advisory lock and read the head
   * for a while, so instances sharing the chain wait in turn instead of retrying.
   */
  async function write(batch: Pending[]): Promise<Array<AuditEntry | null>> {
    if (head && Date.now() >= contendedUntil) {
      try {
        return committed(await writeBatch(batch, head));
      } catch (error) {
        if (error instanceof CompanionFailure) throw error;
        head = undefined;
        if (!isUniqueViolation(error) && !isTransactionConflict(error)) throw error;
        contendedUntil = Date.now() + CONTENDED_MS;
      }
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        return committed(await writeBatch(batch, 'locked'));
      } catch (error) {
        if (error instanceof CompanionFailure) throw error;
        head = undefined;
        // Only a writer in its optimistic INSERT can beat a lock holder to a seq,
        // and it turns to the lock itself after its conflict: this settles quickly.
        if ((!isUniqueViolation(error) && !isTransactionConflict(error)) || attempt >= LOCKED_ATTEMPTS) throw error;
        contendedUntil = Date.now() + CONTENDED_MS;
      }
    }
  }

  /**
   * One batch after `after` (or after the head read under the lock). Entries
   * alone are one INSERT; a batch holding callers' writes is one transaction:
   * the writes in queue order, then the entries they call for, chained in the
   * same order, so each write commits with its entry or not at all.
   */
  async function writeBatch(batch: Pending[], after: ChainHead | 'locked'): Promise<Array<AuditEntry | null>> {
    if (after !== 'locked' && batch.every((pending) => pending.type === 'entry')) {
      const chained = chain(batch.map((pending) => pending.entry), after);
      await db.prisma.$executeRawUnsafe(INSERT, JSON.stringify(chained.map(toRecord)));
      return chained;
    }
    const only = batch.length === 1 ? batch[0]! : undefined;
    if (after !== 'locked' && only?.type === 'with' && only.alone) {
      const chained = chain([only.alone.entry], after);
      if (await sentAlone(only.alone, chained)) return chained;
    }
    return db.prisma.$transaction(
      async (tx) => {
        const from = after === 'locked' ? await lockedHead(tx) : after;
        const entries: Array<UnchainedEntry | null> = [];
        for (const pending of batch) {
          if (pending.type === 'entry') entries.push(pending.entry);
          else
            entries.push(
              await pending.run(tx).catch((error: unknown) => {
                // Two batches' writes in a lock cycle (instances claiming the same rows in another order) are
                // no fault of the write: the batch is run again, under the chain's lock, which orders them.
                throw isTransactionConflict(error) ? error : new CompanionFailure(pending, error);
              }),
            );
        }
        const chained = chain(
          entries.filter((entry): entry is UnchainedEntry => entry !== null),
          from,
        );
        if (chained.length > 0) await tx.$executeRawUnsafe(INSERT, JSON.stringify(chained.map(toRecord)));
        let next = 0;
        return entries.map((entry) => (entry === null ? null : chained[next++]!));
      },
      { maxWait: timeout, timeout },
    );
  }

  /**
   * A write alone in its batch, sent with its entry as one statement. Another
   * instance's entry at the same seq fails it whole, as it fails an INSERT of
   * entries (the caller turns to the lock); any other failure, or nothing
   * written, leaves the write to its transaction, which decides what it means.
   */
  async function sentAlone(alone: NonNullable<Extract<Pending, { type: 'with' }>['alone']>, chained: AuditEntry[]): Promise<boolean> {
    try {
      return await alone.send(JSON.stringify(chained.map(toRecord)));
    } catch (error) {
      if (isUniqueViolation(error) || isTransactionConflict(error)) throw error;
      return false;
    }
  }

  /** The chain's head, read once this transaction holds the chain's lock. */
  async function lockedHead(tx: Prisma.TransactionClient): Promise<ChainHead> {
    // Its own statement: under READ COMMITTED, the head query that follows
    // takes its snapshot after the lock is ours, so it sees the last holder's rows.
    await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})::text AS locked`);
    const [last] = await tx.$queryRawUnsafe<ChainHead[]>('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1');
    return last ?? { seq: 0n, hash: GENESIS_HASH };
  }

  function committed(stored: Array<AuditEntry | null>): Array<AuditEntry | null> {
    const last = stored.findLast((entry) => entry !== null);
    if (last) head = { seq: last.seq, hash: last.hash };
    return stored;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      let batch = queue.splice(0, maxBatch);
      while (batch.length > 0) {
        try {
          const stored = await write(batch);
          batch.forEach((pending, index) => (pending.type === 'entry' ? pending.resolve(stored[index]!) : pending.resolve()));
        } catch (error) {
          if (error instanceof CompanionFailure) {
            // That caller alone hears its write's error; the rest of the batch is written again without it.
            error.pending.reject(error.cause);
            batch = batch.filter((pending) => pending !== error.pending);
            continue;
          }
          const failure = new AuditWriteError(`Audit append failed, ${batch.length} entr${batch.length === 1 ? 'y' : 'ies'} not written: ${reasonOf(error)}`, { cause: error });
          for (const pending of batch) pending.reject(failure);
        }
        batch = [];
      }
    }
    draining = undefined;
  }

  function enqueue(pending: Pending): void {
    queue.push(pending);
    // Started a microtask later, so appends made in the same tick share the first transaction too.
    draining ??= Promise.resolve().then(drain);
  }

  return {
    append(input) {
      if (closed) return Promise.reject(new AuditWriteError('Audit log is closed'));
      let entry: UnchainedEntry;
      try {
        entry = normaliseInput(input, now);
      } catch (error) {
        return Promise.reject(error instanceof AuditInputError ? error : new AuditInputError(String(error)));
      }
      return new Promise<AuditEntry>((resolve, reject) => enqueue({ type: 'entry', entry, resolve, reject }));
    },
    appendWith(write, entryOf, alone) {
      if (closed) return Promise.reject(new AuditWriteError('Audit log is closed'));
      let aloneEntry: UnchainedEntry | undefined;
      try {
        aloneEntry = alone && normaliseInput(alone.entry, now);
      } catch (error) {
        return Promise.reject(error instanceof AuditInputError ? error : new AuditInputError(String(error)));
      }
      return new Promise((resolve, reject) => {
        let result: Awaited<ReturnType<typeof write>>;
        enqueue({
          type: 'with',
          alone: alone && {
            entry: aloneEntry!,
            async send(entries) {
              const rows = await db.prisma.$queryRaw<unknown[]>(
                prepared(
                  alone.name,
                  Prisma.sql`WITH ${alone.ctes}, entries AS (${Prisma.raw(INSERT_FROM_JSON)}${entries}${Prisma.raw(AS_ENTRY_ROWS)} WHERE EXISTS (SELECT 1 FROM written)) SELECT * FROM written`,
                ),
              );
              const written = alone.result(rows);
              if (written === undefined) return false;
              result = written as typeof result;
              return true;
            },
          },
          async run(tx) {
            result = await write(tx);
            const input = entryOf(result);
            if (input === null) return null;
            try {
              return normaliseInput(input, now);
            } catch (error) {
              throw error instanceof AuditInputError ? error : new AuditInputError(String(error));
            }
          },
          resolve: () => resolve(result),
          reject,
        });
      });
    },
    async close() {
      closed = true;
      await draining;
    },
  };
}

/** The batch's entries placed after `after`: consecutive seqs, each linked to the one before. */
function chain(batch: UnchainedEntry[], after: ChainHead): AuditEntry[] {
  let seq = after.seq;
  let prevHash = after.hash;
  return batch.map((entry): AuditEntry => {
    seq += 1n;
    const linked = { ...entry, seq, prevHash };
    prevHash = entryHash(linked);
    return { ...linked, hash: prevHash };
  });
}

/** The JSON json_to_recordset reads: bigint as a decimal string, time as ISO 8601. */
function toRecord(entry: AuditEntry): Record<string, unknown> {
  return { ...entry, seq: entry.seq.toString(), at: entry.at.toISOString() };
}
