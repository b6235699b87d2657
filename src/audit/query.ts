import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { AuditInputError } from './input.js';
import { entryOf, type AuditRow } from './rows.js';
import type { AuditDecision, AuditEntry } from './types.js';

/** Every filter is optional; those given must all hold. */
export interface AuditFilter {
  /** The actor's subject; null selects the gateway's own entries. */
  actorSubject?: string | null;
  action?: string;
  decision?: AuditDecision;
  subjectType?: string;
  subjectId?: string;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries strictly before this time. */
  to?: Date;
}

export interface AuditPageRequest {
  /** Page size, 1 to 500. Default: 50. */
  first?: number;
  /** `nextCursor` of the previous page; omit for the newest entries. */
  after?: string | null;
}

export interface AuditPage {
  /** Newest first (descending seq). */
  entries: AuditEntry[];
  /** Cursor for the next (older) page; null when this page is the last. */
  nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 500;

/**
 * Entries matching `filter`, newest first, keyset-paginated on seq. Each
 * single-column filter has an index leading with it and ending in seq
 * (actorSubject, action, subjectId), so a page reads only its rows.
 */
export async function queryAudit(prisma: PrismaClient, filter: AuditFilter = {}, page: AuditPageRequest = {}): Promise<AuditPage> {
  const first = page.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new AuditInputError(`first must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const where: Prisma.AuditEntryWhereInput = {};
  if (filter.actorSubject !== undefined) where.actorSubject = filter.actorSubject;
  if (filter.action !== undefined) where.action = filter.action;
  if (filter.decision !== undefined) where.decision = filter.decision;
  if (filter.subjectType !== undefined) where.subjectType = filter.subjectType;
  if (filter.subjectId !== undefined) where.subjectId = filter.subjectId;
  if (filter.from !== undefined || filter.to !== undefined) where.at = { gte: filter.from, lt: filter.to };
  if (page.after) where.seq = { lt: decodeCursor(page.after) };
  // One more than asked tells whether an older page exists without a count.
  const rows = await prisma.auditEntry.findMany({ where, orderBy: { seq: 'desc' }, take: first + 1 });
  const entries = rows.slice(0, first).map((row) => entryOf(row as AuditRow));
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > first && last ? encodeCursor(last.seq) : null };
}
