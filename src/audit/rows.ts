import type { AuditDecision, AuditEntry, JsonValue } from './types.js';

/** Every column, in table order, for raw SQL reads. */
export const AUDIT_COLUMNS =
  'seq, at, "actorSubject", "actorGroups", "actorRoles", action, "subjectType", "subjectId", decision, rule, reason, ' +
  '"requestId", "clientAddress", "userAgent", "callerReason", details, "prevHash", hash';

/** A row as PostgreSQL returns it: the array columns are nullable in the table. */
export interface AuditRow {
  seq: bigint;
  at: Date;
  actorSubject: string | null;
  actorGroups: string[] | null;
  actorRoles: string[] | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  decision: AuditDecision;
  rule: string | null;
  reason: string | null;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  callerReason: string | null;
  details: JsonValue | null;
  prevHash: string;
  hash: string;
}

/** A row for callers, who need not tell a NULL array from an empty one. */
export function entryOf(row: AuditRow): AuditEntry {
  return { ...row, actorGroups: row.actorGroups ?? [], actorRoles: row.actorRoles ?? [] };
}
