/**
 * The transaction-scoped advisory lock every appender takes before reading the
 * chain's head (ASCII "fgau"). Distinct from the migration lock (0x66676d67,
 * src/db/migration-lock.ts) and the schema engine's 72707369, so an append
 * never waits on a migration's lock or the reverse.
 */
export const AUDIT_LOCK_KEY = 0x66676175;
