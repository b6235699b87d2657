/**
 * Whether an error from Prisma (raw query through a driver adapter) is a
 * unique violation: another writer took the seq this one meant to write. The
 * SQLSTATE sits somewhere in the chain of causes and `meta`, depending on the
 * adapter, so the whole error is searched.
 */
export function isUniqueViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (record.code === '23505' || record.originalCode === '23505' || record.kind === 'UniqueConstraintViolation') return true;
    stack.push(record.cause, record.meta, record.driverAdapterError);
  }
  return false;
}
