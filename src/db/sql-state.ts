/**
 * Whether an error from Prisma (raw query through a driver adapter) carries a
 * PostgreSQL SQLSTATE. It sits somewhere in the chain of causes and `meta`,
 * depending on the adapter (pg or PGlite), so the whole error is searched; the
 * adapters' own error kind counts too.
 */
function hasSqlState(error: unknown, code: string, kind: string): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (record.code === code || record.originalCode === code || record.kind === kind) return true;
    stack.push(record.cause, record.meta, record.driverAdapterError);
  }
  return false;
}

/** 23505: another writer took the key this one meant to write. */
export const isUniqueViolation = (error: unknown): boolean => hasSqlState(error, '23505', 'UniqueConstraintViolation');

/** 23503: a row refers to one that does not exist (or no longer does). */
export const isForeignKeyViolation = (error: unknown): boolean => hasSqlState(error, '23503', 'ForeignKeyConstraintViolation');

/**
 * 40P01 or 40001: the transaction lost to a concurrent one (a lock cycle, or
 * serializable isolation) and nothing of it was written: worth running again.
 */
export const isTransactionConflict = (error: unknown): boolean =>
  hasSqlState(error, '40P01', 'TransactionDeadlock') || hasSqlState(error, '40001', 'TransactionWriteConflict');
