import type { PrismaClient } from '../generated/prisma/client.js';
import { reasonOf } from '../db/errors.js';
import { GENESIS_HASH, entryHash } from './canonical.js';
import { isUniqueViolation } from '../db/sql-state.js';
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
  /** Refuses new appends and waits for the accepted ones. Idempotent. */
  close(): Promise<void>;
}

/** The batch holding an entry could not be committed. */
export class AuditWriteError extends Error {
  override readonly name = 'AuditWriteError';
}

interface Pending {
  entry: UnchainedEntry;
  resolve(entry: AuditEntry): void;
  reject(error: unknown): void;
}

/** How long a log keeps taking the lock after a conflict with another instance. */
const CONTENDED_MS = 1_000;

/** Locked attempts per batch before its callers are rejected. */
const LOCKED_ATTEMPTS = 5;

const INSERT = `INSERT INTO audit_entry (seq, at, "actorSubject", "actorGroups", "actorRoles", action, "subjectType", "subjectId",
    decision, rule, reason, "requestId", "clientAddress", "userAgent", "callerReason", details, "prevHash", hash)
  SELECT * FROM json_to_recordset($1::json) AS t(seq bigint, at timestamptz, "actorSubject" text, "actorGroups" text[],
    "actorRoles" text[], action text, "subjectType" text, "subjectId" text, decision "AuditDecision", rule text, reason text,
    "requestId" text, "clientAddress" text, "userAgent" text, "callerReason" text, details jsonb, "prevHash" text, hash text)`;

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
  async function write(batch: UnchainedEntry[]): Promise<AuditEntry[]> {
    if (head && Date.now() >= contendedUntil) {
      const chained = chain(batch, head);
      try {
        await db.prisma.$executeRawUnsafe(INSERT, JSON.stringify(chained.map(toRecord)));
        return committed(chained);
      } catch (error) {
        head = undefined;
        if (!isUniqueViolation(error)) throw error;
        contendedUntil = Date.now() + CONTENDED_MS;
      }
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        return committed(await writeLocked(batch));
      } catch (error) {
        head = undefined;
        // Only a writer in its optimistic INSERT can beat a lock holder to a seq,
        // and it turns to the lock itself after its conflict: this settles quickly.
        if (!isUniqueViolation(error) || attempt >= LOCKED_ATTEMPTS) throw error;
        contendedUntil = Date.now() + CONTENDED_MS;
      }
    }
  }

  function writeLocked(batch: UnchainedEntry[]): Promise<AuditEntry[]> {
    return db.prisma.$transaction(
      async (tx) => {
        // Its own statement: under READ COMMITTED, the head query that follows
        // takes its snapshot after the lock is ours, so it sees the last holder's rows.
        await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})::text AS locked`);
        const [last] = await tx.$queryRawUnsafe<ChainHead[]>('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1');
        const chained = chain(batch, last ?? { seq: 0n, hash: GENESIS_HASH });
        await tx.$executeRawUnsafe(INSERT, JSON.stringify(chained.map(toRecord)));
        return chained;
      },
      { maxWait: timeout, timeout },
    );
  }

  function committed(chained: AuditEntry[]): AuditEntry[] {
    const last = chained.at(-1)!;
    head = { seq: last.seq, hash: last.hash };
    return chained;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const stored = await write(batch.map((pending) => pending.entry));
        batch.forEach((pending, index) => pending.resolve(stored[index]!));
      } catch (error) {
        const failure = new AuditWriteError(`Audit append failed, ${batch.length} entr${batch.length === 1 ? 'y' : 'ies'} not written: ${reasonOf(error)}`, { cause: error });
        for (const pending of batch) pending.reject(failure);
      }
    }
    draining = undefined;
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
      return new Promise<AuditEntry>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        // Started a microtask later, so appends made in the same tick share the first transaction too.
        draining ??= Promise.resolve().then(drain);
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
