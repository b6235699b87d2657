import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditInputError, createAuditLog, queryAudit, type AuditEntry, type AuditFilter } from '../../../src/audit/index.js';
import type { Database } from '../../../src/db/index.js';
import { clearAudit, migratedPGlite, sampleEntry } from './support.js';

let db: Database;
let all: AuditEntry[];

// 40 entries, one a minute from 2031-01-01T00:01Z; sampleEntry varies actor
// (i % 3), action (parity), subject (i % 4) and decision (DENY when i % 5 = 0).
beforeAll(async () => {
  db = await migratedPGlite();
  await clearAudit(db);
  const log = createAuditLog(db);
  all = await Promise.all(Array.from({ length: 40 }, (_, k) => log.append(sampleEntry(k + 1))));
  await log.append({ actor: { subject: null }, action: 'failover.track', decision: 'ALLOW', subject: { type: 'Task', id: 't-1' }, at: new Date(Date.UTC(2031, 0, 1, 1, 0)) });
  all = [...all, ...(await queryAudit(db.prisma, { actorSubject: null })).entries];
  await log.close();
}, 60_000);
afterAll(() => db?.close());

/** Every page of a query, following the cursors. */
async function everyPage(filter: AuditFilter, first: number): Promise<{ pages: number; entries: AuditEntry[] }> {
  const entries: AuditEntry[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const page = await queryAudit(db.prisma, filter, { first, after });
    pages += 1;
    entries.push(...page.entries);
    after = page.nextCursor;
  } while (after);
  return { pages, entries };
}

/** The oracle: the same filter applied to every entry in memory, newest first. */
function expected(filter: AuditFilter): bigint[] {
  return all
    .filter((e) => filter.actorSubject === undefined || e.actorSubject === filter.actorSubject)
    .filter((e) => filter.action === undefined || e.action === filter.action)
    .filter((e) => filter.decision === undefined || e.decision === filter.decision)
    .filter((e) => filter.subjectType === undefined || e.subjectType === filter.subjectType)
    .filter((e) => filter.subjectId === undefined || e.subjectId === filter.subjectId)
    .filter((e) => filter.from === undefined || e.at >= filter.from)
    .filter((e) => filter.to === undefined || e.at < filter.to)
    .map((e) => e.seq)
    .sort((a, b) => Number(b - a));
}

const filters: Record<string, AuditFilter> = {
  none: {},
  actor: { actorSubject: 'user-1' },
  'the gateway itself': { actorSubject: null },
  action: { action: 'failover' },
  decision: { decision: 'DENY' },
  subject: { subjectType: 'Replica', subjectId: 'replica-2' },
  'time range': { from: new Date(Date.UTC(2031, 0, 1, 0, 10)), to: new Date(Date.UTC(2031, 0, 1, 0, 20)) },
  combined: { actorSubject: 'user-0', action: 'failover', decision: 'ALLOW', from: new Date(Date.UTC(2031, 0, 1, 0, 5)) },
  'no match': { action: 'nothing' },
};

describe('audit query', () => {
  for (const [name, filter] of Object.entries(filters)) {
    it(`filters by ${name}, newest first, across pages`, async () => {
      const { entries, pages } = await everyPage(filter, 3);
      const seqs = entries.map((e) => e.seq);
      expect(seqs).toEqual(expected(filter));
      expect(pages).toBe(Math.max(1, Math.ceil(seqs.length / 3)));
    });
  }

  it('returns whole entries and no cursor after the last page', async () => {
    const page = await queryAudit(db.prisma, { subjectId: 't-1' });
    expect(page.nextCursor).toBeNull();
    expect(page.entries).toEqual([all.at(-1)]);
    const first = await queryAudit(db.prisma, {}, { first: 1 });
    expect(first.entries[0]).toEqual(all.at(-1));
    expect(first.entries[0]!.details).toBeNull();
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses a cursor it did not make and a bad page size', async () => {
    await expect(queryAudit(db.prisma, {}, { after: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(AuditInputError);
    await expect(queryAudit(db.prisma, {}, { first: 0 })).rejects.toBeInstanceOf(AuditInputError);
    await expect(queryAudit(db.prisma, {}, { first: 501 })).rejects.toBeInstanceOf(AuditInputError);
  });
});
