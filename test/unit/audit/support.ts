import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import type { AuditEntryInput } from '../../../src/audit/index.js';

export async function migratedPGlite(): Promise<Database> {
  const db = await openDatabase({ dataDir: 'memory://' });
  await applyMigrations(db);
  return db;
}

/** A varied entry: every field set, details nested, the time spread by `i` minutes. */
export function sampleEntry(i: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    at: new Date(Date.UTC(2031, 0, 1, 0, i, 0, 7)),
    actor: { subject: `user-${i % 3}`, groups: ['ops', `team-${i % 2}`], roles: ['RESTORE_OPERATOR'] },
    action: i % 2 === 0 ? 'failover' : 'account.update',
    subject: { type: 'Replica', id: `replica-${i % 4}` },
    decision: i % 5 === 0 ? 'DENY' : 'ALLOW',
    rule: 'scope',
    reason: `rule reason ${i}`,
    requestId: `req-${i}`,
    clientAddress: '10.0.0.1',
    userAgent: 'portal/1.0',
    callerReason: `ticket ${i}`,
    details: { n: i, nested: { b: [1, 'two', null], a: true } },
    ...overrides,
  };
}

/**
 * Runs SQL as an attacker with rights on the database would: the append-only
 * triggers switched off for the statement, then on again.
 */
export async function asAttacker(db: Database, ...statements: string[]): Promise<void> {
  await db.prisma.$executeRawUnsafe('ALTER TABLE audit_entry DISABLE TRIGGER USER');
  try {
    for (const sql of statements) await db.prisma.$executeRawUnsafe(sql);
  } finally {
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_entry ENABLE TRIGGER USER');
  }
}

/** Empties the table (an attacker's move, used here to start each case afresh). */
export async function clearAudit(db: Database): Promise<void> {
  await asAttacker(db, 'DELETE FROM audit_entry');
}

/** Text JSON escapes in every way it can: quotes, backslashes, control characters, non-ASCII, astral, line separators. */
const AWKWARD = ['', 'quote " and \\ backslash', 'line\nfeed\ttab\r\u0001\u001f\u007f', 'é 日本 😀 \u2028\u2029', '</script>', '{"json":"in text"}'];

/**
 * Entries whose every field takes awkward values, for the checks that
 * PostgreSQL's encoding of them (verify's fast path) is exactly the
 * canonical one.
 */
export function awkwardEntries(): AuditEntryInput[] {
  return AWKWARD.flatMap((text, i) => [
    sampleEntry(i, {
      at: new Date(Date.UTC(500 + i * 1500, i, 1 + i, i, i, i, i * 111)),
      actor: { subject: text, groups: AWKWARD.slice(i), roles: [] },
      action: text || 'a',
      subject: { type: text, id: null },
      rule: text,
      reason: null,
      requestId: text,
      clientAddress: null,
      userAgent: text,
      callerReason: text,
      details: {
        [text]: text,
        zz: [1, -2.5, 0.1, 1e21, 12345678901234567890, true, false, null, [], {}],
        a: { [`k${text}`]: { deeper: text }, B: 'upper case sorts first', é: 'non-ASCII key', '😀': 1, aa: 2, b: 3 },
      },
    }),
    sampleEntry(i, { actor: { subject: null }, subject: null, details: i % 2 ? null : text }),
  ]);
}
