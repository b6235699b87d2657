import type { PrismaClient } from '../generated/prisma/client.js';
import { canonicalJson } from './canonical.js';
import { csvLine } from './csv.js';
import { AuditInputError } from './input.js';
import { AUDIT_COLUMNS, type AuditRow } from './rows.js';

export type AuditExportFormat = 'ndjson' | 'csv';

export const AUDIT_EXPORT_FORMATS: readonly AuditExportFormat[] = ['ndjson', 'csv'];

export interface AuditExportOptions {
  format: AuditExportFormat;
  /** Entries at or after this time. Default: the first entry. */
  from?: Date;
  /** Entries strictly before this time. Default: no limit. */
  to?: Date;
  /** Entries read per query; memory holds one page. Default: 2,000. */
  pageSize?: number;
  /**
   * CSV only: prefix cells that a spreadsheet would run as a formula (=, +, -,
   * @, tab, CR first) with an apostrophe. NDJSON is always exact. Default: true.
   */
  protectFormulas?: boolean;
}

/** Export columns, in this order in both formats (CSV header, NDJSON keys). */
export const EXPORT_COLUMNS = [
  'seq', 'at', 'actorSubject', 'actorGroups', 'actorRoles', 'action', 'subjectType', 'subjectId', 'decision', 'rule',
  'reason', 'requestId', 'clientAddress', 'userAgent', 'callerReason', 'details', 'prevHash', 'hash',
] as const;

/**
 * The entries of a time range in seq order, as NDJSON (one JSON object a line)
 * or CSV (a header, then one row an entry), in chunks of one page each. Pages
 * are read only as the consumer pulls, so memory stays bounded whatever the
 * range; pipe it with `Readable.from(…)` or `for await`.
 */
export async function* exportAudit(prisma: PrismaClient, options: AuditExportOptions): AsyncGenerator<string, void, undefined> {
  if (!AUDIT_EXPORT_FORMATS.includes(options.format)) throw new AuditInputError(`format must be ndjson or csv, got ${String(options.format)}`);
  const pageSize = options.pageSize ?? 2_000;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer');
  const protect = options.protectFormulas ?? true;
  // Bounds are left out rather than set to extreme dates, which timestamptz would refuse.
  const params: string[] = [];
  const bounds: string[] = [];
  if (options.from) bounds.push(`at >= $${params.push(options.from.toISOString())}::timestamptz`);
  if (options.to) bounds.push(`at < $${params.push(options.to.toISOString())}::timestamptz`);
  const afterParam = `$${params.length + 1}::bigint`;
  const sql = `SELECT ${AUDIT_COLUMNS} FROM audit_entry WHERE ${[...bounds, `seq > ${afterParam}`].join(' AND ')} ORDER BY seq LIMIT ${pageSize}`;
  if (options.format === 'csv') yield csvLine(EXPORT_COLUMNS, false);
  let after = -(2n ** 63n);
  for (;;) {
    const rows = await prisma.$queryRawUnsafe<AuditRow[]>(sql, ...params, after.toString());
    if (rows.length === 0) return;
    yield rows.map((row) => (options.format === 'csv' ? csvLine(csvFields(row), protect) : `${JSON.stringify(jsonRecord(row))}\n`)).join('');
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.seq;
  }
}

function jsonRecord(row: AuditRow): Record<(typeof EXPORT_COLUMNS)[number], unknown> {
  // Spelled out so the key order is EXPORT_COLUMNS whatever the query returns.
  return {
    seq: row.seq.toString(),
    at: row.at.toISOString(),
    actorSubject: row.actorSubject,
    actorGroups: row.actorGroups,
    actorRoles: row.actorRoles,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    decision: row.decision,
    rule: row.rule,
    reason: row.reason,
    requestId: row.requestId,
    clientAddress: row.clientAddress,
    userAgent: row.userAgent,
    callerReason: row.callerReason,
    details: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

function csvFields(row: AuditRow): Array<string | null> {
  return [
    row.seq.toString(),
    row.at.toISOString(),
    row.actorSubject,
    row.actorGroups === null ? null : JSON.stringify(row.actorGroups),
    row.actorRoles === null ? null : JSON.stringify(row.actorRoles),
    row.action,
    row.subjectType,
    row.subjectId,
    row.decision,
    row.rule,
    row.reason,
    row.requestId,
    row.clientAddress,
    row.userAgent,
    row.callerReason,
    row.details === null ? null : canonicalJson(row.details),
    row.prevHash,
    row.hash,
  ];
}
